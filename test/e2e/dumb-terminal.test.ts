import { execFile } from 'node:child_process';
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { cliPath, projectRoot } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * A terminal that says TERM=dumb (Emacs' shell, some CI log viewers) cannot move the cursor: the CLI
 * run in a real pseudo-terminal there writes plain lines, and not one escape byte. The same run with
 * TERM=xterm-256color draws the live view, so the test can tell the two apart.
 */
const run = promisify(execFile);
let moto: MotoServer;
let work: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  [moto, work] = await Promise.all([startMotoServer(), tempDir()]);
  await copyFile(join(projectRoot, 'blueprints', 'demo', 'answers.yaml'), join(work.path, 'answers.yaml'));
});
afterAll(async () => {
  await Promise.all([moto?.stop(), work?.remove()]);
});

/** Runs an unattended install in a pseudo-terminal (util-linux `script`), returning every byte it wrote. */
async function inTerminal(term: string, name: string): Promise<string> {
  const transcript = join(work.path, `${name}.typescript`);
  const command = [
    process.execPath,
    cliPath,
    'install',
    '--blueprint',
    join(projectRoot, 'blueprints', 'demo'),
    '--config',
    'answers.yaml',
    '--endpoint-url',
    moto.endpoint,
    '--state-dir',
    'state',
    '--yes',
  ]
    .map((arg) => `'${arg}'`)
    .join(' ');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: work.path,
    TERM: term,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
  };
  // CI is left out on purpose: with it set nothing would draw in either terminal.
  await run('script', ['-q', '-e', '-c', command, transcript], { cwd: work.path, env, timeout: 120_000 });
  return readFile(transcript, 'utf8');
}

describe('TERM=dumb', () => {
  it('gets plain lines with no escape byte, where a capable terminal gets the live view', async () => {
    const dumb = await inTerminal('dumb', 'dumb');
    expect(dumb).toContain('succeeded');
    expect(dumb).not.toContain('\u001b');
    const capable = await inTerminal('xterm-256color', 'xterm');
    expect(capable).toContain('\u001b[');
  }, 240_000);
});
