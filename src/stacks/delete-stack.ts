import { randomUUID } from 'node:crypto';
import { StackguideError } from '../errors.ts';
import { type FollowDeps, followOperation } from './follow-operation.ts';
import { isFailedStatus } from './stack-status.ts';

export type DeleteStackDeps = FollowDeps;

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
  stack: { name: string; stackId: string; roleArn?: string },
  deps: DeleteStackDeps,
  retainResources: string[] = [],
): Promise<DeleteOutcome> {
  const newest = (await deps.cloudFormation.describeStackEvents(stack.stackId)).events[0]?.eventId;
  const since = new Date(deps.clock.now());
  const token = `stackguide-${randomUUID()}`;
  // With the service role the stack was deployed with (--role-arn): the operator may hold no rights to
  // delete its resources themselves.
  await deps.cloudFormation.deleteStack(stack.stackId, token, retainResources, stack.roleArn);
  const outcome = await followOperation(
    {
      stack: stack.name,
      stackId: stack.stackId,
      operation: 'delete',
      since,
      token,
      ...(newest ? { afterEventId: newest } : {}),
    },
    deps,
    // A deleted stack's outputs name what no longer exists.
    { succeeded: (status) => status === 'DELETE_COMPLETE', outputs: async () => ({}) },
  );
  if (outcome.ok) return { status: 'DELETE_COMPLETE' };
  if (outcome.status === 'DELETE_FAILED') {
    const failures = outcome.events
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
    return { status: 'DELETE_FAILED', failures };
  }
  throw new StackguideError(`Deleting ${stack.name} ended ${outcome.status}, not DELETE_COMPLETE`, {
    code: 'stack.delete-unexpected',
    kind: 'aws',
    nextSteps: [`Look at the stack in the console: ${stack.stackId}`],
  });
}
