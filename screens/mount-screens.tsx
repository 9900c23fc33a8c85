import { render, Static } from 'ink';
import type { InstallPlan, ReviewDecision } from '../src/install/install-plan.ts';
import type { ProgressStore } from '../src/progress/progress-store.ts';
import { InstallProgressScreen } from './InstallProgressScreen.tsx';
import { InstallSummaryScreen, type InstallSummaryScreenProps } from './InstallSummaryScreen.tsx';
import { ReviewScreen } from './ReviewScreen.tsx';

/**
 * One Ink render per interaction, each unmounted before the next owner of the terminal starts. Ink
 * writes to stderr (human output) and never handles Ctrl+C itself: the CLI's AbortController does.
 * These screens are mounted only when the CLI decided the run is interactive (decideOutputMode), so Ink
 * is told so rather than guess by its own CI rule, which differs (an empty `CI`: Ink drew nothing and
 * the review waited for a key nobody could see asked for).
 */
const inkOptions = {
  stdout: process.stderr,
  exitOnCtrlC: false,
  patchConsole: false,
  interactive: true,
} as const;

export function showReview(plan: InstallPlan): Promise<ReviewDecision> {
  return new Promise((resolve) => {
    const instance = render(
      <ReviewScreen
        plan={plan}
        onDecision={(decision) => {
          instance.unmount();
          resolve(decision);
        }}
      />,
      inkOptions,
    );
  });
}

export function mountProgress(
  store: ProgressStore,
  onInterrupt: () => void,
): { unmount: () => Promise<void> } {
  const instance = render(<InstallProgressScreen store={store} onInterrupt={onInterrupt} />, inkOptions);
  return {
    unmount: async () => {
      // Let the last store update paint before the frame is frozen.
      await new Promise((resolve) => setTimeout(resolve, 50));
      instance.unmount();
      await instance.waitUntilExit();
    },
  };
}

/**
 * The summary is final: it goes through <Static>, which Ink writes once into the scrollback. As a live
 * frame, a summary taller than the window was printed twice (Ink redraws a frame that does not fit
 * when it unmounts).
 */
export async function showSummary(props: InstallSummaryScreenProps): Promise<void> {
  const instance = render(
    <Static items={[props]}>{(summary) => <InstallSummaryScreen key="summary" {...summary} />}</Static>,
    inkOptions,
  );
  instance.unmount();
  await instance.waitUntilExit();
}
