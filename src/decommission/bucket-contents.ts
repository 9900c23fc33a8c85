import type { ObjectVersion, S3Port, VersionMarker } from '../aws/s3-port.ts';
import { StackguideError } from '../errors.ts';
import type { Clock } from '../runtime/clock.ts';

/**
 * A bucket's contents for the destroy plan, and emptying it so CloudFormation can delete it. Every
 * version and every delete marker goes; the bucket itself never does: deleting it by hand makes the
 * stack deletion fail (seed 001's warning), so that is CloudFormation's job.
 */
export interface BucketContents {
  bucket: string;
  exists: boolean;
  objects: number;
  versions: number;
  deleteMarkers: number;
  bytes: number;
}

export async function measureBucket(s3: S3Port, bucket: string): Promise<BucketContents> {
  const keys = new Set<string>();
  const contents: BucketContents = {
    bucket,
    exists: true,
    objects: 0,
    versions: 0,
    deleteMarkers: 0,
    bytes: 0,
  };
  let marker: VersionMarker | undefined;
  do {
    const page = await s3.listObjectVersions(bucket, marker);
    if (!page) return { ...contents, exists: false };
    for (const version of page.versions) {
      if (version.deleteMarker) contents.deleteMarkers++;
      else {
        contents.versions++;
        contents.bytes += version.size;
        keys.add(version.key);
      }
    }
    marker = page.next;
  } while (marker);
  return { ...contents, objects: keys.size };
}

export interface EmptyOptions {
  clock: Clock;
  signal?: AbortSignal;
  /** Batches of up to 1,000 versions in flight at once. */
  concurrency?: number;
  onProgress?: (deleted: number) => void;
}

/**
 * Deletes every version and delete marker: listing and deleting overlap (a page is deleted while the
 * next is listed), with several 1,000-key batches in flight. Versions written meanwhile are found by
 * listing again until a listing comes back empty. Resolves with the number deleted.
 */
export async function emptyBucket(s3: S3Port, bucket: string, options: EmptyOptions): Promise<number> {
  const concurrency = options.concurrency ?? 8;
  let deleted = 0;
  let stalledPasses = 0;
  for (let pass = 0; pass < 50; pass++) {
    const before = deleted;
    const inFlight = new Set<Promise<void>>();
    const dispatch = async (versions: readonly ObjectVersion[]): Promise<void> => {
      for (let start = 0; start < versions.length; start += 1000) {
        const job = deleteBatch(s3, bucket, versions.slice(start, start + 1000), options).then((count) => {
          deleted += count;
          options.onProgress?.(deleted);
        });
        inFlight.add(job);
        void job.finally(() => inFlight.delete(job)).catch(() => undefined);
        if (inFlight.size >= concurrency) await Promise.race(inFlight);
      }
    };
    let listed = 0;
    let marker: VersionMarker | undefined;
    // A page is deleted only once the next one is listed: the listing's marker (the previous page's
    // last version) must still exist when S3 looks it up; S3 refuses a version-id marker it does not
    // hold ("Invalid version id specified").
    let previous: readonly ObjectVersion[] = [];
    do {
      options.signal?.throwIfAborted();
      const page = await s3.listObjectVersions(bucket, marker);
      if (!page) {
        await Promise.all(inFlight);
        return deleted;
      }
      await dispatch(previous);
      previous = page.versions;
      listed += page.versions.length;
      marker = page.next;
    } while (marker);
    await dispatch(previous);
    await Promise.all(inFlight);
    if (listed === 0) return deleted;
    // Versions written while emptying are found by the next pass; a pass that deletes nothing twice
    // in a row means something keeps refilling it.
    stalledPasses = deleted === before ? stalledPasses + 1 : 0;
    if (stalledPasses >= 2 || pass === 49) {
      throw new StackguideError(`Bucket ${bucket} keeps refilling: something is still writing to it`, {
        code: 'bucket.refilling',
        kind: 'aws',
        nextSteps: [`Stop whatever writes to ${bucket} (the platform's services), then run destroy again.`],
      });
    }
  }
  return deleted;
}

/**
 * One batch, retrying the keys S3 reports it could not delete. A throttled request is the SDK's to retry
 * (its standard strategy backs off with jitter, up to AWS_MAX_ATTEMPTS): retrying it here again would
 * multiply the attempts. Per-key errors come inside a successful answer, which the SDK never retries.
 */
async function deleteBatch(
  s3: S3Port,
  bucket: string,
  batch: readonly ObjectVersion[],
  options: EmptyOptions,
): Promise<number> {
  let remaining = [...batch];
  for (let attempt = 1; ; attempt++) {
    const errors = await s3.deleteObjectVersions(bucket, remaining);
    if (errors.length === 0) return batch.length;
    const failed = new Set(errors.map((e) => `${e.key}\u0000${e.versionId ?? ''}`));
    remaining = remaining.filter((v) => failed.has(`${v.key}\u0000${v.versionId ?? ''}`));
    if (attempt === 5) {
      const [first] = errors;
      throw new StackguideError(
        `S3 would not delete ${errors.length} version(s) in ${bucket}: ${first?.key} ${first?.code} ${first?.message}`,
        {
          code: 'bucket.delete-refused',
          kind: 'aws',
          nextSteps: [
            'Object Lock or a bucket policy may protect them; remove the protection, then run destroy again.',
          ],
        },
      );
    }
    await options.clock.sleep(200 * 2 ** attempt * (0.5 + options.clock.random() / 2), options.signal);
  }
}
