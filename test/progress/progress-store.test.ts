import { describe, expect, it } from 'vitest';
import { doneCount, ProgressStore } from '../../src/progress/progress-store.ts';

describe('ProgressStore', () => {
  it('builds the tree from events, timing each resource, and tells the screen once per burst', async () => {
    let now = 0;
    const store = new ProgressStore('Installing', () => now);
    const snapshots: unknown[] = [];
    store.subscribe(() => snapshots.push(store.getSnapshot()));
    const base = { stackId: 'arn:s', rootStackId: 'arn:s', timestamp: '2026-11-22T10:00:00Z' };

    store.apply({ type: 'stack.started', stack: 's', operation: 'create', resourceCount: 2 });
    now = 1000;
    store.apply({
      type: 'stack.event',
      stack: 's',
      event: {
        ...base,
        eventId: '1',
        stackName: 's',
        logicalResourceId: 'A',
        resourceType: 'T',
        status: 'CREATE_IN_PROGRESS',
      },
    });
    now = 4000;
    store.apply({
      type: 'stack.event',
      stack: 's',
      event: {
        ...base,
        eventId: '2',
        stackName: 's',
        logicalResourceId: 'A',
        resourceType: 'T',
        status: 'CREATE_COMPLETE',
      },
    });
    store.apply({
      type: 'stack.event',
      stack: 's',
      event: {
        ...base,
        eventId: '3',
        stackName: 's-Child',
        logicalResourceId: 'B',
        resourceType: 'T',
        status: 'CREATE_IN_PROGRESS',
      },
    });

    const snapshot = store.getSnapshot();
    expect(snapshot.stackOrder).toEqual(['s', 's-Child']);
    expect(snapshot.stacks['s-Child']?.parent).toBe('s');
    expect(snapshot.stacks.s?.resources.get('A')).toMatchObject({
      startedAt: 1000,
      finishedAt: 4000,
      status: 'CREATE_COMPLETE',
    });
    expect(doneCount(snapshot.stacks.s ?? { name: '', status: '', startedAt: 0, resources: new Map() })).toBe(
      1,
    );
    // The screen is told once for the burst, with the latest picture, not four times.
    expect(snapshots).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(snapshots).toEqual([store.getSnapshot()]);
  });

  it('marks a step pending, not done, when its result waits on AWS, with what it waits for', () => {
    let now = 1_000;
    const store = new ProgressStore('Installing', () => now);
    store.apply({ type: 'step.started', step: 'ses', kind: 'ses', title: 'Take AWS SES out of sandbox' });
    store.apply({ type: 'step.started', step: 'roles', kind: 'serviceLinkedRoles', title: 'Roles' });
    now = 4_000;
    store.apply({
      type: 'step.completed',
      step: 'ses',
      outputs: {},
      pending: "AWS's review of SES production access in us-east-1, usually 24-48 hours",
    });
    store.apply({ type: 'step.completed', step: 'roles', outputs: {} });
    store.apply({ type: 'step.started', step: 'calendar', kind: 'manual', title: 'Calendar' });
    store.apply({ type: 'step.completed', step: 'calendar', outputs: {}, confirmedByOperator: true });
    const { steps } = store.getSnapshot();
    expect(steps.ses).toMatchObject({
      state: 'pending',
      pending: "AWS's review of SES production access in us-east-1, usually 24-48 hours",
      finishedAt: 4_000,
    });
    expect(steps.roles?.state).toBe('done');
    expect(steps.roles?.pending).toBeUndefined();
    // The operator's word, not a done of stackguide's (trial finding 100).
    expect(steps.calendar).toMatchObject({ state: 'confirmed', finishedAt: 4_000 });
  });
});
