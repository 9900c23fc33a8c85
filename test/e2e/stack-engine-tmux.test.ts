import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ScenarioServer, startScenarioServer } from '../scenario-server/server.ts';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { cliPath, projectRoot } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { openTmuxTerminal, operatorEnv, type TmuxTerminal } from '../support/tmux-terminal.ts';

/** The live tree and the Ctrl+C menu in a real terminal, against the scenario server (CloudFormation) and moto (STS). */
let moto: MotoServer;
let server: ScenarioServer | undefined;
let terminal: TmuxTerminal | undefined;
let work: { path: string; remove: () => Promise<void> };
const blueprint = join(projectRoot, 'test', 'fixtures', 'blueprints', 'platform');

beforeAll(async () => {
  moto = await startMotoServer();
  work = await tempDir();
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

async function installInTerminal(name: string, scenario: ScenarioServer): Promise<TmuxTerminal> {
  terminal = await openTmuxTerminal(
    `${process.execPath} ${cliPath} install --blueprint ${blueprint} --name ${name} --region us-east-1 --yes --state-dir state`,
    {
      cwd: work.path,
      env: operatorEnv(work.path, {
        AWS_ENDPOINT_URL: moto.endpoint,
        AWS_ENDPOINT_URL_CLOUDFORMATION: scenario.endpoint,
      }),
      height: 45,
    },
  );
  return terminal;
}

/** Moves the menu cursor down until it is on `label`, then presses Enter. */
async function pick(t: TmuxTerminal, label: string): Promise<void> {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (let step = 0; step < 5; step++) {
    const screen = await t.waitFor(/❯ /);
    if (new RegExp(`❯ ${escaped}`).test(screen)) {
      await t.press('Enter');
      return;
    }
    const before = /❯ (.*)/.exec(screen)?.[1];
    await t.press('Down');
    await t.waitFor(new RegExp(`❯ (?!${(before ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})`));
  }
  throw new Error(`no menu entry "${label}"`);
}

const calls = (action: string): number =>
  server?.calls.filter((call) => call.action === action && !call.throttled).length ?? 0;

describe('the live tree in a real terminal', () => {
  it('shows the nested stacks under their parent, names the real root cause, and exits non-zero', async () => {
    // In real time: the nested stack stays CREATE_IN_PROGRESS for seconds, so a screen read on a loaded
    // machine (each capture takes a while) cannot miss it, as it could at four times the speed.
    server = await startScenarioServer({ scenarios: { default: 'nested-failure' }, speed: 1 });
    const t = await installInTerminal('lab', server);
    // While it runs: the nested stack indented under the root, its resources under it.
    const live = await t.waitFor(/◼ lab-Data-\S+ CREATE_IN_PROGRESS/);
    expect(live).toMatch(/Installing lab \(platform 1\.0\.0\)/);
    expect(live).toMatch(/\n\s{2,}◼ lab-Data-\S+ CREATE_IN_PROGRESS/);
    const end = await t.waitFor('EXIT=1');
    expect(end).toMatch(/✖ lab ROLLBACK_COMPLETE/);
    expect(end).toMatch(
      /root cause: Database \(AWS::RDS::DBInstance\) in lab-Data-\S+: Resource handler returned message/,
    );
  });
});

describe('Ctrl+C during a stack operation', () => {
  it('offers delete during a create, and deleting ends with the stack gone', async () => {
    server = await startScenarioServer({ scenarios: { default: 'long-create' }, speed: 5 });
    const t = await installInTerminal('held', server);
    await t.waitFor(/Cluster AWS::EKS::Cluster CREATE_IN_PROGRESS/);
    await t.press('C-c');
    const menu = await t.waitFor('held is still changing in AWS. What now?');
    expect(menu).toContain('Keep waiting');
    expect(menu).toContain('Delete held (stops the create)');
    expect(menu).not.toContain('Cancel the update');
    // Move the cursor one step at a time and watch it move: keys typed before the menu listens are lost.
    await pick(t, 'Delete held (stops the create)');
    const end = await t.waitFor('EXIT=130');
    expect(end).toContain('Stopped at your request: held was deleted (DELETE_COMPLETE)');
    expect(calls('DeleteStack')).toBe(1);
    // The delete streamed like any operation: the row ends on it, not frozen on the create (finding 41),
    // and the event log holds its events.
    expect(end).toMatch(/held DELETE_COMPLETE/);
    expect(end).not.toMatch(/◼ held CREATE_IN_PROGRESS/);
    const log = await readFile(join(work.path, 'state', 'held', 'events.ndjson'), 'utf8');
    expect(log).toMatch(/"logicalResourceId":"held".*"status":"DELETE_IN_PROGRESS"/);
    expect(log).toMatch(/"logicalResourceId":"held".*"status":"DELETE_COMPLETE"/);
  });

  it('detaches: the create carries on, and the way back is printed', async () => {
    server = await startScenarioServer({ scenarios: { default: 'long-create' }, speed: 5 });
    const t = await installInTerminal('kept', server);
    await t.waitFor(/Cluster AWS::EKS::Cluster CREATE_IN_PROGRESS/);
    await t.press('C-c');
    await t.waitFor('What now?');
    await pick(t, 'Detach: stop watching');
    const end = await t.waitFor('EXIT=130');
    expect(end).toContain('Detached: the create of kept carries on in AWS');
    expect(end).toContain('stackguide watch kept');
    expect(calls('DeleteStack')).toBe(0);
  });

  it('keeps waiting when asked to, then cancels an update and watches it roll back', async () => {
    server = await startScenarioServer({
      scenarios: { default: 'long-update' },
      speed: 5,
      existing: ['api'],
      // Created earlier by stackguide for this deployment: an update, not a name clash.
      existingTags: { 'stackguide:deployment': 'api', 'stackguide:blueprint': 'platform' },
    });
    const t = await installInTerminal('api', server);
    await t.waitFor(/Cluster AWS::EKS::Cluster UPDATE_IN_PROGRESS/);
    await t.press('C-c');
    await t.waitFor('What now?');
    await pick(t, 'Keep waiting');
    await t.waitFor(/^(?![\s\S]*What now\?)/);
    await t.press('C-c');
    const menu = await t.waitFor('Cancel the update and roll it back');
    expect(menu).not.toContain('Delete api');
    await pick(t, 'Cancel the update and roll it back');
    const end = await t.waitFor('EXIT=130');
    expect(end).toContain('the update of api was cancelled and rolled back (UPDATE_ROLLBACK_COMPLETE)');
    expect(calls('CancelUpdateStack')).toBe(1);
    expect(calls('DeleteStack')).toBe(0);
  });
});
