/**
 * bench/empty-bucket: emptying a versioned bucket in moto, with stackguide's emptyBucket and with the
 * loop a user would write with awscli: one shell script that lists up to 1,000 versions
 * (list-object-versions), deletes them (delete-objects), and goes round until nothing is left, first
 * the versions, then the delete markers. Both run n times (n >= 3) on the same moto server in the same
 * run, each on a freshly filled bucket; objects (versions and delete markers) per second, median, min
 * and max. Prints the commit, the machine, the load average and n. Goal: stackguide's median at least
 * twice awscli's. --readme keeps the samples in bench/results/empty-bucket.json and rewrites the
 * README's figures from them (`npm run bench -- empty-bucket` does that).
 *
 *   node bench/empty-bucket.ts [--versions 2000] [--runs 3] [--json] [--readme]
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import {
  CreateBucketCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createAwsSession } from '../src/aws/aws-context.ts';
import { s3Port } from '../src/aws/s3-port.ts';
import { emptyBucket, measureBucket } from '../src/decommission/bucket-contents.ts';
import { systemClock } from '../src/runtime/clock.ts';
import { startMotoServer } from '../test/support/moto-server.ts';
import { publish } from './support/bench-report.ts';
import { runInfo, spread } from './support/run-info.ts';

const flag = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const total = flag('--versions', 2_000);
const runs = Math.max(3, flag('--runs', 3));
const asJson = process.argv.includes('--json');
const credentials = {
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_DEFAULT_REGION: 'us-east-1',
};
Object.assign(process.env, credentials);
const info = runInfo();

const moto = await startMotoServer();
const client = new S3Client({
  region: 'us-east-1',
  endpoint: moto.endpoint,
  forcePathStyle: true,
  credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
});

/** Fills a versioned bucket: total/2 keys written twice (not timed); returns what it holds. */
async function fill(bucket: string): Promise<number> {
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
  const contents = await measureBucket(s3, bucket);
  return contents.versions + contents.deleteMarkers;
}

/** The loop as a user writes it: one bash process, awscli for every call, 1,000 keys a batch. */
const AWSCLI_LOOP = `
set -eu
deleted=0
for kind in Versions DeleteMarkers; do
  while :; do
    batch=$(aws --endpoint-url "$ENDPOINT" s3api list-object-versions --bucket "$BUCKET" --max-items 1000 \
      --query "{Objects: $kind[].{Key: Key, VersionId: VersionId}}" --output json)
    n=$(printf '%s\n' "$batch" | grep -c '"VersionId"' || true)
    [ "$n" -eq 0 ] && break
    aws --endpoint-url "$ENDPOINT" s3api delete-objects --bucket "$BUCKET" --delete "$batch" > /dev/null
    deleted=$((deleted + n))
  done
done
echo "$deleted"
`;

/** Asynchronous: moto's endpoint is a proxy in this process, which must keep serving meanwhile. */
async function emptyWithAwscli(bucket: string): Promise<number> {
  const { stdout } = await promisify(execFile)('bash', ['-c', AWSCLI_LOOP], {
    env: { ...process.env, ...credentials, ENDPOINT: moto.endpoint, BUCKET: bucket },
    encoding: 'utf8',
  });
  return Number(stdout.trim());
}

const s3 = createAwsSession({ endpointUrl: moto.endpoint }).forRegion('us-east-1').use(s3Port);

async function timed(run: () => Promise<number> | number): Promise<{ deleted: number; perSecond: number }> {
  const started = performance.now();
  const deleted = await run();
  return { deleted, perSecond: deleted / ((performance.now() - started) / 1000) };
}

try {
  let awscliMissing = '';
  try {
    execFileSync('aws', ['--version'], { stdio: 'ignore' });
  } catch (error) {
    awscliMissing = `awscli: not measured (${(error as Error).message.split('\n')[0]})`;
  }
  const ours: number[] = [];
  const theirs: number[] = [];
  let filled = 0;
  for (let run = 0; run < runs; run++) {
    filled = await fill(`bench-stackguide-${run}`);
    const us = await timed(() => emptyBucket(s3, `bench-stackguide-${run}`, { clock: systemClock }));
    if (us.deleted !== filled) throw new Error(`stackguide deleted ${us.deleted} of ${filled}`);
    ours.push(us.perSecond);
    if (awscliMissing) continue;
    const expected = await fill(`bench-awscli-${run}`);
    const them = await timed(() => emptyWithAwscli(`bench-awscli-${run}`));
    if (them.deleted !== expected) throw new Error(`the awscli loop deleted ${them.deleted} of ${expected}`);
    theirs.push(them.perSecond);
  }
  const stackguide = spread(ours);
  const awscli = theirs.length > 0 ? spread(theirs) : undefined;
  const ratio = awscli ? stackguide.median / awscli.median : undefined;
  if (asJson) {
    console.log(
      JSON.stringify({ ...info, versions: filled, runs, stackguide, awscli: awscli ?? null, ratio }),
    );
  } else {
    publish('empty-bucket', {
      bench: 'bench/empty-bucket',
      info,
      n: runs,
      heading: [
        `a versioned bucket of ${filled} versions and delete markers in moto, emptied ${runs} times each way`,
      ],
      rows: [
        { label: 'stackguide emptyBucket', unit: 'per-second', samples: ours },
        ...(awscli
          ? [
              {
                label: 'awscli loop (list-object-versions + delete-objects, 1,000)',
                unit: 'per-second' as const,
                samples: theirs,
              },
            ]
          : []),
      ],
      notes:
        ratio !== undefined
          ? [`ratio of medians: ${ratio.toFixed(1)}x   goal >= 2x: ${ratio >= 2 ? 'met' : 'missed'}`]
          : [awscliMissing],
    });
  }
} finally {
  client.destroy();
  await moto.stop();
}
