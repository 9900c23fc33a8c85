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

describe("destroy's live rows", () => {
  it('put the emptied buckets above the stacks deleted after them, in the order the work happened (trial finding 74)', async () => {
    const { renderInTerminal } = await import('../support/render-terminal.tsx');
    const store = new ProgressStore('Destroying slow2 (demo) in 123456789012 us-east-1', () => 0);
    const screen = renderInTerminal(<InstallProgressScreen store={store} now={() => 0} />, {
      columns: 80,
      rows: 24,
    });
    store.setTask({ id: 'empty', title: 'Empty the buckets', state: 'running' });
    store.setTask({ id: 'app', title: 'Delete stack slow2-app', state: 'pending' });
    store.setTask({ id: 'data', title: 'Delete stack slow2-data', state: 'pending' });
    store.setTask({ id: 'zone', title: 'Delete what the preparation steps made', state: 'pending' });
    store.setTask({ id: 'empty', title: 'Emptied the buckets', state: 'completed' });
    for (const stack of ['slow2-app', 'slow2-data']) {
      store.setTask({ id: stack.replace('slow2-', ''), title: `Delete stack ${stack}`, state: 'running' });
      store.apply({ type: 'stack.started', stack, operation: 'delete' });
      await vi.waitFor(() => expect(screen.lastFrame()).toContain(`◼ ${stack}`));
      store.apply({
        type: 'stack.completed',
        stack,
        stackId: `arn:${stack}`,
        status: 'DELETE_COMPLETE',
        outputs: {},
      });
      store.setTask({ id: stack.replace('slow2-', ''), title: `Deleted stack ${stack}`, state: 'completed' });
    }
    store.setTask({ id: 'zone', title: 'Deleted what the preparation steps made', state: 'completed' });
    store.finish();
    await vi.waitFor(() => expect(screen.lastFrame()).toContain('✔ Deleted what the preparation steps made'));
    const lines = screen.lastFrame().split('\n');
    const at = (text: string) => lines.findIndex((line) => line.includes(text));
    expect(at('✔ Emptied the buckets')).toBeGreaterThanOrEqual(0);
    expect(at('✔ Emptied the buckets')).toBeLessThan(at('slow2-app DELETE_COMPLETE'));
    expect(at('slow2-app DELETE_COMPLETE')).toBeLessThan(at('slow2-data DELETE_COMPLETE'));
    expect(at('slow2-data DELETE_COMPLETE')).toBeLessThan(at('✔ Deleted what the preparation steps made'));
    // Printed once, above the header, not repeated in the live rows under it.
    expect(lines.filter((line) => line.includes('Emptied the buckets'))).toHaveLength(1);
    expect(at('✔ Emptied the buckets')).toBeLessThan(at('Destroying slow2'));
    screen.unmount();
  });
});
