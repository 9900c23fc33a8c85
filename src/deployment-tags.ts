import { normalizeDnsName } from './dns/compare-delegation.ts';

/**
 * The tags that make a resource provably a deployment's: every stack carries both, and every resource
 * stackguide creates outside a stack (hosted zone, certificate, secret) carries the deployment tag.
 * Destroy and the leftovers report act only on what these say belongs to the deployment.
 */
export const DEPLOYMENT_TAG = 'stackguide:deployment';
export const BLUEPRINT_TAG = 'stackguide:blueprint';
/** On what a preparation step creates outside a stack: the blueprint's id of the step that made it. */
export const STEP_TAG = 'stackguide:step';

/**
 * What a stack runs, recorded on it so any machine can tell: the blueprint version that last deployed
 * it, and the template given to `upgrade --template` when one replaced the blueprint's (its file name
 * and sha256, or its URL). `install` refuses to put an older blueprint, or the blueprint's own template,
 * back over them.
 */
export const BLUEPRINT_VERSION_TAG = 'stackguide:blueprint-version';
export const TEMPLATE_OVERRIDE_TAG = 'stackguide:template-override';

/**
 * Route53 cannot tag a hosted zone in the call that creates it, so the caller reference stackguide
 * creates a zone with names the deployment too: a zone created just before a crash, untagged yet, is
 * still provably the deployment's. Deterministic, so a CreateHostedZone retried after a dropped
 * connection cannot make a second zone.
 */
export function hostedZoneReference(deployment: string, domain: string): string {
  return `stackguide/${deployment}/${normalizeDnsName(domain)}`;
}

/**
 * The zone is the deployment's: tagged for it, or carrying no deployment tag and created under its
 * caller reference (as is, or with the suffix a zone gets when a deleted zone spent the plain one). A
 * tag naming another deployment wins over the reference.
 */
export function hostedZoneBelongsTo(
  zone: { name: string; callerReference: string },
  tags: Readonly<Record<string, string>>,
  deployment: string,
): boolean {
  const tag = tags[DEPLOYMENT_TAG];
  if (tag !== undefined) return tag === deployment;
  const reference = hostedZoneReference(deployment, zone.name);
  return zone.callerReference === reference || zone.callerReference.startsWith(`${reference}/`);
}
