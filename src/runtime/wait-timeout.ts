import { ExitCode, StackguideError } from '../errors.ts';
import { formatDuration } from '../output/format.ts';

/**
 * `--timeout`: the longest a run that waits on AWS (install, upgrade, destroy, watch) goes on. A stack
 * operation stuck for hours (a custom resource nobody answers, a resource waiting on a signal) then ends
 * the run with exit 124 and the command that picks it up again; the operation itself goes on in AWS and
 * is not cancelled. The default is generous: a few large stacks take over an hour.
 */
const DEFAULT_WAIT_TIMEOUT_SECONDS = 4 * 60 * 60;

/** The timeout in milliseconds, from the flag as given; bad input is exit 2 before any AWS call. */
export function parseWaitTimeout(given: string | undefined): number {
  if (given === undefined) return DEFAULT_WAIT_TIMEOUT_SECONDS * 1000;
  const seconds = Number(given);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new StackguideError(`--timeout ${given} is not a number of seconds`, {
      code: 'usage.timeout',
      kind: 'user',
      details: [
        { path: '--timeout', message: `"${given}"`, fix: 'Give seconds, e.g. --timeout 7200 for two hours.' },
      ],
    });
  }
  return seconds * 1000;
}

/** The error a run stops with when its --timeout runs out; `waitingOn` names the stack it waited on. */
export function waitTimeoutError(
  timeoutMs: number,
  waitingOn: { stack: string; watchCommand: string } | undefined,
  resumeCommand: string,
): StackguideError {
  const after = formatDuration(timeoutMs);
  return new StackguideError(
    waitingOn
      ? `Stopped waiting after ${after} (--timeout): ${waitingOn.stack} is still changing in AWS, and nothing was cancelled`
      : `Stopped after ${after} (--timeout)`,
    {
      code: 'wait.timeout',
      kind: 'aws',
      exitCode: ExitCode.timeout,
      nextSteps: [
        ...(waitingOn ? [`Follow it: ${waitingOn.watchCommand}`] : []),
        `Pick the run up again (it resumes from its journal): ${resumeCommand}`,
        'Give a longer --timeout <seconds> if the operation is just slow.',
      ],
    },
  );
}
