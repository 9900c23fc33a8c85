import type { CloudFormationPort } from '../aws/cloudformation-port.ts';
import type { RootCause, StackEventRecord } from '../events.ts';
import { isFailedStatus } from './stack-status.ts';

/**
 * Reasons CloudFormation writes on resources that did not fail themselves: siblings cancelled because
 * another resource failed, and parents reporting that a nested stack failed. They hide the real cause.
 */
const CASCADE_REASONS = [
  /Resource creation cancelled/i,
  /Resource update cancelled/i,
  /Resource deletion cancelled/i,
  /Embedded stack .* was not successfully (created|updated|deleted)/i,
  /The following resource\(s\) failed to (create|update|delete)/i,
];

function isCascadeReason(reason: string | undefined): boolean {
  return reason !== undefined && CASCADE_REASONS.some((pattern) => pattern.test(reason));
}

/**
 * The first real failure across the whole tree of an operation: the oldest failed event whose reason
 * is not a cascade. Falls back to the oldest failed event of any kind, so a failure is never silent.
 */
export function findRootCause(events: readonly StackEventRecord[]): RootCause | undefined {
  const failed = events
    .filter((event) => isFailedStatus(event.status))
    .sort((a, b) => a.timestamp.localeCompare(b.timestamp));
  const real = failed.find((event) => !isCascadeReason(event.reason)) ?? failed[0];
  if (!real) return undefined;
  return {
    stackName: real.stackName,
    logicalResourceId: real.logicalResourceId,
    resourceType: real.resourceType,
    status: real.status,
    reason: real.reason ?? 'CloudFormation gave no reason',
  };
}

/**
 * The root cause of a failed operation: from DescribeEvents' failed-events filter where CloudFormation
 * offers it (complete even for events the poller never saw), else from the events streamed.
 */
export async function diagnoseFailure(
  cloudFormation: Pick<CloudFormationPort, 'describeFailedEvents'>,
  stackId: string,
  streamed: readonly StackEventRecord[],
): Promise<RootCause | undefined> {
  try {
    const failed = await cloudFormation.describeFailedEvents(stackId);
    const records = failed.map((event) => ({
      eventId: event.eventId,
      stackName: event.stackName,
      stackId: event.stackId,
      rootStackId: stackId,
      logicalResourceId: event.logicalResourceId,
      resourceType: event.resourceType,
      status: event.status,
      timestamp: event.timestamp.toISOString(),
      ...(event.reason ? { reason: event.reason } : {}),
    }));
    const cause = findRootCause(records);
    if (cause) return cause;
  } catch {
    // DescribeEvents is recent (2025): a policy written before it allows no cloudformation:DescribeEvents,
    // and a partition may not offer it yet. The streamed events are then the record.
  }
  return findRootCause(streamed);
}
