/**
 * Everything a long operation has to say, as typed events. Logic emits them and never prints;
 * renderers subscribe: Ink in a terminal, plain lines without one, NDJSON for `--output json`, and the
 * journal's event log. The `type` strings are a public, documented contract (README, "NDJSON events"):
 * add fields and types freely, never rename or remove one.
 */

import type { DestroyPlan } from './decommission/destroy-plan.ts';
import type { ErrorKind } from './errors.ts';
import type { ChangeSetSummary } from './stacks/change-set.ts';
import type { CheckResult } from './steps/step.ts';

export type StackOperation = 'create' | 'update' | 'delete' | 'attach';

/** One CloudFormation stack event, as the streamer hands it on (oldest first, each exactly once). */
export interface StackEventRecord {
  eventId: string;
  /** Stack the event belongs to (a nested stack's own name for its resources). */
  stackName: string;
  stackId: string;
  /** Top-level stack of the operation; equal to stackId for top-level events. */
  rootStackId: string;
  logicalResourceId: string;
  physicalResourceId?: string;
  resourceType: string;
  status: string;
  reason?: string;
  timestamp: string;
}

export interface RootCause {
  stackName: string;
  logicalResourceId: string;
  resourceType: string;
  status: string;
  reason: string;
}

export type StackguideEvent =
  | { type: 'run.started'; command: string; blueprint?: string; deployment?: string; region?: string }
  | { type: 'identity.resolved'; account: string; arn: string; region: string }
  | { type: 'answers.saved'; path: string }
  | { type: 'file.written'; path: string; description?: string }
  | { type: 'stack.skipped'; stack: string; reason: string }
  | {
      type: 'changeset.created';
      stack: string;
      summary: {
        changeSetId: string;
        stackId: string;
        type: 'CREATE' | 'UPDATE';
        empty: boolean;
        changes: ChangeSetSummary['changes'];
        iamResources: string[];
        statefulReplacements: string[];
      };
    }
  | {
      type: 'stack.started';
      stack: string;
      stackId?: string;
      operation: StackOperation;
      /** For `attach`: the stack's status when we joined the operation already running on it. */
      status?: string;
      resourceCount?: number;
    }
  | { type: 'stack.event'; stack: string; event: StackEventRecord }
  | {
      type: 'stack.completed';
      stack: string;
      stackId: string;
      status: string;
      outputs: Record<string, string>;
    }
  | {
      type: 'stack.failed';
      stack: string;
      stackId?: string;
      status: string;
      rootCause?: RootCause;
      message: string;
    }
  | {
      type: 'stack.status';
      stack: string;
      stackId?: string;
      status: string;
      updatedAt?: string;
      outputs: Record<string, string>;
    }
  | { type: 'check.result'; result: CheckResult }
  | { type: 'step.started'; step: string; kind: string; title: string }
  | { type: 'step.progress'; step: string; message: string; facts?: Record<string, unknown> }
  | { type: 'step.completed'; step: string; outputs: Record<string, string> }
  | { type: 'upgrade.started'; deployment: string; from: string; to: string }
  | { type: 'destroy.plan'; plan: DestroyPlan }
  | {
      type: 'destroy.leftovers';
      unexpected: Array<{ arn: string; reason: string }>;
      expected: Array<{ arn: string; reason: string }>;
      /** Listed by the blueprint as untaggable but of a kind stackguide cannot check. */
      unchecked: Array<{ name: string; reason: string }>;
    }
  | { type: 'blueprint.valid'; blueprint: string; version: string; questions: number; stacks: string[] }
  | { type: 'heartbeat'; stack: string; status: string; elapsedSeconds: number }
  | { type: 'warning'; code: string; message: string }
  | {
      type: 'run.completed';
      outcome: 'succeeded' | 'failed' | 'cancelled';
      exitCode: number;
      nextCommand?: string;
    }
  | {
      type: 'error';
      code: string;
      kind: ErrorKind;
      message: string;
      details: Array<{ path: string; message: string; fix?: string }>;
      nextSteps: string[];
    };

export type EventType = StackguideEvent['type'];

export type EventListener = (event: StackguideEvent) => void;

/** A synchronous fan-out: every listener sees every event in emission order. */
export class EventBus {
  readonly #listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: StackguideEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}
