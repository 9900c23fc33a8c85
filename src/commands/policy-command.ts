import { deploymentNameProblem } from '../blueprint/answer-validation.ts';
import { loadBlueprint } from '../blueprint/load-blueprint.ts';
import { ExitCode, StackguideError } from '../errors.ts';
import { checkAnswersBlueprint, readAnswersFile } from '../install/answers-file.ts';
import { buildPolicies, MANAGED_POLICY_LIMIT, type Policies, policySize } from '../policy/operator-policy.ts';
import type { CommonOptions } from './common-options.ts';

export interface PolicyOptions extends CommonOptions {
  /** `--service-role`: also the CloudFormation service role's policy; the operator then passes it. */
  serviceRole?: boolean;
}

/**
 * `stackguide policy <blueprint>`: the IAM policy an operator needs for install, status, watch, upgrade
 * and destroy of the blueprint, as JSON on stdout, with one line per statement on stderr. Purely local:
 * the blueprint, the answers file and the flags; bad input is exit 2 and no AWS call is ever made.
 */
export async function policyCommand(options: PolicyOptions): Promise<number> {
  const blueprint = await loadBlueprint(options.blueprint ?? '.');
  const saved = options.config ? await readAnswersFile(options.config) : undefined;
  if (saved) checkAnswersBlueprint(saved, blueprint.product.id);
  const deployment = options.name ?? saved?.deployment ?? blueprint.deployment.default;
  const nameProblem =
    deployment === undefined ? undefined : deploymentNameProblem(blueprint.deployment, deployment);
  if (deployment !== undefined && nameProblem)
    throw new StackguideError(`The deployment name ${nameProblem.message}`, {
      code: 'policy.name',
      kind: 'user',
      details: [{ path: options.name !== undefined ? '--name' : 'deployment', ...nameProblem }],
    });
  const region = options.region ?? saved?.region;
  if (region !== undefined && !blueprint.regions.includes(region))
    throw new StackguideError(`${blueprint.product.id} is not offered in ${region}`, {
      code: 'policy.region',
      kind: 'user',
      details: [
        {
          path: options.region !== undefined ? '--region' : 'region',
          message: `"${region}" is not one of the blueprint's regions`,
          fix: `Use one of ${blueprint.regions.join(', ')}.`,
        },
      ],
    });

  const policies = buildPolicies(
    blueprint,
    {
      ...(deployment !== undefined ? { deployment } : {}),
      ...(region !== undefined ? { region } : {}),
      ...(saved?.account !== undefined ? { account: saved.account } : {}),
      ...(saved ? { answers: saved.answers } : {}),
    },
    { serviceRole: options.serviceRole === true },
  );
  const result = policies.serviceRole
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
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  process.stderr.write(policySummary(policies, { deployment, region }));
  return ExitCode.ok;
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
