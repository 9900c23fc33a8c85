import type { StackDescription } from '../aws/cloudformation-port.ts';
import type { CheckResult, StatusItem, StatusSection, StatusSectionId, StatusState } from '../events.ts';
import { isFailedStatus, isInProgress, isSuccess } from '../stacks/stack-status.ts';
import type { ParameterComparison } from './parameter-comparison.ts';

/**
 * `status` in sections a script and an operator can act on: every item is healthy, needs action (with the
 * one next action), or could not be checked (with what to fix so it can be). Pure: it reads what
 * gatherStatus found and decides nothing by calling anything.
 */

export type { StatusItem, StatusSection, StatusSectionId, StatusState };

/** Which section a preparation step's checks go in, by step kind. */
const SECTION_OF_KIND: Record<string, StatusSectionId> = {
  hostedZone: 'dns',
  certificate: 'certificates',
  ses: 'ses',
  registrySecret: 'secrets',
  manual: 'manual',
};

const SECTION_TITLES: Record<StatusSectionId, string> = {
  stacks: 'Stacks',
  dns: 'DNS delegation',
  certificates: 'Certificates',
  ses: 'Email (SES)',
  secrets: 'Secrets',
  manual: 'Manual steps',
  account: 'Account preparation',
};

/** Delegation verdicts that say the check could not be made, not that something is wrong. */
const COULD_NOT_CHECK = new Set(['unreachable', 'refused', 'servfail']);

export interface StackStatusInput {
  name: string;
  description: StackDescription | undefined;
  /** Its parameters against the saved answers, when there are saved answers to compare with. */
  parameters?: ParameterComparison;
  /** The command that applies the saved answers, for a parameter that differs. */
  applyCommand?: string;
  /** When the destroy the journal records completed, for a stack that no longer exists. */
  destroyedAt?: string;
}

export interface StepStatusInput {
  id: string;
  kind: string;
  title: string;
  checks: readonly CheckResult[];
}

export function stackItem(stack: StackStatusInput): StatusItem {
  const { name, description } = stack;
  const base = { id: `stack.${name}`, title: name };
  if (!description && stack.destroyedAt) {
    return {
      ...base,
      state: 'needs-action',
      summary: `destroyed at ${stack.destroyedAt}`,
      nextAction: 'It was destroyed on purpose: stackguide install creates it again.',
      facts: { status: 'DESTROYED', destroyedAt: stack.destroyedAt },
    };
  }
  if (!description) {
    return {
      ...base,
      state: 'needs-action',
      summary: 'does not exist',
      nextAction: 'Run stackguide install to create it.',
      facts: { status: 'NOT_CREATED' },
    };
  }
  const lastChange = description.updatedAt ?? description.createdAt ?? null;
  const drift = description.drift ?? null;
  const facts = {
    status: description.status,
    stackId: description.stackId,
    lastChange,
    drift: drift?.status ?? 'NOT_CHECKED',
    driftCheckedAt: drift?.checkedAt ?? null,
    outputs: description.outputs,
  };
  const when = lastChange ? `, last changed ${lastChange}` : '';
  // Drift never checked is said once for all the stacks by the printer (facts.drift), not per stack.
  const driftText = driftWords(drift?.status, drift?.checkedAt);
  const summary = `${description.status}${when}${driftText ? `; ${driftText}` : ''}`;
  if (isFailedStatus(description.status) || description.status.includes('ROLLBACK')) {
    return {
      ...base,
      state: 'needs-action',
      summary: `${summary}${description.statusReason ? ` (${description.statusReason})` : ''}`,
      nextAction: `Read why in the stack's events (stackguide watch ${name} shows the root cause), fix it, then run stackguide install again.`,
      facts,
    };
  }
  if (isInProgress(description.status)) {
    return {
      ...base,
      state: 'needs-action',
      summary,
      nextAction: `An operation is running: follow it with stackguide watch ${name}.`,
      facts,
    };
  }
  if (drift?.status === 'DRIFTED') {
    return {
      ...base,
      state: 'needs-action',
      summary,
      nextAction: `Someone changed its resources outside CloudFormation: see what with aws cloudformation describe-stack-resource-drifts --stack-name ${name}, then undo the change or run stackguide upgrade to bring the stack back to its template.`,
      facts,
    };
  }
  const differ = stack.parameters?.differ ?? [];
  if (differ.length > 0 && isSuccess(description.status)) {
    const listed = differ.map((p) => `${p.name} ${p.deployed} → ${p.answers}`).join(', ');
    return {
      ...base,
      state: 'needs-action',
      summary: `${summary}; ${differ.length === 1 ? 'a parameter differs' : `${differ.length} parameters differ`} from the answers file (deployed → answers): ${listed}`,
      nextAction: `Apply the answers file's values${stack.applyCommand ? ` with ${stack.applyCommand}` : ' with stackguide install and the answers file'} (its review shows each change), or set the answers back to the deployed values.`,
      facts: { ...facts, parameters: stack.parameters },
    };
  }
  return {
    ...base,
    state: isSuccess(description.status) ? 'healthy' : 'needs-action',
    summary,
    // Named when some were left out of the comparison (NoEcho, secret answers): names only, never values.
    facts: stack.parameters?.notCompared.length ? { ...facts, parameters: stack.parameters } : facts,
  };
}

function driftWords(status: string | undefined, checkedAt: string | undefined): string {
  const when = checkedAt ? ` (checked ${checkedAt})` : '';
  switch (status) {
    case 'IN_SYNC':
      return `no drift${when}`;
    case 'DRIFTED':
      return `drifted${when}`;
    case undefined:
    case 'NOT_CHECKED':
      return '';
    default:
      return `drift ${status.toLowerCase()}${when}`;
  }
}

/**
 * One check as a status item. The delegation's overall check decides by its verdict; its per-server and
 * per-resolver details are shown, but a pending propagation is waiting, not an action.
 */
export function checkItem(check: CheckResult, section: StatusSectionId = 'account'): StatusItem {
  // A secret's age is a fact of its check; the screen says it (never anything of the value).
  const changed = typeof check.facts?.lastChangedDate === 'string' ? check.facts.lastChangedDate : undefined;
  const base = {
    id: check.id,
    title: check.title,
    summary:
      changed && !check.summary.includes(changed)
        ? `${check.summary}; last changed ${changed}`
        : check.summary,
    ...(check.facts ? { facts: check.facts } : {}),
  };
  const next = check.fix ? { nextAction: check.fix } : {};
  if (check.id.endsWith('.delegation')) {
    const verdict = String(check.facts?.status ?? '');
    if (verdict === 'delegated') return { ...base, state: 'healthy' };
    return { ...base, state: COULD_NOT_CHECK.has(verdict) ? 'could-not-check' : 'needs-action', ...next };
  }
  if (/\.delegation\.(parent|resolver)\./.test(check.id)) {
    // Details under the delegation's verdict: their state gives their mark, the verdict decides.
    const detail = { ...base, detail: true };
    const problem = check.facts?.problem;
    if (check.status === 'pass') return { ...detail, state: 'healthy' };
    if (problem !== null && problem !== undefined) return { ...detail, state: 'could-not-check', ...next };
    // A parent server that answered with a wrong delegation is the failure itself (never a ✔); a
    // resolver still holding an old or empty answer is waiting for its cache to expire.
    if (check.id.includes('.delegation.parent.')) return { ...detail, state: 'needs-action', ...next };
    return { ...detail, state: 'healthy', advisory: true, ...next };
  }
  if (check.status === 'pass')
    return { ...base, state: 'healthy', ...(check.confirmedByOperator ? { confirmedByOperator: true } : {}) };
  if (check.status === 'fail' || warningAsksAction(check, section))
    return { ...base, state: 'needs-action', ...next };
  // Other warnings (an imported certificate ACM never renews, SES production access under review, a
  // type that cannot be verified here) are worth reading but ask nothing of the operator now.
  return { ...base, state: 'healthy', advisory: true, ...next };
}

/**
 * The warnings that are something to do (issue 16): a certificate pending or expiring within 30 days,
 * a manual step not done yet, a secret that is not there.
 */
function warningAsksAction(check: CheckResult, section: StatusSectionId): boolean {
  switch (section) {
    case 'certificates':
      return /\.(certificate|expiry|covers)$/.test(check.id);
    case 'manual':
    case 'secrets':
      return true;
    default:
      return false;
  }
}

/** The whole status in sections, stacks first; a section is as bad as its worst item. */
export function statusSections(
  stacks: readonly StackStatusInput[],
  steps: readonly StepStatusInput[],
): StatusSection[] {
  const items = new Map<StatusSectionId, StatusItem[]>([['stacks', stacks.map(stackItem)]]);
  for (const step of steps) {
    const section = SECTION_OF_KIND[step.kind] ?? 'account';
    items.set(section, [
      ...(items.get(section) ?? []),
      ...step.checks.map((check) => checkItem(check, section)),
    ]);
  }
  const order: StatusSectionId[] = ['stacks', 'dns', 'certificates', 'ses', 'secrets', 'manual', 'account'];
  return order.flatMap((id) => {
    const list = items.get(id);
    if (!list) return [];
    // Details (one parent server of several silent) are shown, but the verdict they feed decides.
    const deciding = list.filter((item) => item.detail !== true);
    return [
      {
        section: id,
        title: SECTION_TITLES[id],
        state: worst(deciding.map((item) => item.state)),
        items: list,
      },
    ];
  });
}

/** needs action beats could not check beats healthy: what the operator must do comes first. */
export function worst(states: readonly StatusState[]): StatusState {
  if (states.includes('needs-action')) return 'needs-action';
  if (states.includes('could-not-check')) return 'could-not-check';
  return 'healthy';
}
