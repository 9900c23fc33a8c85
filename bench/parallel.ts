/**
 * bench/parallel: independent stacks at once, and the ETA, on the CloudFormation scenario server.
 * The blueprint test/fixtures/blueprints/two-chains (six stacks, two independent chains of three) is
 * installed by the built CLI twice per round in one state folder: one by one (--concurrency 1) and with
 * the default concurrency, each as a deployment of its own. Resources take the scenario seconds set
 * below (the server plays them `--speed` times faster), everything else is moto.
 *
 * It prints the wall time of each install, the speed-up, and the ETA's error at 25%, 50% and 75% of each
 * run: |predicted end − actual end| / time actually left, where the prediction is the last `eta` event
 * received by then (its `finishesAt`). The first run of the first round has no history (the shipped
 * table of typical durations, then what the run itself shows); every later run also learns from the
 * event logs of the runs before it, as an operator's second install would.
 * Goals: at least 1.5x faster with the default concurrency; ETA error at 50% at most 25%.
 *
 *   npm run build && node bench/parallel.ts [--runs 3] [--speed 10] [--readme]
 * (`npm run bench -- parallel` builds, runs it with --readme: bench/results/parallel.json and the README.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startScenarioServer } from '../test/scenario-server/server.ts';
import { startMotoServer } from '../test/support/moto-server.ts';
import { projectRoot, startCli } from '../test/support/run-cli.ts';
import { type BenchRow, publish } from './support/bench-report.ts';
import { runInfo, spread } from './support/run-info.ts';

const flag = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const runs = Math.max(3, flag('--runs', 3));
const speed = flag('--speed', 10);
const info = runInfo();
const blueprint = join(projectRoot, 'test', 'fixtures', 'blueprints', 'two-chains');
// Scenario seconds per resource: a stack of each chain takes about 40 s of them.
const resourceSeconds = { 'AWS::SQS::Queue': 40, 'AWS::SNS::Topic': 20, 'AWS::DynamoDB::Table': 40 };

interface Measured {
  wallSeconds: number;
  /** ETA error at 25, 50 and 75% of the run, as a fraction of the time then left. */
  etaError: [number, number, number];
}

async function install(
  endpoints: { moto: string; cloudFormation: string },
  stateDir: string,
  name: string,
  concurrency: number | undefined,
): Promise<Measured> {
  const args = [
    'install',
    '--blueprint',
    blueprint,
    '--name',
    name,
    '--region',
    'us-east-1',
    '--state-dir',
    stateDir,
    '--yes',
    '--output',
    'json',
    ...(concurrency !== undefined ? ['--concurrency', String(concurrency)] : []),
  ];
  const started = Date.now();
  const { child, result } = startCli(args, {
    cwd: stateDir,
    env: { AWS_ENDPOINT_URL: endpoints.moto, AWS_ENDPOINT_URL_CLOUDFORMATION: endpoints.cloudFormation },
    timeoutMs: 600_000,
  });
  // Each estimate as it arrives: when, and the end it predicts.
  const estimates: Array<{ at: number; finishesAt: number }> = [];
  let buffered = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.includes('"type":"eta"')) continue;
      const event = JSON.parse(line) as { finishesAt: string };
      estimates.push({ at: Date.now(), finishesAt: Date.parse(event.finishesAt) });
    }
  });
  const outcome = await result;
  const ended = outcome.endedAt;
  if (outcome.code !== 0) throw new Error(`install ${name} failed (${outcome.code}): ${outcome.stderr}`);
  const errorAt = (fraction: number): number => {
    const at = started + fraction * (ended - started);
    const last = estimates.filter((estimate) => estimate.at <= at).at(-1);
    if (!last) return Number.NaN;
    return Math.abs(last.finishesAt - ended) / (ended - at);
  };
  return { wallSeconds: (ended - started) / 1000, etaError: [errorAt(0.25), errorAt(0.5), errorAt(0.75)] };
}

const moto = await startMotoServer();
const server = await startScenarioServer({ speed, resourceSeconds });
const stateDir = mkdtempSync(join(tmpdir(), 'stackguide-bench-parallel-'));
const oneByOne: Measured[] = [];
const concurrent: Measured[] = [];
try {
  for (let round = 1; round <= runs; round++) {
    const endpoints = { moto: moto.endpoint, cloudFormation: server.endpoint };
    oneByOne.push(await install(endpoints, stateDir, `seq${round}`, 1));
    concurrent.push(await install(endpoints, stateDir, `par${round}`, undefined));
    process.stderr.write(
      `round ${round}: one by one ${oneByOne.at(-1)?.wallSeconds.toFixed(1)} s, concurrent ${concurrent.at(-1)?.wallSeconds.toFixed(1)} s\n`,
    );
  }
} finally {
  await server.stop();
  await moto.stop();
  rmSync(stateDir, { recursive: true, force: true });
}

const speedups = oneByOne.map(
  (run, index) => run.wallSeconds / (concurrent[index]?.wallSeconds ?? Number.NaN),
);
const rows: BenchRow[] = [
  {
    label: 'install, one by one (--concurrency 1)',
    unit: 's',
    samples: oneByOne.map((run) => run.wallSeconds),
  },
  { label: 'install, default concurrency (4)', unit: 's', samples: concurrent.map((run) => run.wallSeconds) },
  {
    label: 'speed-up (times)',
    unit: 'count-1',
    samples: speedups,
    goal: `>= 1.5: ${spread(speedups).median >= 1.5 ? 'met' : 'missed'}`,
  },
];
for (const [label, measured] of [
  ['one by one', oneByOne],
  ['concurrent', concurrent],
] as const) {
  for (const [index, at] of ['25%', '50%', '75%'].entries()) {
    const errors = measured.map((run) => (run.etaError[index] ?? Number.NaN) * 100);
    rows.push({
      label: `ETA error at ${at} of the run, ${label} (%)`,
      unit: 'count',
      samples: errors,
      ...(at === '50%' ? { goal: `<= 25: ${spread(errors).median <= 25 ? 'met' : 'missed'}` } : {}),
    });
  }
}
const percent = (value: number | undefined): string =>
  value === undefined || Number.isNaN(value) ? 'n/a' : `${(value * 100).toFixed(0)}%`;
publish('parallel', {
  bench: 'bench/parallel',
  info,
  n: runs,
  heading: [
    `two-chains (6 stacks, 2 chains of 3) on the scenario server at ${speed}x; resource seconds ${JSON.stringify(resourceSeconds)}`,
  ],
  rows,
  notes: [
    `The first run of all (no history yet, the typical table): ETA error ${oneByOne[0]?.etaError.map(percent).join(' / ')} at 25/50/75%.`,
  ],
});
