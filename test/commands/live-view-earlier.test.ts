import { describe, expect, it } from 'vitest';
import type { CloudFormationPort } from '../../src/aws/cloudformation-port.ts';
import { runWithLiveView } from '../../src/commands/run-with-live-view.ts';
import { EventBus } from '../../src/events.ts';
import type { ProgressStore } from '../../src/progress/progress-store.ts';
import { OperationTracker } from '../../src/stacks/operation-tracker.ts';

/**
 * Finding 91: in a terminal nothing prints events before the live view, so a re-run with --yes (no
 * review) lost its word about the stopped run before it. What was said before is shown in the view.
 */
describe('the live view and what was said before it started', () => {
  it('shows the earlier warnings under its header', async () => {
    let mounted: ProgressStore | undefined;
    const screens = {
      mountProgress: (store: ProgressStore) => {
        mounted = store;
        return { unmount: async () => {} };
      },
    } as unknown as Parameters<typeof runWithLiveView>[0]['screens'];
    const line =
      'The install of 19:08 was stopped after starting the step zone; this run picks up from what AWS holds now';
    await runWithLiveView(
      {
        title: 'Installing co2',
        screens,
        events: new EventBus(),
        cloudFormation: {} as CloudFormationPort,
        tracker: new OperationTracker(),
        abort: () => {},
        watchCommand: (stack) => `stackguide watch ${stack}`,
        reviewChangeSets: false,
        earlier: [{ type: 'warning', code: 'run.interrupted', message: line }],
      },
      async () => undefined,
    );
    expect(mounted?.getSnapshot().warnings).toEqual([line]);
  });
});
