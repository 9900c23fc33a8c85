import {
  CreateBucketCommand,
  DeleteObjectCommand,
  HeadBucketCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsSession } from '../../src/aws/aws-context.ts';
import { s3Port } from '../../src/aws/s3-port.ts';
import { emptyBucket, measureBucket } from '../../src/decommission/bucket-contents.ts';
import { systemClock } from '../../src/runtime/clock.ts';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';

let moto: MotoServer;
let raw: S3Client;

beforeAll(async () => {
  moto = await startMotoServer();
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  raw = new S3Client({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
});
afterAll(async () => {
  raw?.destroy();
  await moto?.stop();
});

const s3 = () => createAwsSession({ endpointUrl: moto.endpoint }).forRegion('us-east-1').use(s3Port);

async function versionedBucket(name: string): Promise<void> {
  await raw.send(new CreateBucketCommand({ Bucket: name }));
  await raw.send(
    new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Enabled' } }),
  );
  // 30 keys, 3 versions each (sizes 1, 2, 3 bytes), and a delete marker on every third key.
  await Promise.all(
    Array.from({ length: 30 }, async (_, i) => {
      for (const body of ['a', 'bb', 'ccc'])
        await raw.send(new PutObjectCommand({ Bucket: name, Key: `data/${i}`, Body: body }));
      if (i % 3 === 0) await raw.send(new DeleteObjectCommand({ Bucket: name, Key: `data/${i}` }));
    }),
  );
}

describe('bucket contents', () => {
  it('measures objects, versions, delete markers and bytes', async () => {
    await versionedBucket('measured');
    expect(await measureBucket(s3(), 'measured')).toEqual({
      bucket: 'measured',
      exists: true,
      objects: 30,
      versions: 90,
      deleteMarkers: 10,
      bytes: 180,
    });
  });

  it('empties every version and delete marker in batches, and leaves the bucket for CloudFormation', async () => {
    await versionedBucket('emptied');
    const progress: number[] = [];
    const deleted = await emptyBucket(s3(), 'emptied', {
      clock: systemClock,
      concurrency: 4,
      onProgress: (n) => progress.push(n),
    });
    expect(deleted).toBe(100);
    expect(progress.at(-1)).toBe(100);
    const left = await raw.send(new ListObjectVersionsCommand({ Bucket: 'emptied' }));
    expect([...(left.Versions ?? []), ...(left.DeleteMarkers ?? [])]).toEqual([]);
    await expect(raw.send(new HeadBucketCommand({ Bucket: 'emptied' }))).resolves.toMatchObject({
      $metadata: { httpStatusCode: 200 },
    });
  });

  it('empties a bucket of more than one listing page, deleting only after the next page is listed', async () => {
    await raw.send(new CreateBucketCommand({ Bucket: 'paged' }));
    await raw.send(
      new PutBucketVersioningCommand({ Bucket: 'paged', VersioningConfiguration: { Status: 'Enabled' } }),
    );
    let next = 0;
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        while (next < 2600) {
          const n = next++;
          await raw.send(new PutObjectCommand({ Bucket: 'paged', Key: `k/${n % 1300}`, Body: 'x' }));
        }
      }),
    );
    // Counting listings: one pass over three pages and one that finds the bucket empty. Deleting a page
    // before the next is listed would make its marker vanish and cost a pass per page.
    const port = s3();
    let listings = 0;
    const counted = {
      ...port,
      listObjectVersions: (...args: Parameters<typeof port.listObjectVersions>) => {
        listings++;
        return port.listObjectVersions(...args);
      },
    };
    expect(await emptyBucket(counted, 'paged', { clock: systemClock })).toBe(2600);
    expect(listings).toBe(4);
    expect(await measureBucket(s3(), 'paged')).toMatchObject({ versions: 0, deleteMarkers: 0 });
    // Filling 2,600 versions into moto alone takes ~10 s on two cores.
    // Over a thousand objects through moto: minutes on a loaded 2-core machine, and more than 300 s in
    // the fresh-clone run at af18963 (load average about 25). Nothing here waits on a clock.
  }, 900_000);

  it('takes an unversioned bucket, an empty one and a missing one in its stride', async () => {
    await raw.send(new CreateBucketCommand({ Bucket: 'plain' }));
    await raw.send(new PutObjectCommand({ Bucket: 'plain', Key: 'one', Body: 'x' }));
    expect(await emptyBucket(s3(), 'plain', { clock: systemClock })).toBe(1);
    expect(await emptyBucket(s3(), 'plain', { clock: systemClock })).toBe(0);
    expect(await measureBucket(s3(), 'no-such-bucket')).toMatchObject({ exists: false, versions: 0 });
    expect(await emptyBucket(s3(), 'no-such-bucket', { clock: systemClock })).toBe(0);
  });
});
