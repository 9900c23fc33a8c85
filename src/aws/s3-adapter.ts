import { DeleteObjectsCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import type { PortFactory } from './aws-context.ts';
import type { ObjectVersion, S3Port } from './s3-port.ts';

export const s3Port: PortFactory<S3Port> = {
  service: 'S3',
  endpointVariable: 'AWS_ENDPOINT_URL_S3',
  // Emulators and S3-compatible endpoints want path-style addressing; real S3 takes both.
  create: (config) => s3Adapter(new S3Client({ ...config, forcePathStyle: config.endpoint !== undefined })),
};

function s3Adapter(client: S3Client): S3Port {
  return {
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
