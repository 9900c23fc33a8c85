import { portToken } from './port-token.ts';

/**
 * The Route53 calls stackguide makes, in our own terms: public hosted zones for the hosting domain,
 * their delegation sets and tags, and the record sets it writes (NS delegations, ACM validation
 * CNAMEs). `route53-adapter.ts` maps it onto the SDK and is the only place SDK command classes appear.
 *
 * Names are handed back as DNS names without the trailing dot and with Route53's octal escapes decoded
 * (`\052` is `*`); zone ids without the `/hostedzone/` prefix.
 */
export interface Route53Port {
  /** Every zone of the account, public or private (destroy looks for the ones tagged for its deployment). */
  listHostedZones(): Promise<HostedZoneSummary[]>;
  /** Every zone, public or private, whose name is exactly `name`. */
  listHostedZonesByName(name: string): Promise<HostedZoneSummary[]>;
  /** The zone with its delegation set; undefined when there is no such zone. */
  getHostedZone(zoneId: string): Promise<HostedZone | undefined>;
  /** A public zone. A retry with the same caller reference does not create a second zone. */
  createHostedZone(input: CreateHostedZoneInput): Promise<HostedZone>;
  listTagsForHostedZone(zoneId: string): Promise<Record<string, string>>;
  addTagsToHostedZone(zoneId: string, tags: Readonly<Record<string, string>>): Promise<void>;
  /** UPSERTs in one change batch: applied together or not at all. */
  upsertRecordSets(zoneId: string, records: readonly RecordSet[], comment: string): Promise<ChangeInfo>;
  /** The record sets named `name` (of `type` when given). */
  listRecordSets(zoneId: string, name: string, type?: string): Promise<RecordSet[]>;
  /** Every record set of the zone. */
  listAllRecordSets(zoneId: string): Promise<RecordSet[]>;
  /** DELETEs in one change batch; each must match the record set exactly (as listed). */
  deleteRecordSets(zoneId: string, records: readonly RecordSet[], comment: string): Promise<void>;
  /** The zone must hold only its apex NS and SOA; false when it was already gone. */
  deleteHostedZone(zoneId: string): Promise<boolean>;
}

export interface HostedZoneSummary {
  id: string;
  name: string;
  privateZone: boolean;
  callerReference: string;
  recordCount: number | null;
  comment: string | null;
}

export interface HostedZone extends HostedZoneSummary {
  /** The delegation set: what the parent zone must list as NS records. */
  nameServers: string[];
}

export interface CreateHostedZoneInput {
  name: string;
  callerReference: string;
  comment: string;
}

export interface RecordSet {
  name: string;
  type: string;
  ttl: number;
  values: string[];
}

export interface ChangeInfo {
  changeId: string;
  /** PENDING until every Route53 name server has it, then INSYNC. */
  status: string;
}

export const route53Port = portToken<Route53Port>(
  'Route53',
  {
    listHostedZones: true,
    listHostedZonesByName: true,
    getHostedZone: true,
    createHostedZone: true,
    listTagsForHostedZone: true,
    addTagsToHostedZone: true,
    upsertRecordSets: true,
    listRecordSets: true,
    listAllRecordSets: true,
    deleteRecordSets: true,
    deleteHostedZone: true,
  },
  'AWS_ENDPOINT_URL_ROUTE_53',
);
