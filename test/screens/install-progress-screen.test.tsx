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
});
