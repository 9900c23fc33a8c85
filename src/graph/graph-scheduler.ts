import { StackguideError } from '../errors.ts';

/**
 * Decides when each piece of work of a run may start: once everything it waits for is done, and while
 * fewer than `concurrency` pieces run. After a failure (or `stop()`) nothing new starts; what runs is
 * left to finish, so a stack already changing in AWS is followed to its end and reported, as CDK's
 * `--concurrency` does. The work itself is the caller's (a listr2 task each): it asks for its turn, runs,
 * and says how it ended.
 */
export interface ScheduledNode {
  id: string;
  /** Ids of the nodes it waits for; ids not in the run count as done (an earlier run made them). */
  after: readonly string[];
}

export type NodeState = 'waiting' | 'running' | 'completed' | 'failed' | 'not-started';

export interface NotStarted {
  id: string;
  /** Why: the failures (or the stop) that kept it from starting. */
  reason: string;
}

/** The command-line default: like a CDK user's `--concurrency 4`, and within the event-streaming budget. */
export const DEFAULT_CONCURRENCY = 4;
const MAX_CONCURRENCY = 32;

export class GraphScheduler {
  readonly #nodes: readonly ScheduledNode[];
  readonly #concurrency: number;
  readonly #state = new Map<string, NodeState>();
  readonly #waiters = new Map<string, (go: boolean) => void>();
  #stopReason: string | undefined;
  readonly #failed: string[] = [];

  readonly #label: (id: string) => string;

  /** `label` names a node in the reasons told (a stack's name rather than its node id). */
  constructor(
    nodes: readonly ScheduledNode[],
    concurrency: number,
    label: (id: string) => string = (id) => id,
  ) {
    this.#nodes = nodes;
    this.#label = label;
    this.#concurrency = Math.max(1, concurrency);
    for (const node of nodes) this.#state.set(node.id, 'waiting');
  }

  /**
   * Resolves true when the node may start now, or false when it never will (a failure or a stop came
   * first); in both cases exactly once.
   */
  turn(id: string): Promise<boolean> {
    if (this.#state.get(id) !== 'waiting') return Promise.resolve(false);
    return new Promise((resolve) => {
      this.#waiters.set(id, resolve);
      this.#pump();
    });
  }

  /** The node ended; a failure stops every node not yet started. */
  finish(id: string, ok: boolean): void {
    this.#state.set(id, ok ? 'completed' : 'failed');
    if (!ok) {
      this.#failed.push(id);
      this.#stopReason ??= '';
    }
    this.#pump();
  }

  /** Starts nothing more (Ctrl+C, a timeout); what runs goes on to its end. */
  stop(reason: string): void {
    this.#stopReason ??= reason;
    this.#pump();
  }

  state(id: string): NodeState | undefined {
    return this.#state.get(id);
  }

  /** The nodes that did not start, each with why, in node order. */
  notStarted(): NotStarted[] {
    return this.#nodes
      .filter((node) => this.#state.get(node.id) === 'not-started')
      .map((node) => ({ id: node.id, reason: this.#why() }));
  }

  #why(): string {
    // A stop (Ctrl+C, a declined change set) is why, even when a branch ended failing because of it.
    if (this.#stopReason) return `not started: ${this.#stopReason}`;
    if (this.#failed.length > 0)
      return `not started: ${this.#failed.map(this.#label).join(' and ')} failed, so nothing new was started`;
    return 'not started: the run was stopped';
  }

  #running(): number {
    return [...this.#state.values()].filter((state) => state === 'running').length;
  }

  #pump(): void {
    if (this.#stopReason !== undefined) {
      for (const node of this.#nodes)
        if (this.#state.get(node.id) === 'waiting') this.#state.set(node.id, 'not-started');
      for (const [id, resolve] of this.#waiters) {
        this.#waiters.delete(id);
        resolve(false);
      }
      return;
    }
    for (const node of this.#nodes) {
      if (this.#running() >= this.#concurrency) return;
      const resolve = this.#waiters.get(node.id);
      if (!resolve) continue;
      const ready = node.after.every((id) => {
        const state = this.#state.get(id);
        return state === undefined || state === 'completed';
      });
      if (!ready) continue;
      this.#waiters.delete(node.id);
      this.#state.set(node.id, 'running');
      resolve(true);
    }
  }
}

/** `--concurrency N`: a whole number from 1 to 32; bad input is exit 2 before any AWS call. */
export function parseConcurrency(value: string | undefined): number {
  if (value === undefined) return DEFAULT_CONCURRENCY;
  const parsed = Number(value);
  if (!/^\d+$/.test(value.trim()) || parsed < 1 || parsed > MAX_CONCURRENCY)
    throw new StackguideError(`--concurrency ${value} is not a whole number from 1 to ${MAX_CONCURRENCY}`, {
      code: 'usage.concurrency',
      kind: 'user',
      nextSteps: [
        `Give how many stacks may change at once, e.g. --concurrency ${DEFAULT_CONCURRENCY} (the default); 1 runs them one by one.`,
      ],
    });
  return parsed;
}
