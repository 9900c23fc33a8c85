import {
  type ListrContext,
  type ListrRenderer,
  ListrTaskEventType,
  type ListrTaskObject,
  ListrTaskState,
} from 'listr2';

type BridgedTask = ListrTaskObject<ListrContext>;

import type { ProgressStore, TaskLine } from '../src/progress/progress-store.ts';

/**
 * A listr2 renderer that draws nothing: it forwards every task's title, state and output into the
 * ProgressStore, which the Ink screen renders. Ink owns the terminal; listr2 stays the execution engine.
 */
export interface StoreBridgeOptions {
  store: ProgressStore;
}

export class StoreBridgeRenderer implements ListrRenderer {
  static nonTTY = true;
  static rendererOptions: StoreBridgeOptions;
  static rendererTaskOptions: never;

  readonly #tasks: BridgedTask[];
  readonly #store: ProgressStore;

  constructor(tasks: BridgedTask[], options: StoreBridgeOptions) {
    this.#tasks = tasks;
    this.#store = options.store;
  }

  render(): void {
    for (const task of this.#tasks) {
      const publish = (): void => this.#store.setTask(toLine(task));
      publish();
      task.on(ListrTaskEventType.STATE, publish);
      task.on(ListrTaskEventType.TITLE, publish);
      task.on(ListrTaskEventType.OUTPUT, publish);
    }
  }

  end(): void {
    this.#store.finish();
  }
}

function toLine(task: BridgedTask): TaskLine {
  return {
    id: task.id,
    title: task.title ?? '',
    state: stateOf(task.state),
    ...(task.output ? { output: task.output } : {}),
  };
}

function stateOf(state: ListrTaskState): TaskLine['state'] {
  switch (state) {
    case ListrTaskState.STARTED:
    case ListrTaskState.RETRY:
    case ListrTaskState.ROLLING_BACK:
    case ListrTaskState.PROMPT:
      return 'running';
    case ListrTaskState.COMPLETED:
      return 'completed';
    case ListrTaskState.FAILED:
    case ListrTaskState.ROLLED_BACK:
    case ListrTaskState.PROMPT_FAILED:
      return 'failed';
    case ListrTaskState.SKIPPED:
      return 'skipped';
    default:
      return 'pending';
  }
}
