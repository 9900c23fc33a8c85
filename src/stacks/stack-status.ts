/**
 * CloudFormation's stack statuses, each classified by what stackguide does about it. Every value the
 * SDK's `StackStatus` defines is listed (test/stacks/stack-status.test.ts walks the SDK's list and fails
 * on one missing), so a status is never guessed from its spelling: REVIEW_IN_PROGRESS ends in
 * `_IN_PROGRESS` yet nothing is running; it is a stack whose first change set was never executed, which
 * the awscli deployer also treats as "no stack yet".
 */
export type StackStatusClass =
  /** Only a change set exists (REVIEW_IN_PROGRESS): nothing runs, a create may still be made. */
  | 'not-created'
  /** CloudFormation is working on it; wait. */
  | 'in-progress'
  /** The operation it aimed for succeeded. */
  | 'complete'
  /** A failed update or import was rolled back: the stack is usable as it was before. */
  | 'rolled-back'
  /** The operation failed and the stack needs attention (a failed create must be deleted first). */
  | 'failed'
  /** Deleted: only visible by stack id. */
  | 'deleted';

const CLASSES: Readonly<Record<string, StackStatusClass>> = {
  REVIEW_IN_PROGRESS: 'not-created',

  CREATE_IN_PROGRESS: 'in-progress',
  ROLLBACK_IN_PROGRESS: 'in-progress',
  DELETE_IN_PROGRESS: 'in-progress',
  UPDATE_IN_PROGRESS: 'in-progress',
  UPDATE_COMPLETE_CLEANUP_IN_PROGRESS: 'in-progress',
  UPDATE_ROLLBACK_IN_PROGRESS: 'in-progress',
  UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS: 'in-progress',
  IMPORT_IN_PROGRESS: 'in-progress',
  IMPORT_ROLLBACK_IN_PROGRESS: 'in-progress',

  CREATE_COMPLETE: 'complete',
  UPDATE_COMPLETE: 'complete',
  IMPORT_COMPLETE: 'complete',

  UPDATE_ROLLBACK_COMPLETE: 'rolled-back',
  IMPORT_ROLLBACK_COMPLETE: 'rolled-back',

  CREATE_FAILED: 'failed',
  ROLLBACK_FAILED: 'failed',
  ROLLBACK_COMPLETE: 'failed',
  DELETE_FAILED: 'failed',
  UPDATE_FAILED: 'failed',
  UPDATE_ROLLBACK_FAILED: 'failed',
  IMPORT_ROLLBACK_FAILED: 'failed',

  DELETE_COMPLETE: 'deleted',
};

/** Every stack status stackguide knows, for the test that compares them with the SDK's list. */
export const KNOWN_STACK_STATUSES: readonly string[] = Object.keys(CLASSES);

/**
 * The class of a status. A value AWS adds later (and the SDK we ship does not know yet) falls back to
 * its suffix, so a new `*_IN_PROGRESS` is waited on rather than taken as an outcome.
 */
export function classifyStackStatus(status: string): StackStatusClass {
  const known = CLASSES[status];
  if (known) return known;
  if (status.endsWith('_IN_PROGRESS')) return 'in-progress';
  if (status.endsWith('_FAILED')) return 'failed';
  if (status.includes('ROLLBACK')) return 'rolled-back';
  return 'complete';
}

/** Nothing is running: the stack rests in this status until someone acts. */
export function isTerminal(status: string): boolean {
  return classifyStackStatus(status) !== 'in-progress';
}

export function isInProgress(status: string): boolean {
  return classifyStackStatus(status) === 'in-progress';
}

/** A stack that has never been created: absent, or only a change set under review. */
export function isNotCreated(status: string | undefined): boolean {
  return status === undefined || classifyStackStatus(status) === 'not-created';
}

/** The outcomes an operation was aiming for: anything else terminal is a failure of some kind. */
export function isSuccess(status: string): boolean {
  const kind = classifyStackStatus(status);
  return kind === 'complete' || kind === 'deleted';
}

export function isFailedStatus(status: string): boolean {
  return status.endsWith('_FAILED');
}
