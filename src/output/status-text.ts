import type { StatusItem, StatusSection, StatusState } from '../events.ts';
import type { DeploymentStatus } from '../status/deployment-status.ts';
import { hangingWrap } from './wrap.ts';

const ICON: Record<StatusState, string> = { healthy: '✔', 'needs-action': '✖', 'could-not-check': '?' };
const VERDICT: Record<StatusState, string> = {
  healthy: 'healthy',
  'needs-action': 'needs action',
  'could-not-check': 'could not be checked',
};

/**
 * `stackguide status` as text: a headline with the verdict, then one block per section (stacks, DNS,
 * certificates, SES, secrets, manual steps, the rest of the account preparation), each item with its
 * state and, when it is not healthy, the one next action. Wrapped by words to `width` (the terminal's
 * columns; none for a pipe): a line the text continues on is indented two more than the text it continues.
 */
export function statusText(
  title: string,
  status: DeploymentStatus,
  width: number = Number.POSITIVE_INFINITY,
): string {
  const lines = hangingWrap(
    '',
    `${title} · deployment ${status.deployment} · ${status.region} · ${VERDICT[status.state]}`,
    '  ',
    width,
  );
  for (const section of status.sections) lines.push('', ...sectionLines(section, width));
  return lines.join('\n');
}

function sectionLines(section: StatusSection, width: number): string[] {
  const lines = hangingWrap('', `${section.title}: ${VERDICT[section.state]}`, '  ', width);
  for (const item of section.items) lines.push(...itemLines(item, width));
  return lines;
}

/** One item: `✔ title: summary`, then `next:` with the action when there is one to take. */
function itemLines(item: StatusItem, width: number): string[] {
  const indent = item.detail ? '    ' : '';
  const lines = hangingWrap(
    `${indent}${item.advisory ? '⚠' : ICON[item.state]} `,
    `${item.title}: ${item.summary}`,
    `${indent}    `,
    width,
  );
  // A stack's outputs (its URLs, its names) are what the operator came for.
  const outputs = item.facts?.outputs;
  if (outputs && typeof outputs === 'object')
    for (const [key, value] of Object.entries(outputs))
      lines.push(...hangingWrap(`${indent}    `, `${key}: ${String(value)}`, `${indent}      `, width));
  if ((item.state !== 'healthy' || item.advisory) && item.nextAction) {
    for (const [index, line] of item.nextAction.split('\n').entries())
      lines.push(
        ...hangingWrap(
          `${indent}    ${index === 0 ? 'next: ' : '      '}`,
          line,
          `${indent}            `,
          width,
        ),
      );
  }
  return lines;
}

/** `status --watch` after the first refresh: the time, then only the items that changed, or a quiet line. */
export function statusChangesText(
  at: Date,
  changed: readonly StatusItem[],
  status: DeploymentStatus,
  width: number = Number.POSITIVE_INFINITY,
  stamp = at.toISOString(),
): string {
  if (changed.length === 0) return `${stamp} no change · ${VERDICT[status.state]}`;
  return [
    `${stamp} ${changed.length} changed · ${VERDICT[status.state]}`,
    ...changed.flatMap((item) => itemLines(item, width)),
  ].join('\n');
}
