import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CloudFormationClient,
  CreateStackCommand,
  ListStackResourcesCommand,
  ListStacksCommand,
} from '@aws-sdk/client-cloudformation';
import {
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { DescribeRepositoriesCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { PutBucketVersioningCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeCommitRepositoryExists, createCodeCommitRepository } from '../support/moto-codecommit.ts';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { cliPath, projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * Issue 6's done-when against moto: an OpenSARlab-shaped deployment (six stacks, one of them kept;
 * versioned buckets; ECR repositories with images; tagged EBS volumes and snapshots; a CodeCommit
 * repository) destroyed from its plan in the guide's order, checked against exports and imports, resumed
 * after the process is killed mid-way, with the kept stack untouched and nothing else left.
 */
const blueprint = join(projectRoot, 'test', 'fixtures', 'blueprints', 'teardown');
const region = 'us-east-1';
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const tags = (deployment: string) => [{ Key: 'stackguide:deployment', Value: deployment }];

let moto: MotoServer;
let work: { path: string; remove: () => Promise<void> };
let cloudFormation: CloudFormationClient;

beforeAll(async () => {
  [moto, work] = await Promise.all([startMotoServer(), tempDir()]);
  cloudFormation = new CloudFormationClient({ region, endpoint: moto.endpoint, credentials });
});
afterAll(async () => {
  cloudFormation?.destroy();
  await moto?.stop();
  await work?.remove();
});

const args = (...extra: string[]) => [
  ...extra,
  '--blueprint',
  blueprint,
  '--name',
  'lab',
  '--region',
  region,
  '--endpoint-url',
  moto.endpoint,
  '--state-dir',
  join(work.path, 'state'),
];
const cli = (...extra: string[]) => runCli(args(...extra), { cwd: work.path });

async function stackStatus(name: string): Promise<string> {
  const { StackSummaries } = await cloudFormation.send(new ListStacksCommand({}));
  const latest = (StackSummaries ?? []).filter((s) => s.StackName === name).at(0);
  return latest?.StackStatus ?? 'NONE';
}

async function physicalIds(stack: string, type: string): Promise<string[]> {
  const { StackResourceSummaries } = await cloudFormation.send(
    new ListStackResourcesCommand({ StackName: stack }),
  );
  return (StackResourceSummaries ?? [])
    .filter((resource) => resource.ResourceType === type)
    .map((resource) => resource.PhysicalResourceId ?? '');
}

/** The stacks a run reported deleted (only on DELETE_COMPLETE read back by stack id), in order. */
function deletedIn(stderr: string): string[] {
  return [...stderr.matchAll(/^\[\s*\d+s\] (\S+): DELETE_COMPLETE$/gm)].map((match) => match[1] ?? '');
}

describe('destroying an OpenSARlab-shaped deployment', () => {
  it('follows the plan in the guide order, resumes after a kill, keeps cognito, and leaves nothing else', async () => {
    // Install the four blueprint stacks; the pipeline's two stacks are created as the pipeline would.
    const installed = await cli('install', '--yes');
    expect(installed.code, installed.stderr).toBe(0);
    // As the pipeline does: the cluster stack exports its name, the jupyterhub stack imports it.
    const marker = (name: string, value: unknown) => ({
      Marker: {
        Type: 'AWS::SSM::Parameter',
        Properties: { Name: `/${name}/marker`, Type: 'String', Value: value },
      },
    });
    await cloudFormation.send(
      new CreateStackCommand({
        StackName: 'lab-cluster',
        TemplateBody: JSON.stringify({
          Resources: marker('lab-cluster', 'eks-cluster'),
          Outputs: { ClusterName: { Value: { Ref: 'Marker' }, Export: { Name: 'lab-ClusterName' } } },
        }),
        Tags: tags('lab'),
      }),
    );
    await cloudFormation.send(
      new CreateStackCommand({
        StackName: 'lab-jupyterhub',
        TemplateBody: JSON.stringify({
          Resources: marker('lab-jupyterhub', { 'Fn::ImportValue': 'lab-ClusterName' }),
        }),
        Tags: tags('lab'),
      }),
    );
    const cognitoParameter = (await physicalIds('lab-cognito', 'AWS::SSM::Parameter'))[0];

    // Versioned buckets with objects, repositories with images, volumes and snapshots, a code repository.
    const s3 = new S3Client({ region, endpoint: moto.endpoint, forcePathStyle: true, credentials });
    const buckets = [
      ...(await physicalIds('lab-container', 'AWS::S3::Bucket')),
      ...(await physicalIds('lab', 'AWS::S3::Bucket')),
      ...(await physicalIds('lab-cluster-pipeline', 'AWS::S3::Bucket')),
    ];
    expect(buckets).toHaveLength(3);
    for (const bucket of buckets) {
      // moto's CloudFormation ignores VersioningConfiguration; versioning is turned on as the template would.
      await s3.send(
        new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
      );
      for (const body of ['v1', 'v2', 'v3'])
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'notebook.ipynb', Body: body }));
    }
    s3.destroy();
    const ecr = new ECRClient({ region, endpoint: moto.endpoint, credentials });
    const repositories = (await ecr.send(new DescribeRepositoriesCommand({}))).repositories ?? [];
    expect(repositories.map((repository) => repository.repositoryName).sort()).toEqual(
      expect.arrayContaining(['lab/hub', 'lab/notifications']),
    );
    for (const repository of repositories) {
      await ecr.send(
        new PutImageCommand({
          repositoryName: repository.repositoryName,
          imageTag: 'latest',
          imageManifest: JSON.stringify({
            schemaVersion: 2,
            mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
            config: {
              mediaType: 'application/vnd.docker.container.image.v1+json',
              size: 7,
              digest: `sha256:${'a'.repeat(64)}`,
            },
            layers: [],
          }),
        }),
      );
    }
    const ec2 = new EC2Client({ region, endpoint: moto.endpoint, credentials });
    const volumeTags = (deployment: string, type: 'volume' | 'snapshot') => [
      { ResourceType: type, Tags: tags(deployment) },
    ];
    const labVolume = await ec2.send(
      new CreateVolumeCommand({
        AvailabilityZone: 'us-east-1a',
        Size: 8,
        TagSpecifications: volumeTags('lab', 'volume'),
      }),
    );
    await ec2.send(
      new CreateSnapshotCommand({
        VolumeId: labVolume.VolumeId,
        TagSpecifications: volumeTags('lab', 'snapshot'),
      }),
    );
    const otherVolume = await ec2.send(
      new CreateVolumeCommand({
        AvailabilityZone: 'us-east-1a',
        Size: 8,
        TagSpecifications: volumeTags('other', 'volume'),
      }),
    );
    // What OpenSARlab's EKS cluster makes for its users: tagged osl-stackname, never stackguide:deployment
    // (seed 001: "Filter by osl-stackname: <deployment_name>"), one of another lab's beside it.
    const platformTagged = (value: string, type: 'volume' | 'snapshot') => [
      { ResourceType: type, Tags: [{ Key: 'osl-stackname', Value: value }] },
    ];
    const userVolume = await ec2.send(
      new CreateVolumeCommand({
        AvailabilityZone: 'us-east-1a',
        Size: 8,
        TagSpecifications: platformTagged('lab', 'volume'),
      }),
    );
    const userSnapshot = await ec2.send(
      new CreateSnapshotCommand({
        VolumeId: userVolume.VolumeId,
        TagSpecifications: platformTagged('lab', 'snapshot'),
      }),
    );
    const otherLabVolume = await ec2.send(
      new CreateVolumeCommand({
        AvailabilityZone: 'us-east-1a',
        Size: 8,
        TagSpecifications: platformTagged('lab-2', 'volume'),
      }),
    );
    await createCodeCommitRepository(moto.endpoint, region, 'lab-opensarlab');

    // The order is checked against ListExports and ListImports. moto has no ListImports, so destroy
    // stops before deleting anything and names the way on; the check itself (a wrong order refused with
    // exit 2) runs against the scenario server in test/cli/exports-scenario.test.ts.
    const refused = await cli('destroy', '--confirm', 'lab');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('the destroy order could not be checked against exports and imports');
    expect(refused.stderr).toContain('--skip-export-check');
    expect(await stackStatus('lab-container')).toBe('CREATE_COMPLETE');

    const dryRun = await cli('destroy', '--dry-run', '--skip-export-check');
    expect(dryRun.code, dryRun.stderr).toBe(0);
    // The plan is the dry run's result: on stdout.
    expect(dryRun.stdout).toMatch(
      /1\. lab-container [^\n]*\n\s+2\. lab-jupyterhub [^\n]*\n\s+3\. lab-cluster [^\n]*\n\s+4\. lab-cluster-pipeline [^\n]*\n\s+5\. lab /,
    );
    expect(dryRun.stdout).toContain('lab-cognito');
    expect(dryRun.stdout).toContain('Do not delete the cognito stack');
    expect(dryRun.stdout).toMatch(/CodeCommit repositories, kept[^\n]*lab-opensarlab/);

    // Killed once the first stack is gone; the re-run resumes from the saved plan.
    const first = spawn(
      process.execPath,
      [cliPath, ...args('destroy', '--confirm', 'lab', '--delete-codecommit', '--skip-export-check')],
      {
        cwd: work.path,
        env: {
          ...process.env,
          ...credentials,
          AWS_ACCESS_KEY_ID: 'testing',
          AWS_SECRET_ACCESS_KEY: 'testing',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let firstOutput = '';
    const killed = new Promise<void>((done) => {
      first.stderr.on('data', (chunk: Buffer) => {
        firstOutput += chunk.toString();
        if (firstOutput.includes('lab-container: DELETE_COMPLETE')) first.kill('SIGKILL');
      });
      first.on('close', () => done());
    });
    await killed;
    expect(firstOutput).toContain('lab-container: DELETE_COMPLETE');
    expect(await stackStatus('lab')).toBe('CREATE_COMPLETE');
    const journal = JSON.parse(await readFile(join(work.path, 'state', 'lab', 'state.json'), 'utf8'));
    expect(journal.destroy).toMatchObject({ status: 'in-progress' });
    expect(journal.destroy.plan.stackIds).toHaveLength(5);

    const resumed = await cli(
      'destroy',
      '--confirm',
      'lab',
      '--delete-codecommit',
      '--skip-export-check',
      '--output',
      'json',
    );
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('Resuming the destroy started at');
    expect(resumed.stderr).not.toContain('lab-container: DELETE_COMPLETE');

    // Deleted once each, in the guide's order, across the two runs.
    expect([...deletedIn(firstOutput), ...deletedIn(resumed.stderr)]).toEqual([
      'lab-container',
      'lab-jupyterhub',
      'lab-cluster',
      'lab-cluster-pipeline',
      'lab',
    ]);
    for (const name of ['lab-container', 'lab-jupyterhub', 'lab-cluster', 'lab-cluster-pipeline', 'lab'])
      expect(await stackStatus(name)).toBe('DELETE_COMPLETE');
    // The kept stack and what it holds are untouched.
    expect(await stackStatus('lab-cognito')).toBe('CREATE_COMPLETE');
    expect(await physicalIds('lab-cognito', 'AWS::SSM::Parameter')).toEqual([cognitoParameter]);
    // Repositories, this deployment's volumes and snapshots, and the opted-in code repository are gone;
    // another deployment's volume stays.
    expect((await ecr.send(new DescribeRepositoriesCommand({}))).repositories ?? []).toEqual([]);
    const volumes = (await ec2.send(new DescribeVolumesCommand({}))).Volumes ?? [];
    expect(volumes.map((volume) => volume.VolumeId)).toEqual(
      expect.arrayContaining([otherVolume.VolumeId, otherLabVolume.VolumeId]),
    );
    expect(volumes.map((volume) => volume.VolumeId)).not.toContain(labVolume.VolumeId);
    expect(volumes.map((volume) => volume.VolumeId)).not.toContain(userVolume.VolumeId);
    const snapshots = (await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }))).Snapshots ?? [];
    expect(snapshots.filter((snapshot) => snapshot.Tags?.some((tag) => tag.Value === 'lab'))).toEqual([]);
    expect(snapshots.map((snapshot) => snapshot.SnapshotId)).not.toContain(userSnapshot.SnapshotId);
    expect(await codeCommitRepositoryExists(moto.endpoint, region, 'lab-opensarlab')).toBe(false);
    // The leftovers report: nothing unexpected; the kept stack's resources are expected.
    const leftovers = resumed.stdout
      .trim()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as { type: string; unexpected?: unknown[]; expected?: Array<{ reason: string }> },
      )
      .find((event) => event.type === 'destroy.leftovers');
    expect(leftovers?.unexpected).toEqual([]);
    const finished = JSON.parse(await readFile(join(work.path, 'state', 'lab', 'state.json'), 'utf8'));
    expect(finished.destroy).toMatchObject({ status: 'complete' });
    ecr.destroy();
    ec2.destroy();
  });
});
