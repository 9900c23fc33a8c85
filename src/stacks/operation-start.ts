import type { CloudFormationPort, StackEvent } from '../aws/cloudformation-port.ts';
import { isTerminal } from './stack-status.ts';

/**
 * Where the operation now running on a stack began, found from its events alone, so `watch` can show
 * an operation started anywhere (the console, CI, another terminal) from its first event. Reading
 * newest first, the operation's events run back to the stack's own terminal event of the operation
 * before (or to the stack's first event).
 */
export interface OperationStart {
  /** The stack-level event that started it (CREATE_IN_PROGRESS, UPDATE_IN_PROGRESS, ...). */
  startEvent?: StackEvent;
  /** The newest event of the previous operation: reading back stops there. */
  previousEventId?: string;
  since: Date;
  /** The events read on the way, newest first: the operation's so far (a follower hands them on
   * instead of reading them again). */
  events: StackEvent[];
}

const MAX_PAGES = 50;

export async function findOperationStart(
  cloudFormation: CloudFormationPort,
  stackId: string,
  stackName: string,
): Promise<OperationStart> {
  let nextToken: string | undefined;
  let startEvent: StackEvent | undefined;
  const read: StackEvent[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const { events, nextToken: next } = await cloudFormation.describeStackEvents(stackId, nextToken);
    for (const event of events) {
      const stackLevel =
        event.resourceType === 'AWS::CloudFormation::Stack' && event.logicalResourceId === stackName;
      if (stackLevel && isTerminal(event.status)) {
        return {
          ...(startEvent ? { startEvent } : {}),
          previousEventId: event.eventId,
          since: startEvent?.timestamp ?? event.timestamp,
          events: read,
        };
      }
      if (stackLevel) startEvent = event;
      read.push(event);
    }
    if (!next) break;
    nextToken = next;
  }
  return { ...(startEvent ? { startEvent } : {}), since: startEvent?.timestamp ?? new Date(0), events: read };
}
