import { InstallProgressScreen } from '../../screens/InstallProgressScreen.tsx';
import { ProgressStore, type RunTitle } from '../../src/progress/progress-store.ts';
import { renderInTerminal, type TerminalRender } from './render-terminal.tsx';

export interface LiveViewRender {
  store: ProgressStore;
  view: TerminalRender;
  /** The time the store and the screen read. */
  now(): number;
  /** Moves the time on by `ms` (without `options.now`: with it, the test's clock keeps the time). */
  advance(ms: number): void;
}

/**
 * The live view (InstallProgressScreen) of one run titled `title`, in a terminal 80x24 unless told,
 * its store telling the screen every change. The time is the test's: it stands at 1,000,000 ms until
 * `advance` moves it, or it is read from `options.now` (a test clock).
 */
export function renderLiveView(
  title: RunTitle,
  options: { columns?: number; rows?: number; now?: () => number } = {},
): LiveViewRender {
  let time = 1_000_000;
  const now = options.now ?? (() => time);
  const store = new ProgressStore(title, now, { notifyEveryChange: true });
  const view = renderInTerminal(<InstallProgressScreen store={store} now={now} />, {
    columns: options.columns ?? 80,
    rows: options.rows ?? 24,
  });
  return {
    store,
    view,
    now,
    advance: (ms) => {
      time += ms;
    },
  };
}
