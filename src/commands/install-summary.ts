import type { EventBus } from '../events.ts';
import type { InstallOutcome } from '../flows/install-flow.ts';
import { secretValues, shownOutputs } from '../install/install-plan.ts';

/** What the run said on the way, gathered from its events, for the summary to repeat. */
export interface InstallRecap {
  warnings: string[];
  /**
   * `pending`: what its result still waits for outside the run; such a step is not done. `confirmed`:
   * done by the operator, who said so (a manual step); nothing checked it.
   */
  steps: Array<{ id: string; title: string; done: boolean; pending?: string; confirmed?: boolean }>;
}

/**
 * Gathers the recap from the run's events until `stop` is called: what the run warned about and which
 * steps it took, which the summary repeats at the end.
 */
export function recordRecap(events: EventBus): { recap: InstallRecap; stop: () => void } {
  const recap: InstallRecap = { warnings: [], steps: [] };
  const stop = events.subscribe((event) => {
    if (event.type === 'warning') recap.warnings.push(event.message);
    if (event.type === 'step.started') recap.steps.push({ id: event.step, title: event.title, done: false });
    if (event.type === 'step.completed') {
      const step = recap.steps.find((each) => each.id === event.step);
      if (step && event.pending) step.pending = event.pending;
      else if (step) {
        step.done = true;
        if (event.confirmedByOperator) step.confirmed = true;
      }
    }
  });
  return { recap, stop };
}

/**
 * The summary: Ink in a terminal; otherwise the results as lines on stdout (progress went to stderr).
 * `rowsBelow`: rows the program that ran stackguide prints under the summary in a terminal
 * (STACKGUIDE_SUMMARY_ROWS_BELOW), left free as the summary fits the window.
 */
export async function showInstallOutcome(
  outcome: InstallOutcome,
  recap: InstallRecap,
  screens: typeof import('../../screens/mount-screens.tsx') | undefined,
  json: boolean,
  rowsBelow?: number,
): Promise<void> {
  const stacks = outcome.plan.stacks.map((stack) => ({
    name: stack.name,
    status: outcome.stacks[stack.id]?.status ?? 'UNKNOWN',
    outputs: shownOutputs(outcome.stacks[stack.id]?.outputs ?? {}, secretValues(outcome.plan)),
  }));
  if (screens) {
    const { plan, answersPath, answersSaved, nextCommand, eventLogPath, afterInstall, afterInstallPath } =
      outcome;
    await screens.showSummary({
      deployment: plan.deployment,
      stacks,
      answersPath,
      answersSaved,
      nextCommand,
      eventLogPath,
      afterInstall,
      ...(afterInstallPath ? { afterInstallPath } : {}),
      steps: recap.steps,
      warnings: recap.warnings,
      ...(rowsBelow !== undefined ? { rowsBelow } : {}),
    });
    return;
  }
  if (json) return;
  // The warnings were printed as they came; scrolled away by now, they are repeated where they are read.
  if (recap.warnings.length > 0)
    process.stderr.write(`\nWarnings:\n${recap.warnings.map((w) => `  ⚠ ${w}\n`).join('')}`);
  for (const stack of stacks) {
    process.stdout.write(`${stack.name} ${stack.status}\n`);
    for (const [key, value] of Object.entries(stack.outputs)) process.stdout.write(`  ${key}: ${value}\n`);
  }
  const pending = recap.steps.filter((step) => step.pending !== undefined);
  if (pending.length > 0) process.stdout.write('\nPending outside this run:\n');
  for (const step of pending) process.stdout.write(`  ◷ ${step.title}: waiting for ${step.pending}\n`);
  if (outcome.afterInstall.length > 0) process.stdout.write('\nStill to do by hand:\n');
  for (const item of outcome.afterInstall) {
    process.stdout.write(`  ☐ ${item.title}\n`);
    for (const line of item.details) process.stdout.write(`      ${line}\n`);
  }
  if (outcome.afterInstallPath)
    process.stdout.write(`The same checklist is in ${outcome.afterInstallPath}\n`);
}
