/**
 * What destroy does when CloudFormation could not delete some of a stack's resources (DELETE_FAILED).
 * The operator picks, in a terminal: empty what can be emptied and retry (the usual cause is a bucket
 * written to since it was emptied), retry keeping the failed resources (they stay in the account), or
 * stop. Unattended, nobody can pick, so destroy stops and says how to resume. Pure: the question's
 * wording and the decision live here, the asking and the calls in the task that deletes the stack.
 */
export type DeleteFailedChoice = 'retry' | 'retain' | 'stop';

export interface DeleteFailure {
  logicalResourceId: string;
  resourceType: string;
  reason: string;
}

export type DeleteFailedAction =
  /** Delete again; `emptyFirst` runs the emptying again before it; `retain` goes to RetainResources. */
  { action: 'retry'; emptyFirst: boolean; retain: string[] } | { action: 'stop' };

/** Attempts per stack (the first delete included) before destroy gives up even when asked to retry. */
export const MAX_DELETE_ATTEMPTS = 3;

/**
 * The next move after attempt `attempt` (1 for the first delete) ended DELETE_FAILED. `choice` is
 * undefined when nobody can be asked.
 */
export function afterDeleteFailed(
  attempt: number,
  choice: DeleteFailedChoice | undefined,
  failures: readonly DeleteFailure[],
): DeleteFailedAction {
  if (choice === undefined || choice === 'stop' || attempt >= MAX_DELETE_ATTEMPTS) return { action: 'stop' };
  if (choice === 'retain')
    return { action: 'retry', emptyFirst: false, retain: failures.map((f) => f.logicalResourceId) };
  return { action: 'retry', emptyFirst: true, retain: [] };
}

/** The question put to the operator, with one choice per move. */
export function deleteFailedQuestion(
  stack: string,
  failures: readonly DeleteFailure[],
): { message: string; choices: Array<{ value: DeleteFailedChoice; label: string }> } {
  return {
    message: `${stack} could not be deleted (${failures.map((f) => `${f.logicalResourceId}: ${f.reason}`).join('; ')}). What now?`,
    choices: [
      { value: 'retry', label: 'Empty what can be emptied and retry' },
      {
        value: 'retain',
        label: `Retry, keeping ${failures.map((f) => f.logicalResourceId).join(', ')} (they stay in the account)`,
      },
      { value: 'stop', label: 'Stop here' },
    ],
  };
}
