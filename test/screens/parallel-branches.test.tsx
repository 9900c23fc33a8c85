import { describe, expect, it, vi } from 'vitest';
import type { StackEventRecord } from '../../src/events.ts';
import { renderLiveView } from '../support/live-view.tsx';

/**
 * Independent stacks at once in the live view at 80x24: a row per running stack with its time left,
 * the stacks waiting their turn saying for what, the run's time left in the header, and after a
 * failure the stacks never started marked so (not as done), all inside the window.
 */
const TITLE = 'Installing lab';
let sequence = 0;
const resource = (stack: string, logicalId: string, type: string, status: string): StackEventRecord => ({
  eventId: `p${++sequence}`,
  stackName: stack,
  stackId: `arn:${stack}`,
  rootStackId: `arn:${stack}`,
  logicalResourceId: logicalId,
  resourceType: type,
  status,
  timestamp: new Date().toISOString(),
});

describe('parallel branches in the live view at 80x24', () => {
  it('shows both running chains, what waits for what, and the time left; then who never started', async () => {
    const { store, view, now, advance } = renderLiveView(TITLE);
    for (const [index, name] of ['lab-a1', 'lab-a2', 'lab-b1', 'lab-b2'].entries())
      store.setTask({ id: `t${index}`, title: `Deploy stack ${name}`, state: 'pending' });
    store.setTask({ id: 't1', title: 'Deploy stack lab-a2', state: 'running', output: 'waiting for lab-a1' });
    store.setTask({ id: 't3', title: 'Deploy stack lab-b2', state: 'running', output: 'waiting for lab-b1' });
    for (const name of ['lab-a1', 'lab-b1']) {
      store.apply({ type: 'stack.started', stack: name, operation: 'create', resourceCount: 2 });
      store.apply({
        type: 'stack.event',
        stack: name,
        event: resource(name, 'Queue', 'AWS::SQS::Queue', 'CREATE_IN_PROGRESS'),
      });
    }
    store.apply({
      type: 'eta',
      remainingSeconds: 600,
      finishesAt: new Date(now() + 600_000).toISOString(),
      guess: true,
      stacks: [
        { stack: 'lab-a1', state: 'running', remainingSeconds: 300, guess: true },
        { stack: 'lab-b1', state: 'running', remainingSeconds: 240, guess: false },
      ],
    });
    advance(60_000);
    store.apply({
      type: 'stack.event',
      stack: 'lab-a1',
      event: resource('lab-a1', 'Topic', 'AWS::SNS::Topic', 'CREATE_IN_PROGRESS'),
    });

    await vi.waitFor(() => expect(view.liveRegion(TITLE).join('\n')).toContain('Topic'));
    const region = view.liveRegion(TITLE);
    expect(region[0]).toBe('Installing lab · 1m 00s · about 9m 00s left (a guess)');
    expect(region.join('\n')).toMatch(
      /◼ lab-a1 CREATE_IN_PROGRESS 0\/2 1m 00s · about 4m 00s left \(a guess\)/,
    );
    expect(region.join('\n')).toMatch(/◼ lab-b1 CREATE_IN_PROGRESS 0\/2 1m 00s · about 3m 00s left/);
    expect(region.join('\n')).toContain('◻ lab-a2 waiting for lab-a1');
    expect(region.join('\n')).toContain('◻ lab-b2 waiting for lab-b1');
    expect(region.length).toBeLessThanOrEqual(22);

    store.apply({
      type: 'stack.failed',
      stack: 'lab-a1',
      status: 'ROLLBACK_COMPLETE',
      message: 'Queue: quota',
    });
    store.apply({
      type: 'stack.not-started',
      stack: 'lab-a2',
      reason: 'not started: lab-a1 failed, so nothing new was started',
    });
    // On its row, in words: NOT_STARTED is no status of AWS's.
    await vi.waitFor(() => expect(view.lastFrame()).toContain('◻ lab-a2 not started: lab-a1 failed'));
    expect(view.lastFrame()).not.toContain('NOT_STARTED');
    expect(view.lastFrame()).not.toContain('✔ lab-a2');
    expect(view.liveRegion(TITLE).join('\n')).toContain('◼ lab-b1');
    view.unmount();
  });
});

describe('watch following a run at 80x24 (finding 66)', () => {
  it('gives the stacks the run has not reached a waiting row, in order, until the run starts them', async () => {
    const { store, view } = renderLiveView('Watching the install of slow');
    for (const name of ['slow-data', 'slow-app'])
      store.apply({ type: 'stack.status', stack: name, status: 'NOT_CREATED', outputs: {} });
    store.apply({
      type: 'stack.started',
      stack: 'slow-data',
      operation: 'attach',
      status: 'CREATE_IN_PROGRESS',
    });
    // A second word on a stack that has its row changes nothing.
    store.apply({ type: 'stack.status', stack: 'slow-data', status: 'NOT_CREATED', outputs: {} });
    await vi.waitFor(() => expect(view.lastFrame()).toContain('◻ slow-app waiting'));
    const rows = view.liveRegion('Watching the install of slow').join('\n');
    expect(rows).toMatch(/◼ slow-data CREATE_IN_PROGRESS[\s\S]*◻ slow-app waiting/);
    view.unmount();
  });
});

describe('resource rows in the live view at 80x24 (findings 79, 80)', () => {
  const queue = (status: string): StackEventRecord =>
    resource('slow2-app', 'JobQueue', 'AWS::SQS::Queue', status);

  it('shows the running resource while the Ctrl+C menu is open, with rows to spare, not "1 more"', async () => {
    const { store, view } = renderLiveView('Upgrading slow2');
    store.apply({ type: 'stack.started', stack: 'slow2-app', operation: 'update', resourceCount: 1 });
    store.apply({ type: 'stack.event', stack: 'slow2-app', event: queue('UPDATE_IN_PROGRESS') });
    void store.ask({
      kind: 'interrupt',
      stack: 'slow2-app',
      operation: 'update',
      choices: [
        { value: 'wait', label: 'Keep waiting' },
        { value: 'detach', label: 'Detach' },
        { value: 'cancel', label: 'Cancel the update and roll it back' },
      ],
    });
    await vi.waitFor(() => expect(view.lastFrame()).toContain('What now?'));
    expect(view.lastFrame()).toContain('· JobQueue AWS::SQS::Queue UPDATE_IN_PROGRESS');
    expect(view.lastFrame()).not.toContain('more in progress');
    view.unmount();
  });

  it('shows no resource in progress under a stack that has finished', async () => {
    const { store, view } = renderLiveView('Upgrading slow2');
    store.apply({ type: 'stack.started', stack: 'slow2-app', operation: 'update', resourceCount: 1 });
    store.apply({ type: 'stack.event', stack: 'slow2-app', event: queue('UPDATE_IN_PROGRESS') });
    await vi.waitFor(() => expect(view.lastFrame()).toContain('JobQueue'));
    // The rollback ends; the queue's own rollback events never came.
    store.apply({
      type: 'stack.event',
      stack: 'slow2-app',
      event: resource('slow2-app', 'slow2-app', 'AWS::CloudFormation::Stack', 'UPDATE_ROLLBACK_COMPLETE'),
    });
    await vi.waitFor(() => expect(view.lastFrame()).toContain('slow2-app UPDATE_ROLLBACK_COMPLETE'));
    expect(view.lastFrame()).not.toContain('JobQueue');
    view.unmount();
  });
});
