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
          Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }),
        );
      }
      if (step === 5) cfn.addEvent(stackId, 'db', STACK, 'CREATE_COMPLETE', at(9));
    };
    const told: string[] = [];
    const pollOptions: Array<{ retry?: boolean } | undefined> = [];
    const read = cfn.describeStackEvents.bind(cfn);
    cfn.describeStackEvents = async (stack: string, nextToken?: string, options?: { retry?: boolean }) => {
      pollOptions.push(options);
      return read(stack, nextToken);
    };

    await streamStackEvents({
      cloudFormation: cfn,
      clock,
      stackId,
      stackName: 'db',
      since: new Date(clock.now()),
      onEvent,
      onRetry: (notice) => told.push(retryMessage(notice)),
    });

    // One or two failures in a row are routine and retried quietly; the third is told, with the wait.
    expect(told).toEqual(['AWS is throttling DescribeStackEvents; checking again in 1 s']);

    expect(received.map((e) => `${e.logicalResourceId}:${e.status}`)).toEqual([
      'db:CREATE_IN_PROGRESS',
      'Db:CREATE_IN_PROGRESS',
      'Db:CREATE_COMPLETE',
      'db:CREATE_COMPLETE',
    ]);
    // Three failures: three short, growing, jittered waits (from a quarter of the interval) between the
    // regular polls, and every poll one attempt: these waits are the only retries.
    expect(clock.sleeps.slice(1, 4)).toEqual([187.5, 281.25, 421.875]);
    expect(pollOptions.every((options) => options?.retry === false)).toBe(true);
  });

  it('retries the last poll after the end, and gives its late events up only after eight tries', async () => {
    const { cfn, clock, at, received, onEvent } = setup();
    const stackId = cfn.addStack('late');
    cfn.addEvent(stackId, 'late', STACK, 'CREATE_IN_PROGRESS', at(1));
    cfn.addEvent(stackId, 'late', STACK, 'CREATE_COMPLETE', at(2));
    const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
    // The first poll sees the end; the final poll is throttled twice, then reads the late reason.
    let polls = 0;
    const read = cfn.describeStackEvents.bind(cfn);
    cfn.describeStackEvents = async (stack: string, nextToken?: string) => {
      polls++;
      if (polls === 2) {
        cfn.addEvent(stackId, 'Late', 'AWS::SQS::Queue', 'CREATE_COMPLETE', at(3));
        cfn.failNext(throttled(), throttled());
      }
      return read(stack, nextToken);
    };
    await streamStackEvents({
      cloudFormation: cfn,
      clock,
      stackId,
      stackName: 'late',
      since: new Date(clock.now()),
      onEvent,
    });
    expect(received.map((e) => `${e.logicalResourceId}:${e.status}`)).toEqual([
      'late:CREATE_IN_PROGRESS',
      'late:CREATE_COMPLETE',
      'Late:CREATE_COMPLETE',
    ]);

    // Throttled every time: the stream still ends, without the late events, after eight tries.
    const second = setup();
    const quiet = second.cfn.addStack('quiet');
    second.cfn.addEvent(quiet, 'quiet', STACK, 'CREATE_COMPLETE', second.at(1));
    const original = second.cfn.describeStackEvents.bind(second.cfn);
    let calls = 0;
    second.cfn.describeStackEvents = async (stack: string, nextToken?: string) => {
      if (++calls > 1) throw throttled();
      return original(stack, nextToken);
    };
    await streamStackEvents({
      cloudFormation: second.cfn,
      clock: second.clock,
      stackId: quiet,
      stackName: 'quiet',
      since: new Date(second.clock.now()),
      onEvent: second.onEvent,
    });
    expect(calls).toBe(9);
    expect(second.received).toHaveLength(1);
  });

  it('polls flowing events at 1.5 times the interval while AWS has throttled in the last 30 s', async () => {
    const { cfn, clock, at, onEvent } = setup();
    const stackId = cfn.addStack('busy');
    cfn.addEvent(stackId, 'busy', STACK, 'CREATE_IN_PROGRESS', at(1));
    let step = 0;
    clock.onSleep = () => {
      step++;
      if (step === 2) cfn.failNext(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));
      // An event after every wait, so every poll finds one; the end after 40 waits.
      cfn.addEvent(stackId, `R${step}`, 'AWS::SQS::Queue', 'CREATE_COMPLETE', new Date(clock.now()));
      if (step === 40) cfn.addEvent(stackId, 'busy', STACK, 'CREATE_COMPLETE', new Date(clock.now()));
    };
    await streamStackEvents({
      cloudFormation: cfn,
      clock,
      stackId,
      stackName: 'busy',
      since: new Date(clock.now()),
      onEvent,
    });
    const polls = clock.sleeps.filter((ms) => ms >= 1000);
    // Before the throttle, 1 s; then 1.5 s for 30 s (20 polls); then 1 s again.
    expect(polls.slice(0, 2)).toEqual([1000, 1000]);
    expect(clock.sleeps[2]).toBe(187.5);
    expect(polls.slice(2, 22)).toEqual(Array(20).fill(1500));
    expect(polls.slice(22)).toEqual(Array(polls.length - 22).fill(1000));
  });

  it('retries a throttled page where it failed, keeping the pages already read', async () => {
    const { cfn, clock, at, received, onEvent } = setup();
    const stackId = cfn.addStack('wide');
    cfn.addEvent(stackId, 'wide', STACK, 'CREATE_IN_PROGRESS', at(1));
    for (const id of ['A', 'B', 'C', 'D', 'E', 'F', 'G'])
      cfn.addEvent(stackId, id, 'AWS::SQS::Queue', 'CREATE_COMPLETE', at(2));
    cfn.addEvent(stackId, 'wide', STACK, 'CREATE_COMPLETE', at(3));
    const tokens: Array<string | undefined> = [];
    const read = cfn.describeStackEvents.bind(cfn);
    let throttled = false;
    cfn.describeStackEvents = async (stack: string, nextToken?: string) => {
      tokens.push(nextToken);
      if (nextToken === '3' && !throttled) {
        throttled = true;
        throw Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
      }
      return read(stack, nextToken);
    };
    await streamStackEvents({
      cloudFormation: cfn,
      clock,
      stackId,
      stackName: 'wide',
      since: new Date(clock.now()),
      onEvent,
    });
    // Page two again after the short wait, never page one: then page three, then the final poll.
    expect(tokens).toEqual([undefined, '3', '3', '6', undefined]);
    expect(clock.sleeps[0]).toBe(187.5);
    expect(received).toHaveLength(9);
    expect(received.at(-1)?.status).toBe('CREATE_COMPLETE');
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

  it('hands on the events the caller already read at once and reads back only past them', async () => {
    const { cfn, clock, at, received, onEvent } = setup();
    const stackId = cfn.addStack('web');
    cfn.addEvent(stackId, 'web', STACK, 'UPDATE_COMPLETE', at(-60)); // the operation before
    cfn.addEvent(stackId, 'web', STACK, 'UPDATE_IN_PROGRESS', at(1));
    for (const id of ['A', 'B', 'C', 'D', 'E'])
      cfn.addEvent(stackId, id, 'AWS::SQS::Queue', 'UPDATE_IN_PROGRESS', at(2));
    // What watch's search for the operation's start read: two pages, newest first, and one event of
    // the operation before, which is not handed on.
    const known = [
      ...(await cfn.describeStackEvents(stackId)).events,
      ...(await cfn.describeStackEvents(stackId, '3')).events,
      ...(await cfn.describeStackEvents(stackId, '6')).events,
    ];
    // Each read, with how many events were handed on before it.
    const reads: number[] = [];
    const read = cfn.describeStackEvents.bind(cfn);
    cfn.describeStackEvents = async (stack: string, nextToken?: string) => {
      reads.push(received.length);
      return read(stack, nextToken);
    };
    cfn.addEvent(stackId, 'A', 'AWS::SQS::Queue', 'UPDATE_COMPLETE', at(3));
    let ended = false;
    clock.onSleep = () => {
      if (!ended) cfn.addEvent(stackId, 'web', STACK, 'UPDATE_COMPLETE', at(4));
      ended = true;
    };

    await streamStackEvents({
      cloudFormation: cfn,
      clock,
      stackId,
      stackName: 'web',
      since: at(1),
      knownEvents: known,
      onEvent,
    });

    expect(reads[0]).toBe(6);
    expect(received.map((e) => `${e.logicalResourceId}:${e.status}`)).toEqual([
      'web:UPDATE_IN_PROGRESS',
      ...['A', 'B', 'C', 'D', 'E'].map((id) => `${id}:UPDATE_IN_PROGRESS`),
      'A:UPDATE_COMPLETE',
      'web:UPDATE_COMPLETE',
    ]);
    // One page a poll (new events, then a known one) and the last poll after the end: nothing was read
    // twice (without the known events the first poll would have read three pages).
    expect(reads).toHaveLength(3);
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
