// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the string is a CloudFormation !Sub body, not a JavaScript template
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CloudFormationClient,
  DescribeStacksCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { type RecordingProxy, startRecordingProxy } from '../support/recording-proxy.ts';
import { projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

let moto: MotoServer;
let work: { path: string; remove: () => Promise<void> };
let cloudFormation: CloudFormationClient;
let sqs: SQSClient;
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
  sqs = new SQSClient({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
});
afterAll(async () => {
  cloudFormation?.destroy();
  sqs?.destroy();
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
 * stack but keeps the old ones on an update (execute_change_set in moto/cloudformation/models.py), as
 * the trial saw (finding 47): the test asserts what stackguide sent, and leaves the stack's tags as moto
 * keeps them, so what install refuses on after an upgrade is the journal's record.
 */
function sentTags(stack: string): Record<string, string> {
  const sent = proxy.operations.filter(
    (operation) => operation.action === 'CreateChangeSet' && operation.params.StackName === stack,
  );
  const params = sent.at(-1)?.params ?? {};
  const tags: Record<string, string> = {};
  for (let n = 1; params[`Tags.member.${n}.Key`] !== undefined; n++)
    tags[params[`Tags.member.${n}.Key`] ?? ''] = params[`Tags.member.${n}.Value`] ?? '';
  return tags;
}

async function queues(): Promise<string[]> {
  const listed = await sqs.send(new ListQueuesCommand({}));
  return (listed.QueueUrls ?? []).map((url) => url.split('/').at(-1) ?? '').sort();
}

describe('the deployed version is recorded, and install does not undo an upgrade (moto)', () => {
  it('install after upgrade --template refuses, naming the override, the versions and the upgrade command; the added queue stays (finding 47)', async () => {
    const demo = join(work.path, 'demo');
    await cp(join(projectRoot, 'blueprints', 'demo'), demo, { recursive: true });
    const answers = join(work.path, 'demo.answers.yaml');
    await cp(join(demo, 'answers.yaml'), answers);
    const journalFile = join(work.path, 'state', 'demo', 'state.json');

    const installed = await cli('install', '--blueprint', demo, '--config', answers, '--yes');
    expect(installed.code, installed.stderr).toBe(0);
    expect(await tags('demo-app')).toMatchObject({ 'stackguide:blueprint-version': '1.0.0' });
    expect(await tags('demo-app')).not.toHaveProperty('stackguide:template-override');

    // The trial's upgrade --template: the app stack gets a queue the blueprint's template lacks.
    const template = (await readFile(join(demo, 'templates', 'app.yaml'), 'utf8')).replace(
      'Resources:\n',
      "Resources:\n  ExtraQueue:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Sub '${DeploymentName}-extra'\n",
    );
    const v2 = join(work.path, 'app2.yaml');
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
    expect(await resources('demo-app')).toContain('ExtraQueue');
    expect(await queues()).toContain('demo-extra');
    expect(sentTags('demo-app')['stackguide:template-override']).toMatch(/^app2\.yaml sha256:[0-9a-f]{16}$/);
    // What moto holds: the stack's tags from its create, without the override tag (see sentTags).
    expect(await tags('demo-app')).not.toHaveProperty('stackguide:template-override');
    const recorded = JSON.parse(await readFile(journalFile, 'utf8')).blueprint;
    expect(recorded).toMatchObject({
      version: '1.0.0',
      templateOverrides: { app: expect.stringMatching(/^app2\.yaml sha256:[0-9a-f]{16}$/) },
    });

    // install with the blueprint's own template would delete the queue: it refuses on the journal's
    // record, changes nothing, and the record stays.
    const reverted = await cli('install', '--blueprint', demo, '--config', answers, '--yes');
    expect(reverted.code, reverted.stderr).toBe(2);
    expect(reverted.stderr).toMatch(
      /demo-app \(stack app\): runs the template app2\.yaml sha256:[0-9a-f]{16} given to upgrade --template \(blueprint version 1\.0\.0\); install would put back the template of blueprint version 1\.0\.0/,
    );
    expect(reverted.stderr).toContain(`stackguide upgrade --blueprint <folder> --config ${answers}`);
    expect(reverted.stderr).toContain('--template <template> --stack app');
    expect(await resources('demo-app')).toContain('ExtraQueue');
    expect(await queues()).toContain('demo-extra');
    expect(JSON.parse(await readFile(journalFile, 'utf8')).blueprint).toEqual(recorded);

    // A newer blueprint version upgrades every stack (and puts the blueprint's template back on app,
    // on purpose); an install or upgrade of the older one then refuses, on the journal's record again.
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
    expect(sentTags('demo-data')).toMatchObject({ 'stackguide:blueprint-version': '1.1.0' });
    expect(sentTags('demo-app')).toMatchObject({ 'stackguide:blueprint-version': '1.1.0' });
    expect(sentTags('demo-app')).not.toHaveProperty('stackguide:template-override');
    expect(await resources('demo-app')).not.toContain('ExtraQueue');
    expect(JSON.parse(await readFile(journalFile, 'utf8')).blueprint).toEqual({
      id: 'demo',
      version: '1.1.0',
    });
    expect(await tags('demo-data')).toMatchObject({ 'stackguide:blueprint-version': '1.0.0' });

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
    expect(JSON.parse(await readFile(journalFile, 'utf8')).blueprint).toEqual({
      id: 'demo',
      version: '1.1.0',
    });
  });
});
