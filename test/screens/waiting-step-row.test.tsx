import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { InstallProgressScreen } from '../../screens/InstallProgressScreen.tsx';
import { ProgressStore } from '../../src/progress/progress-store.ts';

/**
 * Trial finding 89: steps waiting for the step before them carried the running icon, like the step
 * that runs ("◼ Hosting domain 58s" above "◼ SSL certificate waiting for step zone").
 */
describe('a step that waits its turn in the live view', () => {
  it('reads as waiting (◻), the running step alone as running (◼)', async () => {
    const now = 1_000_000;
    const store = new ProgressStore('Installing co2', () => now);
    const { lastFrame, unmount } = render(<InstallProgressScreen store={store} now={() => now} />);
    store.setTask({ id: 'zone', title: 'Hosting domain', state: 'running', output: 'checking' });
    store.setTask({
      id: 'certificate',
      title: 'SSL certificate',
      state: 'running',
      output: 'waiting for Hosting domain',
    });
    await vi.waitFor(() => expect(lastFrame()).toContain('SSL certificate waiting for Hosting domain'));
    const lines = (lastFrame() ?? '').split('\n');
    expect(lines).toContain('◻ SSL certificate waiting for Hosting domain');
    expect(lines).toContain('◼ Hosting domain checking');
    unmount();
  });
});
