import { describe, expect, it, vi } from 'vitest';
import { renderLiveView } from '../support/live-view.tsx';

/**
 * An upgrade that changes only a parameter (trial finding 53): CloudFormation's change set may have no
 * resource row for it (moto has none; real CloudFormation can list rows that do not name parameters).
 * The review counts and lists the parameter with both values, never "0 changes".
 */
const TITLE = 'Upgrading demo';

describe('the change set review of a parameter-only upgrade at 80x24', () => {
  it('counts and lists each parameter deployed → new, whatever the rows say', async () => {
    const { store, view } = renderLiveView(TITLE);
    store.apply({ type: 'stack.started', stack: 'demo-app', operation: 'update' });
    const answer = store.ask({
      kind: 'changeset',
      summary: {
        stackName: 'demo-app',
        stackId: 'arn:aws:cloudformation:us-east-1:1:stack/demo-app/x',
        changeSetId: 'cs-1',
        type: 'UPDATE',
        changes: [],
        parameterChanges: [{ name: 'JobTimeoutSeconds', deployed: '300', next: '450' }],
        empty: false,
        iamResources: [],
        capabilities: ['CAPABILITY_IAM'],
        statefulReplacements: [],
      },
    });
    await vi.waitFor(() => expect(view.lastFrame()).toContain('Execute?'));
    const region = view.liveRegion(TITLE);
    const text = region.join('\n');
    expect(text).toContain('Change set for demo-app (update): 1 parameter, 0 resource changes');
    expect(text).toContain('~ JobTimeoutSeconds: 300 → 450');
    expect(text).not.toContain(': 0 changes');
    expect(region.length).toBeLessThanOrEqual(22);
    store.answer('execute');
    expect(await answer).toBe('execute');
    view.unmount();
  });
});
