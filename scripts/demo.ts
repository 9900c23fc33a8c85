/**
 * `npm run demo`: the whole product against a local demo target. Starts moto (the AWS emulator) on a
 * free loopback port, runs `stackguide install` on the demo blueprint against it in this terminal,
 * shows `stackguide status`, and stops moto. Arguments after `--` go to install, e.g.
 * `npm run demo -- --config blueprints/demo/answers.yaml --yes` for the unattended run.
 */
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startMotoServer } from '../test/support/moto-server.ts';

const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'dist', 'cli.js');
const blueprint = join(root, 'blueprints', 'demo');

console.error('Starting the demo target (moto, the AWS emulator) on a loopback port…');
const moto = await startMotoServer();
// The demo's answers file and journal go to a scratch folder, so repeated demos never collide.
const work = await mkdtemp(join(tmpdir(), 'stackguide-demo-'));
console.error(`Demo AWS endpoint: ${moto.endpoint}   working folder: ${work}\n`);

const env = { ...process.env, AWS_ACCESS_KEY_ID: 'demo', AWS_SECRET_ACCESS_KEY: 'demo' };
const run = (args: string[]): Promise<number> =>
  new Promise((done) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: work, env, stdio: 'inherit' });
    child.on('close', (code) => done(code ?? 1));
  });

// A --config path is relative to where the demo was started, not to the scratch folder.
const args = process.argv
  .slice(2)
  .map((arg, index, all) => (all[index - 1] === '--config' ? resolve(arg) : arg));
const config = args.includes('--config') ? args[args.indexOf('--config') + 1] : undefined;

let code = 1;
try {
  code = await run(['install', '--blueprint', blueprint, '--endpoint-url', moto.endpoint, ...args]);
  if (code === 0) {
    console.error('\nWhat AWS holds now (stackguide status):');
    const name = args.includes('--name') ? args[args.indexOf('--name') + 1] : 'demo';
    await run([
      'status',
      '--blueprint',
      blueprint,
      '--config',
      config ?? join(work, `${name}.answers.yaml`),
      '--endpoint-url',
      moto.endpoint,
    ]);
  }
} finally {
  await moto.stop();
}
process.exit(code);
