import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetBucketTaggingCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutBucketEncryptionCommand,
  PutBucketTaggingCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { PortAdapter } from './port-token.ts';
import type { ObjectVersion, S3Port } from './s3-port.ts';

export const s3Adapter: PortAdapter<S3Port> = {
  // Emulators and S3-compatible endpoints want path-style addressing; real S3 takes both.
  create: (config) => s3Over(new S3Client({ ...config, forcePathStyle: config.endpoint !== undefined })),
};

function s3Over(client: S3Client): S3Port {
  const missing = (error: unknown): boolean => {
    const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    return (
      name === 'NotFound' ||
      name === 'NoSuchBucket' ||
      name === 'NoSuchKey' ||
      $metadata?.httpStatusCode === 404
    );
  };
  return {
    async bucketExists(bucket) {
      try {
        await client.send(new HeadBucketCommand({ Bucket: bucket }));
        return true;
      } catch (error) {
        if (missing(error)) return false;
        throw error;
      }
    },

    async createPrivateBucket(bucket, region, tags) {
      await client.send(
        new CreateBucketCommand({
          Bucket: bucket,
          // us-east-1 is the one region that refuses its own name as a location constraint.
          ...(region === 'us-east-1'
            ? {}
            : { CreateBucketConfiguration: { LocationConstraint: region as never } }),
        }),
      );
      await client.send(
        new PutPublicAccessBlockCommand({
          Bucket: bucket,
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            IgnorePublicAcls: true,
            BlockPublicPolicy: true,
            RestrictPublicBuckets: true,
          },
        }),
      );
      await client.send(
        new PutBucketEncryptionCommand({
          Bucket: bucket,
          ServerSideEncryptionConfiguration: {
            Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
          },
        }),
      );
      await client.send(
        new PutBucketTaggingCommand({
          Bucket: bucket,
          Tagging: { TagSet: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
        }),
      );
    },

    async bucketTags(bucket) {
      try {
        const { TagSet } = await client.send(new GetBucketTaggingCommand({ Bucket: bucket }));
        return Object.fromEntries((TagSet ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
      } catch (error) {
        if (missing(error)) return undefined;
        // A bucket without tags answers NoSuchTagSet.
        if ((error as { name?: string }).name === 'NoSuchTagSet') return {};
        throw error;
      }
    },

    async objectExists(bucket, key) {
      try {
        await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return true;
      } catch (error) {
        if (missing(error)) return false;
        throw error;
      }
    },

    async putObject(bucket, key, body) {
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ServerSideEncryption: 'AES256' }),
      );
    },

    async deleteBucket(bucket) {
      await client.send(new DeleteBucketCommand({ Bucket: bucket }));
    },

    async listObjectVersions(bucket, marker) {
      try {
        const page = await client.send(
          new ListObjectVersionsCommand({
            Bucket: bucket,
            MaxKeys: 1000,
            ...(marker
              ? {
                  KeyMarker: marker.keyMarker,
                  ...(marker.versionIdMarker ? { VersionIdMarker: marker.versionIdMarker } : {}),
                }
              : {}),
          }),
        );
        const versions: ObjectVersion[] = [
          ...(page.Versions ?? []).map((v) => ({
            key: v.Key ?? '',
            size: v.Size ?? 0,
            deleteMarker: false,
            ...(v.VersionId ? { versionId: v.VersionId } : {}),
          })),
          ...(page.DeleteMarkers ?? []).map((m) => ({
            key: m.Key ?? '',
            size: 0,
            deleteMarker: true,
            ...(m.VersionId ? { versionId: m.VersionId } : {}),
          })),
        ];
        const next =
          page.IsTruncated && page.NextKeyMarker
            ? {
                keyMarker: page.NextKeyMarker,
                ...(page.NextVersionIdMarker ? { versionIdMarker: page.NextVersionIdMarker } : {}),
              }
            : undefined;
        return { versions, ...(next ? { next } : {}) };
      } catch (error) {
        if ((error as { name?: string }).name === 'NoSuchBucket') return undefined;
        throw error;
      }
    },

    async deleteObjectVersions(bucket, versions) {
      if (versions.length === 0) return [];
      const response = await client.send(
        new DeleteObjectsCommand({
          Bucket: bucket,
          Delete: {
            Quiet: true,
            Objects: versions.map((v) => ({
              Key: v.key,
              ...(v.versionId ? { VersionId: v.versionId } : {}),
            })),
          },
        }),
      );
      return (response.Errors ?? []).map((e) => ({
        key: e.Key ?? '',
        code: e.Code ?? 'Unknown',
        message: e.Message ?? '',
        ...(e.VersionId ? { versionId: e.VersionId } : {}),
      }));
    },
  };
}
