import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Lab, projectRoot, startLab } from '../../scripts/lab/start-lab.ts';
import { runCli } from '../support/run-cli.ts';

/**
 * Issue 20: the same install as the guided e2e tests, unattended from each seed blueprint's sample
 * answers against its lab, with what test/blueprints/shipped-blueprints.test.ts does not check there:
 * the re-run changes nothing and destroy leaves nothing unexpected (test/scripts/lab.test.ts runs
 * codeocean-vpc's and opensarlab's as the lab prints them).
 */
let lab: Lab | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

describe.each([
  [
    'qhub',
    'qhub-aws',
    { title: 'Deploy QHub from the file stackguide wrote', command: 'qhub deploy -c qhub-config.yaml' },
  ],
  ['convox-rack', 'production', undefined],
])('%s from its sample answers, unattended', (blueprint, deployment, afterInstall) => {
  it('installs, re-runs unchanged, shows status and destroys', async () => {
    lab = await startLab(blueprint);
    const current = lab;
    const cli = (args: string[]) =>
      runCli(
        [...args, '--blueprint', `${projectRoot}/blueprints/${blueprint}`, '--config', current.answersPath],
        {
          cwd: current.folder,
          env: { ...current.env, CI: undefined },
          timeoutMs: 120_000,
        },
      );
    const installed = await cli(['install', '--yes']);
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stderr).toMatch(/succeeded/);
    // The after-install checklist, where the blueprint has one, is written beside the event log and
    // named in plain output; in --output json, by a file.written event before run.completed.
    const checklist = join(current.folder, '.stackguide', deployment, 'after-install.md');
    const again = await cli(['install', '--yes']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/already up to date: no changes/);
    expect(again.stderr).not.toMatch(/CREATE_COMPLETE|UPDATE_COMPLETE/);
    if (afterInstall) {
      expect(installed.stdout).toContain(`The same checklist is in ${checklist}\n`);
      expect(installed.stderr).toContain(`wrote ${checklist} (the after-install checklist)`);
      const text = await readFile(checklist, 'utf8');
      expect(text).toContain(`# After installing ${deployment}`);
      expect(text).toContain(`- [ ] ${afterInstall.title}`);
      expect(text).toContain(`  \`\`\`sh\n  ${afterInstall.command}\n  \`\`\``);
      const json = await cli(['install', '--yes', '--output', 'json']);
      expect(json.code, json.stderr).toBe(0);
      const events = json.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { type: string; path?: string });
      expect(events.find((event) => event.type === 'file.written' && event.path === checklist)).toBeDefined();
      expect(events.at(-1)?.type).toBe('run.completed');
    } else expect(existsSync(checklist)).toBe(false);
    const status = await cli(['status']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(`deployment ${deployment}`);
    expect(status.stdout).toContain('healthy');
    const destroyed = await cli(['destroy', '--confirm', deployment]);
    expect(destroyed.code, destroyed.stderr).toBe(0);
    expect(destroyed.stderr).toMatch(/leftovers: none unexpected/);
    // The state folder outlives the deployment; a checklist of stacks that are gone does not.
    expect(existsSync(checklist)).toBe(false);
  }, 180_000);
});
