import type { ListrRendererValue } from 'listr2';
import type { AwsContext } from '../aws/aws-context.ts';
import type { EventBus } from '../events.ts';
import { ProgressStore } from '../progress/progress-store.ts';
import type { ChangeSetSummary } from '../stacks/change-set.ts';
import type { ChangeSetDecision } from '../stacks/deploy-stack.ts';
import { handleInterrupt } from '../stacks/interrupt-menu.ts';
import type { OperationTracker } from '../stacks/operation-tracker.ts';

type Screens = typeof import('../../screens/mount-screens.tsx');

/**
 * Runs a listr2 task list with the right owner of the terminal: in a terminal the Ink live view (fed
 * by the event bus, with change set reviews and the Ctrl+C menu), otherwise listr2's silent renderer
 * (plain lines and NDJSON come from the bus). Install and upgrade share it.
 */
export interface LiveViewOptions {
  title: string;
  screens: Screens | undefined;
  events: EventBus;
  aws: AwsContext;
  tracker: OperationTracker;
  /** Stops the run (detach, or Ctrl+C before any operation). */
  abort: (reason: unknown) => void;
  watchCommand: (stack: string) => string;
  /** Ask for each change set (false with --yes). */
  reviewChangeSets: boolean;
}

export type ChangeSetReviewer = (summary: ChangeSetSummary) => Promise<ChangeSetDecision>;

export async function runWithLiveView<T>(
  options: LiveViewOptions,
  run: (
    renderer: ListrRendererValue,
    rendererOptions: Record<string, unknown>,
    review: ChangeSetReviewer | undefined,
  ) => Promise<T>,
): Promise<T> {
  const { screens, events } = options;
  if (!screens) return run('silent', {}, undefined);
  const store = new ProgressStore(options.title);
  const stopFeeding = events.subscribe((event) => store.apply(event));
  const { StoreBridgeRenderer } = await import('../../tasks/store-bridge-renderer.ts');
  const review: ChangeSetReviewer = (summary) =>
    store
      .ask({ kind: 'changeset', summary })
      .then((answer) => (answer === 'execute' ? 'execute' : 'decline'));
  const view = screens.mountProgress(store, () => {
    void handleInterrupt({
      tracker: options.tracker,
      cloudFormation: options.aws.cloudFormation,
      ask: (prompt) => store.ask(prompt),
      abort: options.abort,
      watchCommand: options.watchCommand,
    }).catch(options.abort);
  });
  try {
    return await run(StoreBridgeRenderer, { store }, options.reviewChangeSets ? review : undefined);
  } finally {
    stopFeeding();
    await view.unmount();
  }
}
