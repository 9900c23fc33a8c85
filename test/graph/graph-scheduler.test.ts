import { describe, expect, it, vi } from 'vitest';
import { StackguideError } from '../../src/errors.ts';
import { GraphScheduler, parseConcurrency } from '../../src/graph/graph-scheduler.ts';
import { branchFailure, oneAtATime, stoppedRun } from '../../src/graph/run-branches.ts';
import { handleInterrupt } from '../../src/stacks/interrupt-menu.ts';
import { OperationTracker } from '../../src/stacks/operation-tracker.ts';

const chains = [
  { id: 'a1', after: [] },
  { id: 'b1', after: [] },
  { id: 'a2', after: ['a1'] },
  { id: 'b2', after: ['b1'] },
];

/** Asks every node for its turn and records the order in which turns are given. */
function start(scheduler: GraphScheduler, ids: string[]): { started: string[]; refused: string[] } {
  const started: string[] = [];
  const refused: string[] = [];
  for (const id of ids) void scheduler.turn(id).then((go) => (go ? started : refused).push(id));
  return { started, refused };
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('GraphScheduler', () => {
  it('starts what is ready, up to the concurrency, and the rest as prerequisites complete', async () => {
    const scheduler = new GraphScheduler(chains, 1);
    const { started } = start(scheduler, ['a1', 'b1', 'a2', 'b2']);
    await settle();
    expect(started).toEqual(['a1']);
    scheduler.finish('a1', true);
    await settle();
    // One slot: b1 comes before a2 (node order), although a2 is ready too.
    expect(started).toEqual(['a1', 'b1']);
    scheduler.finish('b1', true);
    await settle();
    expect(started).toEqual(['a1', 'b1', 'a2']);
    expect(scheduler.state('b2')).toBe('waiting');
  });

  it('runs independent branches at once', async () => {
    const scheduler = new GraphScheduler(chains, 4);
    const { started } = start(scheduler, ['a2', 'b2', 'a1', 'b1']);
    await settle();
    expect(started).toEqual(['a1', 'b1']);
    scheduler.finish('b1', true);
    await settle();
    expect(started).toEqual(['a1', 'b1', 'b2']);
  });

  it('starts nothing new after a failure and says which one stopped it', async () => {
    const scheduler = new GraphScheduler(chains, 4, (id) => `stack ${id}`);
    const { started, refused } = start(scheduler, ['a1', 'b1', 'a2', 'b2']);
    await settle();
    scheduler.finish('a1', false);
    await settle();
    // b1 runs on; a2 and b2 never start.
    expect(scheduler.state('b1')).toBe('running');
    expect(refused.sort()).toEqual(['a2', 'b2']);
    scheduler.finish('b1', true);
    await settle();
    expect(started).toEqual(['a1', 'b1']);
    expect(scheduler.notStarted()).toEqual([
      { id: 'a2', reason: 'not started: stack a1 failed, so nothing new was started' },
      { id: 'b2', reason: 'not started: stack a1 failed, so nothing new was started' },
    ]);
    // Asking again after the end gets the same answer.
    expect(await scheduler.turn('a2')).toBe(false);
  });

  it('stops on request, and counts prerequisites outside the run as done', async () => {
    const scheduler = new GraphScheduler(
      [
        { id: 'x', after: ['made-earlier'] },
        { id: 'y', after: ['x'] },
      ],
      2,
    );
    const { started } = start(scheduler, ['x', 'y']);
    await settle();
    expect(started).toEqual(['x']);
    scheduler.stop('Ctrl+C');
    scheduler.finish('x', true);
    expect(scheduler.notStarted()).toEqual([{ id: 'y', reason: 'not started: Ctrl+C' }]);
  });

  it('takes --concurrency as a whole number from 1 to 32, 4 when not given', () => {
    expect(parseConcurrency(undefined)).toBe(4);
    expect(parseConcurrency('1')).toBe(1);
    expect(parseConcurrency('32')).toBe(32);
    for (const bad of ['0', '33', '2.5', 'four', ''])
      expect(() => parseConcurrency(bad)).toThrow(
        expect.objectContaining({ code: 'usage.concurrency', exitCode: 2 }),
      );
  });
});

describe('a run with branches', () => {
  it('asks one question at a time, in order, even when one of them fails', async () => {
    const asked: string[] = [];
    let release: () => void = () => {};
    const ask = oneAtATime(async (what: string) => {
      asked.push(what);
      if (what === 'first') await new Promise<void>((resolve) => (release = resolve));
      if (what === 'second') throw new Error('declined');
      return what;
    });
    const first = ask('first');
    const second = ask('second');
    const third = ask('third');
    await settle();
    expect(asked).toEqual(['first']);
    release();
    expect(await first).toBe('first');
    await expect(second).rejects.toThrow('declined');
    expect(await third).toBe('third');
    expect(asked).toEqual(['first', 'second', 'third']);
  });

  it('reports every branch under the first failure, keeping its code and exit code', () => {
    const first = new StackguideError('Stack lab-a2 ended CREATE_FAILED: Database', {
      code: 'stack.failed',
      kind: 'aws',
      nextSteps: ['Fix the database'],
    });
    const error = branchFailure(
      [
        { name: 'lab-a2', error: first },
        { name: 'lab-c1', error: new Error('boom') },
      ],
      [
        { name: 'lab-a3', reason: 'not started: lab-a2 failed' },
        // Told already by its own event (its row, its line): not listed again (trial finding 101).
        { name: 'lab-a4', reason: 'not started: lab-a2 failed', said: true },
      ],
      ['lab-b1'],
    );
    expect(error.message).toBe('2 branches failed: Stack lab-a2 ended CREATE_FAILED: Database');
    expect(error).toMatchObject({ code: 'stack.failed', exitCode: 1 });
    expect(error.details).toEqual([
      { path: 'lab-c1', message: 'failed too: boom' },
      { path: 'lab-b1', message: 'completed' },
      { path: 'lab-a3', message: 'not started: lab-a2 failed' },
    ]);
    expect(error.nextSteps[0]).toBe('Fix the database');
    expect(error.nextSteps[1]).toContain('Run the same command again');
    // A branch not started that its row told still has the run be run again once fixed.
    const told = branchFailure(
      [{ name: 'lab-a2', error: first }],
      [{ name: 'lab-a3', reason: 'not started: lab-a2 failed', said: true }],
      [],
    );
    expect(told.details).toEqual([]);
    expect(told.nextSteps[1]).toContain('Run the same command again once fixed');
    // A lone failure with nothing else to tell is thrown as it is; a non-stackguide one is a bug.
    expect(branchFailure([{ name: 'x', error: first }], [], [])).toBe(first);
    expect(branchFailure([{ name: 'x', error: 'odd' }], [], [])).toMatchObject({
      code: 'run.failed',
      kind: 'bug',
    });
  });
});

describe('Ctrl+C with several stacks changing', () => {
  it('offers each running stack its own choice and acts on the one picked', async () => {
    const tracker = new OperationTracker();
    tracker.begin({ stack: 'lab-a1', stackId: 'arn:a1', operation: 'create' });
    tracker.begin({ stack: 'lab-b1', stackId: 'arn:b1', operation: 'update' });
    const deleteStack = vi.fn(async () => {});
    const cancelUpdateStack = vi.fn(async () => {});
    const ask = vi.fn(async () => 'cancel-update arn:b1');
    await handleInterrupt({
      tracker,
      cloudFormation: { deleteStack, cancelUpdateStack } as never,
      ask,
      abort: vi.fn(),
      watchCommand: (stack) => `stackguide watch ${stack}`,
    });
    expect(ask).toHaveBeenCalledWith({
      kind: 'choice',
      message: 'lab-a1 and lab-b1 are still changing in AWS. What now?',
      cancelValue: 'wait',
      choices: [
        { value: 'wait', label: 'Keep waiting' },
        { value: 'detach', label: 'Detach: stop watching, every operation carries on in AWS' },
        { value: 'delete arn:a1', label: 'Delete lab-a1 (stops the create)' },
        { value: 'cancel-update arn:b1', label: 'Cancel the update of lab-b1 and roll it back' },
      ],
    });
    expect(cancelUpdateStack).toHaveBeenCalledWith('arn:b1', expect.stringMatching(/^stackguide-/));
    expect(deleteStack).not.toHaveBeenCalled();
    expect(tracker.takeInterruption('arn:b1')).toBe('cancel-update');
    expect(tracker.takeInterruption('arn:a1')).toBeUndefined();
  });

  it('detaches from every operation at once, naming the last begun', async () => {
    const tracker = new OperationTracker();
    tracker.begin({ stack: 'lab-a1', stackId: 'arn:a1', operation: 'create' });
    tracker.begin({ stack: 'lab-b1', stackId: 'arn:b1', operation: 'create' });
    const abort = vi.fn();
    await handleInterrupt({
      tracker,
      cloudFormation: {} as never,
      ask: async () => 'detach',
      abort,
      watchCommand: (stack) => `stackguide watch ${stack}`,
    });
    expect(abort).toHaveBeenCalledWith(expect.objectContaining({ code: 'operation.detached' }));
    // A stack that ended while the menu was open is left alone.
    tracker.end('arn:a1');
    const deleteStack = vi.fn(async () => {});
    await handleInterrupt({
      tracker: Object.assign(tracker, {}),
      cloudFormation: { deleteStack } as never,
      ask: async () => 'delete arn:a1',
      abort,
      watchCommand: (stack) => stack,
    });
    expect(deleteStack).not.toHaveBeenCalled();
  });

  it('with no stack operation running (a step waiting for DNS), stops the run with the way to go on (finding 90)', async () => {
    const abort = vi.fn();
    await handleInterrupt({
      tracker: new OperationTracker(),
      cloudFormation: {} as never,
      ask: async () => 'wait',
      abort,
      watchCommand: (stack) => stack,
    });
    const stop = abort.mock.calls[0]?.[0] as StackguideError;
    expect(stop.message).toBe('Stopped at your request');
    expect(stop.nextSteps).toEqual([
      'Run the same command again: what completed is left alone, the rest goes on.',
    ]);
  });
});

describe('stoppedRun (finding 90)', () => {
  it('says what a step stopped while it waited had made, which stays, and lists the steps that completed', () => {
    const stop = new StackguideError('Stopped at your request', {
      code: 'cancelled',
      kind: 'cancelled',
      nextSteps: ['Run the same command again: what completed is left alone, the rest goes on.'],
    });
    const error = stoppedRun(
      stop,
      [{ name: 'step zone', error: stop }],
      [{ name: 'co2', reason: 'not started: the run was stopped' }],
      ['step region', 'step network'],
      new Map([
        [
          'step zone',
          [
            { kind: 'hostedZone', id: 'Z123', name: 'lab2.example.test' },
            { kind: 'certificate', id: 'arn:aws:acm:us-east-1:1:certificate/c1', name: 'lab2.example.test' },
            {
              kind: 'secret',
              id: 'arn:aws:secretsmanager:us-east-1:1:secret:s-AbC',
              name: 'dockerhub/creds',
            },
            // IAM named no role: the service names it, once.
            { kind: 'serviceLinkedRole', id: 'spot.amazonaws.com', name: 'spot.amazonaws.com' },
          ],
        ],
      ]),
    );
    expect(error.details).toEqual([
      {
        path: 'step zone',
        message:
          'stopped while it ran; it had made, which stays: the hosted zone lab2.example.test (Z123); the certificate for lab2.example.test (arn:aws:acm:us-east-1:1:certificate/c1); the secret dockerhub/creds; the service-linked role for spot.amazonaws.com',
      },
      { path: 'step region', message: 'completed' },
      { path: 'step network', message: 'completed' },
      { path: 'co2', message: 'not started: the run was stopped' },
    ]);
    expect(error.nextSteps).toEqual(stop.nextSteps);
    expect(error.exitCode).toBe(130);
  });
});
