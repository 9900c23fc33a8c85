import { isThrottling, isTransientNetworkError } from '../aws/aws-errors.ts';
import type { CloudFormationPort, StackEvent } from '../aws/cloudformation-port.ts';
import type { StackEventRecord } from '../events.ts';
import type { Clock } from '../runtime/clock.ts';
import type { RetryNotice } from './retry-read.ts';
import { isTerminal } from './stack-status.ts';

/**
 * Follows one CloudFormation operation through its events, nested stacks included, and hands every new
 * event on exactly once, oldest first. It polls DescribeStackEvents newest-first by stack ARN and reads
 * back only until it meets an event it has already seen or one older than the operation, so a long-lived
 * stack costs one page per poll. It never prints: callers pass `onEvent`.
 */
export interface StreamOptions {
  cloudFormation: CloudFormationPort;
  clock: Clock;
  /** ARN of the top-level stack. */
  stackId: string;
  stackName: string;
  /** Events before this moment belong to earlier operations. */
  since: Date;
  /** When the operation was started with a token, events carrying another token are not ours. */
  clientRequestToken?: string;
  /** Tokens of operations started on the stack while it is followed (the Ctrl+C menu's delete or
   * cancel), read at every poll: their events are handed on as the operation's own. */
  adoptedTokens?: () => ReadonlySet<string>;
  /** The newest event before the operation began: reading back stops there (CloudFormation's clock
   * and ours need not agree, so this is the reliable boundary when it is known). */
  afterEventId?: string;
  /** Event ids already handed on (by an earlier run of this deployment, from the journal's event log):
   * never handed on again. */
  seenEventIds?: ReadonlySet<string>;
  onEvent: (event: StackEventRecord) => void;
  /** Told when AWS throttles the reads or the connection drops, with the wait before the next try:
   * the first of a run of failures at once, then every fourth, so a long stall never looks hung. */
  onRetry?: (notice: RetryNotice) => void;
  signal?: AbortSignal;
  /** Poll interval while events flow, and the ceiling it backs off to when idle. */
  minIntervalMs?: number;
  maxIntervalMs?: number;
}

interface StackPoller {
  stackId: string;
  stackName: string;
  seen: Set<string>;
  finished: boolean;
}

/** Allowed difference between our clock and CloudFormation's when comparing to `since`. */
const CLOCK_SKEW_MS = 2_000;
const MAX_BACKOFF_MS = 30_000;

/** Resolves when the top-level stack reaches a terminal status, after one last poll for late events. */
export async function streamStackEvents(options: StreamOptions): Promise<void> {
  const { cloudFormation, clock, signal } = options;
  const minInterval = options.minIntervalMs ?? 1_000;
  const maxInterval = options.maxIntervalMs ?? 5_000;
  const sinceMs = options.since.getTime() - CLOCK_SKEW_MS;
  const pollers = new Map<string, StackPoller>();
  // Event ids are unique across stacks: one set guards every hand-on, whichever read found the event
  // (two pages of one read, a read that overlaps the last one, a retry, an earlier run).
  const handedOnIds = new Set<string>(options.seenEventIds ?? []);
  const addPoller = (stackId: string, stackName: string): void => {
    if (!pollers.has(stackId)) pollers.set(stackId, { stackId, stackName, seen: new Set(), finished: false });
  };
  addPoller(options.stackId, options.stackName);
  if (options.afterEventId) pollers.get(options.stackId)?.seen.add(options.afterEventId);

  let rootTerminal = false;
  let interval = minInterval;
  let failures = 0;
  let idlePolls = 0;

  const pollOnce = async (): Promise<number> => {
    let handedOn = 0;
    // Every stack of the tree is read at once (one call each), then delivered in a stable order.
    // Children discovered during this round are read from the next one.
    const active = [...pollers.values()].filter((poller) => !poller.finished || rootTerminal);
    const pages = await Promise.all(
      active.map((poller) => {
        // Nested stacks run under tokens of their own, so only the top-level stack is filtered by ours.
        const token = poller.stackId === options.stackId ? options.clientRequestToken : undefined;
        const ours = token === undefined ? undefined : new Set([token, ...(options.adoptedTokens?.() ?? [])]);
        return readNewEvents(cloudFormation, poller, sinceMs, ours);
      }),
    );
    active.forEach((poller, index) => {
      for (const event of pages[index] ?? []) {
        poller.seen.add(event.eventId);
        if (!handedOnIds.has(event.eventId)) {
          handedOnIds.add(event.eventId);
          options.onEvent(toRecord(event, options.stackId));
          handedOn++;
        }
        if (isNestedStackEvent(event, poller.stackId) && event.physicalResourceId) {
          addPoller(
            event.physicalResourceId,
            nestedStackName(event.physicalResourceId, event.logicalResourceId),
          );
        }
        if (isOwnStackEvent(event, poller) && isTerminal(event.status)) {
          poller.finished = true;
          if (poller.stackId === options.stackId) rootTerminal = true;
        }
      }
    });
    return handedOn;
  };

  for (;;) {
    signal?.throwIfAborted();
    try {
      const delivered = await pollOnce();
      failures = 0;
      idlePolls = delivered === 0 ? idlePolls + 1 : 0;
      // Back off gently when quiet (1, 1.5, 2.25, ... up to 5 s): a long wait is cheap on the API,
      // and the first events after a pause still show within a second or two (bench/events).
      interval = delivered > 0 ? minInterval : Math.min(maxInterval, interval * 1.5);
    } catch (error) {
      if (!isThrottling(error) && !isTransientNetworkError(error)) throw error;
      // Nothing seen is lost: `seen` survives, so the next successful poll reads back to where it was.
      failures++;
      const backoff = Math.min(MAX_BACKOFF_MS, minInterval * 2 ** failures);
      const waitMs = backoff / 2 + (clock.random() * backoff) / 2;
      if (failures % 4 === 1) {
        options.onRetry?.({
          action: 'DescribeStackEvents',
          reason: isThrottling(error) ? 'throttled' : 'unreachable',
          attempt: failures,
          waitMs,
        });
      }
      await clock.sleep(waitMs, signal);
      continue;
    }
    if (rootTerminal) break;
    // Events alone can miss the end (DescribeStackEvents is eventually consistent: the stack-level
    // terminal event can land after a page we already read); when idle, ask the stack itself now and then.
    if (idlePolls > 0 && idlePolls % 3 === 0) {
      const stack = await cloudFormation.describeStack(options.stackId).catch(() => undefined);
      if (stack && isTerminal(stack.status)) break;
    }
    await clock.sleep(interval, signal);
  }

  // One final poll: CloudFormation sometimes writes reasons after the terminal status appears.
  rootTerminal = true;
  await pollOnce().catch((error: unknown) => {
    if (!isThrottling(error) && !isTransientNetworkError(error)) throw error;
  });
}

async function readNewEvents(
  cloudFormation: CloudFormationPort,
  poller: StackPoller,
  sinceMs: number,
  tokens: ReadonlySet<string> | undefined,
): Promise<StackEvent[]> {
  const fresh: StackEvent[] = [];
  const inThisRead = new Set<string>();
  let nextToken: string | undefined;
  do {
    const page = await cloudFormation.describeStackEvents(poller.stackId, nextToken);
    for (const event of page.events) {
      // Events written while we page push older ones down: a later page repeats the end of the one
      // before. Skip the repeats; nothing is skipped over, as only newer events can arrive.
      if (inThisRead.has(event.eventId)) continue;
      inThisRead.add(event.eventId);
      const older = event.timestamp.getTime() < sinceMs;
      const otherOperation =
        tokens !== undefined &&
        event.clientRequestToken !== undefined &&
        !tokens.has(event.clientRequestToken);
      if (poller.seen.has(event.eventId) || older || otherOperation) {
        return fresh.reverse();
      }
      fresh.push(event);
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return fresh.reverse();
}

function isOwnStackEvent(event: StackEvent, poller: StackPoller): boolean {
  return (
    event.resourceType === 'AWS::CloudFormation::Stack' &&
    (event.physicalResourceId === poller.stackId || event.logicalResourceId === poller.stackName)
  );
}

function isNestedStackEvent(event: StackEvent, stackId: string): boolean {
  return (
    event.resourceType === 'AWS::CloudFormation::Stack' &&
    event.physicalResourceId !== undefined &&
    event.physicalResourceId.startsWith('arn:') &&
    event.physicalResourceId !== stackId
  );
}

/** `arn:aws:cloudformation:region:acct:stack/<name>/<uuid>` → `<name>`. */
function nestedStackName(stackArn: string, fallback: string): string {
  return /:stack\/([^/]+)\//.exec(stackArn)?.[1] ?? fallback;
}

function toRecord(event: StackEvent, rootStackId: string): StackEventRecord {
  return {
    eventId: event.eventId,
    stackName: event.stackName,
    stackId: event.stackId,
    rootStackId,
    logicalResourceId: event.logicalResourceId,
    resourceType: event.resourceType,
    status: event.status,
    timestamp: event.timestamp.toISOString(),
    ...(event.physicalResourceId ? { physicalResourceId: event.physicalResourceId } : {}),
    ...(event.reason ? { reason: event.reason } : {}),
  };
}
