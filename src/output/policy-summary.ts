import { MANAGED_POLICY_LIMIT, type Policies, policySize } from '../policy/operator-policy.ts';

/**
 * The JSON `stackguide policy` writes on stdout: the operator policy alone, or, with --service-role,
 * both documents and the role's name, ARN and trust policy.
 */
export function policyJson(policies: Policies): unknown {
  return policies.serviceRole
    ? {
        operatorPolicy: policies.operator,
        serviceRole: {
          name: policies.serviceRole.name,
          arn: policies.serviceRole.arn,
          policy: policies.serviceRole.policy,
          trustPolicy: policies.serviceRole.trustPolicy,
        },
      }
    : policies.operator;
}

/** What each statement is for, in a few lines a security reviewer reads before granting anything. */
export function policySummary(
  policies: Policies,
  target: { deployment: string | undefined; region: string | undefined },
): string {
  const lines = [
    `Operator policy for ${target.deployment ?? 'any deployment'} in ${target.region ?? 'any region'}: install, status, watch, upgrade, destroy`,
  ];
  let document: string | undefined;
  for (const summary of policies.summaries) {
    if (summary.document !== document) {
      document = summary.document;
      if (document === 'service role' && policies.serviceRole)
        lines.push(
          `Service role ${policies.serviceRole.name} (trusts cloudformation.amazonaws.com): create it with serviceRole.policy and serviceRole.trustPolicy, then pass --role-arn ${policies.serviceRole.arn} to install and upgrade`,
        );
    }
    lines.push(
      `  ${summary.sid}: ${summary.actions} action${summary.actions === 1 ? '' : 's'} on ${summary.where}`,
      `    for ${summary.commands.join(', ')}: ${summary.why.join('; ')}`,
    );
  }
  for (const [name, document] of [
    ['operator policy', policies.operator],
    ...(policies.serviceRole ? [['service role policy', policies.serviceRole.policy] as const] : []),
  ] as const) {
    const size = policySize(document);
    if (size > MANAGED_POLICY_LIMIT)
      lines.push(
        `Note: the ${name} is ${size} characters, over IAM's ${MANAGED_POLICY_LIMIT} for one managed policy: split its statements over two policies.`,
      );
  }
  return `${lines.join('\n')}\n`;
}
