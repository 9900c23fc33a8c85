import type { ListrRendererValue } from 'listr2';
import type { CloudFormationPort } from '../aws/cloudformation-port.ts';
import type { EventBus, StackguideEvent } from '../events.ts';
import type { Chooser } from '../install/prompter.ts';
import { ProgressStore, type RunTitle } from '../progress/progress-store.ts';
import type { ChangeSetSummary } from '../stacks/change-set.ts';
import type { ChangeSetDecision } from '../stacks/deploy-stack.ts';
import { handleInterrupt } from '../stacks/interrupt-menu.ts';
import type { OperationTracker } from '../stacks/operation-tracker.ts';

type Screens = typeof import('../../screens/mount-screens.tsx');

/**
 * Runs a listr2 task list with the right owner of the terminal: in a terminal the Ink live view (fed
 * by the event bus, with change set reviews, questions and the Ctrl+C menu), otherwise listr2's silent
 * renderer (plain lines and NDJSON come from the bus). Install, upgrade and destroy share it.
 */
export interface LiveViewOptions {
  title: RunTitle;
  screens: Screens | undefined;
  events: EventBus;
  /** For the Ctrl+C menu's delete or cancel. */
  cloudFormation: CloudFormationPort;
  tracker: OperationTracker;
  /** Stops the run (detach, or Ctrl+C before any operation). */
  abort: (reason: unknown) => void;
  watchCommand: (stack: string) => string;
  /** Ask for each change set (false with --yes). */
  reviewChangeSets: boolean;
  /** Holds plain lines back while the live view draws; resolves the release. */
  pausePlain?: () => () => void;
  /** Said before the live view started, with nothing on the screen to show them: shown in it. */
  earlier?: readonly StackguideEvent[];
}

export type ChangeSetReviewer = (summary: ChangeSetSummary) => Promise<ChangeSetDecision>;

/** What a running task list may ask the operator through the live view. */
export interface LiveQuestions {
  review?: ChangeSetReviewer;
  choose?: Chooser;
}

export async function runWithLiveView<T>(
  options: LiveViewOptions,
  run: (
    renderer: ListrRendererValue,
    rendererOptions: Record<string, unknown>,
    questions: LiveQuestions,
  ) => Promise<T>,
): Promise<T> {
  const { screens, events } = options;
  if (!screens) return run('silent', {}, {});
  const store = new ProgressStore(options.title);
  for (const event of options.earlier ?? []) store.apply(event);
  const stopFeeding = events.subscribe((event) => store.apply(event));
  const { StoreBridgeRenderer } = await import('../../tasks/store-bridge-renderer.ts');
  const questions: LiveQuestions = {
    ...(options.reviewChangeSets
      ? {
          review: (summary) =>
            store
              .ask({ kind: 'changeset', summary })
              .then((answer) => (answer === 'execute' ? 'execute' : 'decline')),
        }
      : {}),
    choose: (message, choices, cancelValue) =>
      store
        .ask({ kind: 'choice', message, choices, cancelValue })
        .then((answer) => choices.find((choice) => choice.value === answer)?.value ?? cancelValue),
  };
  const resumePlain = options.pausePlain?.();
  const view = screens.mountProgress(store, () => {
    void handleInterrupt({
      tracker: options.tracker,
      cloudFormation: options.cloudFormation,
      ask: (prompt) => store.ask(prompt),
      abort: (reason) => {
        store.stopping();
        options.abort(reason);
      },
      watchCommand: options.watchCommand,
    }).catch(options.abort);
  });
  try {
    return await run(StoreBridgeRenderer, { store }, questions);
  } finally {
    stopFeeding();
    await view.unmount();
    resumePlain?.();
  }
}
