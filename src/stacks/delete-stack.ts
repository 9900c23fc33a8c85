import { randomUUID } from 'node:crypto';
import type { CloudFormationPort } from '../aws/cloudformation-port.ts';
import { StackguideError } from '../errors.ts';
import type { StackEventRecord, StackguideEvent } from '../events.ts';
import type { Clock } from '../runtime/clock.ts';
import type { OperationTracker } from './operation-tracker.ts';
import { diagnoseFailure } from './root-cause.ts';
import { streamStackEvents } from './stack-event-streamer.ts';
import { isFailedStatus } from './stack-status.ts';

export interface DeleteStackDeps {
  cloudFormation: CloudFormationPort;
  clock: Clock;
  emit: (event: StackguideEvent) => void;
  signal?: AbortSignal;
  tracker?: OperationTracker;
  pollIntervalMs?: { min: number; max: number };
}

export type DeleteOutcome =
  | { status: 'DELETE_COMPLETE' }
  /** CloudFormation could not delete some resources; they are named, with CloudFormation's reasons. */
  | {
      status: 'DELETE_FAILED';
      failures: Array<{ logicalResourceId: string; resourceType: string; reason: string }>;
    };

/**
 * Deletes one stack and follows it to the end. "Deleted" is only ever reported when DescribeStacks,
 * asked by stack id (a deleted stack is invisible by name), reads DELETE_COMPLETE. `retainResources`
 * is the second attempt after DELETE_FAILED, keeping what could not be deleted.
 */
export async function deleteStack(
  stack: { name: string; stackId: string },
  deps: DeleteStackDeps,
  retainResources: string[] = [],
): Promise<DeleteOutcome> {
  const newest = (await deps.cloudFormation.describeStackEvents(stack.stackId)).events[0]?.eventId;
  const since = new Date(deps.clock.now());
  const token = `stackguide-${randomUUID()}`;
  await deps.cloudFormation.deleteStack(stack.stackId, token, retainResources);
  deps.emit({ type: 'stack.started', stack: stack.name, stackId: stack.stackId, operation: 'delete' });
  const seen: StackEventRecord[] = [];
  deps.tracker?.begin({ stack: stack.name, stackId: stack.stackId, operation: 'delete' });
  try {
    await streamStackEvents({
      cloudFormation: deps.cloudFormation,
      clock: deps.clock,
      stackId: stack.stackId,
      stackName: stack.name,
      since,
      clientRequestToken: token,
      ...(newest ? { afterEventId: newest } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
      ...(deps.pollIntervalMs
        ? { minIntervalMs: deps.pollIntervalMs.min, maxIntervalMs: deps.pollIntervalMs.max }
        : {}),
      onEvent: (event) => {
        seen.push(event);
        deps.emit({ type: 'stack.event', stack: stack.name, event });
      },
    });
  } finally {
    deps.tracker?.end();
  }
  const final = await deps.cloudFormation.describeStack(stack.stackId);
  const status = final?.status ?? 'UNKNOWN';
  if (status === 'DELETE_COMPLETE') {
    deps.emit({ type: 'stack.completed', stack: stack.name, stackId: stack.stackId, status, outputs: {} });
    return { status };
  }
  if (status === 'DELETE_FAILED') {
    const failures = seen
      .filter(
        (event) =>
          event.stackId === stack.stackId &&
          isFailedStatus(event.status) &&
          event.logicalResourceId !== stack.name,
      )
      .map((event) => ({
        logicalResourceId: event.logicalResourceId,
        resourceType: event.resourceType,
        reason: event.reason ?? 'no reason given',
      }));
    const rootCause = await diagnoseFailure(deps.cloudFormation, stack.stackId, seen);
    deps.emit({
      type: 'stack.failed',
      stack: stack.name,
      stackId: stack.stackId,
      status,
      message: rootCause?.reason ?? final?.statusReason ?? 'some resources could not be deleted',
      ...(rootCause ? { rootCause } : {}),
    });
    return { status, failures };
  }
  throw new StackguideError(`Deleting ${stack.name} ended ${status}, not DELETE_COMPLETE`, {
    code: 'stack.delete-unexpected',
    kind: 'aws',
    nextSteps: [`Look at the stack in the console: ${stack.stackId}`],
  });
}
