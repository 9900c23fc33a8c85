import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { InstallProgressScreen } from '../../screens/InstallProgressScreen.tsx';
import { ProgressStore } from '../../src/progress/progress-store.ts';

/**
 * Trial finding 90: Ctrl+C while the hosted-zone step waited for its delegation left
 * "✖ Hosting domain 1m 03s", the mark of a failure, for a stop the operator asked for.
 */
async function stepRowAfterItsTaskFails(stoppedByOperator: boolean): Promise<string[]> {
  let now = 1_000_000;
  const store = new ProgressStore('Installing co2', () => now);
  const { lastFrame, unmount } = render(<InstallProgressScreen store={store} now={() => now} />);
  store.apply({ type: 'step.started', step: 'zone', kind: 'hostedZone', title: 'Hosting domain' });
  store.setTask({ id: 'zone', title: 'Hosting domain', state: 'running', output: 'waiting for delegation' });
  now += 63_000;
  if (stoppedByOperator) store.stopping();
  store.setTask({ id: 'zone', title: 'Hosting domain', state: 'failed' });
  await vi.waitFor(() => expect(lastFrame()).toContain('Hosting domain 1m 03s'));
  const lines = (lastFrame() ?? '').split('\n');
  unmount();
  return lines.filter((line) => line.includes('Hosting domain'));
}

describe('a step the operator stopped, in the live view', () => {
  it('reads as stopped, not failed', async () => {
    expect(await stepRowAfterItsTaskFails(true)).toEqual(['◻ Hosting domain 1m 03s stopped']);
  });

  it('keeps the failure mark for a step whose task failed on its own', async () => {
    expect(await stepRowAfterItsTaskFails(false)).toEqual(['✖ Hosting domain 1m 03s']);
  });
});
