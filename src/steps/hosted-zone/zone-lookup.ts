import type { HostedZone, HostedZoneSummary, Route53Port } from '../../aws/route53-port.ts';
import { hostedZoneBelongsTo } from '../../deployment-tags.ts';
import { compareDelegation, normalizeDnsName } from '../../dns/compare-delegation.ts';

/** TTL of the NS records stackguide writes or asks for: short, so a mistake does not linger for days. */
export const DELEGATION_TTL = 300;

/**
 * The public zone this deployment created for `domain`: tagged with the deployment, or carrying our
 * caller reference (created, then interrupted before the tag was written).
 */
export async function findOwnZone(
  route53: Route53Port,
  deployment: string,
  domain: string,
): Promise<HostedZone | undefined> {
  const candidates = (await route53.listHostedZonesByName(domain)).filter((zone) => !zone.privateZone);
  for (const zone of candidates) {
    const tags = await route53.listTagsForHostedZone(zone.id);
    if (hostedZoneBelongsTo(zone, tags, deployment)) {
      return route53.getHostedZone(zone.id);
    }
  }
  return undefined;
}

/** What the account holds for the parent domain. */
export type ParentZone =
  | { kind: 'route53'; zone: HostedZoneSummary; records: string[] }
  | { kind: 'ambiguous'; zones: HostedZoneSummary[] }
  | { kind: 'elsewhere' };

/**
 * The parent's public Route53 zone in this account, and the NS records it lists for `domain`. Two
 * public zones of one name leave it unclear which one the registrar points at, so neither is touched.
 */
export async function findParentZone(
  route53: Route53Port,
  parentDomain: string,
  domain: string,
): Promise<ParentZone> {
  const zones = (await route53.listHostedZonesByName(parentDomain)).filter((zone) => !zone.privateZone);
  const [zone, ...others] = zones;
  if (!zone) return { kind: 'elsewhere' };
  if (others.length > 0) return { kind: 'ambiguous', zones };
  const records = (await route53.listRecordSets(zone.id, domain, 'NS')).flatMap((set) =>
    set.values.map(normalizeDnsName),
  );
  return { kind: 'route53', zone, records };
}

/** True when the parent zone in Route53 already lists exactly the hosted zone's name servers. */
export function parentListsZone(parent: ParentZone, nameServers: readonly string[]): boolean {
  return parent.kind === 'route53' && compareDelegation(nameServers, parent.records).status === 'delegated';
}
