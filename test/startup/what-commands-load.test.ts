import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { cliPath, projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

const run = promisify(execFile);
const demo = join(projectRoot, 'blueprints', 'demo');

let work: { path: string; remove: () => Promise<void> };
let moto: MotoServer | undefined;

beforeAll(async () => {
  work = await tempDir();
  // Records every file Node loads, in order: the source tree is the graph the bundle's chunks follow
  // (a chunk holds modules reached from the same lazy imports), without the chunks' hashed names.
  await writeFile(
    join(work.path, 'record-loads.mjs'),
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
});
afterAll(async () => {
  await moto?.stop();
  await work?.remove();
});

/** The project files (relative paths) Node loads to run `stackguide <args>` from source. */
async function loadedBy(args: string[]): Promise<string[]> {
  const loads = join(work.path, `loads-${args.join('-').replaceAll('/', '_')}.txt`);
  await run(
    process.execPath,
    ['--import', join(work.path, 'record-loads.mjs'), join(projectRoot, 'src', 'cli.ts'), ...args],
    { cwd: projectRoot, env: { ...process.env, LOADS_FILE: loads } },
  );
  const root = new URL(`file://${projectRoot}/`).href;
  return (await readFile(loads, 'utf8'))
    .split('\n')
    .filter((url) => url.startsWith(root))
    .map((url) => url.slice(root.length));
}

const sdk = /^node_modules\/(@aws-sdk|@smithy|@aws-crypto)\//;
const ui = /^node_modules\/(ink|react|react-reconciler|listr2|@inquirer)\//;

describe('what each command loads', () => {
  it('validate loads its own command, and no AWS SDK, HTTP layer or screen library', async () => {
    const loaded = await loadedBy(['validate', demo]);
    expect(loaded).toContain('src/commands/validate-command.ts');
    expect(loaded.filter((path) => sdk.test(path) || ui.test(path))).toEqual([]);
    expect(loaded.filter((path) => path.startsWith('src/commands/') && !path.includes('validate'))).toEqual(
      [],
    );
    expect(loaded.filter((path) => path.startsWith('screens/') || path.startsWith('tasks/'))).toEqual([]);
  });

  it('--help loads no command, no blueprint code and none of zod, yaml or the SDK', async () => {
    const loaded = await loadedBy(['--help']);
    expect(loaded).toContain('src/main.ts');
    expect(
      loaded.filter(
        (path) =>
          /^src\/(commands|blueprint|aws|steps)\//.test(path) ||
          /^node_modules\/(zod|yaml)\//.test(path) ||
          sdk.test(path) ||
          ui.test(path),
      ),
    ).toEqual([]);
  });
});

describe('the built --help', () => {
  it("loads no child_process (commander's, for executable subcommands stackguide has none of)", async () => {
    const list = join(work.path, 'builtins.txt');
    const hook = join(work.path, 'record-builtins.mjs');
    await writeFile(
      hook,
      "import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(process.env.BUILTINS_FILE, process.moduleLoadList.join('\\n')));\n",
    );
    const result = await run(process.execPath, ['--import', hook, cliPath, '--help'], {
      env: { ...process.env, BUILTINS_FILE: list },
    });
    expect(result.stdout).toContain('Usage: stackguide');
    const builtins = (await readFile(list, 'utf8')).split('\n');
    expect(builtins).toContain('NativeModule path');
    expect(builtins.filter((name) => /child_process|NativeModule dgram$/.test(name))).toEqual([]);
  });
});

describe('--debug', () => {
  it('writes one line per AWS request on stderr, names and numbers only', async () => {
    moto = await startMotoServer();
    const result = await runCli(
      [
        'status',
        '--blueprint',
        demo,
        '--name',
        'demo',
        '--region',
        'us-east-1',
        '--endpoint-url',
        moto.endpoint,
        '--state-dir',
        join(work.path, 'state'),
        '--debug',
      ],
      { cwd: work.path },
    );
    expect(result.code, result.stderr).toBe(4); // Nothing is installed: status needs action.
    expect(result.stderr).toMatch(/^debug: STS GetCallerIdentity → 200 in \d+ ms \(request id \S+\)$/m);
    expect(result.stderr).toMatch(/^debug: CloudFormation DescribeStacks → 400 in \d+ ms/m);
    expect(result.stderr).not.toContain('testing'); // The fake access key, in no header or line.
  });
});
