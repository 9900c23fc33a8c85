import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Calls that must still reach AWS after the run was stopped (Ctrl+C, SIGTERM, --timeout): releasing the
 * deployment lock, above all. Every other call ends the moment the run's signal fires (the AWS call
 * guard races it); a call made inside `afterStop` is bounded by the call deadline only, so a stopped
 * run does not leave its lock behind for the next one to break.
 */
const cleanup = new AsyncLocalStorage<true>();

export function afterStop<T>(work: () => Promise<T>): Promise<T> {
  return cleanup.run(true, work);
}

export function inAfterStop(): boolean {
  return cleanup.getStore() === true;
}
