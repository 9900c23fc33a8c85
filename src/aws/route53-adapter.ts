import {
  ChangeResourceRecordSetsCommand,
  ChangeTagsForResourceCommand,
  CreateHostedZoneCommand,
  DeleteHostedZoneCommand,
  GetHostedZoneCommand,
  ListHostedZonesByNameCommand,
  ListHostedZonesCommand,
  ListResourceRecordSetsCommand,
  ListTagsForResourceCommand,
  Route53Client,
  type RRType,
  type HostedZone as SdkHostedZone,
} from '@aws-sdk/client-route-53';
import type { PortAdapter } from './port-token.ts';
import type { HostedZone, HostedZoneSummary, RecordSet, Route53Port } from './route53-port.ts';

/** Route53Port over the AWS SDK. Error mapping happens one level up, in aws-context.ts. */
export const route53Adapter: PortAdapter<Route53Port> = {
  create: (config) => {
    const client = new Route53Client(config);
    return {
      async listHostedZones() {
        const zones: HostedZoneSummary[] = [];
        let marker: string | undefined;
        do {
          const page = await client.send(
            new ListHostedZonesCommand({ ...(marker ? { Marker: marker } : {}), MaxItems: 100 }),
          );
          zones.push(...(page.HostedZones ?? []).map(toSummary));
          marker = page.IsTruncated ? page.NextMarker : undefined;
        } while (marker);
        return zones;
      },

      async listHostedZonesByName(name) {
        const wanted = dnsName(name);
        const zones: HostedZoneSummary[] = [];
        // The API lists zones in name order starting at DNSName; several zones may share one name, so
        // keep paging while the next page still starts at that name.
        let next: { DNSName?: string; HostedZoneId?: string } = { DNSName: wanted };
        for (;;) {
          const page = await client.send(new ListHostedZonesByNameCommand({ ...next, MaxItems: 100 }));
          const listed = (page.HostedZones ?? []).map(toSummary);
          zones.push(...listed.filter((zone) => zone.name === wanted));
          if (!page.IsTruncated || dnsName(page.NextDNSName ?? '') !== wanted) break;
          next = {
            ...(page.NextDNSName ? { DNSName: page.NextDNSName } : {}),
            ...(page.NextHostedZoneId ? { HostedZoneId: page.NextHostedZoneId } : {}),
          };
        }
        return zones;
      },

      async getHostedZone(zoneId) {
        try {
          const response = await client.send(new GetHostedZoneCommand({ Id: zoneId }));
          if (!response.HostedZone) return undefined;
          return {
            ...toSummary(response.HostedZone),
            nameServers: response.DelegationSet?.NameServers?.map(dnsName) ?? [],
          };
        } catch (error) {
          if ((error as { name?: string }).name === 'NoSuchHostedZone') return undefined;
          throw error;
        }
      },

      async createHostedZone(input) {
        const response = await client.send(
          new CreateHostedZoneCommand({
            Name: input.name,
            CallerReference: input.callerReference,
            HostedZoneConfig: { Comment: input.comment, PrivateZone: false },
          }),
        );
        const zone: HostedZone = {
          ...toSummary(response.HostedZone ?? {}),
          nameServers: response.DelegationSet?.NameServers?.map(dnsName) ?? [],
        };
        return zone;
      },

      async listTagsForHostedZone(zoneId) {
        const response = await client.send(
          new ListTagsForResourceCommand({ ResourceType: 'hostedzone', ResourceId: bareId(zoneId) }),
        );
        return Object.fromEntries(
          (response.ResourceTagSet?.Tags ?? []).flatMap((tag) =>
            tag.Key ? [[tag.Key, tag.Value ?? '']] : [],
          ),
        );
      },

      async addTagsToHostedZone(zoneId, tags) {
        await client.send(
          new ChangeTagsForResourceCommand({
            ResourceType: 'hostedzone',
            ResourceId: bareId(zoneId),
            AddTags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
          }),
        );
      },

      async upsertRecordSets(zoneId, records, comment) {
        const response = await client.send(
          new ChangeResourceRecordSetsCommand({
            HostedZoneId: zoneId,
            ChangeBatch: {
              Comment: comment,
              Changes: records.map((record) => ({
                Action: 'UPSERT',
                ResourceRecordSet: {
                  Name: record.name,
                  Type: record.type as RRType,
                  TTL: record.ttl,
                  ResourceRecords: record.values.map((Value) => ({ Value })),
                },
              })),
            },
          }),
        );
        return {
          changeId: bareId(response.ChangeInfo?.Id ?? ''),
          status: response.ChangeInfo?.Status ?? 'PENDING',
        };
      },

      async listAllRecordSets(zoneId) {
        const records: RecordSet[] = [];
        let next: { StartRecordName?: string; StartRecordType?: RRType; StartRecordIdentifier?: string } = {};
        for (;;) {
          const page = await client.send(
            new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, ...next, MaxItems: 100 }),
          );
          for (const set of page.ResourceRecordSets ?? [])
            records.push({
              name: dnsName(set.Name ?? ''),
              type: set.Type ?? '',
              ttl: set.TTL ?? 0,
              values: (set.ResourceRecords ?? []).map((record) => record.Value ?? ''),
            });
          if (!page.IsTruncated || !page.NextRecordName) return records;
          next = {
            StartRecordName: page.NextRecordName,
            ...(page.NextRecordType ? { StartRecordType: page.NextRecordType } : {}),
            ...(page.NextRecordIdentifier ? { StartRecordIdentifier: page.NextRecordIdentifier } : {}),
          };
        }
      },

      async deleteRecordSets(zoneId, records, comment) {
        if (records.length === 0) return;
        await client.send(
          new ChangeResourceRecordSetsCommand({
            HostedZoneId: zoneId,
            ChangeBatch: {
              Comment: comment,
              Changes: records.map((record) => ({
                Action: 'DELETE' as const,
                ResourceRecordSet: {
                  Name: record.name,
                  Type: record.type as RRType,
                  TTL: record.ttl,
                  ResourceRecords: record.values.map((Value) => ({ Value })),
                },
              })),
            },
          }),
        );
      },

      async deleteHostedZone(zoneId) {
        try {
          await client.send(new DeleteHostedZoneCommand({ Id: zoneId }));
          return true;
        } catch (error) {
          if ((error as { name?: string }).name === 'NoSuchHostedZone') return false;
          throw error;
        }
      },

      async listRecordSets(zoneId, name, type) {
        const wanted = dnsName(name);
        const records: RecordSet[] = [];
        let next: { StartRecordName: string; StartRecordType?: RRType } = {
          StartRecordName: wanted,
          ...(type ? { StartRecordType: type as RRType } : {}),
        };
        // Record sets come in name order from StartRecordName: stop at the first other name.
        for (;;) {
          const page = await client.send(
            new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, ...next, MaxItems: 100 }),
          );
          let passed = false;
          for (const set of page.ResourceRecordSets ?? []) {
            if (dnsName(set.Name ?? '') !== wanted) {
              passed = true;
              break;
            }
            if (type && set.Type !== type) continue;
            records.push({
              name: dnsName(set.Name ?? ''),
              type: set.Type ?? '',
              ttl: set.TTL ?? 0,
              values: (set.ResourceRecords ?? []).map((record) => record.Value ?? ''),
            });
          }
          if (passed || !page.IsTruncated || !page.NextRecordName) break;
          next = {
            StartRecordName: page.NextRecordName,
            ...(page.NextRecordType ? { StartRecordType: page.NextRecordType } : {}),
          };
        }
        return records;
      },
    };
  },
};

function toSummary(zone: Partial<SdkHostedZone>): HostedZoneSummary {
  return {
    id: bareId(zone.Id ?? ''),
    name: dnsName(zone.Name ?? ''),
    privateZone: zone.Config?.PrivateZone ?? false,
    callerReference: zone.CallerReference ?? '',
    recordCount: zone.ResourceRecordSetCount ?? null,
    comment: zone.Config?.Comment ?? null,
  };
}

/** `/hostedzone/Z123` and `/change/C123` to `Z123`, `C123`. */
function bareId(id: string): string {
  return id.replace(/^\/(hostedzone|change)\//, '');
}

/**
 * Route53 writes names with a trailing dot and escapes characters other than letters, digits, `-` and
 * `_` as three-digit octal (`\052` for `*`); names here are compared as plain lower-case DNS names.
 */
function dnsName(name: string): string {
  return name
    .replace(/\\(\d{3})/g, (_escape, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)))
    .replace(/\.+$/, '')
    .toLowerCase();
}
