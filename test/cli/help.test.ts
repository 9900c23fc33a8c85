import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot, runCli } from '../support/run-cli.ts';

const commands = [
  'install',
  'status',
  'watch',
  'upgrade',
  'destroy',
  'preflight',
  'support-bundle',
  'validate',
];

describe('--help of every command', () => {
  it.each(commands)('%s --help shows examples, environment variables and exit codes', async (command) => {
    const help = await runCli([command, '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(new RegExp(`Examples:\\n {2}stackguide ${command} `));
    expect(help.stdout).toContain('Environment:');
    expect(help.stdout).toContain('Exit codes:\n  0 ');
  });

  it.each([[], ...[...commands, 'policy', 'completion'].map((command) => [command])])(
    'fits 80 columns without a line cut by the terminal: stackguide %s --help',
    async (...command: string[]) => {
      const help = await runCli([...command, '--help'], { env: { COLUMNS: '80' } });
      expect(help.code).toBe(0);
      const over = help.stdout.split('\n').filter((line) => line.length > 80);
      expect(over).toEqual([]);
    },
  );

  it('lists exactly the exit codes the README documents', async () => {
    const readme = await readFile(join(projectRoot, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('### Exit codes'));
    const documented = [...table.slice(0, table.indexOf('\n### ', 5)).matchAll(/^\| (\d+) \|/gm)].map(
      (match) => match[1],
    );
    const help = await runCli(['status', '--help']);
    const listed = [...help.stdout.slice(help.stdout.indexOf('Exit codes:')).matchAll(/^ {2}(\d+) /gm)].map(
      (match) => match[1],
    );
    expect(listed.sort()).toEqual(documented.sort());
  });
});
