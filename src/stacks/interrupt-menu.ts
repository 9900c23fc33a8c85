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
  const running = deps.tracker.running;
  const [only] = running;
  if (!only) {
    deps.abort(
      new StackguideError('Stopped at your request', {
        code: 'cancelled',
        kind: 'cancelled',
        nextSteps: ['Run the same command again: what completed is left alone, the rest goes on.'],
      }),
    );
    return;
  }
  // With several stacks changing at once, one menu offers each one's own choice by name.
  const several = running.length > 1;
  const choices = [
    { value: 'wait', label: 'Keep waiting' },
    {
      value: 'detach',
      label: several
        ? 'Detach: stop watching, every operation carries on in AWS'
        : 'Detach: stop watching, the operation carries on in AWS',
    },
    ...running.flatMap((active) => stopChoices(active, several)),
  ];
  const choice = several
    ? await deps.ask({
        kind: 'choice',
        message: `${running.map((active) => active.stack).join(' and ')} are still changing in AWS. What now?`,
        choices,
        cancelValue: 'wait',
      })
    : await deps.ask({ kind: 'interrupt', stack: only.stack, operation: only.operation, choices });
  if (choice === 'detach') {
    const still = deps.tracker.active;
    if (still) deps.abort(detachedError(still, deps.watchCommand(still.stack)));
    return;
  }
  const [action, stackId] = choice.split(' ');
  const active = running.find((candidate) => candidate.stackId === stackId);
  // The operation may have finished while the menu was open; then there is nothing left to stop.
  if (!active || !deps.tracker.isRunning(active.stackId)) return;
  // The follow in progress reads events by its operation's token; this one's are adopted before the
  // call, so the delete or rollback streams to the screen and the event log like the create did.
  const token = `stackguide-${randomUUID()}`;
  if (action === 'delete') {
    deps.tracker.adoptToken(active.stackId, token);
    await deps.cloudFormation.deleteStack(active.stackId, token);
    deps.tracker.interrupted(active.stackId, 'delete');
  } else if (action === 'cancel-update') {
    deps.tracker.adoptToken(active.stackId, token);
    await deps.cloudFormation.cancelUpdateStack(active.stackId, token);
    deps.tracker.interrupted(active.stackId, 'cancel-update');
  }
}

/** What stops one running operation: delete a stack being created, cancel an update. */
function stopChoices(active: ActiveOperation, named: boolean): Array<{ value: string; label: string }> {
  if (active.operation === 'create')
    return [{ value: `delete ${active.stackId}`, label: `Delete ${active.stack} (stops the create)` }];
  if (active.operation === 'update')
    return [
      {
        value: `cancel-update ${active.stackId}`,
        label: named
          ? `Cancel the update of ${active.stack} and roll it back`
          : 'Cancel the update and roll it back',
      },
    ];
  return [];
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
