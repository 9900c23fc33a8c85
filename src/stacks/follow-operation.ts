import type { CloudFormationPort, StackDescription, StackEvent } from '../aws/cloudformation-port.ts';
import type { RootCause, StackEventRecord, StackguideEvent, StackOperation } from '../events.ts';
import type { Clock } from '../runtime/clock.ts';
import type { OperationTracker } from './operation-tracker.ts';
import { retryMessage, retryRead } from './retry-read.ts';
import { diagnoseFailure } from './root-cause.ts';
import { streamStackEvents } from './stack-event-streamer.ts';
import { isSuccess } from './stack-status.ts';

/**
 * The one way to follow a CloudFormation operation to its end, for deploy, delete and watch alike:
 * say it started, stream its events (nested stacks included), ask DescribeStacks by stack id for the
 * final word, find the root cause when it failed, and emit the verdict. Callers differ only in how the
 * operation began (a change set, DeleteStack, found running) and in what they do with the outcome.
 */
export interface FollowedOperation {
  stack: string;
  stackId: string;
  operation: StackOperation;
  /** For `attach`: the stack's status when we joined (`attach` itself is not a status). */
  status?: string;
  /** Events before this moment belong to earlier operations. */
  since: Date;
  /** The operation's ClientRequestToken, when we started it. */
  token?: string;
  /** The newest event before the operation began: reading back stops there. */
  afterEventId?: string;
  /** The stack's newest events, newest first, as the caller already read them: not read again. */
  knownEvents?: readonly StackEvent[];
  resourceCount?: number;
}

export interface FollowDeps {
  cloudFormation: CloudFormationPort;
  clock: Clock;
  emit: (event: StackguideEvent) => void;
  signal?: AbortSignal;
  /** Records the running operation for the Ctrl+C menu. */
  tracker?: OperationTracker;
  /** Poll timing; tests shorten it. */
  pollIntervalMs?: { min: number; max: number };
  /** Stack event ids an earlier run of the deployment already handed on (the journal's event log). */
  seenEventIds?: ReadonlySet<string>;
}

export interface FollowHooks {
  /** Which final status counts as success (default: CREATE/UPDATE/IMPORT complete). */
  succeeded?: (status: string) => boolean;
  /**
   * Runs after the final status is known and before the verdict is emitted: deploy journals it and
   * turns an operator's Ctrl+C choice into a cancellation (by throwing).
   */
  settle?: (final: StackDescription | undefined, status: string) => Promise<void>;
  /** The outputs to report on success (default: what DescribeStacks returned). */
  outputs?: (final: StackDescription) => Promise<Record<string, string>>;
}

export type FollowOutcome =
  | {
      ok: true;
      status: string;
      final: StackDescription | undefined;
      outputs: Record<string, string>;
      events: StackEventRecord[];
    }
  | {
      ok: false;
      status: string;
      final: StackDescription | undefined;
      /** Every event of the operation that was seen, oldest first. */
      events: StackEventRecord[];
      rootCause?: RootCause;
      /** One line saying why, as `stack.failed` carries it. */
      message: string;
    };

export async function followOperation(
  target: FollowedOperation,
  deps: FollowDeps,
  hooks: FollowHooks = {},
): Promise<FollowOutcome> {
  const { stack, stackId } = target;
  deps.emit({
    type: 'stack.started',
    stack,
    stackId,
    operation: target.operation,
    ...(target.status !== undefined ? { status: target.status } : {}),
    ...(target.resourceCount !== undefined ? { resourceCount: target.resourceCount } : {}),
  });
  const seen: StackEventRecord[] = [];
  deps.tracker?.begin({ stack, stackId, operation: target.operation });
  try {
    await streamStackEvents({
      cloudFormation: deps.cloudFormation,
      clock: deps.clock,
      stackId,
      stackName: stack,
      since: target.since,
      ...(target.token ? { clientRequestToken: target.token } : {}),
      ...(deps.tracker ? { adoptedTokens: () => deps.tracker?.adoptedTokens(stackId) ?? new Set() } : {}),
      ...(target.afterEventId ? { afterEventId: target.afterEventId } : {}),
      ...(target.knownEvents ? { knownEvents: target.knownEvents } : {}),
      ...(deps.seenEventIds ? { seenEventIds: deps.seenEventIds } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
      ...(deps.pollIntervalMs
        ? { minIntervalMs: deps.pollIntervalMs.min, maxIntervalMs: deps.pollIntervalMs.max }
        : {}),
      onEvent: (event) => {
        seen.push(event);
        deps.emit({ type: 'stack.event', stack, event });
      },
      onRetry: (notice) =>
        deps.emit({ type: 'warning', code: `aws.${notice.reason}`, message: retryMessage(notice) }),
    });
  } finally {
    deps.tracker?.end(stackId);
  }
  // The final word is DescribeStacks by id (a deleted stack is invisible by name), not the last event seen.
  // The operation has ended: a throttled or dropped read is retried, never taken for its outcome.
  const settled = <T>(action: string, read: () => Promise<T>): Promise<T> =>
    retryRead(read, {
      clock: deps.clock,
      action,
      ...(deps.signal ? { signal: deps.signal } : {}),
      onRetry: (notice) =>
        deps.emit({ type: 'warning', code: `aws.${notice.reason}`, message: retryMessage(notice) }),
    });
  const final = await settled('DescribeStacks', () => deps.cloudFormation.describeStack(stackId));
  const status = final?.status ?? 'UNKNOWN';
  await hooks.settle?.(final, status);
  if (final && (hooks.succeeded ?? isSuccess)(status)) {
    const { outputs: readOutputs } = hooks;
    const outputs = readOutputs
      ? await settled('ListStackResources', () => readOutputs(final))
      : final.outputs;
    deps.emit({ type: 'stack.completed', stack, stackId, status, outputs });
    return { ok: true, status, final, outputs, events: seen };
  }
  const rootCause = await settled('DescribeStackEvents', () =>
    diagnoseFailure(deps.cloudFormation, stackId, seen),
  );
  const message = rootCause
    ? `${rootCause.logicalResourceId} (${rootCause.resourceType}) in ${rootCause.stackName}: ${rootCause.reason}`
    : (final?.statusReason ?? `stack ended ${status}`);
  deps.emit({ type: 'stack.failed', stack, stackId, status, message, ...(rootCause ? { rootCause } : {}) });
  return { ok: false, status, final, events: seen, ...(rootCause ? { rootCause } : {}), message };
}
