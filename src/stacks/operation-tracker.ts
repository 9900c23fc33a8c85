import type { StackOperation } from '../events.ts';

/**
 * Which stack operation is running right now, and what the operator chose when they pressed Ctrl+C
 * during it. The composition root reads it to offer the right menu (a create can be deleted, an update
 * cancelled); deployStack records the operation and, once CloudFormation has reached a terminal state,
 * reports an operator's delete or cancel as a cancellation rather than a result.
 */
export interface ActiveOperation {
  stack: string;
  stackId: string;
  operation: StackOperation;
}

export type Interruption = 'delete' | 'cancel-update';

export class OperationTracker {
  #active: ActiveOperation | undefined;
  #interruption: Interruption | undefined;

  get active(): ActiveOperation | undefined {
    return this.#active;
  }

  begin(operation: ActiveOperation): void {
    this.#active = operation;
    this.#interruption = undefined;
  }

  end(): void {
    this.#active = undefined;
  }

  /** Recorded after the delete or cancel call succeeded; the streamer keeps following the stack. */
  interrupted(how: Interruption): void {
    this.#interruption = how;
  }

  /** What the operator chose during the operation just finished, if anything (read once). */
  takeInterruption(): Interruption | undefined {
    const how = this.#interruption;
    this.#interruption = undefined;
    return how;
  }
}
