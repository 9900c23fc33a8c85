import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CloudFormationClient,
  DescribeStacksCommand,
  GetTemplateCommand,
  ListStackResourcesCommand,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { type RecordingProxy, startRecordingProxy } from '../support/recording-proxy.ts';
import { projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

let moto: MotoServer;
let work: { path: string; remove: () => Promise<void> };
let cloudFormation: CloudFormationClient;
let proxy: RecordingProxy;

beforeAll(async () => {
  moto = await startMotoServer();
  proxy = await startRecordingProxy(moto.endpoint);
  work = await tempDir();
  cloudFormation = new CloudFormationClient({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
});
afterAll(async () => {
  cloudFormation?.destroy();
  await proxy?.stop();
  await moto?.stop();
  await work?.remove();
});

const cli = (...args: string[]) =>
  runCli([...args, '--endpoint-url', proxy.endpoint, '--state-dir', join(work.path, 'state')], {
    cwd: work.path,
  });

async function tags(stack: string): Promise<Record<string, string>> {
  const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stack }));
  return Object.fromEntries((Stacks?.[0]?.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
}

async function resources(stack: string): Promise<string[]> {
  const listed = await cloudFormation.send(new ListStackResourcesCommand({ StackName: stack }));
  return (listed.StackResourceSummaries ?? []).map((resource) => resource.LogicalResourceId ?? '').sort();
}

/**
 * The tags the last change set of `stack` asked for. moto applies a change set's tags when it creates a
 * stack but keeps the old ones on an update (execute_change_set in moto/cloudformation/models.py), so
 * after an upgrade the test asserts what stackguide sent, then puts those tags on the stack through
 * UpdateStack, which moto does apply (with a comment added to the template: moto finds no update in
 * tags alone): the next command then reads the tags AWS would hold.
 */
async function sentTagsApplied(stack: string): Promise<Record<string, string>> {
  const sent = proxy.operations.filter(
    (operation) => operation.action === 'CreateChangeSet' && operation.params.StackName === stack,
  );
  const params = sent.at(-1)?.params ?? {};
  const tags: Record<string, string> = {};
  for (let n = 1; params[`Tags.member.${n}.Key`] !== undefined; n++)
    tags[params[`Tags.member.${n}.Key`] ?? ''] = params[`Tags.member.${n}.Value`] ?? '';
  const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stack }));
  await cloudFormation.send(
    new UpdateStackCommand({
      StackName: stack,
      TemplateBody: `${(await cloudFormation.send(new GetTemplateCommand({ StackName: stack }))).TemplateBody}\n# tags\n`,
      Parameters: (Stacks?.[0]?.Parameters ?? []).map((p) => ({
        ParameterKey: p.ParameterKey,
        UsePreviousValue: true,
      })),
      Capabilities: ['CAPABILITY_IAM'],
      Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    }),
  );
  return tags;
}

describe('the deployed version is recorded, and install does not undo an upgrade (moto)', () => {
  it('tags each stack with the blueprint version and the template override; install over them refuses, naming both', async () => {
    const demo = join(work.path, 'demo');
    await cp(join(projectRoot, 'blueprints', 'demo'), demo, { recursive: true });
    const answers = join(work.path, 'demo.answers.yaml');
    await cp(join(demo, 'answers.yaml'), answers);

    const installed = await cli('install', '--blueprint', demo, '--config', answers, '--yes');
    expect(installed.code, installed.stderr).toBe(0);
    expect(await tags('demo-app')).toMatchObject({ 'stackguide:blueprint-version': '1.0.0' });
    expect(await tags('demo-app')).not.toHaveProperty('stackguide:template-override');

    // upgrade --template: the app stack gets a dead-letter queue the blueprint's template lacks.
    const template = (await readFile(join(demo, 'templates', 'app.yaml'), 'utf8')).replace(
      'Resources:\n',
      'Resources:\n  DeadLetters:\n    Type: AWS::SQS::Queue\n',
    );
    const v2 = join(work.path, 'app-v2.yaml');
    await writeFile(v2, template);
    const upgraded = await cli(
      'upgrade',
      '--yes',
      '--blueprint',
      demo,
      '--config',
      answers,
      '--template',
      v2,
      '--stack',
      'app',
    );
    expect(upgraded.code, upgraded.stderr).toBe(0);
    expect(await resources('demo-app')).toContain('DeadLetters');
    expect((await sentTagsApplied('demo-app'))['stackguide:template-override']).toMatch(
      /^app-v2\.yaml sha256:[0-9a-f]{16}$/,
    );
    expect((await tags('demo-app'))['stackguide:template-override']).toMatch(/^app-v2\.yaml sha256:/);
    const journal = JSON.parse(await readFile(join(work.path, 'state', 'demo', 'state.json'), 'utf8'));
    expect(journal.blueprint).toMatchObject({
      version: '1.0.0',
      templateOverrides: { app: expect.stringMatching(/^app-v2\.yaml sha256:/) },
    });

    // install with the blueprint's own template would delete the queue: it refuses, and keeps it.
    const reverted = await cli('install', '--blueprint', demo, '--config', answers, '--yes');
    expect(reverted.code, reverted.stderr).toBe(2);
    expect(reverted.stderr).toMatch(
      /demo-app \(stack app\): runs the template app-v2\.yaml sha256:[0-9a-f]+ given to upgrade --template \(blueprint version 1\.0\.0\); install would put back the template of blueprint version 1\.0\.0/,
    );
    expect(reverted.stderr).toContain(`stackguide upgrade --blueprint <folder> --config ${answers}`);
    expect(await resources('demo-app')).toContain('DeadLetters');

    // A newer blueprint version upgrades every stack; an install of the older one then refuses too.
    const newer = join(work.path, 'demo-1.1.0');
    await cp(demo, newer, { recursive: true });
    const file = join(newer, 'blueprint.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('version: 1.0.0', 'version: 1.1.0'));
    // A release changes its templates; here a comment does, as moto refuses a change set that would
    // change tags only ("No updates are to be performed"), which CloudFormation accepts.
    const data = join(newer, 'templates', 'data.yaml');
    await writeFile(data, `${await readFile(data, 'utf8')}# 1.1.0\n`);
    const toNewer = await cli('upgrade', '--yes', '--blueprint', newer, '--config', answers);
    expect(toNewer.code, toNewer.stderr).toBe(0);
    expect(await sentTagsApplied('demo-data')).toMatchObject({ 'stackguide:blueprint-version': '1.1.0' });
    const app = await sentTagsApplied('demo-app');
    expect(app).toMatchObject({ 'stackguide:blueprint-version': '1.1.0' });
    expect(app).not.toHaveProperty('stackguide:template-override');

    const older = await cli('install', '--blueprint', demo, '--config', answers, '--yes');
    expect(older.code, older.stderr).toBe(2);
    expect(older.stderr).toContain(
      "demo-data (stack data): runs blueprint version 1.1.0, newer than this blueprint's 1.0.0: install would revert it",
    );
    expect(older.stderr).toContain(
      'Use the blueprint of version 1.1.0 or later: stackguide upgrade --blueprint <folder of version 1.1.0>',
    );
    const downgrade = await cli('upgrade', '--yes', '--blueprint', demo, '--config', answers);
    expect(downgrade.code, downgrade.stderr).toBe(2);
    expect(downgrade.stderr).toContain('upgrade would revert it');
    expect(await tags('demo-data')).toMatchObject({ 'stackguide:blueprint-version': '1.1.0' });
  });
});
