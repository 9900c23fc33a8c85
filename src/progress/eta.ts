import type { StackEventRecord, StackguideEvent } from '../events.ts';

/**
 * When will it finish: an estimate per stack and for the whole run, from what each stack will change
 * (its change set's resources, by type; before the change set, its template's) and how long resources of
 * each type take. Durations come from this account's own history first (earlier runs in the event logs
 * of the state folder, and each stack's past events from DescribeStackEvents), then from the table below;
 * an estimate that needed the table says it is a guess. Recomputed as events arrive: a resource that
 * completes teaches its type's duration at once, and a running stack's estimate never falls below what
 * it has already taken.
 */

/**
 * Typical create/update times in seconds on AWS, by resource type: what CloudFormation users commonly see
 * (a database or a cluster takes many minutes, most resources seconds). Only a starting point: the
 * account's own history replaces each entry as soon as one resource of the type has been seen.
 */
export const TYPICAL_SECONDS: Readonly<Record<string, number>> = {
  'AWS::RDS::DBInstance': 600,
  'AWS::RDS::DBCluster': 420,
  'AWS::EKS::Cluster': 720,
  'AWS::EKS::Nodegroup': 300,
  'AWS::ElastiCache::ReplicationGroup': 600,
  'AWS::ElastiCache::CacheCluster': 420,
  'AWS::OpenSearchService::Domain': 900,
  'AWS::Elasticsearch::Domain': 900,
  'AWS::CloudFront::Distribution': 300,
  'AWS::EC2::NatGateway': 120,
  'AWS::EC2::Instance': 60,
  'AWS::EC2::VPC': 15,
  'AWS::EC2::Subnet': 10,
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 180,
  'AWS::AutoScaling::AutoScalingGroup': 120,
  'AWS::ECS::Service': 180,
  'AWS::EFS::FileSystem': 30,
  'AWS::EFS::MountTarget': 90,
  'AWS::Batch::ComputeEnvironment': 60,
  'AWS::CertificateManager::Certificate': 120,
  'AWS::DynamoDB::Table': 20,
  'AWS::IAM::Role': 20,
  'AWS::IAM::InstanceProfile': 120,
  'AWS::Lambda::Function': 15,
  'AWS::S3::Bucket': 20,
  'AWS::SNS::Topic': 10,
  'AWS::SQS::Queue': 60,
  'AWS::CodePipeline::Pipeline': 10,
  'AWS::CodeBuild::Project': 10,
  'AWS::ECR::Repository': 5,
  'AWS::CloudFormation::Stack': 120,
};
/** A type neither the history nor the table knows. */
const UNKNOWN_TYPE_SECONDS = 30;
/** What CloudFormation adds around the resources (starting, the final status), before history says. */
const TYPICAL_OVERHEAD_SECONDS = 10;
/**
 * Resources of a stack run side by side where they do not depend on each other; each one beyond the
 * slowest adds a little (CloudFormation starts them one after another). Without the template's own
 * dependency graph this keeps the estimate between "all at once" and "one after another".
 */
const PER_EXTRA_RESOURCE_SECONDS = 1;

/** Per-type durations seen in this account (seconds), and the stacks' overhead around their resources. */
export class DurationHistory {
  readonly #seconds = new Map<string, number[]>();
  readonly #overheads: number[] = [];

  addResource(type: string, seconds: number): void {
    if (!(seconds >= 0)) return;
    this.#seconds.set(type, [...(this.#seconds.get(type) ?? []), seconds]);
  }

  addOverhead(seconds: number): void {
    if (seconds >= 0) this.#overheads.push(seconds);
  }

  /** The median seen for a type, or undefined when none was. */
  seconds(type: string): number | undefined {
    return median(this.#seconds.get(type));
  }

  overhead(): number | undefined {
    return median(this.#overheads);
  }

  /**
   * Learns from stack events (oldest first or not): each resource's `…_IN_PROGRESS` to its `…_COMPLETE`
   * of the same operation, and each top-level operation's length beyond its slowest resource.
   */
  learn(events: Iterable<StackEventRecord>): void {
    for (const { type, seconds } of resourceDurations(events)) this.addResource(type, seconds);
  }
}

/** Each resource's `…_IN_PROGRESS` to its `…_COMPLETE` of the same operation, in seconds. */
export function resourceDurations(
  events: Iterable<StackEventRecord>,
): Array<{ stackId: string; type: string; seconds: number }> {
  const sorted = [...events].sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
  const started = new Map<string, number>();
  const durations: Array<{ stackId: string; type: string; seconds: number }> = [];
  for (const event of sorted) {
    const verb = /^(CREATE|UPDATE)_(IN_PROGRESS|COMPLETE)$/.exec(event.status);
    if (!verb || event.resourceType === STACK_TYPE) continue;
    const key = `${event.stackId}|${event.logicalResourceId}|${verb[1]}`;
    const at = Date.parse(event.timestamp);
    if (verb[2] === 'IN_PROGRESS') {
      started.set(key, at);
      continue;
    }
    const from = started.get(key);
    if (from === undefined) continue;
    started.delete(key);
    durations.push({ stackId: event.rootStackId, type: event.resourceType, seconds: (at - from) / 1000 });
  }
  return durations;
}

const STACK_TYPE = 'AWS::CloudFormation::Stack';

function median(values: readonly number[] | undefined): number | undefined {
  if (!values || values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export interface StackEstimate {
  seconds: number;
  /** True when a type's duration (or the overhead) came from the shipped table, not this account. */
  guess: boolean;
}

/** How long a stack changing resources of these types takes. */
export function estimateStack(types: readonly string[], history: DurationHistory): StackEstimate {
  let guess = false;
  const durations = types.map((type) => {
    const seen = history.seconds(type);
    if (seen !== undefined) return seen;
    guess = true;
    return TYPICAL_SECONDS[type] ?? UNKNOWN_TYPE_SECONDS;
  });
  const learned = history.overhead();
  if (learned === undefined) guess = true;
  const longest = durations.length > 0 ? Math.max(...durations) : 0;
  // A learned overhead is what this account's stacks took beyond their slowest resource, as seen by
  // stackguide (change set, execution, the last events read): it already holds the extra resources.
  const overhead =
    learned ?? TYPICAL_OVERHEAD_SECONDS + Math.max(0, durations.length - 1) * PER_EXTRA_RESOURCE_SECONDS;
  return { seconds: longest + overhead, guess };
}

export interface EtaStack {
  /** The stack's name, as events carry it. */
  name: string;
  /** Names of the stacks of the run it waits for. */
  after: readonly string[];
  /** Resource types its template holds (until its change set says what changes). */
  types: readonly string[];
}

type EtaEvent = Extract<StackguideEvent, { type: 'eta' }>;

/**
 * Follows a run's events and says, as an `eta` event, how long each stack and the whole run have left.
 * The run's figure plays the rest of the run forward: stacks start as their prerequisites end, up to
 * the concurrency, each taking its estimate (a running one, what is left of it).
 */
export class EtaTracker {
  readonly #stacks: Map<string, EtaStack & { state: 'waiting' | 'running' | 'done'; startedAt?: number }>;
  readonly #history: DurationHistory;
  readonly #concurrency: number;
  readonly #now: () => number;
  readonly #emit: (event: EtaEvent) => void;
  readonly #minIntervalMs: number;
  readonly #resourceStarts = new Map<string, number>();
  /** Each stack's slowest resource this run, in seconds. */
  readonly #longest = new Map<string, number>();
  #lastEmitted = Number.NEGATIVE_INFINITY;

  constructor(options: {
    stacks: readonly EtaStack[];
    history: DurationHistory;
    concurrency: number;
    now: () => number;
    emit: (event: EtaEvent) => void;
    /**
     * The least time between two estimates told for resource progress alone (30 s, the heartbeat's
     * cadence, so plain logs stay short; starts and ends are told at once, and the live view counts down).
     */
    minIntervalMs?: number;
  }) {
    this.#stacks = new Map(
      options.stacks.map((stack) => [stack.name, { ...stack, state: 'waiting' as const }]),
    );
    this.#history = options.history;
    this.#concurrency = Math.max(1, options.concurrency);
    this.#now = options.now;
    this.#emit = options.emit;
    this.#minIntervalMs = options.minIntervalMs ?? 30_000;
  }

  /** Tells the first estimate. */
  start(): void {
    this.#tell();
  }

  observe(event: StackguideEvent): void {
    switch (event.type) {
      case 'changeset.created': {
        const stack = this.#stacks.get(event.stack);
        if (stack)
          stack.types = event.summary.changes
            .filter((change) => change.action !== 'Remove')
            .map((change) => change.resourceType);
        return;
      }
      case 'stack.started': {
        const stack = this.#stacks.get(event.stack);
        if (!stack) return;
        stack.state = 'running';
        stack.startedAt = this.#now();
        this.#tell();
        return;
      }
      case 'stack.completed': {
        const stack = this.#stacks.get(event.stack);
        if (!stack) return;
        // What this stack took beyond its slowest resource teaches the overhead of the ones to come.
        if (stack.startedAt !== undefined)
          this.#history.addOverhead(
            (this.#now() - stack.startedAt) / 1000 - (this.#longest.get(event.stack) ?? 0),
          );
        stack.state = 'done';
        this.#tell();
        return;
      }
      case 'stack.skipped':
      case 'stack.failed':
      case 'stack.not-started': {
        const stack = this.#stacks.get(event.stack);
        if (!stack) return;
        stack.state = 'done';
        this.#tell();
        return;
      }
      case 'stack.event':
        this.#learnLive(event.event);
        return;
      default:
        return;
    }
  }

  /** A resource finishing during the run teaches its type's duration at once. */
  #learnLive(event: StackEventRecord): void {
    const verb = /^(CREATE|UPDATE)_(IN_PROGRESS|COMPLETE)$/.exec(event.status);
    if (!verb || event.resourceType === STACK_TYPE) return;
    const key = `${event.stackId}|${event.logicalResourceId}|${verb[1]}`;
    const at = Date.parse(event.timestamp);
    if (verb[2] === 'IN_PROGRESS') {
      this.#resourceStarts.set(key, at);
      return;
    }
    const from = this.#resourceStarts.get(key);
    if (from === undefined) return;
    this.#resourceStarts.delete(key);
    const seconds = (at - from) / 1000;
    this.#history.addResource(event.resourceType, seconds);
    if (this.#stacks.has(event.stackName))
      this.#longest.set(event.stackName, Math.max(this.#longest.get(event.stackName) ?? 0, seconds));
    if (this.#now() - this.#lastEmitted >= this.#minIntervalMs) this.#tell();
  }

  /** The estimate now (also what `eta` events carry). */
  estimate(): Omit<EtaEvent, 'type'> {
    const now = this.#now();
    let guess = false;
    const remaining = new Map<string, number>();
    const rows: EtaEvent['stacks'] = [];
    for (const stack of this.#stacks.values()) {
      if (stack.state === 'done') continue;
      const estimate = estimateStack(stack.types, this.#history);
      guess ||= estimate.guess;
      const elapsed = stack.startedAt !== undefined ? (now - stack.startedAt) / 1000 : 0;
      // Past its estimate, a stack is taken to need a tenth of it more, not zero.
      const left = Math.max(estimate.seconds - elapsed, estimate.seconds * 0.1);
      remaining.set(stack.name, left);
      rows.push({
        stack: stack.name,
        state: stack.state,
        remainingSeconds: Math.round(left),
        guess: estimate.guess,
      });
    }
    const total = this.#playForward(remaining);
    return {
      remainingSeconds: Math.round(total),
      finishesAt: new Date(now + total * 1000).toISOString(),
      guess,
      stacks: rows,
    };
  }

  /** When the last stack would end, playing the schedule forward from now (seconds from now). */
  #playForward(remaining: Map<string, number>): number {
    const open = [...this.#stacks.values()].filter((stack) => stack.state !== 'done');
    const endOf = new Map<string, number>();
    const running = open.filter((stack) => stack.state === 'running');
    for (const stack of running) endOf.set(stack.name, remaining.get(stack.name) ?? 0);
    let waiting = open.filter((stack) => stack.state === 'waiting');
    let clock = 0;
    const busy = (at: number): number => [...endOf.values()].filter((end) => end > at).length;
    while (waiting.length > 0) {
      const ready = waiting.filter((stack) =>
        stack.after.every(
          (name) =>
            !this.#stacks.has(name) ||
            this.#stacks.get(name)?.state === 'done' ||
            (endOf.get(name) ?? Number.POSITIVE_INFINITY) <= clock,
        ),
      );
      const slots = this.#concurrency - busy(clock);
      if (ready.length > 0 && slots > 0) {
        for (const stack of ready.slice(0, slots))
          endOf.set(stack.name, clock + (remaining.get(stack.name) ?? 0));
        waiting = waiting.filter((stack) => !endOf.has(stack.name));
        continue;
      }
      // Move on to the next end; a stack waiting on one that never ends (a cycle) stops the play.
      const next = [...endOf.values()].filter((end) => end > clock).sort((a, b) => a - b)[0];
      if (next === undefined) break;
      clock = next;
    }
    return Math.max(0, ...endOf.values());
  }

  #tell(): void {
    this.#lastEmitted = this.#now();
    this.#emit({ type: 'eta', ...this.estimate() });
  }
}
