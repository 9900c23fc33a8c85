import { describe, expect, it } from 'vitest';
import { findOperationStart } from '../../src/stacks/operation-start.ts';
import { FakeCloudFormationPort } from '../support/fake-cloudformation-port.ts';

const STACK = 'AWS::CloudFormation::Stack';

describe('findOperationStart', () => {
  it("reads back to the previous operation's end and keeps the running operation's events it read", async () => {
    const cfn = new FakeCloudFormationPort();
    const stackId = cfn.addStack('web');
    const at = (seconds: number) => new Date(Date.parse('2026-11-22T10:00:00Z') + seconds * 1000);
    cfn.addEvent(stackId, 'web', STACK, 'CREATE_IN_PROGRESS', at(0));
    const previous = cfn.addEvent(stackId, 'web', STACK, 'CREATE_COMPLETE', at(10));
    const start = cfn.addEvent(stackId, 'web', STACK, 'UPDATE_IN_PROGRESS', at(20));
    for (const id of ['A', 'B', 'C', 'D'])
      cfn.addEvent(stackId, id, 'AWS::SQS::Queue', 'UPDATE_IN_PROGRESS', at(21));

    const found = await findOperationStart(cfn, stackId, 'web');

    expect(found.startEvent?.eventId).toBe(start.eventId);
    expect(found.previousEventId).toBe(previous.eventId);
    expect(found.since).toEqual(at(20));
    // Newest first, as read, across the two pages it took; none of the operation before.
    expect(found.events.map((event) => `${event.logicalResourceId}:${event.status}`)).toEqual([
      ...['D', 'C', 'B', 'A'].map((id) => `${id}:UPDATE_IN_PROGRESS`),
      'web:UPDATE_IN_PROGRESS',
    ]);
  });

  it("reads a first operation to the stack's first event", async () => {
    const cfn = new FakeCloudFormationPort();
    const stackId = cfn.addStack('new');
    const at = new Date('2026-11-22T10:00:00Z');
    cfn.addEvent(stackId, 'new', STACK, 'CREATE_IN_PROGRESS', at);
    cfn.addEvent(stackId, 'Queue', 'AWS::SQS::Queue', 'CREATE_IN_PROGRESS', at);
    const found = await findOperationStart(cfn, stackId, 'new');
    expect(found.previousEventId).toBeUndefined();
    expect(found.since).toEqual(at);
    expect(found.events).toHaveLength(2);
  });
});
