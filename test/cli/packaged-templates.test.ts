import { join } from 'node:path';
import {
  CloudFormationClient,
  DescribeStacksCommand,
  GetTemplateCommand,
  ListStackResourcesCommand,
  ListStacksCommand,
} from '@aws-sdk/client-cloudformation';
import {
  GetBucketEncryptionCommand,
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

let moto: MotoServer;
let work: { path: string; remove: () => Promise<void> };
let cloudFormation: CloudFormationClient;
let s3: S3Client;
const blueprint = join(projectRoot, 'test', 'fixtures', 'blueprints', 'packaged');
const bucket = 'sg-acme-123456789012-us-east-1';

beforeAll(async () => {
  moto = await startMotoServer();
  work = await tempDir();
  const config = {
    region: 'us-east-1',
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  };
  cloudFormation = new CloudFormationClient(config);
  s3 = new S3Client({ ...config, forcePathStyle: true });
});
afterAll(async () => {
  cloudFormation?.destroy();
  s3?.destroy();
  await moto?.stop();
  await work?.remove();
});

const cli = (...args: string[]) =>
  runCli(
    [
      ...args,
      '--blueprint',
      blueprint,
      '--name',
      'acme',
      '--region',
      'us-east-1',
      '--endpoint-url',
      moto.endpoint,
      '--state-dir',
      join(work.path, 'state'),
    ],
    { cwd: work.path },
  );

async function keys(): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (listed.Contents ?? []).map((object) => object.Key ?? '').sort();
}

describe('templates packaged from the blueprint folder (moto)', () => {
  it('installs a nested stack and a 60 kB template with no manual upload, re-installs uploading nothing, upgrades and destroys', async () => {
    const installed = await cli('install', '--yes');
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stderr).toContain(`templates packaged in s3://${bucket}: 2 uploaded, 0 already there`);

    // The bucket: private, encrypted, tagged with the deployment; two content-addressed keys.
    const stored = await keys();
    expect(stored).toHaveLength(2);
    for (const key of stored) expect(key).toMatch(/^templates\/[0-9a-f]{64}\.yaml$/);
    const tags = await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }));
    expect(tags.TagSet).toEqual(expect.arrayContaining([{ Key: 'stackguide:deployment', Value: 'acme' }]));
    const block = await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }));
    expect(block.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    const encryption = await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
    expect(
      encryption.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault,
    ).toEqual(expect.objectContaining({ SSEAlgorithm: 'AES256' }));

    // The nested stack exists with its queue; the parent's TemplateURL points into the bucket.
    const network = await cloudFormation.send(new ListStackResourcesCommand({ StackName: 'acme-network' }));
    const nested = network.StackResourceSummaries?.find((r) => r.LogicalResourceId === 'Messaging');
    expect(nested?.ResourceStatus).toBe('CREATE_COMPLETE');
    const parent = await cloudFormation.send(new GetTemplateCommand({ StackName: 'acme-network' }));
    expect(parent.TemplateBody).toMatch(
      new RegExp(
        `TemplateURL: https://${bucket}\\.s3\\.us-east-1\\.amazonaws\\.com/templates/[0-9a-f]{64}\\.yaml`,
      ),
    );
    const catalog = await cloudFormation.send(new DescribeStacksCommand({ StackName: 'acme-catalog' }));
    expect(catalog.Stacks?.[0]?.StackStatus).toBe('CREATE_COMPLETE');

    const again = await cli('install', '--yes');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`templates packaged in s3://${bucket}: 0 uploaded, 2 already there`);
    expect(await keys()).toEqual(stored);

    const answers = join(work.path, 'acme.answers.yaml');
    const upgraded = await runCli(
      [
        'upgrade',
        '--yes',
        '--blueprint',
        blueprint,
        '--config',
        answers,
        '--endpoint-url',
        moto.endpoint,
        '--state-dir',
        join(work.path, 'state'),
      ],
      { cwd: work.path },
    );
    expect(upgraded.code, upgraded.stderr).toBe(0);
    expect(upgraded.stderr).toContain('0 uploaded, 2 already there');

    const destroyed = await cli('destroy', '--confirm', 'acme');
    expect(destroyed.code, destroyed.stderr).toBe(0);
    expect(destroyed.stderr).toContain(`deleted the artifacts bucket ${bucket}`);
    const buckets = await s3.send(new ListBucketsCommand({}));
    expect((buckets.Buckets ?? []).map((b) => b.Name)).not.toContain(bucket);
    const listed = await cloudFormation.send(new ListStacksCommand({}));
    expect((listed.StackSummaries ?? []).filter((s) => s.StackStatus !== 'DELETE_COMPLETE')).toEqual([]);
  });
});
