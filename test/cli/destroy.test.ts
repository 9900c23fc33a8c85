import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

let moto: MotoServer;
let work: { path: string; remove: () => Promise<void> };
const demo = join(projectRoot, 'blueprints', 'demo');
const answers = join(demo, 'answers.yaml');

beforeAll(async () => {
  moto = await startMotoServer();
  work = await tempDir();
});
afterAll(async () => {
  await moto?.stop();
  await work?.remove();
});

const cli = (...args: string[]) =>
  runCli(
    [
      ...args,
      '--blueprint',
      demo,
      '--config',
      answers,
      '--endpoint-url',
      moto.endpoint,
      '--state-dir',
      join(work.path, 'state'),
    ],
    { cwd: work.path },
  );

describe('stackguide destroy against moto', () => {
  it('shows the plan, refuses without the right confirmation, then deletes in reverse order until DELETE_COMPLETE', async () => {
    expect((await cli('install', '--yes')).code).toBe(0);
    const cloudFormation = new CloudFormationClient({
      region: 'us-east-1',
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    const ids = await Promise.all(
      ['demo-data', 'demo-app'].map(
        async (name) =>
          (await cloudFormation.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0]?.StackId ??
          '',
      ),
    );

    const dryRun = await cli('destroy', '--dry-run');
    expect(dryRun.code).toBe(0);
    expect(dryRun.stderr).toMatch(
      /Stacks to delete, in this order:\n {2}1\. demo-app \(CREATE_COMPLETE\)\n {2}2\. demo-data \(CREATE_COMPLETE\)/,
    );
    expect(dryRun.stderr).toMatch(/Buckets to empty[^\n]*\n {2}- demo-data-databucket-\S+ in demo-data/);

    const unconfirmed = await cli('destroy');
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('needs --confirm <deployment name>');
    const wrong = await cli('destroy', '--confirm', 'prod');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--confirm prod does not match the deployment demo');

    // Nothing was touched by the refusals.
    for (const stackId of ids) {
      const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackId }));
      expect(Stacks?.[0]?.StackStatus).toBe('CREATE_COMPLETE');
    }

    const destroyed = await cli('destroy', '--confirm', 'demo');
    expect(destroyed.code, destroyed.stderr).toBe(0);
    const appDeleted = destroyed.stderr.indexOf('demo-app: DELETE_COMPLETE');
    const dataDeleted = destroyed.stderr.indexOf('demo-data: DELETE_COMPLETE');
    expect(appDeleted).toBeGreaterThan(-1);
    expect(dataDeleted).toBeGreaterThan(appDeleted);
    for (const stackId of ids) {
      const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackId }));
      expect(Stacks?.[0]?.StackStatus).toBe('DELETE_COMPLETE');
    }

    // Run again: nothing left, nothing to do.
    const again = await cli('destroy', '--confirm', 'demo');
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('No stacks of this deployment exist: nothing to delete.');
    cloudFormation.destroy();
  });
});
