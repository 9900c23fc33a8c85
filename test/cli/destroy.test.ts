import { join } from 'node:path';
import {
  CloudFormationClient,
  DescribeStacksCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { PutBucketVersioningCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, DeleteQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
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

    // The data bucket is versioned and holds two versions of two objects.
    const resources = await cloudFormation.send(new ListStackResourcesCommand({ StackName: 'demo-data' }));
    const bucket =
      resources.StackResourceSummaries?.find((r) => r.LogicalResourceId === 'DataBucket')
        ?.PhysicalResourceId ?? '';
    const s3 = new S3Client({
      region: 'us-east-1',
      endpoint: moto.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    // The template asks for versioning; moto's CloudFormation does not apply it, so the test does.
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    for (const body of ['one', 'two']) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a.txt', Body: body }));
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'b.txt', Body: body }));
    }

    const dryRun = await cli('destroy', '--dry-run');
    expect(dryRun.stdout).toContain(
      `- ${bucket} in demo-data: 2 objects, 4 versions, 0 delete markers, 12 B`,
    );
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toMatch(
      /Stacks to delete, in this order:\n {2}1\. demo-app \(CREATE_COMPLETE\)\n {2}2\. demo-data \(CREATE_COMPLETE\)/,
    );
    expect(dryRun.stdout).toMatch(/Buckets to empty[^\n]*\n {2}- demo-data-databucket-\S+ in demo-data/);

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

    // Something outside the stacks carries the deployment's tag; something else belongs to another one.
    const sqs = new SQSClient({
      region: 'us-east-1',
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    const stray = await sqs.send(
      new CreateQueueCommand({ QueueName: 'demo-stray', tags: { 'stackguide:deployment': 'demo' } }),
    );
    await sqs.send(
      new CreateQueueCommand({ QueueName: 'other-queue', tags: { 'stackguide:deployment': 'other' } }),
    );

    const destroyed = await cli('destroy', '--confirm', 'demo');
    // The stacks are gone, but the leftovers report finds the stray queue: exit 1, naming it.
    expect(destroyed.code, destroyed.stderr).toBe(1);
    expect(destroyed.stderr).toMatch(
      /leftovers: 1 unexpected\n\s+arn:aws:sqs:us-east-1:123456789012:demo-stray: still tagged stackguide:deployment=demo/,
    );
    expect(destroyed.stderr).not.toContain('other-queue');
    expect(stray.QueueUrl).toContain('demo-stray');
    expect(destroyed.stderr).toContain(
      `${bucket}: 4 versions and markers deleted; CloudFormation deletes the bucket`,
    );
    const appDeleted = destroyed.stderr.indexOf('demo-app: DELETE_COMPLETE');
    const dataDeleted = destroyed.stderr.indexOf('demo-data: DELETE_COMPLETE');
    expect(appDeleted).toBeGreaterThan(-1);
    expect(dataDeleted).toBeGreaterThan(appDeleted);
    for (const stackId of ids) {
      const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackId }));
      expect(Stacks?.[0]?.StackStatus).toBe('DELETE_COMPLETE');
    }

    // Once the stray queue is dealt with, a second run has nothing to delete and nothing left over.
    await sqs.send(new DeleteQueueCommand({ QueueUrl: stray.QueueUrl }));
    sqs.destroy();
    const again = await cli('destroy', '--confirm', 'demo');
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('No stacks of this deployment exist: nothing to delete.');
    cloudFormation.destroy();
    s3.destroy();
  });
});
