import type { StackOperation } from '../events.ts';

/**
 * Which stack operations are running right now (several when independent stacks run at once), and what
 * the operator chose for each when they pressed Ctrl+C. The composition root reads it to offer the right
 * menu (a create can be deleted, an update cancelled); deployStack records each operation and, once
 * CloudFormation has reached a terminal state, reports an operator's delete or cancel as a cancellation
 * rather than a result.
 */
export interface ActiveOperation {
  stack: string;
  stackId: string;
  operation: StackOperation;
}

export type Interruption = 'delete' | 'cancel-update';

export class OperationTracker {
  /** By stack id, in the order they began. */
  readonly #active = new Map<string, ActiveOperation>();
  readonly #interruptions = new Map<string, Interruption>();
  readonly #tokens = new Map<string, Set<string>>();

  /** The operation begun last of those still running. */
  get active(): ActiveOperation | undefined {
    return [...this.#active.values()].at(-1);
  }

  /** Every operation running now, oldest first. */
  get running(): ActiveOperation[] {
    return [...this.#active.values()];
  }

  begin(operation: ActiveOperation): void {
    this.#active.set(operation.stackId, operation);
    this.#interruptions.delete(operation.stackId);
    this.#tokens.delete(operation.stackId);
  }

  end(stackId: string): void {
    this.#active.delete(stackId);
  }

  isRunning(stackId: string): boolean {
    return this.#active.has(stackId);
  }

  /**
   * The token of an operation the operator starts on a followed stack (the menu's delete or cancel),
   * given before the call: its events carry that token, and belong to what is being followed.
   */
  adoptToken(stackId: string, token: string): void {
    const tokens = this.#tokens.get(stackId) ?? new Set<string>();
    tokens.add(token);
    this.#tokens.set(stackId, tokens);
  }

  /** The tokens adopted for the stack's running operation. */
  adoptedTokens(stackId: string): ReadonlySet<string> {
    return this.#tokens.get(stackId) ?? new Set();
  }

  /** Recorded after the delete or cancel call succeeded; the streamer keeps following the stack. */
  interrupted(stackId: string, how: Interruption): void {
    this.#interruptions.set(stackId, how);
  }

  /** What the operator chose during this stack's operation just finished, if anything (read once). */
  takeInterruption(stackId: string): Interruption | undefined {
    const how = this.#interruptions.get(stackId);
    this.#interruptions.delete(stackId);
    return how;
  }
}
