import { type ErrorDetail, StackguideError } from '../errors.ts';
import type { CreatedResource } from '../events.ts';

/**
 * A branch the run never started, and why. `said`: its own event already told it (a stack's
 * `stack.not-started`, a row of the live view and a plain line), so the closing list leaves it out:
 * "◻ demo-app not started: demo-data was declined" was printed as a row and again in the list (trial
 * finding 101).
 */
interface NotStarted {
  name: string;
  reason: string;
  said?: boolean;
}

/** `• name: reason` for each branch never started that nothing has told yet. */
function notStartedDetails(notStarted: readonly NotStarted[]): ErrorDetail[] {
  return notStarted.filter((each) => !each.said).map(({ name, reason }) => ({ path: name, message: reason }));
}

/**
 * A run with branches in flight ends with every branch's outcome: the first failure keeps its code,
 * kind, exit code and next steps (what to fix), and the details say what every other branch did —
 * failed too, completed while the failure was being reported, or not started.
 */
export function branchFailure(
  failures: ReadonlyArray<{ name: string; error: unknown }>,
  notStarted: readonly NotStarted[],
  completed: readonly string[],
): StackguideError {
  const [first, ...others] = failures;
  const primary =
    first?.error instanceof StackguideError
      ? first.error
      : new StackguideError(`${first?.name ?? 'The run'} failed: ${String(first?.error)}`, {
          code: 'run.failed',
          kind: 'bug',
          cause: first?.error,
        });
  if (others.length === 0 && notStarted.length === 0 && completed.length === 0) return primary;
  const details: ErrorDetail[] = [
    ...primary.details,
    ...others.map(({ name, error }) => ({
      path: name,
      message: `failed too: ${error instanceof Error ? error.message : String(error)}`,
    })),
    ...completed.map((name) => ({ path: name, message: 'completed' })),
    ...notStartedDetails(notStarted),
  ];
  return new StackguideError(
    others.length > 0 ? `${failures.length} branches failed: ${primary.message}` : primary.message,
    {
      code: primary.code,
      kind: primary.kind,
      nextSteps: [
        ...primary.nextSteps,
        ...(primary.kind !== 'cancelled' && (notStarted.length > 0 || others.length > 0)
          ? ['Run the same command again once fixed: what completed is left alone, the rest goes on.']
          : []),
      ],
      details,
      cause: primary,
      exitCode: primary.exitCode,
    },
  );
}

/** A branch that ended because the run was stopped or its change set declined, not because it failed. */
export function isCancellation(error: unknown): boolean {
  return error instanceof StackguideError && error.kind === 'cancelled';
}

/**
 * A run stopped by its signal (Ctrl+C, SIGTERM, --timeout): the stop's own error (its exit code and next
 * steps) with what every branch did. Branches that ended with the stop are "stopped", not failed.
 */
export function stoppedRun(
  reason: unknown,
  failures: ReadonlyArray<{ name: string; error: unknown }>,
  notStarted: readonly NotStarted[],
  completed: readonly string[],
  /** What a branch created before the stop (its step.resource-created events), by branch name: it stays, and is said. */
  made: ReadonlyMap<string, readonly CreatedResource[]> = new Map(),
): StackguideError {
  const stop =
    reason instanceof StackguideError
      ? reason
      : new StackguideError('Stopped', { code: 'cancelled', kind: 'cancelled', cause: reason });
  const details: ErrorDetail[] = [
    ...stop.details,
    ...failures.map(({ name, error }) => ({
      path: name,
      message:
        (error === reason || isCancellation(error)
          ? 'stopped while it ran'
          : `failed: ${error instanceof Error ? error.message : String(error)}`) + madeText(made.get(name)),
    })),
    ...completed.map((name) => ({ path: name, message: 'completed' })),
    ...notStartedDetails(notStarted),
  ];
  return new StackguideError(stop.message, {
    code: stop.code,
    kind: stop.kind,
    nextSteps: stop.nextSteps,
    details,
    cause: stop,
    exitCode: stop.exitCode,
  });
}

/** `; it had made, which stays: the hosted zone … (…)`, or nothing. */
function madeText(made: readonly CreatedResource[] | undefined): string {
  return made && made.length > 0 ? `; it had made, which stays: ${made.map(createdText).join('; ')}` : '';
}

function createdText({ kind, id, name }: CreatedResource): string {
  switch (kind) {
    case 'hostedZone':
      return `the hosted zone ${name} (${id})`;
    case 'secret':
      return `the secret ${name}`;
    case 'serviceLinkedRole':
      return `the service-linked role for ${name}${id === name ? '' : ` (${id})`}`;
    case 'certificate':
      return `the certificate for ${name} (${id})`;
  }
}

/** Calls of `ask` one after another (an operator answers one question at a time), in call order. */
export function oneAtATime<A extends unknown[], R>(
  ask: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  let queue: Promise<unknown> = Promise.resolve();
  return (...args) => {
    const answer = queue.then(() => ask(...args));
    queue = answer.catch(() => undefined);
    return answer;
  };
}
