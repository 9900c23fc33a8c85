import { spawn } from 'node:child_process';
import { ACMClient, ListCertificatesCommand } from '@aws-sdk/client-acm';
import {
  CloudFormationClient,
  ListChangeSetsCommand,
  ListStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { ListHostedZonesCommand, Route53Client } from '@aws-sdk/client-route-53';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DescribeParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { type Gate, startGateProxy } from './gate-proxy.ts';
import { cliPath, runCli } from './run-cli.ts';

/**
 * The kill matrix of issue 13: a run killed with kill -9 (never a signal the tool handles) at a chosen
 * point, then the same command again. The points come from the run itself: a clean run's NDJSON stream
 * (`--output json` on stdout) names every event type it emits, and a killed run is stopped when its own
 * stream reaches that event; or the gate proxy holds one AWS call in flight (a preparation step's create).
 * What AWS holds afterwards is counted through the SDK and compared with what one clean run leaves.
 */

/** One place to stop a run: the nth event of a type (for one stack, when given), or an AWS call held in flight. */
export type KillPoint =
  | { kind: 'event'; type: string; stack?: string; occurrence: number }
  /** `upstream`: the endpoint the call goes to when it is not the matrix's (a stand-in's). */
  | { kind: 'call'; gate: Gate; upstream?: string };

export function describeKillPoint(point: KillPoint): string {
  return point.kind === 'event'
    ? `${point.type}${point.stack ? ` of ${point.stack}` : ''}${point.occurrence > 1 ? ` #${point.occurrence}` : ''}`
    : `${point.gate.action} #${point.gate.occurrence} in flight (${point.gate.when} AWS answers)`;
}

interface NdjsonEvent {
  type: string;
  stack?: string;
  status?: string;
}

export function parseNdjson(stdout: string): NdjsonEvent[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as NdjsonEvent);
}

/**
 * Every event type a clean run emitted, each at its first occurrence for every stack it names (the
 * second stack's change set is another point than the first's); `error` never appears in a clean run.
 */
export function eventKillPoints(events: readonly NdjsonEvent[]): KillPoint[] {
  const points: KillPoint[] = [];
  const seen = new Set<string>();
  for (const event of events) {
    const key = `${event.type}\u0000${event.stack ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    points.push({
      kind: 'event',
      type: event.type,
      ...(event.stack ? { stack: event.stack } : {}),
      occurrence: 1,
    });
  }
  return points;
}

export interface KilledRun {
  /** The point was reached and the process killed there; false when the run ended before it. */
  killed: boolean;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI with `args` (which must include `--output json` for event points) and kill -9s it at
 * `point`. For a call point the CLI is pointed at the gate proxy in front of `endpoint` through
 * `endpointEnv` (AWS_ENDPOINT_URL, or --endpoint-url replaced in args).
 */
async function runKilledAt(
  point: KillPoint,
  args: readonly string[],
  options: { cwd: string; env: Record<string, string>; endpoint: string },
): Promise<KilledRun> {
  const upstream = point.kind === 'call' ? (point.upstream ?? options.endpoint) : undefined;
  const proxy = point.kind === 'call' && upstream ? await startGateProxy(upstream, point.gate) : undefined;
  const through = (value: string) => (proxy && value === upstream ? proxy.endpoint : value);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, ...options.env }))
    if (value !== undefined) env[key] = through(value);
  const child = spawn(process.execPath, [cliPath, ...args.map(through)], {
    cwd: options.cwd,
    env: { ...env, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let killed = false;
  let count = 0;
  let pending = '';
  const kill = () => {
    if (killed) return;
    killed = true;
    child.kill('SIGKILL');
  };
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (point.kind !== 'event' || killed) return;
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      const event = JSON.parse(line) as NdjsonEvent;
      if (event.type !== point.type || (point.stack !== undefined && event.stack !== point.stack)) continue;
      if (++count === point.occurrence) return kill();
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((done) => child.on('close', () => done()));
  void proxy?.reached.then(kill);
  // A run that hangs is a failure of its own: the matrix must not hang with it.
  const guard = setTimeout(() => child.kill('SIGKILL'), 180_000);
  await exited;
  clearTimeout(guard);
  await proxy?.stop();
  return { killed, stdout, stderr };
}

/** What the deployment left in AWS, counted the way an operator would with the CLI or the console. */
export interface Inventory {
  stacks: string[];
  /** Change sets AWS could still execute (never executed), by stack. */
  unexecutedChangeSets: string[];
  secrets: number;
  parameters: string[];
  certificates: number;
  /** By name, a CloudFormation-made suffix replaced by `-*`: a second one of a bucket shows as a repeat. */
  buckets: string[];
  hostedZones: number;
}

/** A name CloudFormation made up ends in a random suffix that differs from run to run: `-*` stands for it. */
function generic(name: string): string {
  return name.replace(/-[a-z0-9]{12,13}$/, '-*');
}

export async function takeInventory(endpoint: string, region = 'us-east-1'): Promise<Inventory> {
  const config = {
    region,
    endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    maxAttempts: 5,
  };
  const cloudFormation = new CloudFormationClient(config);
  const secrets = new SecretsManagerClient(config);
  const ssm = new SSMClient(config);
  const acm = new ACMClient(config);
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const route53 = new Route53Client(config);
  try {
    const summaries = ((await cloudFormation.send(new ListStacksCommand({}))).StackSummaries ?? []).filter(
      (summary) => summary.StackStatus !== 'DELETE_COMPLETE',
    );
    const unexecuted: string[] = [];
    for (const summary of summaries) {
      const listed = await cloudFormation.send(new ListChangeSetsCommand({ StackName: summary.StackName }));
      for (const changeSet of listed.Summaries ?? [])
        if (changeSet.ExecutionStatus === 'AVAILABLE' || changeSet.ExecutionStatus === 'UNAVAILABLE')
          unexecuted.push(`${summary.StackName}/${changeSet.ChangeSetName}`);
    }
    return {
      stacks: summaries.map((summary) => `${summary.StackName} ${summary.StackStatus}`).sort(),
      unexecutedChangeSets: unexecuted.sort(),
      secrets: ((await secrets.send(new ListSecretsCommand({}))).SecretList ?? []).length,
      parameters: ((await ssm.send(new DescribeParametersCommand({ MaxResults: 50 }))).Parameters ?? [])
        .map((parameter) => parameter.Name ?? '')
        .sort(),
      certificates: ((await acm.send(new ListCertificatesCommand({}))).CertificateSummaryList ?? []).length,
      buckets: ((await s3.send(new ListBucketsCommand({}))).Buckets ?? [])
        .map((bucket) => generic(bucket.Name ?? ''))
        .sort(),
      hostedZones: ((await route53.send(new ListHostedZonesCommand({}))).HostedZones ?? []).length,
    };
  } finally {
    for (const client of [cloudFormation, secrets, ssm, acm, s3, route53]) client.destroy();
  }
}

/** One case of a matrix: a fresh account brought to where the command starts, and the command. */
export interface MatrixCase {
  cwd: string;
  /** The command under test, killed once, then run again as it is. */
  args: string[];
  env: Record<string, string>;
  remove(): Promise<void>;
}

export interface MatrixOutcome {
  problems: string[];
  killed: number;
  /** Each re-run's wall time, in seconds. */
  seconds: number[];
  /** The slowest re-run's kill point. */
  slowest?: string;
}

/** The re-run's limit (issue 13: "the same command re-run finishes within 45 s"). */
const RERUN_LIMIT_MS = 45_000;

/**
 * Kills the command at every point, each in a fresh case, runs it again, and returns what went wrong:
 * empty when every re-run exited 0 within the limit and AWS then held exactly `expected`.
 */
export async function runMatrix(options: {
  points: readonly KillPoint[];
  /** The endpoint the gate proxy fronts for call points, and the inventory is read from. */
  endpoint: string;
  expected: Inventory;
  start: () => Promise<MatrixCase>;
  /** What the stand-ins hold (services moto lacks), compared with `expectedBeyond` after each re-run. */
  beyond?: () => unknown;
  expectedBeyond?: unknown;
}): Promise<MatrixOutcome> {
  const outcome: MatrixOutcome = { problems: [], killed: 0, seconds: [] };
  for (const point of options.points) {
    const label = describeKillPoint(point);
    const c = await options.start();
    try {
      const run = await runKilledAt(point, c.args, { cwd: c.cwd, env: c.env, endpoint: options.endpoint });
      if (!run.killed) {
        outcome.problems.push(`${label}: the run ended before reaching it\n${run.stderr}`);
        continue;
      }
      outcome.killed++;
      const started = Date.now();
      const again = await runCli(c.args, { cwd: c.cwd, env: { ...c.env, CI: 'true' }, timeoutMs: 170_000 });
      const took = Date.now() - started;
      if (took / 1000 > Math.max(0, ...outcome.seconds)) outcome.slowest = label;
      outcome.seconds.push(Math.round(took / 100) / 10);
      if (again.code !== 0)
        outcome.problems.push(`${label}: the re-run exited ${again.code}\n${again.stderr}`);
      if (took > RERUN_LIMIT_MS) outcome.problems.push(`${label}: the re-run took ${took} ms`);
      if (/IN_PROGRESS \(\d+m/.test(again.stderr))
        outcome.problems.push(`${label}: the re-run waited on a stack`);
      const inventory = await takeInventory(options.endpoint);
      if (JSON.stringify(inventory) !== JSON.stringify(options.expected))
        outcome.problems.push(
          `${label}: AWS holds ${JSON.stringify(inventory)} instead of ${JSON.stringify(options.expected)}`,
        );
      const beyond = options.beyond?.();
      if (JSON.stringify(beyond) !== JSON.stringify(options.expectedBeyond))
        outcome.problems.push(
          `${label}: the stand-ins hold ${JSON.stringify(beyond)} instead of ${JSON.stringify(options.expectedBeyond)}`,
        );
    } finally {
      await c.remove();
    }
  }
  return outcome;
}

/** One line for the test log: how many points, and how long the re-runs took. */
export function matrixSummary(name: string, outcome: MatrixOutcome): string {
  const sorted = [...outcome.seconds].sort((a, b) => a - b);
  return `${name}: ${outcome.killed} kill points, re-runs ${sorted[0]}-${sorted.at(-1)} s (median ${sorted[Math.floor(sorted.length / 2)]} s; slowest after ${outcome.slowest})`;
}
