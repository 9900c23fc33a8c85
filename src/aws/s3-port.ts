/** The S3 calls stackguide makes: reading and emptying a deployment's buckets before their stacks go. */
export interface S3Port {
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
