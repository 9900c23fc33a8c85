import {
  CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { cloudFormationOver } from '../../src/aws/cloudformation-adapter.ts';
import type { StackguideEvent } from '../../src/events.ts';
import { followOperation } from '../../src/stacks/follow-operation.ts';
import { FakeClock } from '../support/fake-clock.ts';

/** The SDK's answer to too many calls, after its own retries gave up. */
function throttling(): Error {
  return Object.assign(new Error('Rate exceeded'), {
    name: 'Throttling',
    $metadata: { httpStatusCode: 400 },
  });
}

const stackId = 'arn:aws:cloudformation:us-east-1:123456789012:stack/web/1';
const stack = {
  StackId: stackId,
  StackName: 'web',
  CreationTime: new Date(),
  StackStatus: 'UPDATE_COMPLETE' as const,
};
const cfn = mockClient(CloudFormationClient);
afterEach(() => cfn.reset());

function stackEvents(clock: FakeClock): StackEvent[] {
  const at = (s: number) => new Date(clock.nowMs + s * 1000);
  return [
    {
      EventId: 'e3',
      StackId: stackId,
      StackName: 'web',
      LogicalResourceId: 'web',
      PhysicalResourceId: stackId,
      ResourceType: 'AWS::CloudFormation::Stack',
      ResourceStatus: 'UPDATE_COMPLETE',
      Timestamp: at(2),
    },
    {
      EventId: 'e2',
      StackId: stackId,
      StackName: 'web',
      LogicalResourceId: 'Queue',
      ResourceType: 'AWS::SQS::Queue',
      ResourceStatus: 'UPDATE_COMPLETE',
      Timestamp: at(1),
    },
    {
      EventId: 'e1',
      StackId: stackId,
      StackName: 'web',
      LogicalResourceId: 'web',
      PhysicalResourceId: stackId,
      ResourceType: 'AWS::CloudFormation::Stack',
      ResourceStatus: 'UPDATE_IN_PROGRESS',
      Timestamp: at(0),
    },
  ];
}

describe('a read after the operation is known complete', () => {
  it('is retried through throttling and never turns the success into a failure; the waits are told', async () => {
    const clock = new FakeClock();
    cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: stackEvents(clock) });
    cfn
      .on(DescribeStacksCommand)
      .rejectsOnce(throttling())
      .rejectsOnce(throttling())
      .rejectsOnce(throttling())
      .rejectsOnce(throttling())
      .rejectsOnce(throttling())
      .resolves({ Stacks: [stack] });
    const emitted: StackguideEvent[] = [];
    const outcome = await followOperation(
      { stack: 'web', stackId, operation: 'update', since: new Date(clock.now()) },
      {
        cloudFormation: cloudFormationOver(new CloudFormationClient({ region: 'us-east-1' })),
        clock,
        emit: (event) => emitted.push(event),
      },
    );
    expect(outcome).toMatchObject({ ok: true, status: 'UPDATE_COMPLETE' });
    expect(emitted.filter((e) => e.type === 'stack.failed')).toEqual([]);
    expect(emitted.at(-1)).toMatchObject({ type: 'stack.completed', status: 'UPDATE_COMPLETE' });
    const told = emitted.flatMap((e) => (e.type === 'warning' ? [e.message] : []));
    expect(told).toHaveLength(5);
    expect(told[0]).toMatch(/^AWS is throttling DescribeStacks; checking again in \d+ s$/);
    expect(cfn.commandCalls(DescribeStacksCommand)).toHaveLength(6);
  });

  it('still fails at once on an error retrying cannot fix', async () => {
    const clock = new FakeClock();
    cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: stackEvents(clock) });
    cfn
      .on(DescribeStacksCommand)
      .rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDenied' }));
    await expect(
      followOperation(
        { stack: 'web', stackId, operation: 'update', since: new Date(clock.now()) },
        {
          cloudFormation: cloudFormationOver(new CloudFormationClient({ region: 'us-east-1' })),
          clock,
          emit: () => {},
        },
      ),
    ).rejects.toThrow(/not authorized/);
  });
});
