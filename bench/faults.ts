/**
 * bench/faults: events exactly once through a bad network (issue 13).
 *
 * The CloudFormation scenario server (test/scenario-server) plays a four-stack blueprint whose create
 * makes 2,000 stack events (4 stacks × 249 resources: 2 events per resource and 2 per stack). Between it
 * and stackguide sits a fault-injecting proxy: 25% of the calls answer Throttling, 5% have their
 * connection reset (half before the server sees the call, half after it acted on it). The built CLI
 * runs `install --output json`, and for each stack, as soon as its operation starts, a `watch --output
 * json` of it, each through a proxy of its own. Every other service (identity, the lock, the artifacts
 * bucket) is moto.
 *
 * Per run it prints: the events install and watch each printed exactly once out of the 2,000, the p95
 * event-to-output latency (from the moment the server made an event visible to the NDJSON line
 * reaching this process), and CloudFormation calls per minute per active stack (for each stack, the
 * calls about it, by its StackName, made while its operation ran, throttled and reset ones included,
 * over the operations' time). `--by-action` adds where the calls went. Goal: 2,000/2,000 in every run,
 * p95 at most 2 s, at most 24 calls a minute per stack.
 *
 * The latency and the calls goals cannot both hold for a poller, and stackguide keeps the latency one.
 * Events come throughout an operation; polled every T s, an event waits U·T (U uniform in [0, 1)) plus
 * the read's round trip and any retry's wait, so p95 ≈ 0.95·T + round trip + retry waits. At 25%
 * throttled and 5% reset, a read succeeds once in 1/(0.75 × 0.95) ≈ 1.4 calls. p95 ≤ 2 s needs
 * T ≲ 1.5 s, so at least 60/1.5 × 1.4 ≈ 56 calls a minute; 24 calls a minute allow T ≥ 60 × 1.4/24 ≈
 * 3.5 s, so p95 ≳ 3.3 s. (CloudFormation pushes events only to an SNS topic: new infrastructure in the
 * operator's account, which issue 13 rules out.) What the streamer does (src/stacks/stack-event-streamer.ts):
 * - its reads make one attempt each. The SDK used to retry underneath: a throttled read waited 0-1 s,
 *   then 0-2 s, 0-4 s inside the SDK before the streamer saw anything, which made the latency's tail;
 * - it retries the failed page itself, after 0.13-0.25 s, growing by half with each failure (a run
 *   of failures still backs off to 30 s), keeping the pages already read;
 * - events that flow are polled every 1 s, and every 1.5 s while AWS has throttled in the last 30 s:
 *   a third fewer calls exactly when the account's rate is contested, within the 2 s at p95;
 * - `watch` hands on the events it read to find the operation's start instead of reading them again.
 * Measured on a loaded machine (2 cores shared with other work), --runs 2-5:
 *   before (10dcea1, load 1.1-1.8): p95 install 3.09 and 14.36 s, watch 1.43 and 4.77 s; install made
 *     about 85 calls/min/stack about its own stack (DescribeStackEvents 83, a fifth of them throttled);
 *     counted the earlier way (any call while any stack ran) 104 and 89;
 *   after (load 25): p95 install 1.70 s median (1.58-2.05), watch 3.99 s (2.75-5.22); 58 and 59
 *     calls/min/stack. A watch's p95 follows its own start: the events of its first seconds wait for the
 *     CLI to start, 0.3-1.7 s at load 6, 1-8 s at load 25 (`--by-action` prints it per watch).
 *
 * The server plays the scenario at `--speed` (10 by default: a resource every 0.05 s instead of every
 * 0.5 s), so events come ten times denser than in the real scenario; latency and calls are measured on
 * the wall clock, where the CLI's polling runs, so both are what an operator and AWS's rate limits see.
 *
 *   npm run build && node bench/faults.ts [--runs 10] [--speed 10] [--seed 1] [--json] [--readme]
 *   (or `npm run bench -- faults --runs 10`, which builds first and writes the README block)
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { startScenarioServer } from '../test/scenario-server/server.ts';
import { startMotoServer } from '../test/support/moto-server.ts';
import { type BenchReport, publish } from './support/bench-report.ts';
import { type FaultProxy, type ProxiedCall, startFaultProxy } from './support/fault-proxy.ts';
import { runInfo, spread } from './support/run-info.ts';

const flag = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(name);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const runs = Math.max(1, flag('--runs', 10));
const speed = flag('--speed', 10);
const seed = flag('--seed', 1);
const asJson = process.argv.includes('--json');
const cli = resolve(import.meta.dirname, '..', 'dist', 'cli.js');
const STACKS = 4;
const RESOURCES = 249;
const THROTTLE = 0.25;
const RESET = 0.05;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** A blueprint of STACKS stacks, each of RESOURCES parameters (CloudFormation's limit is 500 a template). */
async function writeBlueprint(dir: string): Promise<void> {
  await mkdir(join(dir, 'templates'), { recursive: true });
  const resources = Object.fromEntries(
    Array.from({ length: RESOURCES }, (_, index) => [
      `Parameter${index}`,
      { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: `value ${index}` } },
    ]),
  );
  await writeFile(join(dir, 'templates', 'stack.json'), JSON.stringify({ Resources: resources }));
  const stacks = Array.from(
    { length: STACKS },
    (_, index) =>
      `  - id: part${index}\n    name: '{{deployment}}-part${index}'\n    template: templates/stack.json\n`,
  ).join('');
  await writeFile(
    join(dir, 'blueprint.yaml'),
    `schemaVersion: 1\nproduct:\n  id: faults\n  title: Fault bench\n  version: 1.0.0\nregions: [us-east-1]\nstacks:\n${stacks}`,
  );
  await writeFile(
    join(dir, 'answers.yaml'),
    'blueprint: faults\ndeployment: bench\nregion: us-east-1\nanswers: {}\n',
  );
}

interface Output {
  /** Arrival time (wall ms) of every stack.event line, by event id, in order of arrival. */
  lines: Array<{ eventId: string; at: number }>;
  calls: number;
  /** When the process was spawned (wall ms). */
  startedAt: number;
  code: number | null;
  stderr: string;
}

/** Runs the CLI through a fault proxy of its own; `onLine` sees each NDJSON object as it arrives. */
async function runThroughFaults(
  args: string[],
  env: Record<string, string>,
  cwd: string,
  proxy: FaultProxy,
  onLine: (event: { type: string; stack?: string }) => void = () => {},
): Promise<Output> {
  const child = spawn(process.execPath, [cli, ...args], {
    cwd,
    env: { ...process.env, ...env, AWS_ENDPOINT_URL_CLOUDFORMATION: proxy.endpoint },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Output['lines'] = [];
  const startedAt = Date.now();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (!line.startsWith('{')) return;
    const event = JSON.parse(line) as { type: string; stack?: string; event?: { eventId: string } };
    if (event.type === 'stack.event' && event.event)
      lines.push({ eventId: event.event.eventId, at: Date.now() });
    onLine(event);
  });
  const code = await new Promise<number | null>((done) => child.on('close', done));
  return { lines, calls: proxy.counts.calls, startedAt, code, stderr };
}

interface RunFigures {
  installOnce: number;
  watchOnce: number;
  events: number;
  p95InstallMs: number;
  p95WatchMs: number;
  installCallsPerMinutePerStack: number;
  watchCallsPerMinutePerStack: number;
  faults: { throttled: number; reset: number; calls: number };
  /** Calls a minute per active stack during the operations, by action and fault: where the calls go. */
  installByAction: Record<string, number>;
  /** From each watch's spawn to its first event line, in ms. */
  watchFirstLineMs: number[];
  watchByAction: Record<string, number>;
  /** Install's p50 and p95 latency for each stack, in ms: where a slow p95 comes from. */
  installByStack: Array<{ stack: string; p50: number; p95: number; max: number }>;
}

async function oneRun(run: number, motoEndpoint: string): Promise<RunFigures> {
  const work = await mkdtemp(join(tmpdir(), 'bench-faults-'));
  await writeBlueprint(work);
  const server = await startScenarioServer({ speed });
  const installProxy = await startFaultProxy(server.endpoint, {
    throttle: THROTTLE,
    reset: RESET,
    seed: seed * 1000 + run,
  });
  const watchProxies: FaultProxy[] = [];
  const env = {
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: motoEndpoint,
    CI: 'true',
  };
  const common = [
    '--blueprint',
    work,
    '--config',
    join(work, 'answers.yaml'),
    '--state-dir',
    join(work, 'state'),
  ];
  const watches: Array<Promise<Output>> = [];
  const install = await runThroughFaults(
    ['install', ...common, '--yes', '--output', 'json'],
    env,
    work,
    installProxy,
    (event) => {
      if (event.type !== 'stack.started' || !event.stack) return;
      const stack = event.stack;
      watches.push(
        startFaultProxy(server.endpoint, {
          throttle: THROTTLE,
          reset: RESET,
          seed: seed * 1000 + run * 10 + watches.length + 500,
        }).then((proxy) => {
          watchProxies.push(proxy);
          return runThroughFaults(['watch', stack, '--output', 'json'], env, work, proxy);
        }),
      );
    },
  );
  const watched = await Promise.all(watches);
  if (install.code !== 0) throw new Error(`install exited ${install.code}:\n${install.stderr}`);
  for (const output of watched)
    if (output.code !== 0) throw new Error(`watch exited ${output.code}:\n${output.stderr}`);

  // The operations' events, as the server made them (the change set's REVIEW_IN_PROGRESS is no part).
  const names = Array.from({ length: STACKS }, (_, index) => `bench-part${index}`);
  const expected = names
    .flatMap((name) => server.events(name))
    .filter((event) => event.ResourceStatus !== 'REVIEW_IN_PROGRESS');
  const exactlyOnce = (lines: Output['lines']): number => {
    const counts = new Map<string, number>();
    for (const line of lines) counts.set(line.eventId, (counts.get(line.eventId) ?? 0) + 1);
    return expected.filter((event) => counts.get(event.EventId) === 1).length;
  };
  const latencies = (lines: Output['lines']): number[] =>
    lines.flatMap((line) => {
      const visible = server.visibleAt.get(line.eventId);
      return visible === undefined ? [] : [line.at - visible];
    });
  // Active stack-minutes on the wall clock: each stack from its first event to its last. The calls
  // counted against a stack are those about it (its StackName, by name or ARN) made meanwhile: the
  // polling its operation costs. The fixed calls around an operation (change set, lock, the final
  // describe) would weigh ten times their share at 10x, and the stacks run at once: a stack's change
  // set calls fall in another stack's operation, so they are told apart by stack, not by time alone.
  const spans = new Map(
    names.map((name) => {
      const times = server.events(name).map((event) => server.visibleAt.get(event.EventId) ?? 0);
      return [name, [Math.min(...times), Math.max(...times)] as const];
    }),
  );
  const activeMinutes = [...spans.values()].reduce((sum, [from, to]) => sum + (to - from) / 60_000, 0);
  const inOwnOperation = (call: ProxiedCall): boolean => {
    const span = call.stack === undefined ? undefined : spans.get(call.stack);
    return span !== undefined && call.at >= span[0] && call.at <= span[1];
  };
  const duringOperations = (proxies: readonly FaultProxy[]): number =>
    proxies.flatMap((proxy) => proxy.log).filter(inOwnOperation).length;
  const byAction = (proxies: readonly FaultProxy[]): Record<string, number> => {
    const counts: Record<string, number> = {};
    for (const call of proxies.flatMap((proxy) => proxy.log))
      if (inOwnOperation(call)) {
        const key = call.fault === 'none' ? call.action : `${call.action} (${call.fault})`;
        counts[key] = (counts[key] ?? 0) + 1;
      }
    return Object.fromEntries(
      Object.entries(counts)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, count]) => [key, Math.round((count / activeMinutes) * 10) / 10]),
    );
  };
  const watchLines = watched.flatMap((output) => output.lines);
  const all = [installProxy, ...watchProxies];
  const figures: RunFigures = {
    installOnce: exactlyOnce(install.lines),
    watchOnce: exactlyOnce(watchLines),
    events: expected.length,
    p95InstallMs: percentile(latencies(install.lines), 95),
    p95WatchMs: percentile(latencies(watchLines), 95),
    installCallsPerMinutePerStack: duringOperations([installProxy]) / activeMinutes,
    watchCallsPerMinutePerStack: duringOperations(watchProxies) / activeMinutes,
    faults: {
      calls: all.reduce((sum, proxy) => sum + proxy.counts.calls, 0),
      throttled: all.reduce((sum, proxy) => sum + proxy.counts.throttled, 0),
      reset: all.reduce((sum, proxy) => sum + proxy.counts.resetBefore + proxy.counts.resetAfter, 0),
    },
    installByAction: byAction([installProxy]),
    watchFirstLineMs: [],
    watchByAction: byAction(watchProxies),
    installByStack: [],
  };
  const stackOf = new Map(expected.map((event) => [event.EventId, event.StackName]));
  figures.installByStack = names.map((name) => {
    const mine = latencies(install.lines.filter((line) => stackOf.get(line.eventId) === name));
    return { stack: name, p50: percentile(mine, 50), p95: percentile(mine, 95), max: Math.max(...mine) };
  });
  // How long each watch took from its spawn to its first event line: the events of those first moments
  // wait for the CLI to start, which a loaded machine stretches (the watch's p95 follows it).
  figures.watchFirstLineMs = watched.map(
    (output) => Math.min(...output.lines.map((line) => line.at)) - output.startedAt,
  );
  await Promise.all([...all.map((proxy) => proxy.stop()), server.stop()]);
  await rm(work, { recursive: true, force: true });
  return figures;
}

const info = runInfo();
const moto = await startMotoServer();
const results: RunFigures[] = [];
try {
  for (let run = 1; run <= runs; run++) {
    const figures = await oneRun(run, moto.endpoint);
    results.push(figures);
    if (!asJson)
      console.log(
        `run ${run}: install ${figures.installOnce}/${figures.events} exactly once, watch ${figures.watchOnce}/${figures.events}; ` +
          `p95 ${(figures.p95InstallMs / 1000).toFixed(2)} s install, ${(figures.p95WatchMs / 1000).toFixed(2)} s watch; ` +
          `${figures.installCallsPerMinutePerStack.toFixed(1)} calls/min/stack install, ${figures.watchCallsPerMinutePerStack.toFixed(1)} watch; ` +
          `faults: ${figures.faults.throttled} throttled, ${figures.faults.reset} reset of ${figures.faults.calls} calls`,
      );
    if (!asJson && process.argv.includes('--by-action'))
      console.log(
        `  calls/min/stack by action: install ${JSON.stringify(figures.installByAction)}; watch ${JSON.stringify(figures.watchByAction)}\n  install latency by stack: ${JSON.stringify(figures.installByStack)}\n  watch: first event line ${figures.watchFirstLineMs.join(', ')} ms after its spawn`,
      );
    await moto.reset();
  }
} finally {
  await moto.stop();
}

const allOnce = (pick: (r: RunFigures) => number) => results.every((r) => pick(r) === r.events);
const judged = (met: boolean, goal: string) => `${goal}: ${met ? 'met' : 'missed'}`;
const median = (values: number[]) => spread(values).median;
const p95Install = results.map((r) => r.p95InstallMs / 1000);
const p95Watch = results.map((r) => r.p95WatchMs / 1000);
const callsInstall = results.map((r) => r.installCallsPerMinutePerStack);
const callsWatch = results.map((r) => r.watchCallsPerMinutePerStack);
const report: BenchReport = {
  bench: 'bench/faults',
  info,
  n: runs,
  heading: [
    `${STACKS} stacks × ${RESOURCES} resources (2,000 events) through ${THROTTLE * 100}% Throttling and ${RESET * 100}% connection resets, played at ${speed}x, seed ${seed}`,
    `every event exactly once, install and watch: ${results.filter((r) => r.installOnce === r.events && r.watchOnce === r.events).length} of ${runs} runs`,
  ],
  rows: [
    {
      label: 'install: events exactly once (of 2,000)',
      unit: 'count',
      samples: results.map((r) => r.installOnce),
      goal: judged(
        allOnce((r) => r.installOnce),
        '2,000 in every run',
      ),
    },
    {
      label: 'watch: events exactly once (of 2,000)',
      unit: 'count',
      samples: results.map((r) => r.watchOnce),
      goal: judged(
        allOnce((r) => r.watchOnce),
        '2,000 in every run',
      ),
    },
    {
      label: 'install: p95 event-to-output',
      unit: 's',
      samples: p95Install,
      goal: judged(median(p95Install) <= 2, '<= 2 s'),
    },
    {
      label: 'watch: p95 event-to-output',
      unit: 's',
      samples: p95Watch,
      goal: judged(median(p95Watch) <= 2, '<= 2 s'),
    },
    {
      label: 'install: calls a minute per active stack',
      unit: 'count-1',
      samples: callsInstall,
      goal: judged(median(callsInstall) <= 24, '<= 24'),
    },
    {
      label: 'watch: calls a minute per active stack',
      unit: 'count-1',
      samples: callsWatch,
      goal: judged(median(callsWatch) <= 24, '<= 24'),
    },
    {
      label: 'calls throttled (all processes)',
      unit: 'count',
      samples: results.map((r) => r.faults.throttled),
    },
    {
      label: 'connections reset (all processes)',
      unit: 'count',
      samples: results.map((r) => r.faults.reset),
    },
  ],
  notes: [
    'Latency: from the moment the server made an event visible to its NDJSON line reaching the bench, on the wall clock.',
    "Calls: for each stack, the CloudFormation calls about it (its StackName) made while its operation ran (throttled and reset ones included), over the operations' wall time.",
  ],
};
if (asJson) console.log(JSON.stringify({ report, results }, null, 2));
else publish('faults', report);
