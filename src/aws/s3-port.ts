import { portToken } from './port-token.ts';

/**
 * The S3 calls stackguide makes: reading and emptying a deployment's buckets before their stacks go,
 * and keeping the deployment's artifacts bucket (packaged templates).
 */
export interface S3Port {
  /** Whether the bucket exists and this account can use it. */
  bucketExists(bucket: string): Promise<boolean>;
  /** Creates a private bucket: SSE-S3 encryption, every public access blocked, tagged. */
  createPrivateBucket(bucket: string, region: string, tags: Readonly<Record<string, string>>): Promise<void>;
  /** The bucket's tags; undefined when it does not exist. */
  bucketTags(bucket: string): Promise<Record<string, string> | undefined>;
  objectExists(bucket: string, key: string): Promise<boolean>;
  putObject(bucket: string, key: string, body: string): Promise<void>;
  deleteBucket(bucket: string): Promise<void>;
  /** One page of versions and delete markers, oldest key first as S3 lists them; undefined when the bucket is gone. */
  listObjectVersions(bucket: string, marker?: VersionMarker): Promise<ObjectVersionsPage | undefined>;
  /** Deletes up to 1,000 exact versions; returns the ones S3 could not delete, with its reasons. */
  deleteObjectVersions(bucket: string, versions: readonly ObjectVersion[]): Promise<DeleteError[]>;
}

export interface ObjectVersion {
  key: string;
  versionId?: string;
  /** Bytes; 0 for delete markers. */
  size: number;
  deleteMarker: boolean;
}

export interface VersionMarker {
  keyMarker: string;
  versionIdMarker?: string;
}

export interface ObjectVersionsPage {
  versions: ObjectVersion[];
  next?: VersionMarker;
}

export interface DeleteError {
  key: string;
  versionId?: string;
  code: string;
  message: string;
}

export const s3Port = portToken<S3Port>(
  'S3',
  {
    bucketExists: true,
    createPrivateBucket: true,
    bucketTags: true,
    objectExists: true,
    putObject: true,
    deleteBucket: true,
    listObjectVersions: true,
    deleteObjectVersions: true,
  },
  'AWS_ENDPOINT_URL_S3',
);
