import { randomUUID } from 'node:crypto';
import type { CloudFormationPort } from '../aws/cloudformation-port.ts';
import { StackguideError } from '../errors.ts';
import type { ProgressPrompt } from '../progress/progress-store.ts';
import type { ActiveOperation, OperationTracker } from './operation-tracker.ts';

/**
 * What Ctrl+C means, by phase: before any stack operation runs it stops cleanly; during a create the
 * operator may keep waiting, detach (the stack carries on in AWS) or delete the stack; during an update,
 * keep waiting, detach or cancel the update and watch the rollback. The UI asks; this decides and acts.
 */
export interface InterruptDeps {
  tracker: OperationTracker;
  cloudFormation: CloudFormationPort;
  /** Shows the menu and resolves with the chosen value. */
  ask: (prompt: ProgressPrompt) => Promise<string>;
  /** Stops the run with this reason. */
  abort: (reason: StackguideError) => void;
  /** The command that re-attaches, for the detach message. */
  watchCommand: (stack: string) => string;
}

export async function handleInterrupt(deps: InterruptDeps): Promise<void> {
  const active = deps.tracker.active;
  if (!active) {
    deps.abort(new StackguideError('Stopped at your request', { code: 'cancelled', kind: 'cancelled' }));
    return;
  }
  const choices = [
    { value: 'wait', label: 'Keep waiting' },
    { value: 'detach', label: 'Detach: stop watching, the operation carries on in AWS' },
    ...(active.operation === 'create'
      ? [{ value: 'delete', label: `Delete ${active.stack} (stops the create)` }]
      : []),
    ...(active.operation === 'update'
      ? [{ value: 'cancel-update', label: 'Cancel the update and roll it back' }]
      : []),
  ];
  const choice = await deps.ask({
    kind: 'interrupt',
    stack: active.stack,
    operation: active.operation,
    choices,
  });
  // The operation may have finished while the menu was open; then there is nothing left to stop.
  if (deps.tracker.active?.stackId !== active.stackId) return;
  switch (choice) {
    case 'detach':
      deps.abort(detachedError(active, deps.watchCommand(active.stack)));
      return;
    case 'delete':
      await deps.cloudFormation.deleteStack(active.stackId, `stackguide-${randomUUID()}`);
      deps.tracker.interrupted('delete');
      return;
    case 'cancel-update':
      await deps.cloudFormation.cancelUpdateStack(active.stackId, `stackguide-${randomUUID()}`);
      deps.tracker.interrupted('cancel-update');
      return;
    default:
      return;
  }
}

/** Leaving a running operation behind: say that it goes on, and how to follow it again. */
export function detachedError(active: ActiveOperation, watchCommand: string): StackguideError {
  return new StackguideError(`Detached: the ${active.operation} of ${active.stack} carries on in AWS`, {
    code: 'operation.detached',
    kind: 'cancelled',
    nextSteps: [
      `Follow it again with: ${watchCommand}`,
      'Or run the same install again: it waits for the operation, then goes on.',
    ],
  });
}
