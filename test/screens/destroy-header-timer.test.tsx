import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { InstallProgressScreen } from '../../screens/InstallProgressScreen.tsx';
import { ProgressStore } from '../../src/progress/progress-store.ts';

/**
 * Trial finding 56 said destroy's header timer "stays at 0s/1s". In tmux against moto the whole teardown
 * of opensarlab lasts under a second, so 0s was the truth; with 1,500 objects to empty it read 0s, 1s,
 * 3s. This pins that down: while a step runs and no event comes (a bucket being emptied), the header's
 * time still moves, on the screen's own tick.
 */
describe("destroy's live header", () => {
  it('counts the time while no event arrives, and stops at the end', async () => {
    let now = 1_000_000;
    const store = new ProgressStore('Destroying geo-class (opensarlab) in 123456789012 us-east-1', () => now);
    const { lastFrame, unmount } = render(<InstallProgressScreen store={store} now={() => now} />);
    store.setTask({ id: 'empty', title: 'Empty the buckets', state: 'running' });
    await vi.waitFor(() => expect(lastFrame()).toContain('us-east-1 · 0s'));
    // Nothing is emitted while the bucket empties: only the clock moves.
    now += 7_000;
    await vi.waitFor(() => expect(lastFrame()).toContain('us-east-1 · 7s'), { timeout: 5_000 });
    now += 5_000;
    await vi.waitFor(() => expect(lastFrame()).toContain('us-east-1 · 12s'), { timeout: 5_000 });
    store.setTask({ id: 'empty', title: 'Emptied the buckets', state: 'completed' });
    store.finish();
    await vi.waitFor(() => expect(lastFrame()).toContain('✔ Emptied the buckets'));
    // Finished: no tick redraws the header any more.
    now += 60_000;
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(lastFrame()).toContain('us-east-1 · 12s');
    unmount();
  });
});
