import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, projectRoot } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

const run = promisify(execFile);
const binary = join(projectRoot, 'dist', 'stackguide.cjs');

let work: { path: string; remove: () => Promise<void> };
let recordLoads: string;
let wideTerminal: string;

beforeAll(async () => {
  work = await tempDir();
  // Records every file Node loads (the CommonJS entry too), to tell whether the bundle was loaded.
  recordLoads = join(work.path, 'record-loads.mjs');
  await writeFile(
    recordLoads,
    [
      "import { appendFileSync } from 'node:fs';",
      "import { registerHooks } from 'node:module';",
      'registerHooks({',
      '  load(url, context, next) {',
      "    if (url.startsWith('file:')) appendFileSync(process.env.LOADS_FILE, url + '\\n');",
      '    return next(url, context);',
      '  },',
      '});',
    ].join('\n'),
  );
  // stdout as a terminal 100 columns wide, as commander sees one.
  wideTerminal = join(work.path, 'wide-terminal.cjs');
  await writeFile(
    wideTerminal,
    "Object.defineProperty(process.stdout, 'isTTY', { value: true });\nObject.defineProperty(process.stdout, 'columns', { value: 100 });\n",
  );
});
afterAll(async () => {
  await work?.remove();
});

/** stdout, stderr and the files loaded by `node <entry> <args>`. */
async function started(entry: string, args: string[], preload: string[] = []) {
  const loads = join(work.path, `loads-${Math.random().toString(36).slice(2)}.txt`);
  await writeFile(loads, '');
  const { stdout, stderr } = await run(
    process.execPath,
    [...preload, '--import', recordLoads, entry, ...args],
    {
      env: { ...process.env, LOADS_FILE: loads },
    },
  );
  const loaded = (await readFile(loads, 'utf8')).split('\n').filter(Boolean);
  return { stdout, stderr, bundleLoaded: loaded.some((url) => url.endsWith('/dist/cli.js')) };
}

describe('the binary answers --help and --version itself', () => {
  it.each([['--help'], ['-h']])(
    '%s: exactly what commander prints, without loading the bundle',
    async (flag) => {
      const commander = await started(cliPath, ['--help']);
      expect(commander.bundleLoaded).toBe(true);
      expect(commander.stdout).toContain('Usage: stackguide [options] [command]');
      const quick = await started(binary, [flag]);
      expect(quick.stdout).toBe(commander.stdout);
      expect(quick.stderr).toBe('');
      expect(quick.bundleLoaded).toBe(false);
    },
  );

  it.each([['--version'], ['-V']])(
    '%s: exactly what commander prints, without loading the bundle',
    async (flag) => {
      const commander = await started(cliPath, ['--version']);
      const quick = await started(binary, [flag]);
      expect(quick.stdout).toBe(commander.stdout);
      expect(quick.stdout).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
      expect(quick.bundleLoaded).toBe(false);
    },
  );

  it('leaves a terminal of another width, and anything more than one flag, to commander', async () => {
    const wide = await started(binary, ['--help'], ['--require', wideTerminal]);
    const commanderWide = await started(cliPath, ['--help'], ['--require', wideTerminal]);
    expect(wide.bundleLoaded).toBe(true);
    expect(wide.stdout).toBe(commanderWide.stdout);
    // Wrapped at 100 columns, not 80: the text the binary holds would be wrong here.
    expect(wide.stdout).not.toBe((await started(cliPath, ['--help'])).stdout);

    const command = await started(binary, ['validate', '--help']);
    expect(command.bundleLoaded).toBe(true);
    expect(command.stdout).toBe((await started(cliPath, ['validate', '--help'])).stdout);
  });
});
