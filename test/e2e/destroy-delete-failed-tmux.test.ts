import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ScenarioServer, startScenarioServer } from '../scenario-server/server.ts';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { cliPath, projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { openTmuxTerminal, type TmuxTerminal } from '../support/tmux-terminal.ts';

/**
 * DELETE_FAILED in a real terminal, against the scenario server (moto never fails a delete): the first
 * DeleteStack fails on the stack's bucket, and destroy offers empty-and-retry, retain, or stop. What
 * the operator picks is asserted on the calls the server received.
 */
let moto: MotoServer;
let server: ScenarioServer | undefined;
let terminal: TmuxTerminal | undefined;
let work: { path: string; remove: () => Promise<void> };
const blueprint = join(projectRoot, 'test', 'fixtures', 'blueprints', 'platform');

beforeAll(async () => {
  [moto, work] = await Promise.all([startMotoServer(), tempDir()]);
});
afterAll(async () => {
  await moto?.stop();
  await work?.remove();
});
afterEach(async () => {
  await terminal?.kill();
  await server?.stop();
  terminal = undefined;
  server = undefined;
});

function endpoints(scenario: ScenarioServer): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_ENDPOINT_URL_CLOUDFORMATION: scenario.endpoint,
  };
}

async function installed(name: string, scenario: ScenarioServer): Promise<void> {
  const result = await runCli(
    [
      'install',
      '--blueprint',
      blueprint,
      '--name',
      name,
      '--region',
      'us-east-1',
      '--yes',
      '--state-dir',
      'state',
    ],
    { cwd: work.path, env: endpoints(scenario) },
  );
  expect(result.code, result.stderr).toBe(0);
}

async function destroyInTerminal(name: string, scenario: ScenarioServer): Promise<TmuxTerminal> {
  terminal = await openTmuxTerminal(
    `${process.execPath} ${cliPath} destroy --blueprint ${blueprint} --name ${name} --region us-east-1 --state-dir state`,
    {
      cwd: work.path,
      env: { PATH: process.env.PATH ?? '', HOME: work.path, TERM: 'xterm-256color', ...endpoints(scenario) },
      height: 45,
    },
  );
  return terminal;
}

/** Moves the menu cursor down until it is on the entry starting with `label`, then presses Enter. */
async function pick(t: TmuxTerminal, label: string): Promise<void> {
  for (let step = 0; step < 5; step++) {
    const screen = await t.waitFor(/❯ /);
    if (screen.includes(`❯ ${label}`)) {
      await t.press('Enter');
      return;
    }
    await t.press('Down');
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`no menu entry "${label}"`);
}

const deleteCalls = (scenario: ScenarioServer) =>
  scenario.calls.filter((call) => call.action === 'DeleteStack' && !call.throttled);

describe('destroy when CloudFormation cannot delete a resource', () => {
  it('offers its choices; retaining the resource retries with RetainResources and finishes', async () => {
    server = await startScenarioServer({ scenarios: { default: 'delete-failed' }, speed: 4 });
    await installed('keep', server);
    const t = await destroyInTerminal('keep', server);
    await t.waitFor('Type the deployment name (keep)');
    await t.press({ text: 'keep' }, 'Enter');
    const menu = await t.waitFor(
      /keep could not be deleted \(Bucket: The bucket you tried to delete is not empty.*\)\. What now\?/,
    );
    expect(menu).toContain('Empty what can be emptied and retry');
    expect(menu).toContain('Retry, keeping Bucket (they stay in the account)');
    expect(menu).toContain('Stop here');
    await pick(t, 'Retry, keeping Bucket');
    const done = await t.waitFor(/EXIT=\d+/, 40_000);
    expect(done).toContain('EXIT=0');
    // The live view's row (a terminal), or the plain line.
    expect(done).toMatch(/✔ keep DELETE_COMPLETE|keep: DELETE_COMPLETE|Deleted stack keep/);
    const calls = deleteCalls(server);
    expect(calls).toHaveLength(2);
    expect(calls[0]?.params['RetainResources.member.1']).toBeUndefined();
    expect(calls[1]?.params['RetainResources.member.1']).toBe('Bucket');
  });

  it('empties and retries: the second DeleteStack retains nothing', async () => {
    server = await startScenarioServer({ scenarios: { default: 'delete-failed' }, speed: 4 });
    await installed('again', server);
    const t = await destroyInTerminal('again', server);
    await t.waitFor('Type the deployment name (again)');
    await t.press({ text: 'again' }, 'Enter');
    await t.waitFor(/again could not be deleted/);
    await pick(t, 'Empty what can be emptied and retry');
    const done = await t.waitFor(/EXIT=\d+/, 40_000);
    expect(done).toContain('EXIT=0');
    const calls = deleteCalls(server);
    expect(calls).toHaveLength(2);
    expect(calls.map((call) => call.params['RetainResources.member.1'])).toEqual([undefined, undefined]);
  });

  it('stops when asked, deleting nothing more, and says how to resume', async () => {
    server = await startScenarioServer({ scenarios: { default: 'delete-failed' }, speed: 4 });
    await installed('halt', server);
    const t = await destroyInTerminal('halt', server);
    await t.waitFor('Type the deployment name (halt)');
    await t.press({ text: 'halt' }, 'Enter');
    await t.waitFor(/halt could not be deleted/);
    await pick(t, 'Stop here');
    const done = await t.waitFor(/EXIT=\d+/);
    expect(done).toContain('EXIT=1');
    expect(done).toContain('run destroy again: it resumes');
    expect(deleteCalls(server)).toHaveLength(1);
  });
});
