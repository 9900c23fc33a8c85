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
  ['qhub', 'qhub-aws'],
  ['convox-rack', 'production'],
])('%s from its sample answers, unattended', (blueprint, deployment) => {
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
    const again = await cli(['install', '--yes']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/already up to date: no changes/);
    expect(again.stderr).not.toMatch(/CREATE_COMPLETE|UPDATE_COMPLETE/);
    const status = await cli(['status']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(`deployment ${deployment}`);
    expect(status.stdout).toContain('healthy');
    const destroyed = await cli(['destroy', '--confirm', deployment]);
    expect(destroyed.code, destroyed.stderr).toBe(0);
    expect(destroyed.stderr).toMatch(/leftovers: none unexpected/);
  }, 180_000);
});
