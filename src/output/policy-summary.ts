import {
  MANAGED_POLICY_LIMIT,
  type Policies,
  policySize,
  type StatementSummary,
} from '../policy/operator-policy.ts';
import { POLICY_COMMANDS } from '../policy/tool-calls.ts';
import { hangingWrap } from './wrap.ts';

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

/**
 * What each statement is for, in a few lines a security reviewer reads before granting anything: wrapped
 * by words to `width` (stderr's columns in a terminal; none for a pipe), a statement's lines indented under
 * it, and each reason said once (trial finding 69: 44 lines for the demo at 80 columns, words cut by the
 * terminal, "check the certificate step (certificate); apply the certificate step (certificate); ..."):
 * a step's uses are grouped, and statements in a row with the same reasons give them once, after the last.
 */
export function policySummary(
  policies: Policies,
  target: { deployment: string | undefined; region: string | undefined },
  width: number = Number.POSITIVE_INFINITY,
): string {
  const lines = hangingWrap(
    '',
    `Operator policy for ${target.deployment ?? 'any deployment'} in ${target.region ?? 'any region'}: ${POLICY_COMMANDS.join(', ')}`,
    '  ',
    width,
  );
  let document: string | undefined;
  for (const [index, summary] of policies.summaries.entries()) {
    if (summary.document !== document) {
      document = summary.document;
      if (document === 'service role' && policies.serviceRole)
        lines.push(
          ...hangingWrap(
            '',
            `Service role ${policies.serviceRole.name} (trusts cloudformation.amazonaws.com): create it with serviceRole.policy and serviceRole.trustPolicy, then pass --role-arn ${policies.serviceRole.arn} to install and upgrade`,
            '  ',
            width,
          ),
        );
    }
    lines.push(
      ...hangingWrap(
        '  ',
        `${summary.sid}: ${summary.actions} action${summary.actions === 1 ? '' : 's'} on ${summary.where}`,
        '      ',
        width,
      ),
    );
    const next = policies.summaries[index + 1];
    if (next && next.document === summary.document && purpose(next) === purpose(summary)) continue;
    lines.push(...hangingWrap('    ', purpose(summary), '      ', width));
  }
  for (const [name, document] of [
    ['operator policy', policies.operator],
    ...(policies.serviceRole ? [['service role policy', policies.serviceRole.policy] as const] : []),
  ] as const) {
    const size = policySize(document);
    if (size > MANAGED_POLICY_LIMIT)
      lines.push(
        ...hangingWrap(
          '',
          `Note: the ${name} is ${size} characters, over IAM's ${MANAGED_POLICY_LIMIT} for one managed policy: split its statements over two policies.`,
          '  ',
          width,
        ),
      );
  }
  return `${lines.join('\n')}\n`;
}

/** `for <commands>: <reasons>`, every command said as such, the uses of one step grouped. */
function purpose(summary: StatementSummary): string {
  const commands = POLICY_COMMANDS.every((command) => summary.commands.includes(command))
    ? 'every command'
    : summary.commands.join(', ');
  return `for ${commands}: ${reasons(summary.why).join('; ')}`;
}

/** A step's uses as src/policy/tool-calls.ts words them: checked, applied, its leftovers removed. */
const STEP_USE = /^(?:(check|apply) the (\S+) step \((\S+)\)|remove what the (\S+) step \((\S+)\) made)$/;
const VERBS = ['check', 'apply', 'remove'] as const;

/**
 * The reasons in their order, the uses of the steps gathered where the first of them was: steps used
 * the same ways in one phrase ("check and apply the ses, costTag and certificate steps"), a step's name
 * said once and its kind only when it differs ("the dockerhub step (registrySecret)").
 */
function reasons(why: readonly string[]): string[] {
  const uses = new Map<string, { kind: string; verbs: Set<(typeof VERBS)[number]> }>();
  const out: Array<string | undefined> = [];
  for (const reason of why) {
    const match = STEP_USE.exec(reason);
    if (!match) {
      out.push(reason);
      continue;
    }
    if (uses.size === 0) out.push(undefined);
    const [id = '', kind = ''] = match[1] ? [match[2], match[3]] : [match[4], match[5]];
    const use = uses.get(id) ?? { kind, verbs: new Set() };
    use.verbs.add(match[1] === 'check' || match[1] === 'apply' ? match[1] : 'remove');
    uses.set(id, use);
  }
  const phrases = new Map<string, Array<{ id: string; kind: string }>>();
  for (const [id, { kind, verbs }] of uses) {
    const key = VERBS.filter((verb) => verbs.has(verb)).join(' ');
    phrases.set(key, [...(phrases.get(key) ?? []), { id, kind }]);
  }
  const grouped = [...phrases].map(([key, steps]) => stepPhrase(key.split(' '), steps));
  return out.flatMap((reason) => (reason === undefined ? grouped : [reason]));
}

/** `check and apply the certificate step, and remove what it made`; a step's kind when it is not its id. */
function stepPhrase(verbs: readonly string[], steps: ReadonlyArray<{ id: string; kind: string }>): string {
  const kindOf = (step: { id: string; kind: string }): string =>
    step.id === step.kind ? '' : ` (${step.kind})`;
  const [only] = steps;
  const which =
    steps.length === 1 && only
      ? `the ${only.id} step${kindOf(only)}`
      : `the ${list(steps.map((step) => `${step.id}${kindOf(step)}`))} steps`;
  const doing = verbs.filter((verb) => verb !== 'remove');
  if (doing.length === 0) return `remove what ${which} made`;
  const made = verbs.includes('remove') ? `, and remove what ${steps.length > 1 ? 'they' : 'it'} made` : '';
  return `${list(doing)} ${which}${made}`;
}

/** `a`, `a and b`, `a, b and c`. */
function list(items: readonly string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items.at(-1)}` : (items[0] ?? '');
}
