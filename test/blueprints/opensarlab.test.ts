import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CloudFormationClient, CreateStackCommand, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DescribeVolumesCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { PutBucketVersioningCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccountPrepTarget, startAccountPrepTarget } from '../support/account-prep-target.ts';
import { writeSelfSignedCertificate } from '../support/pem-fixtures.ts';
import { type RecordingProxy, startRecordingProxy } from '../support/recording-proxy.ts';
import { projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * blueprints/opensarlab end to end, unattended from its sample answers file, against moto and the
 * stand-ins: the account preparation, the stacks, the after-install checklist, status, then the
 * teardown in the guide's order, asserted on the DeleteStack calls that reached CloudFormation.
 */
const blueprint = join(projectRoot, 'blueprints', 'opensarlab');
const region = 'us-east-1';
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const PASSWORD = 'osl-Dockerhub-Token-9d1';

let target: AccountPrepTarget;
let proxy: RecordingProxy;
let work: { path: string; remove: () => Promise<void> };
let cloudFormation: CloudFormationClient;

beforeAll(async () => {
  [target, work] = await Promise.all([startAccountPrepTarget(), tempDir()]);
  proxy = await startRecordingProxy(target.moto.endpoint);
  cloudFormation = new CloudFormationClient({ region, endpoint: target.moto.endpoint, credentials });
  target.registry.addUser('osl-builder', PASSWORD);
  // The CA certificate the guide imports, for the deployment's domain.
  const certs = join(work.path, 'certs');
  await mkdir(certs);
  await writeSelfSignedCertificate(certs, 'opensarlab.example.edu', 'opensarlab');
  await copyFile(join(blueprint, 'answers.yaml'), join(work.path, 'answers.yaml'));
});
afterAll(async () => {
  cloudFormation?.destroy();
  await proxy?.stop();
  await target?.stop();
  await work?.remove();
});

/** The CLI as an operator runs it: moto for most services, CloudFormation through the recording proxy. */
const cli = (...args: string[]) =>
  runCli([...args, '--blueprint', blueprint, '--config', 'answers.yaml', '--state-dir', 'state'], {
    cwd: work.path,
    env: {
      ...target.env,
      AWS_ENDPOINT_URL_CLOUDFORMATION: proxy.endpoint,
      STACKGUIDE_SECRET_DOCKERHUB_PASSWORD: PASSWORD,
    },
    timeoutMs: 120_000,
  });

async function stackStatus(name: string): Promise<string> {
  const { StackSummaries } = await cloudFormation.send(new ListStacksCommand({}));
  return StackSummaries?.find((summary) => summary.StackName === name)?.StackStatus ?? 'NONE';
}

describe('blueprints/opensarlab', () => {
  it('installs unattended from its answers file, then comes down in the guide order with nothing else left', async () => {
    const validated = await runCli(['validate', blueprint]);
    expect(validated.code, validated.stderr).toBe(0);

    const installed = await cli('install', '--yes');
    expect(installed.code, installed.stderr).toBe(0);
    for (const name of ['geo-class-container', 'geo-class', 'geo-class-cluster-pipeline'])
      expect(await stackStatus(name)).toBe('CREATE_COMPLETE');
    // The preparation the guide does by hand: SES requested, the secret stored, the certificate imported.
    expect(target.ses.submissions(region)).toHaveLength(1);
    expect(installed.stderr).toMatch(/certificate|Certificate/);
    // The odds and ends, as a checklist with this deployment's names filled in.
    expect(installed.stdout).toContain('Still to do by hand:');
    expect(installed.stdout).toContain(
      'aws eks update-kubeconfig --region us-east-1 --name geo-class-cluster',
    );
    expect(installed.stdout).toContain(
      '☐ Sign up as the admin user, then add a group for each profile and for sudo',
    );

    // The cluster pipeline creates three stacks itself; the test does, as it would.
    for (const name of ['geo-class-cognito', 'geo-class-cluster', 'geo-class-jupyterhub']) {
      await cloudFormation.send(
        new CreateStackCommand({
          StackName: name,
          TemplateBody: JSON.stringify({
            Resources: {
              Marker: {
                Type: 'AWS::SSM::Parameter',
                Properties: { Name: `/${name}/marker`, Type: 'String', Value: name },
              },
            },
          }),
          Tags: [{ Key: 'stackguide:deployment', Value: 'geo-class' }],
        }),
      );
    }
    // Objects in the versioned buckets (moto ignores VersioningConfiguration in templates).
    const s3 = new S3Client({ region, endpoint: target.moto.endpoint, forcePathStyle: true, credentials });
    for (const bucket of ['codepipeline-us-east-1-geo-class-container', 'codepipeline-us-east-1-geo-class']) {
      await s3.send(
        new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
      );
      for (const body of ['one', 'two'])
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'artifact.zip', Body: body }));
    }
    s3.destroy();
    // A user's home volume and its snapshot as the EKS cluster tags them (seed 001: "Filter by
    // osl-stackname"), never with stackguide's own tag.
    const ec2 = new EC2Client({ region, endpoint: target.moto.endpoint, credentials });
    const oslTags = (type: 'volume' | 'snapshot') => [
      { ResourceType: type, Tags: [{ Key: 'osl-stackname', Value: 'geo-class' }] },
    ];
    const home = await ec2.send(
      new CreateVolumeCommand({
        AvailabilityZone: 'us-east-1a',
        Size: 8,
        TagSpecifications: oslTags('volume'),
      }),
    );
    const backup = await ec2.send(
      new CreateSnapshotCommand({ VolumeId: home.VolumeId, TagSpecifications: oslTags('snapshot') }),
    );

    const status = await cli('status');
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('✔ geo-class-cluster-pipeline');

    const before = proxy.operations.length;
    const destroyed = await cli('destroy', '--confirm', 'geo-class', '--output', 'json');
    expect(destroyed.code, destroyed.stderr).toBe(0);
    const deletes = proxy.operations
      .slice(before)
      .filter((operation) => operation.action === 'DeleteStack')
      .map((operation) => operation.params.StackName ?? '');
    // DeleteStack is called with stack ids; map them back to names.
    const names = await Promise.all(deletes.map(async (id) => (await stackNameOf(id)) ?? id));
    // The guide's chain, then the container stack, which it calls independent of the others (in no
    // decommission.order, so destroy deletes it after the chain).
    expect(names).toEqual([
      'geo-class-jupyterhub',
      'geo-class-cluster',
      'geo-class-cluster-pipeline',
      'geo-class',
      'geo-class-container',
    ]);
    expect(await stackStatus('geo-class-cognito')).toBe('CREATE_COMPLETE');
    // The platform's volume and snapshot are in the plan by their osl-stackname tag, then deleted.
    expect(destroyed.stderr).toContain(`volume ${home.VolumeId} (8 GiB, available; osl-stackname=geo-class)`);
    expect(destroyed.stderr).toContain(`ebs: volume ${home.VolumeId}: deleted`);
    expect(destroyed.stderr).toContain(`ebs: snapshot ${backup.SnapshotId}: deleted`);
    expect(
      ((await ec2.send(new DescribeVolumesCommand({}))).Volumes ?? []).map((v) => v.VolumeId),
    ).not.toContain(home.VolumeId);
    ec2.destroy();
    const leftovers = destroyed.stdout
      .trim()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as { type: string; unexpected?: unknown[]; expected?: Array<{ reason: string }> },
      )
      .find((event) => event.type === 'destroy.leftovers');
    expect(leftovers?.unexpected).toEqual([]);
    // What is kept on purpose is said: the cognito stack's resources, the shared registry secret.
    const reasons = (leftovers?.expected ?? []).map((item) => item.reason).join('\n');
    expect(reasons).toContain('geo-class-cognito, kept by the blueprint');
    expect(reasons).toContain('made by the dockerhub step');
    for (const output of [installed.stdout, installed.stderr, destroyed.stdout, destroyed.stderr])
      expect(output).not.toContain(PASSWORD);
  });
});

async function stackNameOf(stackId: string): Promise<string | undefined> {
  if (!stackId.startsWith('arn:')) return stackId;
  const { StackSummaries } = await cloudFormation.send(new ListStacksCommand({}));
  return StackSummaries?.find((summary) => summary.StackId === stackId)?.StackName;
}
