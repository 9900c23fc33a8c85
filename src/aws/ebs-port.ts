import { portToken } from './port-token.ts';

/**
 * The EC2 calls stackguide makes for EBS: volumes and snapshots outlive the stacks that made them (the
 * platform's users' disks and their backups), so destroy finds them by the deployment tag and deletes them.
 */
export interface EbsPort {
  /** Every volume tagged `key=value`, across all pages. */
  volumesTagged(key: string, value: string): Promise<EbsVolume[]>;
  /** Every snapshot this account owns tagged `key=value`, across all pages (never public or shared ones). */
  snapshotsTagged(key: string, value: string): Promise<EbsSnapshot[]>;
  /** undefined when the volume does not exist (any more). */
  describeVolume(id: string): Promise<EbsVolume | undefined>;
  /** undefined when the snapshot does not exist (any more). */
  describeSnapshot(id: string): Promise<EbsSnapshot | undefined>;
  deleteVolume(id: string): Promise<EbsDeleteResult>;
  deleteSnapshot(id: string): Promise<EbsDeleteResult>;
}

export interface EbsVolume {
  id: string;
  sizeGiB: number;
  /** creating, available, in-use, deleting, deleted, error */
  state: string;
  tags: Record<string, string>;
  /** Instances the volume is attached to. */
  attachedTo: string[];
  availabilityZone?: string;
  createdAt?: string;
}

export interface EbsSnapshot {
  id: string;
  sizeGiB: number;
  /** pending, completed, error, recoverable, recovering */
  state: string;
  tags: Record<string, string>;
  volumeId?: string;
  description?: string;
  startedAt?: string;
}

/**
 * What AWS said to a delete. A volume attached to an instance, or a snapshot an AMI is registered from,
 * is refused (`in-use`, with AWS's message naming the instance or the AMI); everything else throws.
 */
export type EbsDeleteResult =
  | { outcome: 'deleted' }
  | { outcome: 'not-found' }
  | { outcome: 'in-use'; message: string };

export const ebsPort = portToken<EbsPort>(
  'EC2',
  {
    volumesTagged: true,
    snapshotsTagged: true,
    describeVolume: true,
    describeSnapshot: true,
    deleteVolume: true,
    deleteSnapshot: true,
  },
  'AWS_ENDPOINT_URL_EC2',
);
