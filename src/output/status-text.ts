import { isFailedStatus, isSuccess } from '../stacks/stack-status.ts';
import type { DeploymentStatus } from '../status/deployment-status.ts';
import type { CheckResult } from '../steps/step.ts';

const CHECK_ICON = { pass: '✔', warn: '⚠', fail: '✖' } as const;

/** `stackguide status` as text: the stacks, then one panel per preparation step with its checks. */
export function statusText(title: string, status: DeploymentStatus): string {
  const lines = [`${title} · deployment ${status.deployment} · ${status.region}`, '', 'Stacks'];
  for (const { name, description } of status.stacks) {
    const state = description?.status ?? 'NOT_CREATED';
    const icon = isSuccess(state)
      ? '✔'
      : isFailedStatus(state) || state.includes('ROLLBACK')
        ? '✖'
        : state === 'NOT_CREATED'
          ? '◻'
          : '◼';
    lines.push(
      `${icon} ${name.padEnd(32)} ${state}${description?.statusReason ? `  ${description.statusReason}` : ''}`,
    );
    for (const [key, value] of Object.entries(description?.outputs ?? {})) lines.push(`    ${key}: ${value}`);
  }
  for (const step of status.steps) {
    lines.push('', `${step.title} (${step.id})`);
    for (const check of step.checks) lines.push(...checkLines(check));
  }
  return lines.join('\n');
}

function checkLines(check: CheckResult): string[] {
  const lines = [`${CHECK_ICON[check.status]} ${check.title}: ${check.summary}`];
  if (check.status !== 'pass' && check.fix)
    lines.push(
      ...check.fix.split('\n').map((line, index) => `    ${index === 0 ? 'fix: ' : '     '}${line}`),
    );
  return lines;
}
