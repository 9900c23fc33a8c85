import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { cliPath, projectRoot } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { openTmuxTerminal, operatorEnv, type TmuxTerminal } from '../support/tmux-terminal.ts';

/**
 * NO_COLOR, --no-color and FORCE_COLOR on every screen a guided install draws in a real terminal: the
 * @inquirer/prompts questions, the Ink review, the change set review and the summary. tmux hands the
 * screen back with its colours as escape sequences (capture-pane -e); a colour is a foreground or
 * background SGR (30-37, 38;…, 40-47, 48;…, 90-97, 100-107). Bold and dim are not colours
 * (https://no-color.org).
 */
let moto: MotoServer;
let work: { path: string; remove: () => Promise<void> };
let terminal: TmuxTerminal | undefined;

beforeAll(async () => {
  moto = await startMotoServer();
  work = await tempDir();
  // A short relative path: no line that echoes it wraps, wherever the checkout lives.
  await cp(join(projectRoot, 'test', 'fixtures', 'blueprints', 'deploy-options'), join(work.path, 'bp'), {
    recursive: true,
  });
});
afterEach(async () => {
  await terminal?.kill();
  terminal = undefined;
});
afterAll(async () => {
  await moto?.stop();
  await work?.remove();
});

/** The colours (foreground or background SGR parameters) used on a captured screen. */
function colours(screen: string): string[] {
  const found = new Set<string>();
  // Select Graphic Rendition: ESC [ parameters m.
  const sgr = new RegExp(`${String.fromCharCode(27)}\\[([\\d;:]*)m`, 'g');
  for (const [, parameters] of screen.matchAll(sgr)) {
    const codes = (parameters ?? '').split(/[;:]/).map(Number);
    for (let i = 0; i < codes.length; i++) {
      const code = codes[i] ?? 0;
      if (code === 38 || code === 48) {
        found.add(String(code));
        // 38;5;n or 38;2;r;g;b: the rest belongs to this colour.
        i += codes[i + 1] === 5 ? 2 : 4;
      } else if ((code >= 30 && code <= 37) || (code >= 40 && code <= 47) || (code >= 90 && code <= 107))
        found.add(String(code));
    }
  }
  return [...found];
}

/** A guided install on moto, the screens captured with their colours at each phase. */
async function guidedInstall(
  name: string,
  env: Record<string, string>,
  flags: string[] = [],
  redirect = '',
): Promise<Record<'prompt' | 'review' | 'changeSet' | 'summary', string>> {
  terminal = await openTmuxTerminal(
    `${process.execPath} ${cliPath} install --blueprint bp --endpoint-url ${moto.endpoint} --state-dir state ${flags.join(' ')}${redirect}`,
    {
      cwd: work.path,
      env: operatorEnv(work.path, env),
    },
  );
  const t = terminal;
  await t.waitFor(/Install into account 123456789012 as .*\?/);
  const prompt = await t.styled();
  await t.press('Enter');
  await t.waitFor('Which AWS region?');
  await t.press('Enter');
  await t.waitFor('Deployment name');
  await t.press({ text: name }, 'Enter');
  await t.waitFor('Environment');
  await t.press('Enter');
  await t.waitFor('Database password');
  await t.press({ text: 'not-a-real-secret-42' }, 'Enter');
  await t.waitFor(/Create (this stack|these \d+ stacks)\?/);
  const review = await t.styled();
  await t.press('y');
  await t.waitFor(`Change set for ${name}-app (new stack)`);
  const changeSet = await t.styled();
  await t.press('y');
  await t.waitFor('EXIT=0');
  const summary = await t.styled();
  return { prompt, review, changeSet, summary };
}

describe('colour on every screen of a guided install', () => {
  it('is on in a colour terminal, even with stdout redirected to a file (the screens draw on stderr)', async () => {
    const screens = await guidedInstall('tint', {}, [], ' > out.txt');
    for (const [phase, screen] of Object.entries(screens)) expect(colours(screen), phase).not.toEqual([]);
  });

  it.each([
    ['NO_COLOR=1', { NO_COLOR: '1' }, []],
    ['--no-color', {}, ['--no-color']],
    ['--no-color over FORCE_COLOR=1', { FORCE_COLOR: '1' }, ['--no-color']],
    ['FORCE_COLOR=0', { FORCE_COLOR: '0' }, []],
  ])('is off everywhere with %s', async (label, env, flags) => {
    const name = `plain${label.length}${flags.length}`;
    const screens = await guidedInstall(name, env, flags);
    for (const [phase, screen] of Object.entries(screens))
      expect(colours(screen), `${label}: ${phase}`).toEqual([]);
    // The screens are there, just without colour.
    expect(screens.summary).toContain(`${name} is installed`);
  });

  it('FORCE_COLOR=1 wins over NO_COLOR', async () => {
    const screens = await guidedInstall('forced', { NO_COLOR: '1', FORCE_COLOR: '1' });
    for (const [phase, screen] of Object.entries(screens)) expect(colours(screen), phase).not.toEqual([]);
  });
});
