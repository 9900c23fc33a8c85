import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { type Lab, projectRoot, startLab } from '../../scripts/lab/start-lab.ts';

/**
 * The labs the README sends operators to (`npm run lab -- <blueprint>`): the commands a lab prints run
 * as printed, in a shell that sourced its lab.env, from install to destroy.
 */
const shell = promisify(execFile);
let lab: Lab | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

/** The printed commands, in order, with the comment each carries removed. */
function printedCommands(instructions: string): string[] {
  return instructions
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('cd ') || /^(\S+=\S+ )*stackguide /.test(line))
    .map((line) => line.replace(/\s+#.*$/, ''));
}

async function runPrinted(current: Lab, command: string) {
  const [cd] = printedCommands(current.instructions());
  // Run as an operator would: a fresh shell, the lab's cd and source, then the command as printed.
  return shell('bash', ['-c', `${cd} && ${command}`], {
    env: { PATH: process.env.PATH ?? '', HOME: current.folder },
    timeout: 120_000,
  }).then(
    (result) => ({ code: 0, ...result }),
    (error: { code?: number; stdout: string; stderr: string }) => ({
      code: error.code ?? 1,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  );
}

describe('scripts/lab.ts', () => {
  it('loads under Node itself (type stripping, as npm run lab and npm run demo run it) and names the labs', async () => {
    const node = join(projectRoot, 'node_modules', '.bin', 'node');
    const result = await shell(node, [join(projectRoot, 'scripts', 'lab.ts')], { cwd: projectRoot }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code?: number; stderr: string }) => ({ code: error.code ?? 1, stderr: error.stderr }),
    );
    expect(result.stderr).toContain(
      'Usage: npm run lab -- <blueprint>   (one of: demo, convox-rack, qhub, opensarlab, codeocean-vpc)',
    );
    expect(result.code).toBe(2);
  });
});

describe("scripts/demo.ts, unattended (the README's second way to run the demo)", () => {
  it("installs from a copy of the given answers file, leaving the repository's sample as it is", async () => {
    const sample = join(projectRoot, 'blueprints', 'demo', 'answers.yaml');
    const before = await readFile(sample, 'utf8');
    const node = join(projectRoot, 'node_modules', '.bin', 'node');
    const result = await shell(
      node,
      [join(projectRoot, 'scripts', 'demo.ts'), '--config', 'blueprints/demo/answers.yaml', '--yes'],
      { cwd: projectRoot, env: { ...process.env, CI: 'true' }, timeout: 180_000 },
    ).then(
      (done) => ({ code: 0, stderr: done.stderr }),
      (error: { code?: number; stderr: string }) => ({ code: error.code ?? 1, stderr: error.stderr }),
    );
    expect(result.code, result.stderr).toBe(0);
    // The commands it prints act on the copy, in the demo's folder.
    expect(result.stderr).toMatch(
      /Re-run unattended: stackguide install --blueprint demo --config answers\.yaml/,
    );
    expect(result.stderr).not.toContain(sample);
    expect(await readFile(sample, 'utf8')).toBe(before);
    // Without a terminal the log goes on with the status (in a terminal it is the first command offered).
    expect(result.stderr).toContain('What AWS holds now (stackguide status):');
  });
});

// Each seed blueprint's README section sends the operator here; the sample answers name the deployment.
const seeds = [
  { blueprint: 'codeocean-vpc', deployment: 'codeocean' },
  { blueprint: 'opensarlab', deployment: 'geo-class' },
  { blueprint: 'convox-rack', deployment: 'production' },
  { blueprint: 'qhub', deployment: 'qhub-aws' },
];

describe.each(seeds)('npm run lab -- $blueprint', ({ blueprint, deployment }) => {
  it('prints commands that install, show and destroy the sample deployment as printed', async () => {
    lab = await startLab(blueprint);
    const commands = printedCommands(lab.instructions());
    expect(commands[0]).toBe(`cd ${lab.folder} && source lab.env`);
    const unattended = commands.find((command) => command.includes('--yes'));
    const status = commands.find((command) => command.startsWith('stackguide status'));
    const destroy = commands.find((command) => command.startsWith('stackguide destroy'));
    expect(unattended && status && destroy).toBeTruthy();

    const installed = await runPrinted(lab, unattended ?? '');
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stderr).toMatch(/succeeded/);
    const shown = await runPrinted(lab, status ?? '');
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/CREATE_COMPLETE/);
    // Unattended, destroy needs the deployment name typed as --confirm; the sample answers name it.
    const destroyed = await runPrinted(lab, `${destroy} --confirm ${deployment}`);
    expect(destroyed.code, destroyed.stderr).toBe(0);
    expect(destroyed.stderr).toMatch(/leftovers: none unexpected/);
  }, 240_000);
});
