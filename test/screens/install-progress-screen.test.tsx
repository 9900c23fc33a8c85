import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { InstallProgressScreen } from '../../screens/InstallProgressScreen.tsx';
import type { StackEventRecord } from '../../src/events.ts';
import { ProgressStore } from '../../src/progress/progress-store.ts';

let sequence = 0;
const resourceEvent = (
  stackName: string,
  logicalResourceId: string,
  resourceType: string,
  status: string,
  reason?: string,
): StackEventRecord => ({
  eventId: `e${++sequence}`,
  stackName,
  stackId: `arn:aws:cloudformation:us-east-1:1:stack/${stackName}/x`,
  rootStackId: 'arn:root',
  logicalResourceId,
  resourceType,
  status,
  timestamp: new Date().toISOString(),
  ...(reason ? { reason } : {}),
});

describe('InstallProgressScreen', () => {
  it('shows running resources with progress, nested stacks under their parent, and the root cause of a failure', async () => {
    let now = 1_000_000;
    const store = new ProgressStore('Installing lab', () => now);
    const { lastFrame, unmount } = render(<InstallProgressScreen store={store} now={() => now} />);

    store.apply({ type: 'stack.started', stack: 'lab-core', operation: 'create', resourceCount: 3 });
    store.apply({
      type: 'stack.event',
      stack: 'lab-core',
      event: resourceEvent('lab-core', 'Queue', 'AWS::SQS::Queue', 'CREATE_COMPLETE'),
    });
    store.apply({
      type: 'stack.event',
      stack: 'lab-core',
      event: resourceEvent('lab-core', 'Role', 'AWS::IAM::Role', 'CREATE_IN_PROGRESS'),
    });
    store.apply({
      type: 'stack.event',
      stack: 'lab-core',
      event: resourceEvent('lab-core-Db-1', 'Db', 'AWS::RDS::DBInstance', 'CREATE_IN_PROGRESS'),
    });
    now += 65_000;
    store.apply({
      type: 'stack.event',
      stack: 'lab-core',
      event: resourceEvent('lab-core', 'Topic', 'AWS::SNS::Topic', 'CREATE_IN_PROGRESS'),
    });

    await vi.waitFor(() => expect(lastFrame()).toContain('Topic'));
    const running = lastFrame() ?? '';
    expect(running).toContain('Installing lab · 1m 05s');
    expect(running).toMatch(/◼ lab-core CREATE_IN_PROGRESS 1\/3 1m 05s/);
    expect(running).toMatch(/· Role AWS::IAM::Role CREATE_IN_PROGRESS 1m 05s/);
    expect(running).not.toMatch(/· Queue/); // finished resources collapse into the count
    expect(running).toMatch(/◼ lab-core-Db-1[\s\S]*· Db AWS::RDS::DBInstance CREATE_IN_PROGRESS/);

    store.apply({
      type: 'stack.event',
      stack: 'lab-core',
      event: resourceEvent(
        'lab-core-Db-1',
        'Db',
        'AWS::RDS::DBInstance',
        'CREATE_FAILED',
        'gp3 is not supported for db.t3.micro',
      ),
    });
    store.apply({
      type: 'stack.failed',
      stack: 'lab-core',
      status: 'ROLLBACK_COMPLETE',
      message: 'failed',
      rootCause: {
        stackName: 'lab-core-Db-1',
        logicalResourceId: 'Db',
        resourceType: 'AWS::RDS::DBInstance',
        status: 'CREATE_FAILED',
        reason: 'gp3 is not supported for db.t3.micro',
      },
    });
    await vi.waitFor(() => expect(lastFrame()).toContain('root cause'));
    expect(lastFrame()).toContain('✖ lab-core ROLLBACK_COMPLETE');
    expect(lastFrame()).toContain(
      'root cause: Db (AWS::RDS::DBInstance) in lab-core-Db-1: gp3 is not supported for db.t3.micro',
    );
    unmount();
  });

  it('counts a finished stack from the events it saw: all of them when each resource reported, fewer when not', async () => {
    const store = new ProgressStore('Installing lab', () => 0);
    const { lastFrame, unmount } = render(<InstallProgressScreen store={store} now={() => 0} />);
    for (const [stack, reported] of [
      ['lab-data', ['Bucket', 'Key']],
      ['lab-app', ['Queue']],
    ] as const) {
      store.apply({ type: 'stack.started', stack, operation: 'create', resourceCount: 2 });
      for (const logicalId of reported)
        store.apply({
          type: 'stack.event',
          stack,
          event: resourceEvent(stack, logicalId, 'AWS::SQS::Queue', 'CREATE_COMPLETE'),
        });
      store.apply({
        type: 'stack.event',
        stack,
        event: resourceEvent(stack, stack, 'AWS::CloudFormation::Stack', 'CREATE_COMPLETE'),
      });
      store.apply({
        type: 'stack.completed',
        stack,
        stackId: `arn:${stack}`,
        status: 'CREATE_COMPLETE',
        outputs: {},
      });
    }
    await vi.waitFor(() => expect(lastFrame()).toContain('lab-app'));
    expect(lastFrame()).toMatch(/✔ lab-data CREATE_COMPLETE 2\/2/);
    // One resource never reported finishing: the line does not claim it did.
    expect(lastFrame()).toMatch(/✔ lab-app CREATE_COMPLETE 1\/2/);
    unmount();
  });

  it('never shows a count it did not count: a stack that ends with no resource event seen says how many it touched (trial finding 57)', async () => {
    let now = 1_000_000;
    const store = new ProgressStore('Installing lab', () => now);
    const { lastFrame, unmount } = render(<InstallProgressScreen store={store} now={() => now} />);
    store.apply({ type: 'stack.started', stack: 'lab-data', operation: 'create', resourceCount: 2 });
    store.apply({ type: 'stack.started', stack: 'lab-one', operation: 'create', resourceCount: 1 });
    // While it runs, none seen done is a count: 0 of 2 so far.
    await vi.waitFor(() => expect(lastFrame()).toMatch(/◼ lab-data CREATE_IN_PROGRESS 0\/2 0s/));
    now += 3000;
    for (const stack of ['lab-data', 'lab-one'])
      store.apply({
        type: 'stack.completed',
        stack,
        stackId: `arn:${stack}`,
        status: 'CREATE_COMPLETE',
        outputs: {},
      });
    await vi.waitFor(() => expect(lastFrame()).toContain('✔ lab-one'));
    expect(lastFrame()).toMatch(/✔ lab-data CREATE_COMPLETE 2 resources 3s/);
    expect(lastFrame()).toMatch(/✔ lab-one CREATE_COMPLETE 1 resource 3s/);
    expect(lastFrame()).not.toContain('0/2');
    unmount();
  });

  it('says an update whose change set named no resource changed none, not "0 resources"', async () => {
    const store = new ProgressStore('Upgrading lab', () => 0);
    const { lastFrame, unmount } = render(<InstallProgressScreen store={store} now={() => 0} />);
    store.apply({ type: 'stack.started', stack: 'lab-app', operation: 'update', resourceCount: 0 });
    await vi.waitFor(() => expect(lastFrame()).toMatch(/◼ lab-app UPDATE_IN_PROGRESS no resource changes/));
    store.apply({
      type: 'stack.completed',
      stack: 'lab-app',
      stackId: 'arn:lab-app',
      status: 'UPDATE_COMPLETE',
      outputs: {},
    });
    await vi.waitFor(() => expect(lastFrame()).toMatch(/✔ lab-app UPDATE_COMPLETE no resource changes/));
    expect(lastFrame()).not.toMatch(/0 resources|0\/0/);
    unmount();
  });
});
