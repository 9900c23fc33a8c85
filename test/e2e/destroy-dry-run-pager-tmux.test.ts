import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { cliPath, projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { openTmuxTerminal, operatorEnv, type TmuxTerminal } from '../support/tmux-terminal.ts';

/**
 * `destroy --dry-run | less` in an 80x24 terminal (trial finding 98): the plan goes to less on stdout;
 * the run's progress lines on stderr, still the terminal, were drawn over less's screen (its prompt row
 * read ":[     0s] succeeded"). Now stderr gets only warnings and errors while a pipe reads the results.
 */
let moto: MotoServer;
let work: { path: string; remove: () => Promise<void> };
let terminal: TmuxTerminal | undefined;
const demo = join(projectRoot, 'blueprints', 'demo');
const answers = join(demo, 'answers.yaml');

beforeAll(async () => {
  [moto, work] = await Promise.all([startMotoServer(), tempDir()]);
});
afterAll(async () => {
  await terminal?.kill();
  await moto?.stop();
  await work?.remove();
});

describe('destroy --dry-run piped to less in an 80x24 terminal', () => {
  it('shows the plan in less with nothing drawn over its screen, and exits 0 once less is quit', async () => {
    const flags = ['--endpoint-url', moto.endpoint, '--state-dir', 'state'];
    const installed = await runCli(['install', '--blueprint', demo, '--config', answers, '--yes', ...flags], {
      cwd: work.path,
    });
    expect(installed.code, installed.stderr).toBe(0);

    const destroy = [process.execPath, cliPath, 'destroy', '--blueprint', demo, '--config', answers];
    // `less` with its prompt on the last row; the pipeline's status is the CLI's (pipefail).
    terminal = await openTmuxTerminal(
      `bash -o pipefail -c '${[...destroy, ...flags, '--dry-run'].join(' ')} | less'`,
      {
        cwd: work.path,
        env: operatorEnv(work.path, { LESS: '' }),
        width: 80,
        height: 24,
      },
    );
    // The whole plan fits less's screen: (END) once the CLI closed its stdout, so it has ended.
    const screen = await terminal.waitFor(/\(END\)/);
    expect(screen).toContain('Destroy plan for deployment demo in us-east-1');
    expect(screen).toContain('Dry run: nothing was deleted.');
    // Give a late write the time to land, then read less's screen again: no progress line over it.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const after = await terminal.visible();
    expect(after).not.toMatch(/\[\s+\d+s\]/);
    expect(after).not.toContain('succeeded');
    expect(after.trimEnd().split('\n').at(-1)).toBe('(END)');
    // q, then Enter: when Node.js restored the terminal's cooked mode as it exited (nodejs/node#41143, a
    // race with less's own start) less reads keys only after Enter; in raw mode the Enter is harmless.
    await terminal.press('q', 'Enter');
    expect(await terminal.waitFor(/EXIT=\d+/)).toContain('EXIT=0');
  });
});
