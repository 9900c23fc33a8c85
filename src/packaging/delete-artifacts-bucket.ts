import type { S3Port } from '../aws/s3-port.ts';
import { emptyBucket } from '../decommission/bucket-contents.ts';
import { DEPLOYMENT_TAG } from '../deployment-tags.ts';
import type { Clock } from '../runtime/clock.ts';
import { artifactsBucketName } from './package-templates.ts';

/**
 * Destroy's last act: the deployment's artifacts bucket (packaged templates), emptied and deleted once
 * no stack refers to its templates. Only a bucket tagged with this deployment is touched. Resolves with
 * the bucket deleted, or undefined when there was none.
 */
export async function deleteArtifactsBucket(
  s3: S3Port,
  context: { deployment: string; account: string; region: string; clock: Clock; signal?: AbortSignal },
): Promise<string | undefined> {
  const bucket = artifactsBucketName(context.deployment, context.account, context.region);
  const tags = await s3.bucketTags(bucket);
  if (tags === undefined || tags[DEPLOYMENT_TAG] !== context.deployment) return undefined;
  await emptyBucket(s3, bucket, {
    clock: context.clock,
    ...(context.signal ? { signal: context.signal } : {}),
  });
  await s3.deleteBucket(bucket);
  return bucket;
}
