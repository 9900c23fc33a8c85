/**
 * bench/startup: how fast stackguide answers.
 *   1. `stackguide --help`, median wall time over many runs;
 *   2. time to the first interactive frame of `stackguide install` (the identity question) in a real
 *      terminal (tmux), against a local moto server;
 * and, measured in the same run for reference, `aws --version` (awscli) and `cdk --help` (aws-cdk,
 * installed into a temporary folder). Goals: --help under 150 ms, first frame under 400 ms.
 *
 *   npm run build && node bench/startup.ts [--runs N] [--json]
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startMotoServer } from '../test/support/moto-server.ts';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'dist', 'cli.js');
const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 15;
const asJson = process.argv.includes('--json');

interface Figure {
  label: string;
  runs: number;
  medianMs?: number;
  minMs?: number;
  maxMs?: number;
  goalMs?: number;
  note?: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Times `once` `count` times after two warm-up runs. */
async function measure(
  label: string,
  count: number,
  once: () => Promise<number> | number,
  goalMs?: number,
): Promise<Figure> {
  for (let i = 0; i < 2; i++) await once();
  const times: number[] = [];
  for (let i = 0; i < count; i++) times.push(await once());
  return {
    label,
    runs: count,
    medianMs: median(times),
    minMs: Math.min(...times),
    maxMs: Math.max(...times),
    ...(goalMs ? { goalMs } : {}),
  };
}

function timeCommand(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const started = performance.now();
  const result = spawnSync(command, args, { env, stdio: 'ignore', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}`);
  return performance.now() - started;
}

/** Starts install in a detached tmux session and polls the screen until the identity question shows. */
async function timeFirstFrame(endpoint: string): Promise<number> {
  const session = `bench-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const env = `env -u CI AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_REGION= HOME=${tmpdir()}`;
  const command = `${env} ${process.execPath} ${cli} install --blueprint ${join(root, 'blueprints', 'demo')} --endpoint-url ${endpoint}; sleep 30`;
  const started = performance.now();
  await run('tmux', ['new-session', '-d', '-s', session, '-x', '120', '-y', '40', command]);
  try {
    const deadline = started + 20_000;
    while (performance.now() < deadline) {
      const { stdout } = await run('tmux', ['capture-pane', '-p', '-t', session]);
      if (stdout.includes('Install into account')) return performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error('the first frame did not appear within 20 s');
  } finally {
    await run('tmux', ['kill-session', '-t', session]).catch(() => undefined);
  }
}

async function main(): Promise<void> {
  if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run npm run build first');
  const figures: Figure[] = [];
  figures.push(
    await measure('stackguide --help', runs, () => timeCommand(process.execPath, [cli, '--help']), 150),
  );

  const moto = await startMotoServer();
  try {
    figures.push(
      await measure(
        'stackguide install, first frame',
        Math.max(5, Math.ceil(runs / 2)),
        () => timeFirstFrame(moto.endpoint),
        400,
      ),
    );
  } finally {
    await moto.stop();
  }

  try {
    execFileSync('aws', ['--version'], { stdio: 'ignore' });
    figures.push(
      await measure('aws --version (awscli, reference)', runs, () => timeCommand('aws', ['--version'])),
    );
  } catch (error) {
    figures.push({
      label: 'aws --version (awscli, reference)',
      runs: 0,
      note: `not measured: ${(error as Error).message}`,
    });
  }

  const cdkDir = mkdtempSync(join(tmpdir(), 'bench-cdk-'));
  try {
    execFileSync(
      'npm',
      ['install', '--prefix', cdkDir, '--no-audit', '--no-fund', '--loglevel=error', 'aws-cdk'],
      { stdio: 'ignore', timeout: 300_000 },
    );
    const cdk = join(cdkDir, 'node_modules', 'aws-cdk', 'bin', 'cdk');
    figures.push(
      await measure('cdk --help (aws-cdk, reference)', runs, () =>
        timeCommand(process.execPath, [cdk, '--help']),
      ),
    );
  } catch (error) {
    figures.push({
      label: 'cdk --help (aws-cdk, reference)',
      runs: 0,
      note: `not measured: ${(error as Error).message.split('\n')[0]}`,
    });
  } finally {
    rmSync(cdkDir, { recursive: true, force: true });
  }

  if (asJson) {
    console.log(JSON.stringify({ node: process.version, figures }));
    return;
  }
  console.log(`bench/startup on Node ${process.version}, ${runs} runs per command (median, min-max)\n`);
  for (const figure of figures) {
    if (figure.medianMs === undefined) {
      console.log(`${figure.label.padEnd(38)} ${figure.note ?? ''}`);
      continue;
    }
    const verdict = figure.goalMs
      ? `  goal < ${figure.goalMs} ms: ${figure.medianMs < figure.goalMs ? 'PASS' : 'MISS'}`
      : '';
    console.log(
      `${figure.label.padEnd(38)} ${figure.medianMs.toFixed(0).padStart(5)} ms  (${figure.minMs?.toFixed(0)}-${figure.maxMs?.toFixed(0)}, n=${figure.runs})${verdict}`,
    );
  }
}

await main();
