import { isThrottling, isTransientNetworkError } from '../aws/aws-errors.ts';
import type { CloudFormationPort, StackEvent, StackEventsPage } from '../aws/cloudformation-port.ts';
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
  /** The top-level stack's newest events as the caller already read them (newest first, as the API
   * gives them; `watch` reads back to the operation's start): handed on at once, under the same rules
   * as a poll's, and not read again. */
  knownEvents?: readonly StackEvent[];
  onEvent: (event: StackEventRecord) => void;
  /** Told when AWS throttles the reads or the connection drops, with the wait before the next try:
   * the third failure in a row (one or two are routine and cost a fraction of a second), then every
   * fourth, so a long stall never looks hung. */
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
const RETRY_BASE_MS = 250;
/**
 * While AWS has throttled or dropped a read this recently, events that flow are polled for at 1.5 times
 * the interval: a third fewer calls when the account's rate is contested, and still within 2 s of an
 * event at p95 (bench/faults: 25% of calls throttled). Without throttling the interval stays as it is.
 */
const CONTESTED_WINDOW_MS = 30_000;
const CONTESTED_FACTOR = 1.5;
/** Failed tries in a row of the last poll after the end before its late events are given up (the
 * verdict never depends on them). */
const FINAL_POLL_FAILURES = 8;

/**
 * The wait before the next try after `failures` failed tries in a row: 250 ms at first (a quarter of
 * the interval when tests shorten it), growing by half with each failure up to 30 s, with jitter (the
 * upper half of the range). A single throttled call costs little wait, so events still show within the
 * latency goal while 25% of calls are throttled (bench/faults); growth by half rather than doubling
 * keeps a chance run of six or seven failures from stalling the view for 8-16 s, while a throttle that
 * persists still reaches seconds within ten tries and half a minute within about thirteen. The reads
 * make one attempt each (`retry: false`): these waits replace the SDK's retries, never add to them.
 */
function retryWaitMs(failures: number, minInterval: number, random: () => number): number {
  const first = Math.min(RETRY_BASE_MS, minInterval / 4);
  const backoff = Math.min(MAX_BACKOFF_MS, first * 1.5 ** (failures - 1));
  return backoff / 2 + (random() * backoff) / 2;
}

function isRetriable(error: unknown): boolean {
  return isThrottling(error) || isTransientNetworkError(error);
}

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
  let idlePolls = 0;
  let lastFailureAt = Number.NEGATIVE_INFINITY;
  const flowingInterval = (): number =>
    clock.now() - lastFailureAt < CONTESTED_WINDOW_MS ? minInterval * CONTESTED_FACTOR : minInterval;

  // Nested stacks run under tokens of their own, so only the top-level stack is filtered by ours.
  const tokensOf = (poller: StackPoller): ReadonlySet<string> | undefined => {
    const token = poller.stackId === options.stackId ? options.clientRequestToken : undefined;
    return token === undefined ? undefined : new Set([token, ...(options.adoptedTokens?.() ?? [])]);
  };
  const deliver = (poller: StackPoller, fresh: readonly StackEvent[]): number => {
    let handedOn = 0;
    for (const event of fresh) {
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
    return handedOn;
  };

  const pollOnce = async (maxFailures: number): Promise<number> => {
    // Every stack of the tree is read at once (one call each), then delivered in a stable order.
    // Children discovered during this round are read from the next one.
    const active = [...pollers.values()].filter((poller) => !poller.finished || rootTerminal);
    const retry: RetryContext = {
      clock,
      minInterval,
      maxFailures,
      onRetry: options.onRetry,
      onFailure: () => {
        lastFailureAt = clock.now();
      },
      signal,
    };
    const pages = await Promise.all(
      active.map((poller) => readNewEvents(cloudFormation, poller, sinceMs, tokensOf(poller), retry)),
    );
    return active.reduce((sum, poller, index) => sum + deliver(poller, pages[index] ?? []), 0);
  };

  const root = pollers.get(options.stackId);
  if (root && options.knownEvents) {
    const fresh: StackEvent[] = [];
    takeNewEvents(options.knownEvents, root, sinceMs, tokensOf(root), new Set(), fresh);
    deliver(root, fresh.reverse());
  }

  for (;;) {
    signal?.throwIfAborted();
    const delivered = await pollOnce(Number.POSITIVE_INFINITY);
    idlePolls = delivered === 0 ? idlePolls + 1 : 0;
    // Back off gently when quiet (1, 1.5, 2.25, ... up to 5 s): a long wait is cheap on the API,
    // and the first events after a pause still show within a second or two (bench/events).
    interval = delivered > 0 ? flowingInterval() : Math.min(maxInterval, interval * 1.5);
    if (rootTerminal) break;
    // Events alone can miss the end (DescribeStackEvents is eventually consistent: the stack-level
    // terminal event can land after a page we already read); when idle, ask the stack itself now and then.
    if (idlePolls > 0 && idlePolls % 3 === 0) {
      const stack = await cloudFormation.describeStack(options.stackId).catch(() => undefined);
      if (stack && isTerminal(stack.status)) break;
    }
    await clock.sleep(interval, signal);
  }

  // One final poll: CloudFormation sometimes writes reasons after the terminal status appears. Its
  // pages are retried like the others, and its late events given up only after several failures.
  rootTerminal = true;
  await pollOnce(FINAL_POLL_FAILURES).catch((error: unknown) => {
    if (!isRetriable(error)) throw error;
  });
}

/**
 * Reads one page, one attempt a try, and tries again on throttling or a dropped connection until it
 * answers or `maxFailures` tries in a row failed. Retrying the page, not the whole read, keeps the pages
 * already read: a stream that fell behind by several pages would otherwise need them all to succeed in
 * one go, which under heavy throttling grows less likely the further behind it falls.
 */
async function readPageRetrying(
  read: PageReader,
  stackId: string,
  nextToken: string | undefined,
  retry: RetryContext,
): Promise<StackEventsPage> {
  for (let failures = 1; ; failures++) {
    try {
      return await read(stackId, nextToken);
    } catch (error) {
      if (!isRetriable(error)) throw error;
      retry.onFailure();
      if (failures >= retry.maxFailures) throw error;
      // Nothing seen is lost: `seen` survives, so a later read goes back to where this one was.
      const waitMs = retryWaitMs(failures, retry.minInterval, () => retry.clock.random());
      // One or two failures cost a fraction of a second and are routine under load; the third in a row
      // is a stall worth telling (within about 2 s of its start), then every fourth, so a long stall
      // never looks hung.
      if (failures % 4 === 3)
        retry.onRetry?.({
          action: 'DescribeStackEvents',
          reason: isThrottling(error) ? 'throttled' : 'unreachable',
          attempt: failures,
          waitMs,
        });
      await retry.clock.sleep(waitMs, retry.signal);
    }
  }
}

type PageReader = (stackId: string, nextToken: string | undefined) => Promise<StackEventsPage>;

interface RetryContext {
  clock: Clock;
  minInterval: number;
  maxFailures: number;
  onRetry: ((notice: RetryNotice) => void) | undefined;
  /** Every failed try, retried or not: the streamer slows down while they are recent. */
  onFailure: () => void;
  signal: AbortSignal | undefined;
}

async function readNewEvents(
  cloudFormation: CloudFormationPort,
  poller: StackPoller,
  sinceMs: number,
  tokens: ReadonlySet<string> | undefined,
  retry: RetryContext,
): Promise<StackEvent[]> {
  const fresh: StackEvent[] = [];
  const inThisRead = new Set<string>();
  const read: PageReader = (stackId, next) =>
    cloudFormation.describeStackEvents(stackId, next, { retry: false });
  let nextToken: string | undefined;
  do {
    const page = await readPageRetrying(read, poller.stackId, nextToken, retry);
    if (takeNewEvents(page.events, poller, sinceMs, tokens, inThisRead, fresh)) break;
    nextToken = page.nextToken;
  } while (nextToken);
  return fresh.reverse();
}

/**
 * Adds to `fresh` the events of one page (newest first) that are new to the poller; true when reading
 * back can stop (an event already seen, older than the operation, or of another operation's token).
 */
function takeNewEvents(
  page: readonly StackEvent[],
  poller: StackPoller,
  sinceMs: number,
  tokens: ReadonlySet<string> | undefined,
  inThisRead: Set<string>,
  fresh: StackEvent[],
): boolean {
  for (const event of page) {
    // Events written while we page push older ones down: a later page repeats the end of the one
    // before. Skip the repeats; nothing is skipped over, as only newer events can arrive.
    if (inThisRead.has(event.eventId)) continue;
    inThisRead.add(event.eventId);
    const older = event.timestamp.getTime() < sinceMs;
    const otherOperation =
      tokens !== undefined && event.clientRequestToken !== undefined && !tokens.has(event.clientRequestToken);
    if (poller.seen.has(event.eventId) || older || otherOperation) return true;
    fresh.push(event);
  }
  return false;
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
