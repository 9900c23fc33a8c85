/**
 * bench/empty-bucket: emptying a versioned bucket of 20,000 object versions in moto, once with
 * stackguide's emptyBucket and once the best way a user can with awscli (list-object-versions, then
 * delete-objects in 1,000-key batches, one after another, as a shell loop does), in the same run;
 * objects (versions and delete markers) per second for both. Goal: at least twice the awscli rate.
 *
 *   node bench/empty-bucket.ts [--versions 20000] [--json]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createAwsSession } from '../src/aws/aws-context.ts';
import { s3Port } from '../src/aws/s3-adapter.ts';
import { emptyBucket, measureBucket } from '../src/decommission/bucket-contents.ts';
import { systemClock } from '../src/runtime/clock.ts';
import { startMotoServer } from '../test/support/moto-server.ts';

const versionsFlag = process.argv.indexOf('--versions');
const total = versionsFlag > 0 ? Number(process.argv[versionsFlag + 1]) : 20_000;
const asJson = process.argv.includes('--json');
const credentials = {
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_DEFAULT_REGION: 'us-east-1',
};
Object.assign(process.env, credentials);

const moto = await startMotoServer();
const client = new S3Client({
  region: 'us-east-1',
  endpoint: moto.endpoint,
  forcePathStyle: true,
  credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
});

/** Fills a versioned bucket: total/2 keys written twice (filling is not timed). */
async function fill(bucket: string): Promise<void> {
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  await client.send(
    new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
  );
  const keys = Math.ceil(total / 2);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < keys * 2) {
      const n = next++;
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: `objects/${n % keys}`, Body: `v${n}` }));
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

/** The awscli way: list a page of versions, delete them, until nothing is left. */
function emptyWithAwscli(bucket: string): number {
  const env = { ...process.env, ...credentials };
  const aws = (...args: string[]): string =>
    execFileSync('aws', ['--endpoint-url', moto.endpoint, 's3api', ...args], {
      env,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
  const scratch = mkdtempSync(join(tmpdir(), 'bench-awscli-'));
  let deleted = 0;
  try {
    for (let round = 0; round < 1000; round++) {
      const listed = JSON.parse(
        aws('list-object-versions', '--bucket', bucket, '--max-items', '1000', '--output', 'json') || '{}',
      ) as {
        Versions?: Array<{ Key: string; VersionId: string }>;
        DeleteMarkers?: Array<{ Key: string; VersionId: string }>;
      };
      const objects = [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])].map(
        ({ Key, VersionId }) => ({ Key, VersionId }),
      );
      if (objects.length === 0) return deleted;
      const file = join(scratch, 'delete.json');
      writeFileSync(file, JSON.stringify({ Objects: objects, Quiet: true }));
      aws('delete-objects', '--bucket', bucket, '--delete', `file://${file}`);
      deleted += objects.length;
    }
    return deleted;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

try {
  const s3 = createAwsSession({ endpointUrl: moto.endpoint }).forRegion('us-east-1').use(s3Port);
  await fill('bench-stackguide');
  const before = await measureBucket(s3, 'bench-stackguide');
  let started = performance.now();
  const deletedByUs = await emptyBucket(s3, 'bench-stackguide', { clock: systemClock });
  const ourSeconds = (performance.now() - started) / 1000;

  let awscli: { deleted: number; seconds: number } | undefined;
  let note = '';
  try {
    execFileSync('aws', ['--version'], { stdio: 'ignore' });
    await fill('bench-awscli');
    started = performance.now();
    const deleted = emptyWithAwscli('bench-awscli');
    awscli = { deleted, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    note = `awscli: not measured (${(error as Error).message.split('\n')[0]})`;
  }

  const ours = deletedByUs / ourSeconds;
  const theirs = awscli ? awscli.deleted / awscli.seconds : undefined;
  if (asJson) {
    console.log(
      JSON.stringify({
        versions: before.versions + before.deleteMarkers,
        stackguide: { deleted: deletedByUs, seconds: ourSeconds, perSecond: ours },
        awscli: awscli ? { ...awscli, perSecond: theirs } : null,
        note,
      }),
    );
  } else {
    console.log(
      `bench/empty-bucket: a versioned bucket of ${before.versions + before.deleteMarkers} versions in moto\n`,
    );
    console.log(
      `stackguide emptyBucket: ${deletedByUs} in ${ourSeconds.toFixed(1)} s = ${ours.toFixed(0)} objects/s`,
    );
    if (awscli && theirs) {
      console.log(
        `awscli (list-object-versions + delete-objects, 1,000-key batches): ${awscli.deleted} in ${awscli.seconds.toFixed(1)} s = ${theirs.toFixed(0)} objects/s`,
      );
      console.log(
        `ratio: ${(ours / theirs).toFixed(1)}x   goal >= 2x: ${ours / theirs >= 2 ? 'PASS' : 'MISS'}`,
      );
    } else console.log(note);
  }
} finally {
  client.destroy();
  await moto.stop();
}
