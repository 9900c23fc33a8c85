import type { StatusItem, StatusSection, StatusState } from '../events.ts';
import type { DeploymentStatus } from '../status/deployment-status.ts';

const ICON: Record<StatusState, string> = { healthy: '✔', 'needs-action': '✖', 'could-not-check': '?' };
const VERDICT: Record<StatusState, string> = {
  healthy: 'healthy',
  'needs-action': 'needs action',
  'could-not-check': 'could not be checked',
};

/**
 * `stackguide status` as text: a headline with the verdict, then one block per section (stacks, DNS,
 * certificates, SES, secrets, manual steps, the rest of the account preparation), each item with its
 * state and, when it is not healthy, the one next action.
 */
export function statusText(title: string, status: DeploymentStatus): string {
  const lines = [`${title} · deployment ${status.deployment} · ${status.region} · ${VERDICT[status.state]}`];
  for (const section of status.sections) lines.push('', ...sectionLines(section));
  return lines.join('\n');
}

function sectionLines(section: StatusSection): string[] {
  const lines = [`${section.title}: ${VERDICT[section.state]}`];
  for (const item of section.items) lines.push(...itemLines(item));
  return lines;
}

/** One item: `✔ title: summary`, then `next:` with the action when there is one to take. */
function itemLines(item: StatusItem): string[] {
  const indent = item.detail ? '    ' : '';
  const lines = [`${indent}${item.advisory ? '⚠' : ICON[item.state]} ${item.title}: ${item.summary}`];
  // A stack's outputs (its URLs, its names) are what the operator came for.
  const outputs = item.facts?.outputs;
  if (outputs && typeof outputs === 'object')
    for (const [key, value] of Object.entries(outputs)) lines.push(`${indent}    ${key}: ${String(value)}`);
  if ((item.state !== 'healthy' || item.advisory) && item.nextAction) {
    lines.push(
      ...item.nextAction
        .split('\n')
        .map((line, index) => `${indent}    ${index === 0 ? 'next: ' : '      '}${line}`),
    );
  }
  return lines;
}

/** `status --watch` after the first refresh: the time, then only the items that changed, or a quiet line. */
export function statusChangesText(
  at: Date,
  changed: readonly StatusItem[],
  status: DeploymentStatus,
): string {
  const stamp = at.toISOString();
  if (changed.length === 0) return `${stamp} no change · ${VERDICT[status.state]}`;
  return [
    `${stamp} ${changed.length} changed · ${VERDICT[status.state]}`,
    ...changed.flatMap(itemLines),
  ].join('\n');
}
