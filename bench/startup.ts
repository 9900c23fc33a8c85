/**
 * bench/startup: how fast stackguide answers, as wall time (median, min and max over n runs, each after
 * two warm-up runs, so Node's compile cache is warm as on any run after the first), each with its ratio
 * to the first figure, `node -e 0` (what any Node CLI pays before its own code runs):
 *   1. `node -e 0` (15 runs), the same Node that runs stackguide;
 *   2. `node dist/stackguide.cjs --help` (15 runs): the installed binary, which answers `--help` alone
 *      with the text the build took from commander, without loading the bundle;
 *   3. `node dist/stackguide.cjs validate blueprints/<name>` (15 runs) for every shipped blueprint, demo first,
 *      each with its peak RSS (GNU time's %M);
 *   1-3 also with their median CPU time (GNU time's %U + %S), which a busy machine barely changes;
 *   4. the first interactive frame of `stackguide install` (7 runs): the command starts in a detached
 *      tmux session (120x40) against one local moto server, with test credentials and no CI, no
 *      AWS_REGION and no AWS profile; the clock runs from the start of the tmux session until
 *      `tmux capture-pane` (polled every 5 ms) shows the identity question, "Install into account";
 *   5. for reference, in the same run: `aws --version` (awscli) and `cdk --help` (aws-cdk, installed with
 *      npm into a temporary folder and run by the same Node; "not measured" with the reason when npm
 *      cannot install it).
 * Goals (issue 12): --help at most 1.5x `node -e 0`; validate at most 150 ms and 80 MiB (issue 15: for
 * every shipped blueprint); first frame at most 300 ms.
 *
 *   npm run bench -- startup [--runs N]     (builds, measures, rewrites the README's start-up table)
 *   npm run build && node bench/startup.ts [--runs N] [--json] [--readme]
 *
 * --runs N runs every measurement N times; --json prints one JSON object with every figure; --readme
 * also rewrites the README's start-up table from this run's figures, naming the commit. The header
 * names the commit, the machine and the load average at the start and at the end of the run: wall
 * times on a shared machine move with it, ratios to `node -e 0` and CPU times much less.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startMotoServer } from '../test/support/moto-server.ts';
import { runInfo } from './support/run-info.ts';

const root = resolve(import.meta.dirname, '..');
// What `stackguide` runs once installed (package.json's bin): the Node check, then the bundle.
const cli = join(root, 'dist', 'stackguide.cjs');
const node = process.execPath;
const goals = { helpRatio: 1.5, validate: 150, validateRssMiB: 80, firstFrame: 300 };
const firstPrompt = 'Install into account';

interface Figure {
  label: string;
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Median over the median of `node -e 0` in the same run. */
  ratio?: number;
  /** Peak resident set size, the largest over the runs, where it was measured. */
  peakRssMiB?: number;
  /** Median CPU time (user + system), where it was measured: unlike wall time, it barely moves with load. */
  cpuMs?: number;
  /** The goal in words and whether this run met it. */
  goal?: string;
  pass?: boolean;
}

interface NotMeasured {
  label: string;
  reason: string;
}

function parseFlags(argv: readonly string[]): { runs: number | undefined; json: boolean; readme: boolean } {
  const at = argv.indexOf('--runs');
  const runs = at >= 0 ? Number(argv[at + 1]) : undefined;
  if (runs !== undefined && !(Number.isInteger(runs) && runs >= 1 && runs <= 1000)) {
    throw new Error('--runs takes a whole number from 1 to 1000');
  }
  const known = ['--json', '--runs', '--readme'];
  const unknown = argv.filter((arg, i) => !known.includes(arg) && (at < 0 || i !== at + 1));
  if (unknown.length > 0)
    throw new Error(`unknown arguments: ${unknown.join(' ')} (try --runs N, --json, --readme)`);
  return { runs, json: argv.includes('--json'), readme: argv.includes('--readme') };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle];
  const lower = sorted[middle - 1];
  if (upper === undefined) throw new Error('median of no values');
  return sorted.length % 2 === 1 || lower === undefined ? upper : (lower + upper) / 2;
}

/** Runs `once` twice to warm up, then `runs` times; `once` resolves with one wall time in ms. */
async function measure(label: string, once: () => Promise<number> | number, runs: number): Promise<Figure> {
  for (let i = 0; i < 2; i++) await once();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await once());
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    label,
    runs,
    medianMs: round(median(times)),
    minMs: round(Math.min(...times)),
    maxMs: round(Math.max(...times)),
  };
}

/** Wall time of one command run to completion, output discarded; a failure or a timeout throws. */
function timeCommand(command: string, args: readonly string[]): number {
  const started = performance.now();
  const result = spawnSync(command, args, { stdio: 'ignore', timeout: 30_000 });
  const elapsed = performance.now() - started;
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} ended with ${result.signal ?? `exit ${result.status}`}`);
  }
  return elapsed;
}

const GNU_TIME = '/usr/bin/time';

/**
 * Peak RSS in MiB (GNU time's %M, the kernel's maxrss of the child; the largest over the runs) and the
 * median CPU time (%U + %S, in 10 ms steps), in separate runs from the timed ones so that time's own
 * start-up is not in the wall figure; nothing without GNU time.
 */
function resourceUse(
  command: string,
  args: readonly string[],
  runs: number,
): { peakRssMiB?: number; cpuMs?: number } {
  if (!existsSync(GNU_TIME)) return {};
  let peak = 0;
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const result = spawnSync(GNU_TIME, ['-f', '%M %U %S', command, ...args], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    const [kib, user, system] = (result.stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
    if (result.status !== 0 || kib === undefined || user === undefined || system === undefined) return {};
    if (![kib, user, system].every(Number.isFinite)) return {};
    peak = Math.max(peak, kib);
    cpu.push((user + system) * 1000);
  }
  return { peakRssMiB: Math.round((peak / 1024) * 10) / 10, cpuMs: Math.round(median(cpu)) };
}

const execFileAsync = promisify(execFile);

/** A private tmux server for the bench's sessions, so no other tmux session or setting plays a part. */
function tmux(socket: string, ...args: string[]): Promise<string> {
  return execFileAsync('tmux', ['-L', socket, ...args], { timeout: 5_000 }).then(({ stdout }) => stdout);
}

const shellQuote = (value: string): string => `'${value.replaceAll("'", "'\\''")}'`;

/**
 * One run of `stackguide install` in a fresh tmux session: wall time from the start of the session to
 * the first screen that shows the identity question. The session is killed afterwards, whatever happens.
 */
async function timeFirstFrame(socket: string, endpoint: string, cwd: string, run: number): Promise<number> {
  const session = `install-${run}`;
  const command = [
    'env -u CI -u AWS_REGION -u AWS_DEFAULT_REGION -u AWS_PROFILE -u AWS_SESSION_TOKEN -u AWS_ENDPOINT_URL',
    'AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing',
    // No ~/.aws files: a region or a profile there would change what is measured.
    `AWS_CONFIG_FILE=${shellQuote(join(cwd, 'aws-config'))}`,
    `AWS_SHARED_CREDENTIALS_FILE=${shellQuote(join(cwd, 'aws-credentials'))}`,
    shellQuote(node),
    shellQuote(cli),
    `install --blueprint ${shellQuote(join(root, 'blueprints', 'demo'))} --endpoint-url ${shellQuote(endpoint)}`,
    // Keeps a failed run's screen for the error message below.
    '; echo "exited $?"; sleep 60',
  ].join(' ');
  const started = performance.now();
  await tmux(socket, 'new-session', '-d', '-s', session, '-x', '120', '-y', '40', '-c', cwd, command);
  try {
    let screen = '';
    for (let deadline = started + 15_000; performance.now() < deadline; ) {
      screen = await tmux(socket, 'capture-pane', '-p', '-t', session);
      if (screen.includes(firstPrompt)) return performance.now() - started;
      await new Promise((done) => setTimeout(done, 5));
    }
    throw new Error(`"${firstPrompt}" did not show within 15 s; the screen:\n${screen.trimEnd()}`);
  } finally {
    await tmux(socket, 'kill-session', '-t', session).catch(() => undefined);
  }
}

async function measureFirstFrame(endpoint: string, runs: number): Promise<Figure> {
  const socket = `stackguide-bench-${process.pid}`;
  const cwd = mkdtempSync(join(tmpdir(), 'stackguide-bench-'));
  try {
    // A session that outlives the runs keeps the tmux server up, so no run pays for starting it.
    await tmux(socket, 'new-session', '-d', '-s', 'keep', '-x', '120', '-y', '40', 'sleep 600');
    let run = 0;
    return await measure(
      'stackguide install, first frame',
      () => timeFirstFrame(socket, endpoint, cwd, run++),
      runs,
    );
  } finally {
    await tmux(socket, 'kill-server').catch(() => undefined);
    rmSync(cwd, { recursive: true, force: true });
  }
}

/** The npm on PATH that is not this project's (node_modules/.bin has none today, but may one day). */
function systemNpm(): string | undefined {
  const projectBin = join(root, 'node_modules', '.bin');
  const path = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => resolve(dir) !== projectBin)
    .join(delimiter);
  const found = spawnSync('sh', ['-c', 'command -v npm'], {
    encoding: 'utf8',
    env: { ...process.env, PATH: path },
    timeout: 5_000,
  });
  return found.status === 0 ? found.stdout.trim() || undefined : undefined;
}

/** A reference figure, or why there is none: a missing or failing tool never stops the bench. */
async function reference(
  label: string,
  prepare: () => { measuredAs: string; command: string; args: string[] } | string,
  runs: number,
): Promise<Figure | NotMeasured> {
  try {
    const prepared = prepare();
    if (typeof prepared === 'string') return { label, reason: prepared };
    const { measuredAs, command, args } = prepared;
    return await measure(measuredAs, () => timeCommand(command, args), runs);
  } catch (error) {
    return { label, reason: (error as Error).message };
  }
}

function measureAws(runs: number): Promise<Figure | NotMeasured> {
  return reference(
    'aws',
    () => {
      const probe = spawnSync('aws', ['--version'], { encoding: 'utf8', timeout: 30_000 });
      if (probe.error || probe.status !== 0)
        return probe.error?.message ?? `aws --version: exit ${probe.status}`;
      // awscli v1 prints its version on stderr, v2 on stdout: "aws-cli/1.45.11 Python/3.11.7 ...".
      const version = `${probe.stdout}${probe.stderr}`.split(' ')[0]?.replace('aws-cli/', '') ?? '?';
      return { measuredAs: `aws --version (awscli ${version})`, command: 'aws', args: ['--version'] };
    },
    runs,
  );
}

/** aws-cdk from the registry into a temporary folder, run by the same Node as stackguide. */
async function measureCdk(runs: number): Promise<Figure | NotMeasured> {
  const prefix = mkdtempSync(join(tmpdir(), 'stackguide-bench-cdk-'));
  try {
    return await reference(
      'cdk',
      () => {
        const npm = systemNpm();
        if (!npm) return 'npm is not on PATH';
        const install = spawnSync(
          npm,
          ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error', 'aws-cdk'],
          { encoding: 'utf8', timeout: 180_000 },
        );
        if (install.error || install.status !== 0) {
          // npm's first error line names the cause: "npm error code ECONNREFUSED", "npm error code E404".
          const cause = install.stderr?.split('\n').find((line) => line.startsWith('npm error'));
          return `npm install aws-cdk failed: ${install.error?.message ?? cause?.replace('npm error ', '') ?? `exit ${install.status}`}`;
        }
        const cdkDir = join(prefix, 'node_modules', 'aws-cdk');
        const { version } = JSON.parse(readFileSync(join(cdkDir, 'package.json'), 'utf8')) as {
          version: string;
        };
        return {
          measuredAs: `cdk --help (aws-cdk ${version})`,
          command: node,
          args: [join(cdkDir, 'bin', 'cdk'), '--help'],
        };
      },
      runs,
    );
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
}

/** Every folder under blueprints/ with a blueprint.yaml, demo first (the goal's own example). */
function shippedBlueprints(): string[] {
  const folder = join(root, 'blueprints');
  const names = readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(folder, entry.name, 'blueprint.yaml')))
    .map((entry) => entry.name)
    .sort();
  return [...names.filter((name) => name === 'demo'), ...names.filter((name) => name !== 'demo')];
}

/** The machine, and how busy it was when the bench started: wall times on a shared machine vary with it. */
const oneMinuteLoad = (): number => Math.round((loadavg()[0] ?? 0) * 100) / 100;
const machine = {
  // `+dirty` when the code differs from the commit; the README and bench/results/, which benches write, do not count.
  commit: runInfo().commit,
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
  cpus: cpus().length,
  loadAverage: oneMinuteLoad(),
  /** Set when the measurements are done. */
  loadAverageAtEnd: undefined as number | undefined,
};

const loadWords = (): string =>
  `load average ${machine.loadAverage} at the start, ${machine.loadAverageAtEnd ?? '?'} at the end`;

const header = (): string =>
  `bench/startup · commit ${machine.commit} · Node ${machine.node} · ${machine.platform}, ${machine.cpus} x ${machine.cpu} · ${loadWords()}`;

function printTable(results: ReadonlyArray<Figure | NotMeasured>): void {
  console.log(`${header()}\n`);
  const ms = (value: number) => `${Math.round(value)} ms`.padStart(8);
  console.log(
    `${''.padEnd(48)}${'median'.padStart(8)}${'min'.padStart(8)}${'max'.padStart(8)}${'runs'.padStart(6)}${'x node'.padStart(8)}${'peak RSS'.padStart(10)}${'CPU'.padStart(8)}  goal`,
  );
  for (const result of results) {
    if ('reason' in result) {
      console.log(`${result.label}: not measured (${result.reason})`);
      continue;
    }
    const ratio = result.ratio === undefined ? '' : `${result.ratio.toFixed(2)}x`;
    const rss = result.peakRssMiB === undefined ? '' : `${result.peakRssMiB} MiB`;
    const cpu = result.cpuMs === undefined ? '' : `${result.cpuMs} ms`;
    const goal = result.goal === undefined ? '' : `  ${result.goal}: ${result.pass ? 'PASS' : 'MISS'}`;
    console.log(
      `${result.label.padEnd(48)}${ms(result.medianMs)}${ms(result.minMs)}${ms(result.maxMs)}${String(result.runs).padStart(6)}${ratio.padStart(8)}${rss.padStart(10)}${cpu.padStart(8)}${goal}`,
    );
  }
}

const README_START = '<!-- startup-table:start (generated by `npm run bench -- startup`) -->';
const README_END = '<!-- startup-table:end -->';

/** The README's start-up table, from this run's figures. */
function readmeTable(results: ReadonlyArray<Figure | NotMeasured>): string {
  const int = (value: number) => Math.round(value).toLocaleString('en-US');
  const rows = results.map((result) => {
    if ('reason' in result) return `| ${result.label} | not measured: ${result.reason} | | | | | |`;
    const rss = result.peakRssMiB === undefined ? '' : `${result.peakRssMiB} MiB`;
    const cpu = result.cpuMs === undefined ? '' : `${result.cpuMs} ms`;
    const goal = result.goal === undefined ? '' : `${result.goal}: ${result.pass ? 'met' : 'missed'}`;
    return `| ${result.label} | ${int(result.medianMs)} ms | ${int(result.minMs)}-${int(result.maxMs)} ms | ${result.ratio?.toFixed(2) ?? ''}x | ${rss} | ${cpu} | ${goal} |`;
  });
  return [
    README_START,
    `Measured at commit \`${machine.commit}\` on ${machine.cpus} x ${machine.cpu} (${machine.platform}), Node ${machine.node}, ${loadWords()}.`,
    '',
    '| what | median | range | x `node -e 0` | peak RSS | CPU (user + sys, median) | goal |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    README_END,
  ].join('\n');
}

function writeReadme(results: ReadonlyArray<Figure | NotMeasured>): void {
  const path = join(root, 'README.md');
  const readme = readFileSync(path, 'utf8');
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) throw new Error('README.md has no start-up table markers');
  writeFileSync(
    path,
    `${readme.slice(0, start)}${readmeTable(results)}${readme.slice(end + README_END.length)}`,
  );
  console.log(`\nwrote the start-up table in README.md (commit ${machine.commit})`);
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  if (spawnSync(node, [cli, '--version'], { timeout: 30_000 }).status !== 0) {
    throw new Error(`${cli} does not run: build it first (npm run build)`);
  }
  const moto = await startMotoServer();
  let results: Array<Figure | NotMeasured>;
  const runs = flags.runs ?? 15;
  try {
    const baseline = await measure('node -e 0', () => timeCommand(node, ['-e', '0']), runs);
    const help = await measure('stackguide --help', () => timeCommand(node, [cli, '--help']), runs);
    const validates: Figure[] = [];
    for (const name of shippedBlueprints()) {
      const args = [cli, 'validate', join(root, 'blueprints', name)];
      const wall = await measure(
        `stackguide validate blueprints/${name}`,
        () => timeCommand(node, args),
        runs,
      );
      const use = resourceUse(node, args, runs);
      validates.push({
        ...wall,
        ...use,
        goal: `at most ${goals.validate} ms and ${goals.validateRssMiB} MiB`,
        pass:
          wall.medianMs <= goals.validate &&
          use.peakRssMiB !== undefined &&
          use.peakRssMiB <= goals.validateRssMiB,
      });
    }
    const firstFrame = await measureFirstFrame(moto.endpoint, flags.runs ?? 7);
    const ratio = (figure: Figure): Figure => ({
      ...figure,
      ratio: Math.round((figure.medianMs / baseline.medianMs) * 100) / 100,
    });
    results = [
      { ...ratio(baseline), ...resourceUse(node, ['-e', '0'], runs) },
      {
        ...ratio(help),
        ...resourceUse(node, [cli, '--help'], runs),
        goal: `at most ${goals.helpRatio}x node -e 0`,
        pass: help.medianMs <= goals.helpRatio * baseline.medianMs,
      },
      ...validates.map(ratio),
      {
        ...ratio(firstFrame),
        goal: `at most ${goals.firstFrame} ms`,
        pass: firstFrame.medianMs <= goals.firstFrame,
      },
      ...[await measureAws(runs), await measureCdk(runs)].map((figure) =>
        'reason' in figure ? figure : ratio(figure),
      ),
    ];
  } finally {
    await moto.stop();
  }
  machine.loadAverageAtEnd = oneMinuteLoad();
  if (flags.json) {
    const figures = results.filter((result): result is Figure => !('reason' in result));
    const notMeasured = results.filter((result): result is NotMeasured => 'reason' in result);
    console.log(JSON.stringify({ ...machine, figures, notMeasured }));
  } else {
    printTable(results);
  }
  if (flags.readme) writeReadme(results);
}

await main();
