/**
 * bench/events: the stack-event pipeline on a big deploy.
 *  1. The scenario server replays the 300-resource, 3-nested create at 20x; stackguide's deployStack
 *     follows it on a clock running 20x too, so every figure scales back to real time: event-to-output
 *     latency (from the moment the server makes an event visible to its NDJSON line), API calls a
 *     minute per active stack, CPU time and peak RSS.
 *  2. 10,000 events across 1,000 resources through the Ink live tree: CPU per event, peak RSS.
 * Goals: p95 latency at most 1.5 s at no more than 30 calls a minute per active stack (CDK: about 42),
 * RSS under 150 MB.
 *
 * Each part runs n times (n >= 3); the figures are the median, min and max over the runs, printed with
 * the commit, the machine and the load average. --readme keeps the samples in bench/results/events.json
 * and rewrites the README's figures from them (`npm run bench -- events` does that).
 *
 *   node bench/events.ts [--speed 20] [--runs 3] [--json] [--readme]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { startScenarioServer } from '../test/scenario-server/server.ts';
import { publish } from './support/bench-report.ts';
import { runInfo, spread } from './support/run-info.ts';

const speedFlag = process.argv.indexOf('--speed');
const speed = speedFlag > 0 ? Number(process.argv[speedFlag + 1]) : 20;
const asJson = process.argv.includes('--json');
const runsFlag = process.argv.indexOf('--runs');
const runs = Math.max(3, runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 3);
const info = runInfo();

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function replayDeploy() {
  // One accelerated clock for both sides, from one origin: the server plays and stamps its events on
  // it, and the client follows on it, so the client's `since` and the events' timestamps agree.
  const origin = Date.now();
  const accelerated = (wall = Date.now()): number => origin + (wall - origin) * speed;
  const server = await startScenarioServer({
    scenarios: { default: 'big-nested-create' },
    speed: 1,
    now: () => accelerated(),
  });
  const received = new Map<string, number>();
  let client: { cpuSeconds: number; peakRssMb: number } | undefined;
  const wallBefore = Date.now();
  // The client runs in a process of its own; its NDJSON lines are timed as they arrive here.
  // Bundled like the CLI, so its memory is what the shipped code uses.
  const { outdir, file } = await bundle('follow-deploy.ts');
  const child = spawn(process.execPath, [file, server.endpoint, String(speed), String(origin)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    const parsed = JSON.parse(line) as {
      type: string;
      event?: { eventId: string };
      cpuSeconds?: number;
      peakRssMb?: number;
    };
    if (parsed.type === 'stack.event' && parsed.event) received.set(parsed.event.eventId, Date.now());
    if (parsed.type === 'bench.client')
      client = { cpuSeconds: parsed.cpuSeconds ?? 0, peakRssMb: parsed.peakRssMb ?? 0 };
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0 || !client) throw new Error(`the client exited ${code}`);
  const wallMs = Date.now() - wallBefore;
  rmSync(outdir, { recursive: true, force: true });

  // Latency in scenario (real-world) time: both ends read on the accelerated clock.
  const latencies = [...received.entries()].flatMap(([id, at]) => {
    const visible = server.visibleAt.get(id);
    return visible === undefined ? [] : [accelerated(at) - visible];
  });
  // Active stack-minutes in real time: each stack from its first to its last event.
  const tree = server.events('bench', true);
  const spans = new Map<string, [number, number]>();
  for (const event of tree) {
    const at = server.visibleAt.get(event.EventId) ?? 0;
    const span = spans.get(event.StackId);
    spans.set(event.StackId, span ? [Math.min(span[0], at), Math.max(span[1], at)] : [at, at]);
  }
  const activeMinutes = [...spans.values()].reduce((sum, [from, to]) => sum + (to - from) / 60_000, 0);
  const reads = server.calls.filter((call) =>
    ['DescribeStackEvents', 'DescribeStacks', 'DescribeEvents', 'ListStackResources'].includes(call.action),
  ).length;
  await server.stop();
  return {
    events: tree.length,
    delivered: received.size,
    realMinutes: (wallMs * speed) / 60_000,
    p50LatencyMs: percentile(latencies, 50),
    p95LatencyMs: percentile(latencies, 95),
    callsPerMinutePerActiveStack: reads / activeMinutes,
    cpuSeconds: client.cpuSeconds,
    peakRssMb: client.peakRssMb,
  };
}

/** Bundles one bench/support entry with esbuild as the real build does (split, ESM) into a temp folder. */
async function bundle(entry: string): Promise<{ outdir: string; file: string }> {
  const outdir = mkdtempSync(join(tmpdir(), 'bench-events-'));
  await build({
    entryPoints: [join(import.meta.dirname, 'support', entry)],
    outdir,
    // Split like the real build, so Ink's optional devtools import stays a lazy chunk.
    splitting: true,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    jsx: 'automatic',
    external: ['react-devtools-core'],
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    logLevel: 'error',
  });
  writeFileSync(join(outdir, 'package.json'), '{"type":"module"}');
  return { outdir, file: join(outdir, entry.replace(/\.tsx?$/, '.js')) };
}

async function inkLoad() {
  const { outdir } = await bundle('ink-load.tsx');
  // Its own process too, so the figures are the renderer's alone.
  const runner = join(outdir, 'run.js');
  writeFileSync(
    runner,
    "import { renderLoad } from './ink-load.js'; console.log(JSON.stringify(await renderLoad(10000, 1000)));",
  );
  const child = spawn(process.execPath, [runner], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  await new Promise((resolve) => child.on('close', resolve));
  rmSync(outdir, { recursive: true, force: true });
  return JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as {
    cpuMicrosPerEvent: number;
    peakRssMb: number;
    frames: number;
  };
}

const deploys: Array<Awaited<ReturnType<typeof replayDeploy>>> = [];
const inks: Array<Awaited<ReturnType<typeof inkLoad>>> = [];
for (let run = 0; run < runs; run++) {
  deploys.push(await replayDeploy());
  inks.push(await inkLoad());
}
type Figures = Record<string, ReturnType<typeof spread>>;
const over = <T extends Record<string, number>>(all: T[], keys: Array<keyof T & string>): Figures =>
  Object.fromEntries(keys.map((key) => [key, spread(all.map((one) => one[key] ?? 0))]));
const samples = <T extends Record<string, number>>(all: T[], key: keyof T & string): number[] =>
  all.map((one) => one[key] ?? 0);

if (asJson) {
  const deploy = over(deploys, [
    'events',
    'delivered',
    'realMinutes',
    'p50LatencyMs',
    'p95LatencyMs',
    'callsPerMinutePerActiveStack',
    'cpuSeconds',
    'peakRssMb',
  ]);
  const ink = over(inks, ['cpuMicrosPerEvent', 'peakRssMb', 'frames']);
  console.log(JSON.stringify({ ...info, runs, speed, deploy, ink }));
} else {
  const verdict = (ok: boolean): string => (ok ? 'met' : 'missed');
  const median = (values: number[]): number => spread(values).median;
  const p95 = samples(deploys, 'p95LatencyMs').map((ms) => ms / 1000);
  const calls = samples(deploys, 'callsPerMinutePerActiveStack');
  const clientRss = samples(deploys, 'peakRssMb');
  const inkRss = samples(inks, 'peakRssMb');
  const delivered = spread(samples(deploys, 'delivered'));
  publish('events', {
    bench: 'bench/events',
    info,
    n: runs,
    heading: [
      `big-nested-create replayed at ${speed}x (figures in real time): ${median(samples(deploys, 'events'))} events in the tree, ${delivered.min}-${delivered.max} delivered`,
    ],
    rows: [
      {
        label: 'event-to-output latency, p50',
        unit: 's',
        samples: samples(deploys, 'p50LatencyMs').map((ms) => ms / 1000),
      },
      {
        label: 'event-to-output latency, p95',
        unit: 's',
        samples: p95,
        goal: `median <= 1.5 s: ${verdict(median(p95) <= 1.5)}`,
      },
      {
        label: 'API calls a minute per active stack',
        unit: 'count-1',
        samples: calls,
        goal: `median <= 30 (CDK ~42): ${verdict(median(calls) <= 30)}`,
      },
      { label: 'client CPU time', unit: 's', samples: samples(deploys, 'cpuSeconds') },
      {
        label: 'client peak RSS',
        unit: 'MB',
        samples: clientRss,
        goal: `median < 150 MB: ${verdict(median(clientRss) < 150)}`,
      },
      {
        label: 'Ink tree, 10,000 events: CPU per event',
        unit: 'µs',
        samples: samples(inks, 'cpuMicrosPerEvent'),
      },
      { label: 'Ink tree, 10,000 events: frames written', unit: 'count', samples: samples(inks, 'frames') },
      {
        label: 'Ink tree, 10,000 events: peak RSS',
        unit: 'MB',
        samples: inkRss,
        goal: `median < 150 MB: ${verdict(median(inkRss) < 150)}`,
      },
    ],
    notes: [],
  });
}
