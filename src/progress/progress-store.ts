import type { StackguideEvent, StackOperation } from '../events.ts';
import type { ChangeSetSummary } from '../stacks/change-set.ts';
import { isFailedStatus, isTerminal } from '../stacks/stack-status.ts';

/**
 * The live picture of a run, built from events alone and read by the Ink screen. It holds no UI code,
 * so the reducer is unit tested and any renderer can use it. Snapshots are immutable: a new object per
 * change, which is what React's useSyncExternalStore needs.
 */
/**
 * The run's title, or its forms from the fullest to the shortest (an upgrade's "what changed" said by
 * name, then counted, then left out): the header says the fullest that fits the window.
 */
export type RunTitle = string | readonly [string, ...string[]];

export interface ProgressSnapshot {
  title: string;
  /** The title in fewer words, shortest last, for a window too narrow for it (see RunTitle). */
  shorterTitles?: readonly string[];
  startedAt: number;
  /** Top-level tasks as listr2 reports them (one per stack, in order). */
  tasks: TaskLine[];
  stacks: Record<string, StackProgress>;
  /** Order in which stacks (nested ones included) first appeared. */
  stackOrder: string[];
  finished: boolean;
  /** A question the screen must show now; the run waits for its answer. */
  prompt?: ProgressPrompt;
  /** Preparation steps, by step id, as their events tell them. */
  steps: Record<string, StepProgress>;
  /** Order in which steps started. */
  stepOrder: string[];
  /** Warnings no running step owned: kept for the summary. */
  warnings: string[];
  /** The latest estimate of the time left for the whole run (`eta` events), and when it was told. */
  eta?: Estimate;
}

/** Seconds left as of `at` (ms): a screen counts down from it until the next estimate. */
export interface Estimate {
  remainingSeconds: number;
  guess: boolean;
  at: number;
}

/**
 * One preparation step as a row: what it is doing now (`detail`, one line) and, while it waits on the
 * outside world, what the operator must do (`action`: the NS records to copy, the approver addresses),
 * taken from the lines of its latest progress message after the first.
 */
/**
 * How a task's output starts while it waits its turn (for another step or stack, or a free slot): the
 * live view draws such a row as waiting, not running.
 */
export const WAITING_FOR = 'waiting for ';

export interface StepProgress {
  id: string;
  title: string;
  kind: string;
  /**
   * `pending`: it did all it can this run, and its result waits on someone outside it (`pending`).
   * `stopped`: the operator stopped the run while it ran (Ctrl+C), which is not a failure of the step.
   * `confirmed`: a manual step the operator said is done; nothing checked it (never drawn as done).
   */
  state: 'running' | 'done' | 'confirmed' | 'pending' | 'failed' | 'stopped';
  startedAt: number;
  finishedAt?: number;
  detail?: string;
  action: string[];
  /** Warnings said while it ran: shown on its row, and repeated in the summary. */
  warnings: string[];
  /** What its result waits for, once it is pending (AWS's review of the SES request). */
  pending?: string;
  /** While it waits on the outside world: its next check and its deadline (ms), from `step.waiting`. */
  nextCheckAt?: number;
  givesUpAt?: number;
}

/** What the live screen may have to ask in the middle of a run. */
export type ProgressPrompt =
  | { kind: 'changeset'; summary: ChangeSetSummary }
  | {
      kind: 'interrupt';
      stack: string;
      operation: StackOperation;
      choices: Array<{ value: string; label: string }>;
    }
  /** A question the run cannot go on without (destroy's DELETE_FAILED: retry, retain or stop). */
  | {
      kind: 'choice';
      message: string;
      choices: Array<{ value: string; label: string }>;
      cancelValue: string;
    };

export interface TaskLine {
  id: string;
  title: string;
  state: 'pending' | 'running' | 'completed' | 'failed' | 'skipped';
  output?: string;
}

export interface StackProgress {
  name: string;
  /** Name of the stack it is nested in, for nested stacks. */
  parent?: string;
  status: string;
  operation?: string;
  startedAt: number;
  finishedAt?: number;
  resourceCount?: number;
  /**
   * By logical id. Updated in place: copying it for every event costs O(resources) per event on a
   * 500-resource stack; the stack object around it is new on every change, which is what React sees.
   */
  resources: Map<string, ResourceProgress>;
  failure?: string;
  /** stackguide has said its last word on it (completed, failed, unchanged): it can scroll away. */
  settled?: boolean;
  /** The latest estimate of its time left, while it runs. */
  eta?: Estimate;
}

export interface ResourceProgress {
  logicalId: string;
  type: string;
  status: string;
  reason?: string;
  startedAt: number;
  finishedAt?: number;
}

type Listener = () => void;

export class ProgressStore {
  #snapshot: ProgressSnapshot;
  readonly #listeners = new Set<Listener>();
  readonly #now: () => number;
  #answer: ((value: string) => void) | undefined;
  #pending: ReturnType<typeof setTimeout> | undefined;
  readonly #notifyEveryChange: boolean;
  #stopping = false;

  /** `notifyEveryChange` for tests that assert on each intermediate frame. */
  constructor(title: RunTitle, now: () => number = Date.now, options: { notifyEveryChange?: boolean } = {}) {
    this.#now = now;
    this.#notifyEveryChange = options.notifyEveryChange ?? false;
    const [full, ...shorter] = typeof title === 'string' ? [title] : title;
    this.#snapshot = {
      title: full,
      ...(shorter.length > 0 ? { shorterTitles: shorter } : {}),
      startedAt: now(),
      tasks: [],
      stacks: {},
      stackOrder: [],
      finished: false,
      steps: {},
      stepOrder: [],
      warnings: [],
    };
  }

  getSnapshot = (): ProgressSnapshot => this.#snapshot;

  subscribe = (listener: Listener): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  setTask(line: TaskLine): void {
    const tasks = this.#snapshot.tasks.some((task) => task.id === line.id)
      ? this.#snapshot.tasks.map((task) => (task.id === line.id ? line : task))
      : [...this.#snapshot.tasks, line];
    let next: ProgressSnapshot = { ...this.#snapshot, tasks };
    // A step says when it starts and completes, not when it fails: its task does.
    if (line.state === 'failed') {
      const failed = Object.values(next.steps).find(
        (step) => step.state === 'running' && line.title.startsWith(step.title),
      );
      const state = this.#stopping ? 'stopped' : 'failed';
      if (failed) next = withStep(next, failed.id, (step) => ({ ...step, state, finishedAt: this.#now() }));
    }
    this.#commit(next);
  }

  /** The operator stopped the run: a task that fails from now on was stopped, not failed by its step. */
  stopping(): void {
    this.#stopping = true;
  }

  /** Shows a prompt and resolves with the value the screen answers it with. One prompt at a time. */
  ask(prompt: ProgressPrompt): Promise<string> {
    this.#answer?.('');
    return new Promise((resolve) => {
      this.#answer = resolve;
      this.#commit({ ...this.#snapshot, prompt });
    });
  }

  answer(value: string): void {
    const resolve = this.#answer;
    this.#answer = undefined;
    const { prompt: _answered, ...rest } = this.#snapshot;
    this.#commit(rest);
    resolve?.(value);
  }

  finish(): void {
    this.#commit({ ...this.#snapshot, finished: true });
  }

  apply(event: StackguideEvent): void {
    const next = reduce(this.#snapshot, event, this.#now());
    if (next !== this.#snapshot) this.#commit(next);
  }

  #commit(next: ProgressSnapshot): void {
    this.#snapshot = next;
    // A 300-resource deploy can deliver hundreds of events in one poll: the screen is told at most
    // about 30 times a second, not once per event, so it redraws what changed instead of every step.
    // Prompts and the end are told at once.
    if (next.prompt !== undefined || next.finished || this.#notifyEveryChange) {
      this.#notify();
      return;
    }
    this.#pending ??= setTimeout(() => this.#notify(), 33);
  }

  #notify(): void {
    if (this.#pending) clearTimeout(this.#pending);
    this.#pending = undefined;
    for (const listener of this.#listeners) listener();
  }
}

function reduce(state: ProgressSnapshot, event: StackguideEvent, now: number): ProgressSnapshot {
  switch (event.type) {
    case 'stack.started':
      // A new operation on a stack already settled (destroy's retry after DELETE_FAILED) opens it again.
      return withStack(
        state,
        event.stack,
        ({ settled: _settled, failure: _failure, finishedAt: _end, ...stack }) => ({
          ...stack,
          resources: new Map(),
          // `attach` is not a status: show the one read back when joining the running operation.
          status:
            event.status ??
            (event.operation === 'attach' ? 'IN_PROGRESS' : `${event.operation.toUpperCase()}_IN_PROGRESS`),
          operation: event.operation,
          startedAt: now,
          ...(event.resourceCount !== undefined ? { resourceCount: event.resourceCount } : {}),
        }),
      );
    case 'stack.event': {
      const e = event.event;
      let next = state;
      if (e.stackName !== event.stack) {
        // A nested stack: give it its own entry under its parent the first time we hear of it.
        next = withStack(next, e.stackName, (stack) => ({
          ...stack,
          parent: stack.parent ?? event.stack,
          // Heard of through its resources (attached mid-operation): it runs as its parent does.
          status:
            stack.status === 'PENDING' ? (state.stacks[event.stack]?.status ?? 'IN_PROGRESS') : stack.status,
          startedAt: stack.startedAt || now,
        }));
      }
      return withStack(next, e.stackName, (stack) => {
        if (e.resourceType === 'AWS::CloudFormation::Stack' && e.logicalResourceId === e.stackName) {
          return { ...stack, status: e.status, ...(isTerminal(e.status) ? { finishedAt: now } : {}) };
        }
        const previous = stack.resources.get(e.logicalResourceId);
        const resource: ResourceProgress = {
          logicalId: e.logicalResourceId,
          type: e.resourceType,
          status: e.status,
          startedAt: previous?.startedAt ?? now,
          ...(e.reason ? { reason: e.reason } : {}),
          ...(isTerminal(e.status) ? { finishedAt: now } : {}),
        };
        stack.resources.set(e.logicalResourceId, resource);
        return { ...stack };
      });
    }
    case 'stack.status':
      // watch, following a run: a stack the run has not reached yet gets its row, waiting.
      return state.stacks[event.stack] ? state : withStack(state, event.stack, (stack) => stack);
    case 'stack.completed':
      return withStack(state, event.stack, (stack) => ({
        ...stack,
        status: event.status,
        finishedAt: now,
        settled: true,
      }));
    case 'eta': {
      const stacks = { ...state.stacks };
      for (const row of event.stacks) {
        const stack = stacks[row.stack];
        if (stack)
          stacks[row.stack] = {
            ...stack,
            eta: { remainingSeconds: row.remainingSeconds, guess: row.guess, at: now },
          };
      }
      return {
        ...state,
        stacks,
        eta: { remainingSeconds: event.remainingSeconds, guess: event.guess, at: now },
      };
    }
    case 'stack.not-started':
      return withStack(state, event.stack, (stack) => ({
        ...stack,
        status: 'NOT_STARTED',
        finishedAt: now,
        settled: true,
        failure: event.reason,
      }));
    case 'stack.skipped':
      return withStack(state, event.stack, (stack) => ({
        ...stack,
        status: 'UNCHANGED',
        finishedAt: now,
        settled: true,
      }));
    case 'stack.failed':
      return withStack(state, event.stack, (stack) => ({
        ...stack,
        settled: true,
        status: event.status,
        finishedAt: now,
        failure: event.rootCause
          ? `${event.rootCause.logicalResourceId} (${event.rootCause.resourceType}) in ${event.rootCause.stackName}: ${event.rootCause.reason}`
          : event.message,
      }));
    case 'step.started':
      return withStep(state, event.step, (step) => ({
        ...step,
        title: event.title,
        kind: event.kind,
        state: 'running',
        startedAt: now,
      }));
    case 'step.progress': {
      if (!state.steps[event.step]) return state;
      const [first = '', ...rest] = event.message.split('\n');
      const action = rest.filter((line) => line.trim() !== '');
      // A one-line update (a re-check's verdict) keeps what the operator was asked to do on screen.
      return withStep(state, event.step, (step) => ({
        ...step,
        detail: first,
        action: action.length > 0 ? action : step.action,
      }));
    }
    case 'step.waiting': {
      if (!state.steps[event.step]) return state;
      return withStep(state, event.step, (step) => ({
        ...step,
        nextCheckAt: Date.parse(event.nextCheckAt),
        givesUpAt: Date.parse(event.givesUpAt),
      }));
    }
    case 'step.completed':
      return withStep(
        state,
        event.step,
        ({ action: _done, nextCheckAt: _next, givesUpAt: _end, ...step }) => ({
          ...step,
          action: [],
          // Ticked done only when nothing outside the run is still to come.
          ...(event.pending
            ? { state: 'pending' as const, pending: event.pending }
            : { state: event.confirmedByOperator ? ('confirmed' as const) : ('done' as const) }),
          finishedAt: now,
        }),
      );
    case 'warning': {
      const running = state.stepOrder
        .map((id) => state.steps[id])
        .findLast((step) => step?.state === 'running');
      if (running)
        return withStep(state, running.id, (step) => ({
          ...step,
          warnings: [...step.warnings, event.message],
        }));
      return { ...state, warnings: [...state.warnings, event.message] };
    }
    default:
      return state;
  }
}

function withStep(
  state: ProgressSnapshot,
  id: string,
  change: (step: StepProgress) => StepProgress,
): ProgressSnapshot {
  const existing = state.steps[id] ?? {
    id,
    title: id,
    kind: '',
    state: 'running' as const,
    startedAt: 0,
    action: [],
    warnings: [],
  };
  return {
    ...state,
    steps: { ...state.steps, [id]: change(existing) },
    stepOrder: state.stepOrder.includes(id) ? state.stepOrder : [...state.stepOrder, id],
  };
}

function withStack(
  state: ProgressSnapshot,
  name: string,
  change: (stack: StackProgress) => StackProgress,
): ProgressSnapshot {
  const existing = state.stacks[name] ?? { name, status: 'PENDING', startedAt: 0, resources: new Map() };
  return {
    ...state,
    stacks: { ...state.stacks, [name]: change(existing) },
    stackOrder: state.stackOrder.includes(name) ? state.stackOrder : [...state.stackOrder, name],
  };
}

/** Resources done, for "n/total" (deleted and failed count as done: they will not move again). */
export function doneCount(stack: StackProgress): number {
  return [...stack.resources.values()].filter((resource) => isTerminal(resource.status)).length;
}

export function failedResources(stack: StackProgress): ResourceProgress[] {
  return [...stack.resources.values()].filter((resource) => isFailedStatus(resource.status));
}
