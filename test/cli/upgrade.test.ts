import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeDBInstancesCommand, ModifyDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { cliOnMoto, projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

let moto: MotoServer;
let work: { path: string; remove: () => Promise<void> };
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const blueprint = join(projectRoot, 'test', 'fixtures', 'blueprints', 'database');
/** Change sets the CLI said it created: none means nothing was changed. */
const calls = (stderr: string): number => stderr.split('change set update').length - 1;

beforeAll(async () => {
  moto = await startMotoServer();
  work = await tempDir();
});
afterAll(async () => {
  await moto?.stop();
  await work?.remove();
});

/** Runs the CLI on one deployment of moto: its blueprint, answers file and state folder. */
const cliFor = (blueprintPath: string, answers: string, state: string) =>
  cliOnMoto({
    endpoint: moto.endpoint,
    blueprint: blueprintPath,
    answers,
    stateDir: join(work.path, state),
    cwd: work.path,
  });

describe('stackguide upgrade against moto', () => {
  it('keeps previous values, warns about storage that grew and uses the live value, and watches UPDATE_COMPLETE', async () => {
    const answers = join(work.path, 'shop.answers.yaml');
    await writeFile(
      answers,
      'blueprint: database-app\nblueprintVersion: 1.0.0\ndeployment: shop\nregion: us-east-1\nanswers:\n  storage: 20\n',
    );
    const cli = cliFor(blueprint, answers, 'state');
    const installed = await cli('install', '--yes');
    expect(installed.code, installed.stderr).toBe(0);

    // The database auto-scaled to 50 GiB behind CloudFormation's back.
    const rds = new RDSClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials });
    const cloudFormation = new CloudFormationClient({
      region: 'us-east-1',
      endpoint: moto.endpoint,
      credentials,
    });
    const { StackResourceSummaries } = await cloudFormation.send(
      new (await import('@aws-sdk/client-cloudformation')).ListStackResourcesCommand({
        StackName: 'shop-main',
      }),
    );
    const database =
      StackResourceSummaries?.find((r) => r.LogicalResourceId === 'Database')?.PhysicalResourceId ?? '';
    await rds.send(
      new ModifyDBInstanceCommand({
        DBInstanceIdentifier: database,
        AllocatedStorage: 50,
        ApplyImmediately: true,
      }),
    );

    // The pre-upgrade manual step is not confirmed yet: nothing happens, and the key to set is named.
    const unconfirmed = await cli('upgrade', '--yes', '--set', 'instanceSize=db.t3.small');
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain(
      'steps.maintenance.confirmed: "Maintenance mode is on" is not confirmed',
    );
    expect(calls(unconfirmed.stderr)).toBe(0);
    await writeFile(
      answers,
      `${await readFile(answers, 'utf8')}steps:\n  maintenance:\n    confirmed: true\n`,
    );

    const upgraded = await cli('upgrade', '--yes', '--set', 'instanceSize=db.t3.small');
    expect(upgraded.stderr).toContain('☑ Maintenance mode is on: confirmed by you');
    expect(upgraded.code, upgraded.stderr).toBe(0);
    // The header says what changes: the answer given with --set. The version is the one the stacks' tags
    // say they run (this blueprint's 2.0.0), not the answers file's older blueprintVersion.
    expect(upgraded.stderr).toContain(
      'upgrading shop: 2.0.0, answer changed: instanceSize\n           shop-main InstanceClass: db.t3.micro → db.t3.small\n',
    );
    // Its change set lists what it sends: the answer's parameter and the live value taken.
    expect(upgraded.stderr).toContain('shop-main: change set update (2 parameters)');
    expect(upgraded.stderr).toContain(
      'shop-main: AllocatedStorage would be 20, but Database has AllocatedStorage 50 now (it grew',
    );
    expect(upgraded.stderr).toContain('shop-main: using the live value 50 for AllocatedStorage');
    expect(upgraded.stderr).toMatch(/shop-main: change set update/);
    expect(upgraded.stderr).toMatch(/shop-main: UPDATE_COMPLETE/);

    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: 'shop-main' }));
    const parameters = Object.fromEntries(
      (Stacks?.[0]?.Parameters ?? []).map((p) => [p.ParameterKey, p.ParameterValue]),
    );
    expect(Stacks?.[0]?.StackStatus).toBe('UPDATE_COMPLETE');
    expect(parameters).toMatchObject({
      AllocatedStorage: '50',
      InstanceClass: 'db.t3.small',
      Retention: '7',
    });
    const { DBInstances } = await rds.send(
      new DescribeDBInstancesCommand({ DBInstanceIdentifier: database }),
    );
    expect(DBInstances?.[0]?.AllocatedStorage).toBe(50);

    // The answers file now records the new version and the changed answer.
    const saved = await readFile(answers, 'utf8');
    expect(saved).toContain('blueprintVersion: 2.0.0');
    expect(saved).toContain('instanceSize: db.t3.small');
    rds.destroy();
    cloudFormation.destroy();
  });

  it('lists each parameter the answers file changes, deployed → new, and the stack ends up holding it (trial finding 53)', async () => {
    const answers = join(work.path, 'demo.answers.yaml');
    const written = `blueprint: demo
deployment: demo
region: us-east-1
answers:
  environment: dev
  jobTimeoutSeconds: 300
  adminEmail: ops@example.com
`;
    await writeFile(answers, written);
    const cli = cliFor(join(projectRoot, 'blueprints', 'demo'), answers, 'demo-state');
    const installed = await cli('install', '--yes');
    expect(installed.code, installed.stderr).toBe(0);

    // The operator edits the answers file by hand: no --set, nothing in the file tells the change.
    await writeFile(answers, written.replace('jobTimeoutSeconds: 300', 'jobTimeoutSeconds: 450'));
    const upgraded = await cli('upgrade', '--yes');
    expect(upgraded.code, upgraded.stderr).toBe(0);
    expect(upgraded.stderr).toContain('upgrading demo: 1.0.0, parameter changed: JobTimeoutSeconds\n');
    expect(upgraded.stderr).toContain('demo-app JobTimeoutSeconds: 300 → 450\n');
    expect(upgraded.stderr).not.toContain('no answer changed');
    // The change set has no resource row for it on moto; its line still counts the parameter.
    expect(upgraded.stderr).toMatch(/demo-app: change set update \([^)]*1 parameter\)/);
    expect(upgraded.stderr).toMatch(/demo-app: UPDATE_COMPLETE/);

    const cloudFormation = new CloudFormationClient({
      region: 'us-east-1',
      endpoint: moto.endpoint,
      credentials,
    });
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: 'demo-app' }));
    const held = Object.fromEntries(
      (Stacks?.[0]?.Parameters ?? []).map((p) => [p.ParameterKey, p.ParameterValue]),
    );
    expect(held.JobTimeoutSeconds).toBe('450');
    cloudFormation.destroy();

    // Nothing differs any more: now, and only now, the header says no answer changed.
    const again = await cli('upgrade', '--yes');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('upgrading demo: 1.0.0, no answer changed\n');
  });

  it('without --config applies the answers file the last install used, named before any change, and refuses naming where it looked when it is gone', async () => {
    // Installed from a file not called <name>.answers.yaml (the lab's answers.yaml, trial finding 81).
    const answers = join(work.path, 'kept-answers.yaml');
    const written =
      'blueprint: demo\ndeployment: kept\nregion: us-east-1\nanswers:\n  environment: dev\n  jobTimeoutSeconds: 300\n  adminEmail: ops@example.com\n';
    await writeFile(answers, written);
    const state = join(work.path, 'kept-state');
    const demo = join(projectRoot, 'blueprints', 'demo');
    const common = ['--blueprint', demo, '--endpoint-url', moto.endpoint, '--state-dir', state];
    const installed = await runCli(['install', '--yes', '--config', answers, ...common], { cwd: work.path });
    expect(installed.code, installed.stderr).toBe(0);

    await writeFile(answers, written.replace('jobTimeoutSeconds: 300', 'jobTimeoutSeconds: 420'));
    const upgraded = await runCli(['upgrade', '--yes', ...common], { cwd: work.path });
    expect(upgraded.code, upgraded.stderr).toBe(0);
    const named = upgraded.stderr.indexOf(
      'Answers from kept-answers.yaml, which the last install or upgrade used\n',
    );
    expect(named, upgraded.stderr).toBeGreaterThan(-1);
    // Said before what the upgrade does: its header, the change set, the stack's update.
    for (const next of ['upgrading kept', 'kept-app: change set update', 'kept-app: UPDATE_COMPLETE'])
      expect(upgraded.stderr.indexOf(next), next).toBeGreaterThan(named);
    expect(upgraded.stderr).toContain('kept-app JobTimeoutSeconds: 300 → 420');
    const cloudFormation = new CloudFormationClient({
      region: 'us-east-1',
      endpoint: moto.endpoint,
      credentials,
    });
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: 'kept-app' }));
    cloudFormation.destroy();
    expect(Stacks?.[0]?.Parameters?.find((p) => p.ParameterKey === 'JobTimeoutSeconds')?.ParameterValue).toBe(
      '420',
    );

    // NDJSON names it too, after run.started and before anything the upgrade changes.
    const json = await runCli(['upgrade', '--yes', '--output', 'json', ...common], { cwd: work.path });
    expect(json.code, json.stderr).toBe(0);
    const types = json.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; path?: string; from?: string });
    const chosen = types.findIndex((event) => event.type === 'answers.chosen');
    expect(types[chosen]).toMatchObject({
      type: 'answers.chosen',
      path: 'kept-answers.yaml',
      from: 'journal',
    });
    expect(types.findIndex((event) => event.type === 'run.started')).toBeLessThan(chosen);
    expect(types.findIndex((event) => event.type === 'upgrade.started')).toBeGreaterThan(chosen);

    // The file moved away: exit 2 before any AWS call, naming the files looked for.
    await rename(answers, join(work.path, 'moved.yaml'));
    const refused = await runCli(['upgrade', '--yes', ...common], { cwd: work.path });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('upgrade needs the answers file of the deployment it upgrades');
    expect(refused.stderr.replace(/\s+/g, ' ')).toContain(
      'not given, and no answers file of kept was found: looked for kept-answers.yaml and kept.answers.yaml',
    );
  });

  it('refuses to upgrade what is not installed', async () => {
    const answers = join(work.path, 'none.answers.yaml');
    await writeFile(
      answers,
      'blueprint: database-app\ndeployment: nothere\nregion: us-east-1\nanswers: {}\n',
    );
    const result = await runCli(
      ['upgrade', '--yes', '--blueprint', blueprint, '--config', answers, '--endpoint-url', moto.endpoint],
      { cwd: work.path },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Not installed: nothere-main');
  });
});
