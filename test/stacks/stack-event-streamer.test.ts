import { describe, expect, it } from 'vitest';
import type { StackEventRecord } from '../../src/events.ts';
import { retryMessage } from '../../src/stacks/retry-read.ts';
import { streamStackEvents } from '../../src/stacks/stack-event-streamer.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { FakeCloudFormationPort } from '../support/fake-cloudformation-port.ts';

const STACK = 'AWS::CloudFormation::Stack';

function setup() {
  const cfn = new FakeCloudFormationPort();
  const clock = new FakeClock();
  const at = (seconds: number): Date => new Date(clock.nowMs + seconds * 1000);
  const received: StackEventRecord[] = [];
  return { cfn, clock, at, received, onEvent: (event: StackEventRecord) => received.push(event) };
}

describe('streamStackEvents', () => {
  it('hands on every event of the operation once, oldest first, across pages, and ignores older operations', async () => {
    const { cfn, clock, at, received, onEvent } = setup();
    const stackId = cfn.addStack('web');
    cfn.addEvent(stackId, 'web', STACK, 'CREATE_COMPLETE', at(-3600)); // an earlier operation
    const script = [
      () => cfn.addEvent(stackId, 'web', STACK, 'UPDATE_IN_PROGRESS', at(1)),
      () => {
        for (const id of ['A', 'B', 'C', 'D', 'E'])
          cfn.addEvent(stackId, id, 'AWS::SQS::Queue', 'UPDATE_IN_PROGRESS', at(2));
      },
      () => {
        for (const id of ['A', 'B', 'C', 'D', 'E'])
          cfn.addEvent(stackId, id, 'AWS::SQS::Queue', 'UPDATE_COMPLETE', at(3));
        cfn.addEvent(stackId, 'web', STACK, 'UPDATE_COMPLETE', at(4));
      },
    ];
    script.shift()?.();
    clock.onSleep = () => script.shift()?.();

    await streamStackEvents({
      cloudFormation: cfn,
      clock,
      stackId,
      stackName: 'web',
      since: new Date(clock.now()),
      onEvent,
    });

    expect(received.map((e) => `${e.logicalResourceId}:${e.status}`)).toEqual([
      'web:UPDATE_IN_PROGRESS',
      ...['A', 'B', 'C', 'D', 'E'].map((id) => `${id}:UPDATE_IN_PROGRESS`),
      ...['A', 'B', 'C', 'D', 'E'].map((id) => `${id}:UPDATE_COMPLETE`),
      'web:UPDATE_COMPLETE',
    ]);
    expect(new Set(received.map((e) => e.eventId)).size).toBe(received.length);
  });

  it('follows nested stacks found in the parent and tags their events with the root', async () => {
    const { cfn, clock, at, received, onEvent } = setup();
    const root = cfn.addStack('platform');
    const child = cfn.addStack('platform-Network-ABC');
    const script = [
      () => {
        cfn.addEvent(root, 'platform', STACK, 'CREATE_IN_PROGRESS', at(1));
        cfn.addEvent(root, 'Network', STACK, 'CREATE_IN_PROGRESS', at(2), { physicalResourceId: child });
      },
      () => {
        cfn.addEvent(child, 'platform-Network-ABC', STACK, 'CREATE_IN_PROGRESS', at(3));
        cfn.addEvent(child, 'Vpc', 'AWS::EC2::VPC', 'CREATE_COMPLETE', at(4));
        cfn.addEvent(child, 'platform-Network-ABC', STACK, 'CREATE_COMPLETE', at(5));
      },
      () => {
        cfn.addEvent(root, 'Network', STACK, 'CREATE_COMPLETE', at(6), { physicalResourceId: child });
        cfn.addEvent(root, 'platform', STACK, 'CREATE_COMPLETE', at(7));
      },
    ];
    script.shift()?.();
    clock.onSleep = () => script.shift()?.();

    await streamStackEvents({
      cloudFormation: cfn,
      clock,
      stackId: root,
      stackName: 'platform',
      since: new Date(clock.now()),
      onEvent,
    });

    const nested = received.filter((e) => e.stackId === child);
    expect(nested.map((e) => `${e.logicalResourceId}:${e.status}`)).toEqual([
      'platform-Network-ABC:CREATE_IN_PROGRESS',
      'Vpc:CREATE_COMPLETE',
      'platform-Network-ABC:CREATE_COMPLETE',
    ]);
    expect(nested.every((e) => e.rootStackId === root)).toBe(true);
    expect(received.at(-1)?.status).toBe('CREATE_COMPLETE');
  });

  it('backs off on throttling and a dropped connection, then resumes without losing or repeating events', async () => {
    const { cfn, clock, at, received, onEvent } = setup();
    const stackId = cfn.addStack('db');
    cfn.addEvent(stackId, 'db', STACK, 'CREATE_IN_PROGRESS', at(1));
    cfn.addEvent(stackId, 'Db', 'AWS::RDS::DBInstance', 'CREATE_IN_PROGRESS', at(2));
    let step = 0;
    clock.onSleep = () => {
      step++;
      if (step === 1) {
        cfn.addEvent(stackId, 'Db', 'AWS::RDS::DBInstance', 'CREATE_COMPLETE', at(3));
        cfn.failNext(
          Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }),
          Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
        );
      }
      if (step === 4) cfn.addEvent(stackId, 'db', STACK, 'CREATE_COMPLETE', at(9));
    };
    const told: string[] = [];

    await streamStackEvents({
      cloudFormation: cfn,
      clock,
      stackId,
      stackName: 'db',
      since: new Date(clock.now()),
      onEvent,
      onRetry: (notice) => told.push(retryMessage(notice)),
    });

    // The first failure of the run is told at once, with the wait; the second (same stall) is not.
    expect(told).toEqual(['AWS is throttling DescribeStackEvents; checking again in 2 s']);

    expect(received.map((e) => `${e.logicalResourceId}:${e.status}`)).toEqual([
      'db:CREATE_IN_PROGRESS',
      'Db:CREATE_IN_PROGRESS',
      'Db:CREATE_COMPLETE',
      'db:CREATE_COMPLETE',
    ]);
    // Two failures: two growing, jittered waits between the regular polls.
    expect(clock.sleeps.slice(1, 3)).toEqual([1500, 3000]);
  });

  it('gives up at once on an error that retrying cannot fix', async () => {
    const { cfn, clock, onEvent } = setup();
    const stackId = cfn.addStack('x');
    cfn.failNext(Object.assign(new Error('Access denied'), { name: 'AccessDenied' }));
    await expect(
      streamStackEvents({
        cloudFormation: cfn,
        clock,
        stackId,
        stackName: 'x',
        since: new Date(clock.now()),
        onEvent,
      }),
    ).rejects.toThrow('Access denied');
  });

  it('notices the end from DescribeStacks when no stack-level event arrives', async () => {
    const { cfn, clock, received, onEvent } = setup();
    const stackId = cfn.addStack('quiet');
    clock.onSleep = () => {
      const stack = cfn.stacks.get(stackId);
      if (stack) stack.status = 'CREATE_COMPLETE';
    };
    await streamStackEvents({
      cloudFormation: cfn,
      clock,
      stackId,
      stackName: 'quiet',
      since: new Date(clock.now()),
      onEvent,
    });
    expect(received).toEqual([]);
    expect(cfn.calls.filter((c) => c.method === 'describeStack').length).toBeGreaterThan(0);
  });
});

describe('streamStackEvents, exactly once', () => {
  it('hands on an event once when new events shift the pages between two page reads of one poll', async () => {
    const { cfn, clock, at, received, onEvent } = setup();
    const stackId = cfn.addStack('web');
    cfn.addEvent(stackId, 'web', STACK, 'UPDATE_IN_PROGRESS', at(1));
    for (const id of ['A', 'B', 'C', 'D', 'E'])
      cfn.addEvent(stackId, id, 'AWS::SQS::Queue', 'UPDATE_IN_PROGRESS', at(2));
    // While the streamer reads the second page, two more events arrive on top: every page after the
    // first now starts two events later in time, so it repeats two events the first page had.
    const read = cfn.describeStackEvents.bind(cfn);
    let inserted = false;
    cfn.describeStackEvents = async (stack: string, nextToken?: string) => {
      if (nextToken && !inserted) {
        inserted = true;
        for (const id of ['A', 'B']) cfn.addEvent(stackId, id, 'AWS::SQS::Queue', 'UPDATE_COMPLETE', at(3));
      }
      return read(stack, nextToken);
    };
    const script = [
      () => {
        for (const id of ['C', 'D', 'E'])
          cfn.addEvent(stackId, id, 'AWS::SQS::Queue', 'UPDATE_COMPLETE', at(4));
        cfn.addEvent(stackId, 'web', STACK, 'UPDATE_COMPLETE', at(5));
      },
    ];
    clock.onSleep = () => script.shift()?.();

    await streamStackEvents({
      cloudFormation: cfn,
      clock,
      stackId,
      stackName: 'web',
      since: new Date(clock.now()),
      onEvent,
    });

    const ids = received.map((e) => e.eventId);
    expect(ids.length).toBe(new Set(ids).size);
    expect(
      received
        .map((e) => `${e.logicalResourceId}:${e.status}`)
        .filter((k) => k.endsWith('UPDATE_IN_PROGRESS')),
    ).toEqual([
      'web:UPDATE_IN_PROGRESS',
      ...['A', 'B', 'C', 'D', 'E'].map((id) => `${id}:UPDATE_IN_PROGRESS`),
    ]);
    expect(received).toHaveLength(12);
    // CloudFormation's order: the order the stack's events were written in.
    expect(ids).toEqual([...ids].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1))));
  });

  it('never hands on an event id the caller has already seen (a resumed run, a reconnect)', async () => {
    const { cfn, clock, at, received, onEvent } = setup();
    const stackId = cfn.addStack('web');
    const first = cfn.addEvent(stackId, 'web', STACK, 'UPDATE_IN_PROGRESS', at(1));
    const second = cfn.addEvent(stackId, 'A', 'AWS::SQS::Queue', 'UPDATE_IN_PROGRESS', at(1));
    cfn.addEvent(stackId, 'A', 'AWS::SQS::Queue', 'UPDATE_COMPLETE', at(2));
    cfn.addEvent(stackId, 'web', STACK, 'UPDATE_COMPLETE', at(3));
    await streamStackEvents({
      cloudFormation: cfn,
      clock,
      stackId,
      stackName: 'web',
      since: new Date(clock.now()),
      seenEventIds: new Set([first.eventId, second.eventId]),
      onEvent,
    });
    expect(received.map((e) => `${e.logicalResourceId}:${e.status}`)).toEqual([
      'A:UPDATE_COMPLETE',
      'web:UPDATE_COMPLETE',
    ]);
  });
});
