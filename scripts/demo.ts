/**
 * `npm run demo`: the whole product against a local demo target. Starts the demo blueprint's lab (moto,
 * the AWS emulator, and the stand-ins, on loopback ports; scripts/lab/start-lab.ts), runs `stackguide
 * install` on the demo blueprint against it in this terminal. In a terminal the target then stays up,
 * with the commands to go on with (status, upgrade, destroy), until Ctrl+C; without one (CI, a pipe)
 * `stackguide status` follows the install instead, and the target stops.
 * Arguments after `--` go to install, e.g. `npm run demo -- --config blueprints/demo/answers.yaml --yes`
 * for the unattended run (the answers file is copied into the demo's folder first).
 */
import { spawn } from 'node:child_process';
import { copyFile, readdir, stat, symlink } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { loadBlueprint } from '../src/blueprint/load-blueprint.ts';
import { runsInCi } from '../src/commands/output-mode.ts';
import { demoClosingLines, demoClosingRows } from './demo-closing-lines.ts';
import { projectRoot, startLab } from './lab/start-lab.ts';
import { untilStopped } from './lab/until-stopped.ts';

const cli = join(projectRoot, 'dist', 'cli.js');

console.error('Starting the demo target (moto, the AWS emulator) on a loopback port…');
const lab = await startLab('demo');
// The repository's blueprint, reached from the lab folder by the shortest path, a folder named as the
// blueprint: the unattended re-run the install's summary prints then fits an 80-column terminal on
// one line (`blueprints/demo` made it 81 columns, its `--yes` on a row of its own, trial finding 59),
// and so do the status and destroy the demo prints.
await symlink(join(projectRoot, 'blueprints', 'demo'), join(lab.folder, 'demo'));
const blueprint = 'demo';
console.error(`Demo AWS endpoint: ${lab.env.AWS_ENDPOINT_URL}\nWorking folder: ${lab.folder}\n`);

const run = (args: string[], env: Record<string, string> = {}): Promise<number> =>
  new Promise((done) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: lab.folder,
      env: { ...process.env, ...lab.env, ...env },
      stdio: 'inherit',
    });
    child.on('close', (code) => done(code ?? 1));
  });

// A given --config is copied into the lab's folder and used from there: install, and the upgrade the demo
// suggests, write answers back to it, and the repository's sample file must stay as it is.
const args = process.argv.slice(2);
const configAt = args.indexOf('--config') + 1;
const given = configAt > 0 ? args[configAt] : undefined;
const config = given ? basename(given) : undefined;
if (given && config) {
  await copyFile(resolve(given), join(lab.folder, config));
  args[configAt] = config;
}

/** The answers file the install wrote in the lab folder (named after the deployment it was given). */
async function writtenAnswers(): Promise<string | undefined> {
  const files = (await readdir(lab.folder)).filter((file) => file.endsWith('.answers.yaml'));
  const dated = await Promise.all(
    files.map(async (file) => ({ file, time: (await stat(join(lab.folder, file))).mtimeMs })),
  );
  return dated.sort((a, b) => b.time - a.time)[0]?.file;
}

const interactive = process.stdin.isTTY && !runsInCi(process.env);
const width = process.stderr.columns || 80;
/**
 * In a terminal the install's summary fits the window with the rows the demo prints under it left
 * free (trial finding 59: a summary that repeats a warning pushed '✔ demo is installed' off an 80x24
 * screen); stackguide takes their count in STACKGUIDE_SUMMARY_ROWS_BELOW. They name the answers file
 * the install writes: the given one, else `<name>.answers.yaml` for the name typed, as long as the
 * blueprint allows, so each length is counted.
 */
async function rowsBelowSummary(): Promise<Record<string, string>> {
  if (!interactive) return {};
  const { maxLength } = (await loadBlueprint(join(lab.folder, blueprint))).deployment;
  const answersFiles = config
    ? [config]
    : Array.from({ length: maxLength }, (_, index) => `${'n'.repeat(index + 1)}.answers.yaml`);
  const rows = demoClosingRows({ folder: lab.folder, blueprint }, answersFiles, width);
  return { STACKGUIDE_SUMMARY_ROWS_BELOW: String(rows) };
}

let code = 1;
let quiet = false;
try {
  code = await run(['install', '--blueprint', blueprint, ...args], await rowsBelowSummary());
  const written = config ?? (await writtenAnswers());
  const answers = written ?? 'demo.answers.yaml';
  if (code === 0 && !interactive) {
    // A log is read top to bottom: the status follows the install there.
    console.error('\nWhat AWS holds now (stackguide status):');
    await run(['status', '--blueprint', blueprint, '--config', answers]);
  }
  if (code === 0 && interactive) {
    // In a terminal the install's summary stays on the screen (trial finding 59: the status printed
    // after it scrolled it off an 80x24 window); the status is the first command offered instead, and
    // what is printed under the summary is as short as it can be (see demoClosingLines) and takes no
    // more rows than the summary left for it (rowsBelowSummary).
    console.error(demoClosingLines({ folder: lab.folder, blueprint, answers }, width).join('\n'));
    quiet = (await untilStopped()).quiet;
  }
} finally {
  if (!quiet) console.error('Stopping the demo target…');
  await lab.stop();
}
process.exit(code);
