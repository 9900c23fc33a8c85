/** CloudFormation's stack statuses, grouped the way stackguide acts on them. */

export function isTerminal(status: string): boolean {
  return !status.endsWith('_IN_PROGRESS') && status !== 'REVIEW_IN_PROGRESS';
}

export function isInProgress(status: string): boolean {
  return status.endsWith('_IN_PROGRESS');
}

/** The outcomes an operation was aiming for: anything else terminal is a failure of some kind. */
export function isSuccess(status: string): boolean {
  return ['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'DELETE_COMPLETE', 'IMPORT_COMPLETE'].includes(status);
}

export function isFailedStatus(status: string): boolean {
  return status.endsWith('_FAILED');
}
