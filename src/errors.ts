/**
 * The one error model of stackguide. Everything thrown from `src/` and `tasks/` is a StackguideError,
 * so the single top-level handler can render it the same way in every mode and pick the exit code.
 */

import type { ErrorKind } from './events.ts';

/** Exit codes are part of the command contract and documented in the README. */
export const ExitCode = {
  ok: 0,
  /** The operation ran and failed (a stack rolled back, a check failed). */
  failed: 1,
  /** Bad usage or input: flags, blueprint, answers. Nothing was changed in AWS. */
  usage: 2,
  /**
   * Credentials or identity could not be resolved: nothing was changed. For `status`, "could not
   * check": also AWS or the DNS servers could not be reached.
   */
  credentials: 3,
  /** `status`: the deployment needs the operator (not delegated, certificate pending, drift, a stack missing). */
  needsAction: 4,
  /** AWS did not answer within the call deadline (an endpoint that accepts and never answers). */
  timeout: 124,
  /** A bug in stackguide. */
  bug: 70,
  /** Another run holds the deployment's lock (sysexits' EX_TEMPFAIL: try again later). Nothing was changed. */
  locked: 75,
  /** The operator stopped it (Ctrl+C, declined a confirmation). */
  cancelled: 130,
  /** Stopped by SIGTERM (a CI runner cancelling the job): 128 + 15, as shells report it. */
  terminated: 143,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface StackguideErrorOptions {
  /** Stable, documented, machine-readable: `blueprint.invalid`, `answers.missing`, ... */
  code: string;
  kind: ErrorKind;
  /** What the operator can do next, each an exact action or command. */
  nextSteps?: readonly string[];
  /** Per-field problems (a blueprint path, an answers key) when there is more than one. */
  details?: readonly ErrorDetail[];
  cause?: unknown;
  /** Overrides the exit code derived from the kind. */
  exitCode?: ExitCode;
}

export interface ErrorDetail {
  /** Where: `stacks[1].parameters.VpcCidr`, `answers.adminEmail`, `--region`. */
  path: string;
  message: string;
  /** How to fix it, when we know. */
  fix?: string;
}

export class StackguideError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly nextSteps: readonly string[];
  readonly details: readonly ErrorDetail[];
  readonly exitCode: ExitCode;

  constructor(message: string, options: StackguideErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StackguideError';
    this.code = options.code;
    this.kind = options.kind;
    this.nextSteps = options.nextSteps ?? [];
    this.details = options.details ?? [];
    this.exitCode = options.exitCode ?? exitCodeForKind(options.kind);
  }
}

function exitCodeForKind(kind: ErrorKind): ExitCode {
  switch (kind) {
    case 'user':
      return ExitCode.usage;
    case 'aws':
      return ExitCode.failed;
    case 'cancelled':
      return ExitCode.cancelled;
    case 'bug':
      return ExitCode.bug;
  }
}

/** Wraps anything thrown into a StackguideError; unknown errors are bugs until proven otherwise. */
export function toStackguideError(error: unknown): StackguideError {
  if (error instanceof StackguideError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new StackguideError(message, {
    code: 'internal',
    kind: 'bug',
    cause: error,
    nextSteps: ['This is a bug in stackguide. Please report it with the event log of this run.'],
  });
}
