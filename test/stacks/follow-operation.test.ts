import { describe, expect, it } from 'vitest';
import type { StackguideEvent } from '../../src/events.ts';
import { followOperation } from '../../src/stacks/follow-operation.ts';
import { OperationTracker } from '../../src/stacks/operation-tracker.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { FakeCloudFormationPort } from '../support/fake-cloudformation-port.ts';

const STACK = 'AWS::CloudFormation::Stack';

function setup() {
  const cfn = new FakeCloudFormationPort();
  const clock = new FakeClock();
  const at = (seconds: number): Date => new Date(clock.nowMs + seconds * 1000);
  const emitted: StackguideEvent[] = [];
  return { cfn, clock, at, emitted, emit: (event: StackguideEvent) => emitted.push(event) };
}

describe('followOperation', () => {
  it('says it started, streams the events, and completes on the status DescribeStacks reads back', async () => {
    const { cfn, clock, at, emitted, emit } = setup();
    const stackId = cfn.addStack('web', 'UPDATE_IN_PROGRESS');
    const web = cfn.stacks.get(stackId);
    if (web) web.outputs = { Url: 'https://web' };
    const script = [
      () => cfn.addEvent(stackId, 'Queue', 'AWS::SQS::Queue', 'UPDATE_COMPLETE', at(1)),
      () => cfn.addEvent(stackId, 'web', STACK, 'UPDATE_COMPLETE', at(2)),
    ];
    cfn.addEvent(stackId, 'web', STACK, 'UPDATE_IN_PROGRESS', at(0));
    const tracker = new OperationTracker();
    const during: Array<string | undefined> = [];
    clock.onSleep = () => {
      during.push(tracker.active?.stack);
      script.shift()?.();
    };

    const outcome = await followOperation(
      { stack: 'web', stackId, operation: 'update', since: new Date(clock.now()), resourceCount: 1 },
      { cloudFormation: cfn, clock, emit, tracker },
    );

    expect(outcome).toMatchObject({ ok: true, status: 'UPDATE_COMPLETE', outputs: { Url: 'https://web' } });
    expect(during).toContain('web');
    expect(tracker.active).toBeUndefined();
    expect(
      emitted.map((e) => (e.type === 'stack.event' ? `event ${e.event.logicalResourceId}` : e.type)),
    ).toEqual(['stack.started', 'event web', 'event Queue', 'event web', 'stack.completed']);
    expect(emitted[0]).toMatchObject({ operation: 'update', resourceCount: 1 });
  });

  it('on failure emits stack.failed with the first real failure, not the cascade, after the settle hook', async () => {
    const { cfn, clock, at, emitted, emit } = setup();
    const stackId = cfn.addStack('data', 'DELETE_IN_PROGRESS');
    const script = [
      () => {
        cfn.addEvent(stackId, 'Bucket', 'AWS::S3::Bucket', 'DELETE_FAILED', at(1), {
          reason: 'The bucket you tried to delete is not empty',
        });
        cfn.addEvent(stackId, 'Table', 'AWS::DynamoDB::Table', 'DELETE_FAILED', at(2), {
          reason: 'Resource deletion cancelled',
        });
        cfn.addEvent(stackId, 'data', STACK, 'DELETE_FAILED', at(3), {
          reason: 'The following resource(s) failed to delete: [Bucket]',
        });
      },
    ];
    clock.onSleep = () => script.shift()?.();
    const order: string[] = [];

    const outcome = await followOperation(
      { stack: 'data', stackId, operation: 'delete', since: new Date(clock.now()) },
      {
        cloudFormation: cfn,
        clock,
        emit: (event) => {
          order.push(event.type);
          emit(event);
        },
      },
      {
        succeeded: (status) => status === 'DELETE_COMPLETE',
        settle: async (_final, status) => void order.push(`settle ${status}`),
      },
    );

    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.rootCause).toMatchObject({ logicalResourceId: 'Bucket', status: 'DELETE_FAILED' });
    expect(outcome.message).toBe(
      'Bucket (AWS::S3::Bucket) in data: The bucket you tried to delete is not empty',
    );
    expect(outcome.events.map((e) => e.logicalResourceId)).toEqual(['Bucket', 'Table', 'data']);
    expect(order.slice(-2)).toEqual(['settle DELETE_FAILED', 'stack.failed']);
    expect(emitted.at(-1)).toMatchObject({ type: 'stack.failed', stack: 'data', status: 'DELETE_FAILED' });
  });
});
