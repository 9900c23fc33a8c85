import type { AcmPort } from '../aws/acm-port.ts';
import type { RecordSet, Route53Port } from '../aws/route53-port.ts';
import { DEPLOYMENT_TAG, hostedZoneBelongsTo, STEP_TAG } from '../deployment-tags.ts';
import type { DeploymentState } from '../journal/journal.ts';

/**
 * What the preparation steps made for a deployment outside its stacks, and destroy removes once the
 * stacks are gone: the hosted zone (its records first, then the NS delegation to it when the parent is a
 * Route53 zone in this account) and the certificate stackguide requested or imported. The registry
 * secret is not here: the guides share it between deployments, so it is kept and reported as kept.
 * Each is re-read before it is touched, and left alone unless it carries this deployment's tag.
 */
export type StepResource =
  | { kind: 'hostedZone'; step: string; zoneId: string; domain: string; parentDomain?: string }
  | { kind: 'certificate'; step: string; arn: string };

export interface StepResourceOutcome {
  resource: string;
  status: 'deleted' | 'gone' | 'skipped';
  reason?: string;
  /** What the operator must still do outside this account (a delegation added by hand at a registrar). */
  followUp?: string;
}

/** From the journal: what the steps recorded when they were applied. */
export function stepResourcesOf(state: DeploymentState | undefined): StepResource[] {
  const resources: StepResource[] = [];
  for (const [step, record] of Object.entries(state?.steps ?? {})) {
    const outputs = record.outputs ?? {};
    if (record.kind === 'hostedZone' && outputs.hostedZoneId && outputs.domain)
      resources.push({
        kind: 'hostedZone',
        step,
        zoneId: outputs.hostedZoneId,
        domain: outputs.domain,
        ...(outputs.parentDomain ? { parentDomain: outputs.parentDomain } : {}),
      });
    if (record.kind === 'certificate' && outputs.certificateArn)
      resources.push({ kind: 'certificate', step, arn: outputs.certificateArn });
  }
  return resources;
}

/**
 * Certificates in ACM that carry this deployment's tag but that the journal does not name: one imported
 * or requested by a run killed between the call and its journaled outcome (the step is `applying`, or
 * not journaled at all when the journal was lost). ACM keeps the tags given on the create call itself,
 * so the tag is there from the first moment the certificate exists.
 */
export async function findTaggedCertificates(
  acm: AcmPort,
  deployment: string,
  known: readonly StepResource[],
): Promise<StepResource[]> {
  const listed = new Set(
    known.flatMap((resource) => (resource.kind === 'certificate' ? [resource.arn] : [])),
  );
  const found: StepResource[] = [];
  for (const summary of await acm.listCertificates()) {
    if (listed.has(summary.arn)) continue;
    const tags = await acm.listTagsForCertificate(summary.arn);
    if (tags[DEPLOYMENT_TAG] !== deployment) continue;
    found.push({ kind: 'certificate', step: tags[STEP_TAG] ?? 'certificate', arn: summary.arn });
  }
  return found;
}

/** A hosted-zone step of the blueprint, with its parent domain when the answers at hand resolve it. */
export interface ZoneStep {
  step: string;
  parentDomain?: string;
}

/**
 * Hosted zones of this deployment that the journal does not name: one created by a run stopped or killed
 * before the step journaled its outputs (trial finding 92: an install stopped while the zone step waited
 * for its delegation). The step tags the zone right after creating it; one killed between the two calls
 * is known by the caller reference it was created with.
 */
export async function findTaggedHostedZones(
  route53: Route53Port,
  deployment: string,
  known: readonly StepResource[],
  steps: readonly ZoneStep[],
): Promise<StepResource[]> {
  const listed = new Set(
    known.flatMap((resource) => (resource.kind === 'hostedZone' ? [resource.zoneId] : [])),
  );
  const found: StepResource[] = [];
  for (const zone of await route53.listHostedZones()) {
    if (zone.privateZone || listed.has(zone.id)) continue;
    if (!hostedZoneBelongsTo(zone, await route53.listTagsForHostedZone(zone.id), deployment)) continue;
    const step = steps.find((each) => each.parentDomain && zone.name.endsWith(`.${each.parentDomain}`));
    found.push({
      kind: 'hostedZone',
      step: step?.step ?? steps[0]?.step ?? 'hostedZone',
      zoneId: zone.id,
      domain: zone.name,
      // Unresolved (no answers file at hand): the zone is <subdomain>.<parent>, and the delegation
      // removed from a parent zone of this account is only the one naming this zone's own servers.
      parentDomain: step?.parentDomain ?? zone.name.slice(zone.name.indexOf('.') + 1),
    });
  }
  return found;
}

export function describeStepResource(resource: StepResource): string {
  return resource.kind === 'hostedZone'
    ? `hosted zone ${resource.domain} (${resource.zoneId})`
    : `certificate ${resource.arn}`;
}

/** Certificates first: a DNS-validated one is still listed against the zone's validation records. */
export async function deleteStepResources(
  resources: readonly StepResource[],
  deployment: string,
  ports: { route53: Route53Port; acm: AcmPort },
): Promise<StepResourceOutcome[]> {
  const outcomes: StepResourceOutcome[] = [];
  const ordered = [...resources].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'certificate' ? -1 : 1));
  for (const resource of ordered) {
    const label = describeStepResource(resource);
    outcomes.push(
      resource.kind === 'certificate'
        ? { resource: label, ...(await deleteCertificate(resource.arn, deployment, ports.acm)) }
        : { resource: label, ...(await deleteZone(resource, deployment, ports.route53)) },
    );
  }
  return outcomes;
}

async function deleteCertificate(
  arn: string,
  deployment: string,
  acm: AcmPort,
): Promise<Omit<StepResourceOutcome, 'resource'>> {
  if (!(await acm.describeCertificate(arn))) return { status: 'gone' };
  const tag = (await acm.listTagsForCertificate(arn))[DEPLOYMENT_TAG];
  if (tag !== deployment) return skipped(tag, deployment);
  return { status: (await acm.deleteCertificate(arn)) ? 'deleted' : 'gone' };
}

async function deleteZone(
  zone: Extract<StepResource, { kind: 'hostedZone' }>,
  deployment: string,
  route53: Route53Port,
): Promise<Omit<StepResourceOutcome, 'resource'>> {
  const current = await route53.getHostedZone(zone.zoneId);
  if (!current) return { status: 'gone' };
  const tags = await route53.listTagsForHostedZone(zone.zoneId);
  if (!hostedZoneBelongsTo(current, tags, deployment)) return skipped(tags[DEPLOYMENT_TAG], deployment);
  // Route53 refuses to delete a zone holding more than its apex NS and SOA.
  const records = await route53.listAllRecordSets(zone.zoneId);
  const apex = (record: RecordSet) =>
    record.name === zone.domain && (record.type === 'NS' || record.type === 'SOA');
  await route53.deleteRecordSets(
    zone.zoneId,
    records.filter((record) => !apex(record)),
    `stackguide destroy ${deployment}: records of the hosted zone`,
  );
  // The delegation stackguide wrote into a parent zone of this account points at nothing once the zone is gone.
  let parentHere = false;
  if (zone.parentDomain) {
    for (const parent of await route53.listHostedZonesByName(zone.parentDomain)) {
      if (parent.privateZone) continue;
      parentHere = true;
      const delegation = (await route53.listRecordSets(parent.id, zone.domain, 'NS')).filter((record) =>
        record.values.every((value) => current.nameServers.includes(value.replace(/\.$/, ''))),
      );
      await route53.deleteRecordSets(
        parent.id,
        delegation,
        `stackguide destroy ${deployment}: delegation of ${zone.domain}`,
      );
    }
  }
  const status = (await route53.deleteHostedZone(zone.zoneId)) ? 'deleted' : 'gone';
  // No Route53 zone of this account is the parent: the operator added the delegation by hand (at a
  // registrar, another provider or account), and only they can take it away. Left there, it names name
  // servers that no longer serve the domain: whoever creates a zone for it on them answers for it.
  return zone.parentDomain && !parentHere
    ? { status, followUp: danglingDelegation(zone.domain, zone.parentDomain, current.nameServers) }
    : { status };
}

function danglingDelegation(domain: string, parentDomain: string, nameServers: readonly string[]): string {
  const records = nameServers.map((server) => `${domain}. NS ${server.replace(/\.$/, '')}.`).join('; ');
  return `Remove the NS records for ${domain} from ${parentDomain} where you added them (your registrar or DNS provider): they point at name servers that no longer serve ${domain}, and whoever creates a zone for it on those servers would answer for it. The records: ${records}`;
}

function skipped(tag: string | undefined, deployment: string): Omit<StepResourceOutcome, 'resource'> {
  return {
    status: 'skipped',
    reason: tag
      ? `its ${DEPLOYMENT_TAG} tag is "${tag}", not "${deployment}"`
      : `it no longer carries the ${DEPLOYMENT_TAG} tag, so it is not provably this deployment's`,
  };
}
