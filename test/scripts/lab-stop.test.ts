import { type ChildProcess, spawn } from 'node:child_process';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../scripts/lab/start-lab.ts';

/**
 * `npm run lab` keeps its servers and its folder until it is stopped, and removes the folder however it
 * is stopped: Ctrl+C, a kill, or the terminal closed under it (SIGHUP, which tmux sends its panes when
 * a window is killed: every e2e test and every closed window left a folder in /tmp).
 */
const node = join(projectRoot, 'node_modules', '.bin', 'node');
let child: ChildProcess | undefined;
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = undefined;
});

async function startedLab(): Promise<{ lab: ChildProcess; folder: string }> {
  const lab = spawn(node, [join(projectRoot, 'scripts', 'lab.ts'), 'demo'], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child = lab;
  let said = '';
  const folder = await new Promise<string>((resolve, reject) => {
    lab.stderr?.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      const cd = /cd (\S+stackguide-lab-demo-\S+)/.exec(said);
      if (cd?.[1] && said.includes('Ctrl+C stops the lab.')) resolve(cd[1]);
    });
    lab.once('exit', (code) => reject(new Error(`the lab ended (${code}) before it was up: ${said}`)));
  });
  return { lab, folder };
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe('npm run lab, stopped', () => {
  it.each(['SIGINT', 'SIGHUP'] as const)(
    'by %s stops and removes its folder',
    async (signal) => {
      const { lab, folder } = await startedLab();
      expect(await exists(join(folder, 'lab.env'))).toBe(true);
      const ended = new Promise<number | null>((resolve) => lab.once('exit', resolve));
      lab.kill(signal);
      expect(await ended).toBe(0);
      expect(await exists(folder)).toBe(false);
    },
    120_000,
  );
});
