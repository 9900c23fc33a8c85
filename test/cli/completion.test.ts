import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * `stackguide completion bash|zsh|fish`: each script is valid for its shell and, loaded into the real
 * shell, completes the commands, each command's options (exactly those its --help lists, so the two
 * cannot drift), option values and file arguments.
 */
/** The commands `stackguide --help` lists, but commander's own `help`: what completion must offer. */
let commands: string[] = [];

let work: { path: string; remove: () => Promise<void> };
const scripts: Record<string, string> = {};

beforeAll(async () => {
  work = await tempDir();
  const help = (await runCli(['--help'])).stdout;
  commands = [...help.slice(help.indexOf('Commands:')).matchAll(/^ {2}([\w-]+)/gm)]
    .map((match) => match[1] ?? '')
    .filter((name) => name !== 'help')
    .sort();
  expect(commands).toContain('install');
  for (const shell of ['bash', 'zsh', 'fish']) {
    const printed = await runCli(['completion', shell]);
    expect(printed.code, printed.stderr).toBe(0);
    scripts[shell] = join(work.path, `stackguide.${shell}`);
    await writeFile(scripts[shell], printed.stdout);
  }
  await mkdir(join(work.path, 'files', 'configs'), { recursive: true });
  await writeFile(join(work.path, 'files', 'prod.answers.yaml'), 'blueprint: x\n');
});
afterAll(async () => {
  await work?.remove();
});

/** The options `stackguide <command> --help` lists. */
async function helpOptions(command: string): Promise<string[]> {
  const help = (await runCli([command, '--help'])).stdout;
  const options = help.slice(help.indexOf('Options:'), help.indexOf('\nExamples:'));
  return [...options.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map((match) => match[1] ?? '').sort();
}

/** What bash's completion function offers for `words` (the last one being completed). */
function bashComplete(words: string[], cwd = work.path): string[] {
  const array = words.map((word) => `'${word}'`).join(' ');
  const out = execFileSync(
    'bash',
    [
      '-c',
      `source "$1"; COMP_WORDS=(${array}); COMP_CWORD=${words.length - 1}; _stackguide; printf '%s\\n' "\${COMPREPLY[@]}"`,
      'bash',
      scripts.bash ?? '',
    ],
    { cwd, encoding: 'utf8' },
  );
  return out.split('\n').filter(Boolean).sort();
}

describe('stackguide completion', () => {
  it('refuses a shell it has no script for with exit 2', async () => {
    const refused = await runCli(['completion', 'powershell']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      "'powershell' is invalid for argument 'shell'. Allowed choices are bash, zsh, fish.",
    );
  });

  it('bash: the script parses (bash -n)', () => {
    expect(spawnSync('bash', ['-n', scripts.bash ?? '']).status).toBe(0);
  });

  it("bash: completes the commands, then each command's options exactly as its --help lists them", async () => {
    expect(bashComplete(['stackguide', ''])).toEqual([...commands, '--help', '--version'].sort());
    expect(bashComplete(['stackguide', 'up'])).toEqual(['upgrade']);
    for (const command of commands) {
      expect(bashComplete(['stackguide', command, '--']), command).toEqual(await helpOptions(command));
    }
    expect(bashComplete(['stackguide', 'install', '--ro'])).toEqual(['--role-arn']);
    expect(bashComplete(['stackguide', 'install', '--region', 'us-east-1', '--dis'])).toEqual([
      '--disable-rollback',
    ]);
  });

  it('bash: completes option values: choices, files, folders, nothing for free text', () => {
    expect(bashComplete(['stackguide', 'status', '--output', ''])).toEqual(['json', 'text']);
    expect(bashComplete(['stackguide', 'completion', ''])).toEqual(['bash', 'fish', 'zsh']);
    const files = join(work.path, 'files');
    expect(bashComplete(['stackguide', 'install', '--config', ''], files)).toEqual([
      'configs',
      'prod.answers.yaml',
    ]);
    expect(bashComplete(['stackguide', 'install', '--blueprint', ''], files)).toEqual(['configs']);
    expect(bashComplete(['stackguide', 'validate', 'pro'], files)).toEqual(['prod.answers.yaml']);
    expect(bashComplete(['stackguide', 'install', '--region', ''])).toEqual([]);
  });

  // zsh and fish are required (.ci/run installs them): a test that skips itself where they are missing
  // would pass without trying anything.
  it('zsh: the script parses (zsh -n) and completes commands, options and values in a real zsh', async () => {
    expect(spawnSync('zsh', ['-n', scripts.zsh ?? '']).status).toBe(0);
    const complete = async (line: string): Promise<string[]> => {
      const out = join(work.path, `zsh-${Math.random().toString(36).slice(2)}.txt`);
      const driver = join(projectRoot, 'test', 'support', 'zsh-complete.zsh');
      const run = spawnSync('zsh', ['-f', driver, scripts.zsh ?? '', line, out], {
        cwd: join(work.path, 'files'),
        timeout: 60_000,
        encoding: 'utf8',
      });
      expect(run.status, run.stderr).toBe(0);
      const got = await readFile(out, 'utf8').catch(() => '');
      await rm(out, { force: true });
      return [...new Set(got.split('\n').filter(Boolean))].sort();
    };
    expect(await complete('stackguide ')).toEqual(commands);
    expect(await complete('stackguide install --ro')).toEqual(['--role-arn']);
    expect(await complete('stackguide destroy --dr')).toEqual(['--dry-run']);
    expect(await complete('stackguide status --output ')).toEqual(['json', 'text']);
    expect(await complete('stackguide install --config prod')).toEqual(['prod.answers.yaml']);
  });

  it('fish: the script parses (fish --no-execute) and completes commands, options and values', () => {
    expect(spawnSync('fish', ['--no-execute', scripts.fish ?? '']).status).toBe(0);
    const complete = (line: string): string[] =>
      execFileSync('fish', ['-c', 'source $argv[1]; complete -C $argv[2]', scripts.fish ?? '', line], {
        cwd: join(work.path, 'files'),
        encoding: 'utf8',
      })
        .split('\n')
        .filter(Boolean)
        .map((entry) => entry.split('\t')[0] ?? '')
        .sort();
    expect(complete('stackguide ')).toEqual(commands);
    expect(complete('stackguide install --ro')).toEqual(['--role-arn']);
    expect(complete('stackguide status --output=')).toEqual(['--output=json', '--output=text']);
    expect(complete('stackguide install --config ')).toEqual(['configs/', 'prod.answers.yaml']);
  });
});
