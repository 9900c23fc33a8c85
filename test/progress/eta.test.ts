import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StackEventRecord, StackguideEvent } from '../../src/events.ts';
import { plainLine } from '../../src/output/plain-printer.ts';
import { DurationHistory, EtaTracker, estimateStack, TYPICAL_SECONDS } from '../../src/progress/eta.ts';
import { loadDurationHistory } from '../../src/progress/eta-history.ts';
import { ProgressStore } from '../../src/progress/progress-store.ts';
import { tempDir } from '../support/temp-dir.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const T0 = Date.parse('2026-12-03T10:00:00Z');
function record(
  stack: string,
  logicalId: string,
  type: string,
  status: string,
  second: number,
): StackEventRecord {
  return {
    eventId: `${stack}-${logicalId}-${status}-${second}`,
    stackName: stack,
    stackId: `arn:${stack}`,
    rootStackId: `arn:${stack}`,
    logicalResourceId: logicalId,
    resourceType: type,
    status,
    timestamp: new Date(T0 + second * 1000).toISOString(),
  };
}

describe('durations', () => {
  it('learns each type from IN_PROGRESS to COMPLETE, as a median, and ignores the stack’s own events', () => {
    const history = new DurationHistory();
    history.learn([
      record('a', 'Db', 'AWS::RDS::DBInstance', 'CREATE_IN_PROGRESS', 0),
      record('a', 'Db', 'AWS::RDS::DBInstance', 'CREATE_COMPLETE', 300),
      record('b', 'Db', 'AWS::RDS::DBInstance', 'UPDATE_IN_PROGRESS', 0),
      record('b', 'Db', 'AWS::RDS::DBInstance', 'UPDATE_COMPLETE', 100),
      record('c', 'Db', 'AWS::RDS::DBInstance', 'CREATE_COMPLETE', 5),
      record('a', 'a', 'AWS::CloudFormation::Stack', 'CREATE_IN_PROGRESS', 0),
      record('a', 'a', 'AWS::CloudFormation::Stack', 'CREATE_COMPLETE', 400),
    ]);
    expect(history.seconds('AWS::RDS::DBInstance')).toBe(200);
    expect(history.seconds('AWS::CloudFormation::Stack')).toBeUndefined();
    history.addResource('AWS::RDS::DBInstance', Number.NaN);
    expect(history.seconds('AWS::RDS::DBInstance')).toBe(200);
  });

  it('estimates a stack by its slowest resource, and says when the table had to stand in', () => {
    const empty = new DurationHistory();
    expect(estimateStack(['AWS::RDS::DBInstance', 'AWS::SQS::Queue', 'Custom::Thing'], empty)).toEqual({
      seconds: (TYPICAL_SECONDS['AWS::RDS::DBInstance'] ?? 0) + 10 + 2,
      guess: true,
    });
    const known = new DurationHistory();
    known.addResource('AWS::SQS::Queue', 4);
    known.addOverhead(3);
    expect(estimateStack(['AWS::SQS::Queue', 'AWS::SQS::Queue'], known)).toEqual({
      seconds: 7,
      guess: false,
    });
    expect(estimateStack([], known)).toEqual({ seconds: 3, guess: false });
  });
});

describe('EtaTracker', () => {
  function tracker(concurrency: number) {
    let now = T0;
    const told: Array<Extract<StackguideEvent, { type: 'eta' }>> = [];
    const history = new DurationHistory();
    history.addResource('AWS::SQS::Queue', 10);
    history.addOverhead(0);
    const eta = new EtaTracker({
      stacks: [
        { name: 'a1', after: [], types: ['AWS::SQS::Queue'] },
        { name: 'a2', after: ['a1'], types: ['AWS::SQS::Queue'] },
        { name: 'b1', after: [], types: ['AWS::SQS::Queue'] },
        { name: 'b2', after: ['b1'], types: ['AWS::SQS::Queue'] },
      ],
      history,
      concurrency,
      now: () => now,
      emit: (event) => told.push(event),
      minIntervalMs: 0,
    });
    return { eta, told, advance: (seconds: number) => (now += seconds * 1000) };
  }

  it('plays the rest of the run forward under the concurrency', () => {
    expect(tracker(4).eta.estimate().remainingSeconds).toBe(20);
    expect(tracker(1).eta.estimate().remainingSeconds).toBe(40);
    const { eta } = tracker(2);
    expect(eta.estimate()).toMatchObject({ remainingSeconds: 20, guess: false });
    expect(eta.estimate().finishesAt).toBe(new Date(T0 + 20_000).toISOString());
  });

  it('recomputes as stacks start and end and resources complete, and learns the overhead', () => {
    const { eta, told, advance } = tracker(4);
    eta.start();
    eta.observe({ type: 'stack.started', stack: 'a1', operation: 'create' });
    eta.observe({ type: 'stack.started', stack: 'b1', operation: 'create' });
    advance(4);
    expect(told.at(-1)?.remainingSeconds).toBe(20);
    expect(eta.estimate().stacks.find((row) => row.stack === 'a1')).toMatchObject({
      state: 'running',
      remainingSeconds: 6,
    });
    // A queue of this run took 30 s, not 10: the estimate of the ones to come follows.
    eta.observe({
      type: 'stack.event',
      stack: 'a1',
      event: record('a1', 'Q', 'AWS::SQS::Queue', 'CREATE_IN_PROGRESS', 0),
    });
    eta.observe({
      type: 'stack.event',
      stack: 'a1',
      event: record('a1', 'Q', 'AWS::SQS::Queue', 'CREATE_COMPLETE', 30),
    });
    expect(told.length).toBe(4);
    advance(26);
    eta.observe({
      type: 'stack.completed',
      stack: 'a1',
      stackId: 'arn:a1',
      status: 'CREATE_COMPLETE',
      outputs: {},
    });
    eta.observe({
      type: 'changeset.created',
      stack: 'a2',
      summary: {
        changeSetId: 'cs',
        stackId: 'arn:a2',
        type: 'CREATE',
        empty: false,
        iamResources: [],
        statefulReplacements: [],
        changes: [
          { action: 'Add', logicalResourceId: 'T', resourceType: 'AWS::SNS::Topic', stateful: false },
        ],
      },
    });
    const after = eta.estimate();
    expect(after.stacks.map((row) => row.stack)).toEqual(['a2', 'b1', 'b2']);
    // a2 now changes a topic, which neither this account nor this run has shown: a guess from the table.
    expect(after.stacks.find((row) => row.stack === 'a2')).toMatchObject({ guess: true });
    expect(after.guess).toBe(true);
    // b1 ran past its estimate: a tenth of it more, never zero or less.
    expect(after.stacks.find((row) => row.stack === 'b1')?.remainingSeconds).toBeGreaterThan(0);
    for (const stack of ['a2', 'b1', 'b2'])
      eta.observe({ type: 'stack.not-started', stack, reason: 'stopped' });
    expect(eta.estimate()).toMatchObject({ remainingSeconds: 0, stacks: [] });
    eta.observe({ type: 'stack.started', stack: 'elsewhere', operation: 'create' });
    eta.observe({ type: 'warning', code: 'x', message: 'y' });
  });

  it('is told on the screen’s header and rows, counting down, and in plain lines', () => {
    const store = new ProgressStore('Installing', () => T0, { notifyEveryChange: true });
    store.apply({ type: 'stack.started', stack: 'a1', operation: 'create' });
    store.apply({
      type: 'eta',
      remainingSeconds: 90,
      finishesAt: 'x',
      guess: true,
      stacks: [
        { stack: 'a1', state: 'running', remainingSeconds: 30, guess: false },
        { stack: 'a2', state: 'waiting', remainingSeconds: 60, guess: true },
      ],
    });
    const snapshot = store.getSnapshot();
    expect(snapshot.eta).toEqual({ remainingSeconds: 90, guess: true, at: T0 });
    expect(snapshot.stacks.a1?.eta).toEqual({ remainingSeconds: 30, guess: false, at: T0 });
    expect(snapshot.stacks.a2).toBeUndefined();
    expect(
      plainLine(
        {
          type: 'eta',
          remainingSeconds: 90,
          finishesAt: 'x',
          guess: true,
          stacks: [{ stack: 'a1', state: 'running', remainingSeconds: 30, guess: false }],
        },
        0,
      ),
    ).toContain('about 1m 30s left (a guess');
    expect(
      plainLine({ type: 'eta', remainingSeconds: 0, finishesAt: 'x', guess: false, stacks: [] }, 0),
    ).toBeUndefined();
  });
});

describe('the account’s history', () => {
  it('comes from every event log in the state folder and the stacks’ past events, each event once', async () => {
    const dir = await tempDir();
    cleanups.push(dir.remove);
    await mkdir(join(dir.path, 'first'));
    const line = (entry: Record<string, unknown>) => `${JSON.stringify(entry)}\n`;
    await writeFile(
      join(dir.path, 'first', 'events.ndjson'),
      [
        line({ type: 'stack.started', stack: 'first-a', time: new Date(T0).toISOString() }),
        line({
          type: 'stack.event',
          event: record('first-a', 'Q', 'AWS::SQS::Queue', 'CREATE_IN_PROGRESS', 1),
        }),
        line({ type: 'stack.event', event: record('first-a', 'Q', 'AWS::SQS::Queue', 'CREATE_COMPLETE', 9) }),
        line({ type: 'stack.completed', stack: 'first-a', time: new Date(T0 + 12_000).toISOString() }),
        '{"type":"stack.ev',
      ].join(''),
    );
    const fake = {
      describeStackEvents: async (name: string) => {
        if (name !== 'second-a') throw new Error('Stack with id x does not exist');
        return {
          events: [
            {
              ...record('second-a', 'T', 'AWS::SNS::Topic', 'CREATE_IN_PROGRESS', 0),
              timestamp: new Date(T0),
            },
            {
              ...record('second-a', 'T', 'AWS::SNS::Topic', 'CREATE_COMPLETE', 6),
              timestamp: new Date(T0 + 6000),
            },
          ],
        };
      },
    };
    const history = await loadDurationHistory(dir.path, fake as never, ['second-a', 'gone']);
    expect(history.seconds('AWS::SQS::Queue')).toBe(8);
    expect(history.seconds('AWS::SNS::Topic')).toBe(6);
    expect(history.overhead()).toBe(4);
    expect((await loadDurationHistory(join(dir.path, 'none'), undefined, [])).overhead()).toBeUndefined();
  });
});
