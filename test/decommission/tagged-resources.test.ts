import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import {
  AttachVolumeCommand,
  CreateSnapshotCommand,
  CreateTagsCommand,
  CreateVolumeCommand,
  DeleteTagsCommand,
  DeleteVolumeCommand,
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
  RegisterImageCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateRepositoryCommand as CreateEcrRepositoryCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
import { CreateBucketCommand, PutBucketTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAwsSession } from '../../src/aws/aws-context.ts';
import { codeCommitPort } from '../../src/aws/codecommit-port.ts';
import type { EbsPort } from '../../src/aws/ebs-port.ts';
import { ebsPort } from '../../src/aws/ebs-port.ts';
import { ecrPort } from '../../src/aws/ecr-port.ts';
import { taggingPort } from '../../src/aws/tagging-port.ts';
import {
  deleteTaggedVolumesAndSnapshots,
  describeRepositories,
  type EbsDeletionProgress,
  emptyRepositories,
  findTaggedVolumesAndSnapshots,
  leftovers,
  type RepositoryEmptyingProgress,
} from '../../src/decommission/tagged-resources.ts';
import { StackguideError } from '../../src/errors.ts';
import {
  codeCommitCall as codeCommitCall_,
  createCodeCommitRepository as createRepository,
} from '../support/moto-codecommit.ts';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';

const REGION = 'us-east-1';
/** moto's default account. */
const ACCOUNT = '123456789012';
const TAG = 'stackguide:deployment';

let moto: MotoServer;
let ec2: EC2Client;
let ecr: ECRClient;
let s3: S3Client;
let cloudFormation: CloudFormationClient;

beforeAll(async () => {
  moto = await startMotoServer();
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  const config = {
    region: REGION,
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    maxAttempts: 1,
  };
  ec2 = new EC2Client(config);
  ecr = new ECRClient(config);
  s3 = new S3Client({ ...config, forcePathStyle: true });
  cloudFormation = new CloudFormationClient(config);
});
afterAll(async () => {
  for (const client of [ec2, ecr, s3, cloudFormation]) client?.destroy();
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
});

/** The ports as the destroy command gets them: from one session, with errors mapped. */
const aws = () => createAwsSession({ endpointUrl: moto.endpoint, maxAttempts: 1 }).forRegion(REGION);

const tags = (deployment?: string) => (deployment === undefined ? [] : [{ Key: TAG, Value: deployment }]);

async function volume(deployment?: string): Promise<string> {
  const created = await ec2.send(
    new CreateVolumeCommand({
      AvailabilityZone: `${REGION}a`,
      Size: 8,
      ...(deployment === undefined
        ? {}
        : { TagSpecifications: [{ ResourceType: 'volume', Tags: tags(deployment) }] }),
    }),
  );
  return created.VolumeId ?? '';
}

async function snapshot(deployment?: string): Promise<string> {
  const created = await ec2.send(
    new CreateSnapshotCommand({
      VolumeId: await volume(),
      ...(deployment === undefined
        ? {}
        : { TagSpecifications: [{ ResourceType: 'snapshot', Tags: tags(deployment) }] }),
    }),
  );
  return created.SnapshotId ?? '';
}

async function attachedVolume(deployment: string): Promise<string> {
  const id = await volume(deployment);
  const image = (await ec2.send(new DescribeImagesCommand({}))).Images?.[0]?.ImageId;
  const instance = await ec2.send(new RunInstancesCommand({ ImageId: image, MinCount: 1, MaxCount: 1 }));
  await ec2.send(
    new AttachVolumeCommand({
      VolumeId: id,
      InstanceId: instance.Instances?.[0]?.InstanceId,
      Device: '/dev/sdf',
    }),
  );
  return id;
}

/**
 * CodeCommit over the wire by hand: moto answers CreateRepository with ISO timestamps the SDK refuses to
 * parse (the port works around it, see codecommit-adapter.ts) and has no ListRepositories. moto finds
 * the service from the credential scope.
 */
const codeCommitCall = (action: string, input: object) =>
  codeCommitCall_(moto.endpoint, REGION, action, input);
const createCodeCommitRepository = (name: string) => createRepository(moto.endpoint, REGION, name);

async function volumesInEc2(): Promise<string[]> {
  const response = await ec2.send(new DescribeVolumesCommand({}));
  return (response.Volumes ?? []).map((v) => v.VolumeId ?? '');
}

async function snapshotsInEc2(): Promise<string[]> {
  const response = await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));
  return (response.Snapshots ?? []).map((s) => s.SnapshotId ?? '');
}

describe('tagged EBS volumes and snapshots', () => {
  it('finds and deletes only what carries this deployment tag, volumes first, attached ones reported', async () => {
    const ours = await volume('alpha');
    const attached = await attachedVolume('alpha');
    const others = [await volume('beta'), await volume('alpha-2'), await volume()];
    const ourSnapshot = await snapshot('alpha');
    const otherSnapshots = [await snapshot('beta'), await snapshot()];

    const ebs = aws().use(ebsPort);
    const items = await findTaggedVolumesAndSnapshots(ebs, 'alpha');
    expect(items.map((item) => [item.kind, item.id])).toEqual([
      ...[ours, attached].sort().map((id) => ['volume', id]),
      ['snapshot', ourSnapshot],
    ]);
    expect(items.find((item) => item.id === attached)).toMatchObject({ state: 'in-use', sizeGiB: 8 });

    const progress: EbsDeletionProgress[] = [];
    const outcomes = await deleteTaggedVolumesAndSnapshots(ebs, 'alpha', items, {
      onProgress: (p) => progress.push(p),
    });

    expect(outcomes).toEqual(
      items.map((item) =>
        item.id === attached
          ? {
              kind: 'volume',
              id: attached,
              status: 'in-use',
              reason: expect.stringContaining('attached to i-'),
            }
          : { kind: item.kind, id: item.id, status: 'deleted' },
      ),
    );
    // What EC2 holds now: the attached volume and everything that is not alpha's.
    const volumes = await volumesInEc2();
    expect(volumes).not.toContain(ours);
    expect(volumes).toEqual(expect.arrayContaining([attached, ...others]));
    const snapshots = await snapshotsInEc2();
    expect(snapshots).not.toContain(ourSnapshot);
    expect(snapshots).toEqual(expect.arrayContaining(otherSnapshots));
    // Journaled before and after each call, and the snapshot only after every volume is done.
    const events = progress.map((p) => `${p.id} ${p.status}`);
    expect([...events].sort()).toEqual(
      [
        `${ours} deleting`,
        `${ours} deleted`,
        `${attached} in-use`,
        `${ourSnapshot} deleting`,
        `${ourSnapshot} deleted`,
      ].sort(),
    );
    expect(events.indexOf(`${ours} deleting`)).toBeLessThan(events.indexOf(`${ours} deleted`));
    const lastVolumeEvent = Math.max(...progress.flatMap((p, i) => (p.kind === 'volume' ? [i] : [])));
    expect(lastVolumeEvent).toBeLessThan(progress.findIndex((p) => p.kind === 'snapshot'));
  });

  it('skips what changed its tag since the plan, and says what is already gone', async () => {
    const retagged = await volume('alpha');
    const untagged = await snapshot('alpha');
    const vanished = await volume('alpha');
    const ebs = aws().use(ebsPort);
    const items = await findTaggedVolumesAndSnapshots(ebs, 'alpha');
    expect(items.map((item) => item.id).sort()).toEqual([retagged, untagged, vanished].sort());

    // Between the plan and the delete: another deployment takes a volume over, a snapshot loses its
    // tag, and someone deletes a volume by hand.
    await ec2.send(new CreateTagsCommand({ Resources: [retagged], Tags: tags('beta') }));
    await ec2.send(new DeleteTagsCommand({ Resources: [untagged], Tags: [{ Key: TAG }] }));
    await ec2.send(new DeleteVolumeCommand({ VolumeId: vanished }));

    const outcomes = await deleteTaggedVolumesAndSnapshots(ebs, 'alpha', items);
    expect(outcomes.find((o) => o.id === retagged)).toEqual({
      kind: 'volume',
      id: retagged,
      status: 'skipped',
      reason: `its ${TAG} tag is now "beta", not "alpha"`,
    });
    expect(outcomes.find((o) => o.id === untagged)).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining(`no longer carries the ${TAG} tag`),
    });
    expect(outcomes.find((o) => o.id === vanished)).toEqual({ kind: 'volume', id: vanished, status: 'gone' });
    expect(await volumesInEc2()).toContain(retagged);
    expect(await snapshotsInEc2()).toContain(untagged);
  });

  it("finds the platform's own tag too, and re-checks each by the tag it was found by", async () => {
    // OpenSARlab's EKS cluster tags its volumes and snapshots osl-stackname=<deployment>, never ours.
    const platform = { key: 'osl-stackname', value: 'alpha' };
    const platformTags = (value: string) => [{ Key: platform.key, Value: value }];
    const tagged = async (kind: 'volume' | 'snapshot', value: string): Promise<string> => {
      const id = kind === 'volume' ? await volume() : await snapshot();
      await ec2.send(new CreateTagsCommand({ Resources: [id], Tags: platformTags(value) }));
      return id;
    };
    const hubVolume = await tagged('volume', 'alpha');
    const hubSnapshot = await tagged('snapshot', 'alpha');
    const retagged = await tagged('volume', 'alpha');
    const stranger = await tagged('volume', 'alpha-2');
    const both = await volume('alpha');
    await ec2.send(new CreateTagsCommand({ Resources: [both], Tags: platformTags('alpha') }));
    const ebs = aws().use(ebsPort);

    const items = await findTaggedVolumesAndSnapshots(ebs, 'alpha', [platform]);
    expect(items.map((item) => [item.kind, item.id, item.ownedBy.key])).toEqual([
      ...[
        ['volume', both, TAG],
        ['volume', hubVolume, platform.key],
        ['volume', retagged, platform.key],
      ].sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
      ['snapshot', hubSnapshot, platform.key],
    ]);

    await ec2.send(new CreateTagsCommand({ Resources: [retagged], Tags: platformTags('beta') }));
    const outcomes = await deleteTaggedVolumesAndSnapshots(ebs, 'alpha', items);
    expect(outcomes.find((o) => o.id === retagged)).toMatchObject({
      status: 'skipped',
      reason: 'its osl-stackname tag is now "beta", not "alpha"',
    });
    expect(
      outcomes
        .filter((o) => o.status === 'deleted')
        .map((o) => o.id)
        .sort(),
    ).toEqual([both, hubVolume, hubSnapshot].sort());
    expect(await volumesInEc2()).toEqual(expect.arrayContaining([retagged, stranger]));
    expect(await volumesInEc2()).not.toContain(hubVolume);
    expect(await snapshotsInEc2()).not.toContain(hubSnapshot);

    // The leftovers report names what still carries the platform's tag.
    const report = await leftovers(aws().use(taggingPort), 'alpha', {
      expected: [],
      platformTags: [platform],
    });
    expect(report.unexpected).toEqual([]);
    await tagged('volume', 'alpha');
    const after = await leftovers(aws().use(taggingPort), 'alpha', {
      expected: [],
      platformTags: [platform],
    });
    expect(after.unexpected).toEqual([
      { arn: expect.stringContaining(':volume/vol-'), reason: 'still tagged osl-stackname=alpha' },
    ]);
  });

  it('reports a snapshot an AMI is registered from instead of deleting it', async () => {
    const image = await ec2.send(
      new RegisterImageCommand({ Name: 'alpha-hub', RootDeviceName: '/dev/xvda' }),
    );
    const described = await ec2.send(new DescribeImagesCommand({ ImageIds: [image.ImageId ?? ''] }));
    const amiSnapshot = described.Images?.[0]?.BlockDeviceMappings?.[0]?.Ebs?.SnapshotId ?? '';
    await ec2.send(new CreateTagsCommand({ Resources: [amiSnapshot], Tags: tags('alpha') }));
    const ebs = aws().use(ebsPort);

    const items = await findTaggedVolumesAndSnapshots(ebs, 'alpha');
    expect(items.map((item) => item.id)).toEqual([amiSnapshot]);
    const [outcome] = await deleteTaggedVolumesAndSnapshots(ebs, 'alpha', items);
    expect(outcome).toMatchObject({ id: amiSnapshot, status: 'in-use' });
    expect(outcome?.reason).toContain(image.ImageId);
    expect(outcome?.reason).toContain('deregister');
    expect(await snapshotsInEc2()).toContain(amiSnapshot);
  });

  it('records an AWS refusal and goes on, but stops on anything that is not one', async () => {
    const volumeItem = (id: string) =>
      ({
        kind: 'volume',
        id,
        sizeGiB: 1,
        state: 'available',
        tags: { [TAG]: 'alpha' },
        ownedBy: { key: TAG, value: 'alpha' },
      }) as const;
    const refusal = new StackguideError('EC2 deleteVolume failed: not allowed', {
      code: 'aws.UnauthorizedOperation',
      kind: 'aws',
    });
    const deleted: string[] = [];
    const fake = (failure: StackguideError): EbsPort => ({
      volumesTagged: async () => [],
      snapshotsTagged: async () => [],
      describeVolume: async (id) => ({ ...volumeItem(id), attachedTo: [] }),
      describeSnapshot: async () => undefined,
      deleteVolume: async (id) => {
        if (id === 'vol-refused') throw failure;
        deleted.push(id);
        return { outcome: 'deleted' };
      },
      deleteSnapshot: async () => ({ outcome: 'deleted' }),
    });
    const items = [volumeItem('vol-refused'), volumeItem('vol-next')];

    expect(await deleteTaggedVolumesAndSnapshots(fake(refusal), 'alpha', items, { concurrency: 1 })).toEqual([
      {
        kind: 'volume',
        id: 'vol-refused',
        status: 'failed',
        code: 'aws.UnauthorizedOperation',
        reason: 'volume vol-refused: EC2 deleteVolume failed: not allowed',
      },
      { kind: 'volume', id: 'vol-next', status: 'deleted' },
    ]);
    expect(deleted).toEqual(['vol-next']);

    const expired = new StackguideError('Your AWS session token has expired', {
      code: 'credentials.expired',
      kind: 'user',
    });
    await expect(
      deleteTaggedVolumesAndSnapshots(fake(expired), 'alpha', items, { concurrency: 1 }),
    ).rejects.toMatchObject({ code: 'credentials.expired' });
  });

  it('trusts no filter: a lax answer does not widen what is found or reported', async () => {
    // moto's and AWS's filters are exact, so only a fake can answer laxly.
    const stranger = { sizeGiB: 1, state: 'available', attachedTo: [], tags: { [TAG]: 'alpha-2' } };
    const lax: EbsPort = {
      volumesTagged: async () => [
        { ...stranger, id: 'vol-stranger' },
        { ...stranger, id: 'vol-ours', tags: { [TAG]: 'alpha' } },
      ],
      snapshotsTagged: async () => [{ id: 'snap-untagged', sizeGiB: 1, state: 'completed', tags: {} }],
      describeVolume: async () => undefined,
      describeSnapshot: async () => undefined,
      deleteVolume: async () => ({ outcome: 'deleted' }),
      deleteSnapshot: async () => ({ outcome: 'deleted' }),
    };
    expect((await findTaggedVolumesAndSnapshots(lax, 'alpha')).map((item) => item.id)).toEqual(['vol-ours']);

    const report = await leftovers(
      {
        resourcesTagged: async () => [
          { arn: 'arn:aws:ec2:us-east-1:1:volume/vol-stranger', tags: { [TAG]: 'alpha-2' } },
          { arn: 'arn:aws:ec2:us-east-1:1:volume/vol-ours', tags: { [TAG]: 'alpha' } },
        ],
      },
      'alpha',
      { expected: [] },
    );
    expect(report.unexpected.map((leftover) => leftover.arn)).toEqual([
      'arn:aws:ec2:us-east-1:1:volume/vol-ours',
    ]);
  });
});

describe('ECR repositories', () => {
  const manifest = (layer: string) =>
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: {
        mediaType: 'application/vnd.docker.container.image.v1+json',
        size: 7,
        digest: `sha256:${'c'.repeat(64)}`,
      },
      layers: [
        {
          mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
          size: 9,
          digest: `sha256:${layer.repeat(64)}`,
        },
      ],
    });
  async function repository(name: string, images: Array<{ layer: string; tags: string[] }>): Promise<void> {
    await ecr.send(new CreateEcrRepositoryCommand({ repositoryName: name }));
    for (const image of images)
      for (const tag of image.tags)
        await ecr.send(
          new PutImageCommand({ repositoryName: name, imageManifest: manifest(image.layer), imageTag: tag }),
        );
  }

  it('counts images (not tags) and deletes only the repositories named, images and all', async () => {
    // One image under three tags and one under one: two images, four ListImages entries.
    await repository('alpha/hub', [
      { layer: 'a', tags: ['latest', 'v2', 'stable'] },
      { layer: 'b', tags: ['v1'] },
    ]);
    await repository('alpha/notebook', []);
    await repository('beta/hub', [{ layer: 'a', tags: ['latest'] }]);
    const port = aws().use(ecrPort);

    expect(await describeRepositories(port, ['alpha/hub', 'alpha/notebook', 'alpha/missing'])).toEqual([
      {
        name: 'alpha/hub',
        exists: true,
        arn: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/alpha/hub`,
        images: 2,
      },
      {
        name: 'alpha/notebook',
        exists: true,
        arn: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/alpha/notebook`,
        images: 0,
      },
      { name: 'alpha/missing', exists: false, images: 0 },
    ]);

    const progress: RepositoryEmptyingProgress[] = [];
    const outcomes = await emptyRepositories(port, ['alpha/hub', 'alpha/missing'], {
      onProgress: (p) => progress.push(p),
    });
    expect(outcomes).toEqual([
      { name: 'alpha/hub', status: 'emptied', images: 2 },
      { name: 'alpha/missing', status: 'gone' },
    ]);
    expect(progress.filter((p) => p.name === 'alpha/hub').map((p) => p.status)).toEqual([
      'emptying',
      'emptied',
    ]);
    // The repositories stay for CloudFormation to delete; only alpha/hub's images are gone.
    const left = await ecr.send(new DescribeRepositoriesCommand({}));
    expect((left.repositories ?? []).map((r) => r.repositoryName).sort()).toEqual([
      'alpha/hub',
      'alpha/notebook',
      'beta/hub',
    ]);
    expect(await describeRepositories(port, ['alpha/hub', 'beta/hub'])).toEqual([
      expect.objectContaining({ name: 'alpha/hub', images: 0 }),
      expect.objectContaining({ name: 'beta/hub', images: 1 }),
    ]);
  });
});

describe('leftovers report', () => {
  it('lists exactly what still carries the tag or exists untaggable, minus what is expected', async () => {
    const kept = await volume('alpha');
    const leftVolume = await volume('alpha');
    const leftSnapshot = await snapshot('alpha');
    await volume('beta');
    await snapshot();
    await s3.send(new CreateBucketCommand({ Bucket: 'alpha-logs' }));
    await s3.send(new PutBucketTaggingCommand({ Bucket: 'alpha-logs', Tagging: { TagSet: tags('alpha') } }));
    // The retained stack itself carries the tag too.
    const cognito = await cloudFormation.send(
      new CreateStackCommand({
        StackName: 'alpha-cognito',
        TemplateBody: JSON.stringify({
          Resources: { Handle: { Type: 'AWS::CloudFormation::WaitConditionHandle' } },
        }),
        Tags: tags('alpha'),
      }),
    );
    for (const name of ['alpha-container', 'alpha-cluster', 'alpha-by-arn', 'beta-container'])
      await createCodeCommitRepository(name);
    const codeCommitArn = (name: string) => `arn:aws:codecommit:${REGION}:${ACCOUNT}:${name}`;

    const report = await leftovers(aws().use(taggingPort), 'alpha', {
      expected: [
        { id: cognito.StackId ?? '', reason: 'alpha-cognito, kept by the blueprint' },
        { id: kept, reason: 'UserPoolVolume in alpha-cognito' },
        { id: 'alpha-cluster', reason: 'kept: CodeCommit repositories were not opted in' },
      ],
      untaggable: {
        names: [
          'alpha-container',
          'alpha-cluster',
          'alpha-never-created',
          codeCommitArn('alpha-by-arn'),
          `arn:aws:lambda:${REGION}:${ACCOUNT}:function:alpha-notifier`,
        ],
        codeCommit: aws().use(codeCommitPort),
      },
    });

    const still = `still tagged ${TAG}=alpha`;
    const untaggable = 'CodeCommit repository still exists (the tagging API does not list it)';
    expect(report).toEqual({
      unexpected: [
        { arn: codeCommitArn('alpha-by-arn'), reason: untaggable },
        { arn: codeCommitArn('alpha-container'), reason: untaggable },
        { arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:snapshot/${leftSnapshot}`, reason: still },
        { arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/${leftVolume}`, reason: still },
        { arn: 'arn:aws:s3:::alpha-logs', reason: still },
      ].sort((a, b) => a.arn.localeCompare(b.arn)),
      expected: [
        { arn: cognito.StackId, reason: 'alpha-cognito, kept by the blueprint' },
        { arn: codeCommitArn('alpha-cluster'), reason: 'kept: CodeCommit repositories were not opted in' },
        { arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/${kept}`, reason: 'UserPoolVolume in alpha-cognito' },
      ].sort((a, b) => (a.arn ?? '').localeCompare(b.arn ?? '')),
      unchecked: [
        {
          name: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:alpha-notifier`,
          reason: expect.stringContaining('CodeCommit repositories only'),
        },
      ],
    });
    // Plain JSON: what the NDJSON event and the journal carry.
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('deleting an opted-in CodeCommit repository is idempotent', async () => {
    await createCodeCommitRepository('alpha-container');
    const port = aws().use(codeCommitPort);
    expect(await port.deleteRepository('alpha-container')).toBe(true);
    expect(await port.deleteRepository('alpha-container')).toBe(false);
    const after = await codeCommitCall('GetRepository', { repositoryName: 'alpha-container' });
    expect(await after.json()).toMatchObject({ __type: 'RepositoryDoesNotExistException' });
  });
});
