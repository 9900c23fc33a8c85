import {
  DeleteSnapshotCommand,
  DeleteVolumeCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
  type Snapshot,
  type Tag,
  type Volume,
} from '@aws-sdk/client-ec2';
import type { EbsDeleteResult, EbsPort, EbsSnapshot, EbsVolume } from './ebs-port.ts';
import type { PortAdapter } from './port-token.ts';

export const ebsAdapter: PortAdapter<EbsPort> = {
  create: (config) => ebsOver(new EC2Client(config)),
};

function ebsOver(client: EC2Client): EbsPort {
  return {
    async volumesTagged(key, value) {
      const volumes: EbsVolume[] = [];
      let NextToken: string | undefined;
      do {
        const page = await client.send(
          new DescribeVolumesCommand({
            Filters: [{ Name: `tag:${key}`, Values: [value] }],
            MaxResults: 500,
            NextToken,
          }),
        );
        volumes.push(...(page.Volumes ?? []).map(toVolume));
        NextToken = page.NextToken;
      } while (NextToken);
      return volumes;
    },

    async snapshotsTagged(key, value) {
      const snapshots: EbsSnapshot[] = [];
      let NextToken: string | undefined;
      do {
        const page = await client.send(
          new DescribeSnapshotsCommand({
            // Without an owner, DescribeSnapshots also lists every public snapshot and those shared with us.
            OwnerIds: ['self'],
            Filters: [{ Name: `tag:${key}`, Values: [value] }],
            MaxResults: 1000,
            NextToken,
          }),
        );
        snapshots.push(...(page.Snapshots ?? []).map(toSnapshot));
        NextToken = page.NextToken;
      } while (NextToken);
      return snapshots;
    },

    async describeVolume(id) {
      try {
        const response = await client.send(new DescribeVolumesCommand({ VolumeIds: [id] }));
        const volume = response.Volumes?.[0];
        return volume ? toVolume(volume) : undefined;
      } catch (error) {
        if (errorName(error) === 'InvalidVolume.NotFound') return undefined;
        throw error;
      }
    },

    async describeSnapshot(id) {
      try {
        const response = await client.send(
          new DescribeSnapshotsCommand({ SnapshotIds: [id], OwnerIds: ['self'] }),
        );
        const snapshot = response.Snapshots?.[0];
        return snapshot ? toSnapshot(snapshot) : undefined;
      } catch (error) {
        if (errorName(error) === 'InvalidSnapshot.NotFound') return undefined;
        throw error;
      }
    },

    async deleteVolume(id) {
      return deleteResult(() => client.send(new DeleteVolumeCommand({ VolumeId: id })), {
        notFound: 'InvalidVolume.NotFound',
        inUse: 'VolumeInUse',
      });
    },

    async deleteSnapshot(id) {
      return deleteResult(() => client.send(new DeleteSnapshotCommand({ SnapshotId: id })), {
        notFound: 'InvalidSnapshot.NotFound',
        inUse: 'InvalidSnapshot.InUse',
      });
    },
  };
}

async function deleteResult(
  call: () => Promise<unknown>,
  codes: { notFound: string; inUse: string },
): Promise<EbsDeleteResult> {
  try {
    await call();
    return { outcome: 'deleted' };
  } catch (error) {
    const name = errorName(error);
    if (name === codes.notFound) return { outcome: 'not-found' };
    if (name === codes.inUse) return { outcome: 'in-use', message: (error as Error).message };
    throw error;
  }
}

function errorName(error: unknown): string | undefined {
  return (error as { name?: string }).name;
}

function toVolume(volume: Volume): EbsVolume {
  return {
    id: volume.VolumeId ?? '',
    sizeGiB: volume.Size ?? 0,
    state: volume.State ?? 'unknown',
    tags: toTags(volume.Tags),
    attachedTo: (volume.Attachments ?? []).flatMap((a) => (a.InstanceId ? [a.InstanceId] : [])),
    ...(volume.AvailabilityZone ? { availabilityZone: volume.AvailabilityZone } : {}),
    ...(volume.CreateTime ? { createdAt: volume.CreateTime.toISOString() } : {}),
  };
}

function toSnapshot(snapshot: Snapshot): EbsSnapshot {
  return {
    id: snapshot.SnapshotId ?? '',
    sizeGiB: snapshot.VolumeSize ?? 0,
    state: snapshot.State ?? 'unknown',
    tags: toTags(snapshot.Tags),
    ...(snapshot.VolumeId ? { volumeId: snapshot.VolumeId } : {}),
    ...(snapshot.Description ? { description: snapshot.Description } : {}),
    ...(snapshot.StartTime ? { startedAt: snapshot.StartTime.toISOString() } : {}),
  };
}

function toTags(tags: Tag[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).flatMap((tag) => (tag.Key ? [[tag.Key, tag.Value ?? '']] : [])));
}
