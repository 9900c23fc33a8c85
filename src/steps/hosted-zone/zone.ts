import type { HostedZone, Route53Port } from '../../aws/route53-port.ts';
import { resolveValue } from '../../blueprint/references.ts';
import { DEPLOYMENT_TAG, hostedZoneReference } from '../../deployment-tags.ts';
import { normalizeDnsName } from '../../dns/compare-delegation.ts';
import { isValidDnsName } from '../../dns/dns-client.ts';
import { StackguideError } from '../../errors.ts';
import { resourceCreated, type StepContext } from '../step.ts';
import type { HostedZoneConfig } from './hosted-zone-config.ts';
import { findLiveRecords, formatRecord } from './public-records.ts';
import { findOwnZone } from './zone-lookup.ts';

/**
 * The hosted zone itself: which domain it is for, finding the deployment's own (or the operator's pick),
 * and creating it. The delegation from the parent is in delegation.ts.
 */

/** `zoneId` only when the operator picked an existing zone that stackguide did not create. */
export interface HostedZoneInputs {
  zoneId?: string;
}

/** The hosting domain and its parent, resolved from the configuration; refused when not a DNS name. */
export function zoneNames(
  context: StepContext,
  config: HostedZoneConfig,
): { domain: string; parentDomain: string } {
  const scope = {
    deployment: context.deployment,
    region: context.region,
    account: context.account,
    answers: context.answers,
    stackOutputs: {},
    stepOutputs: context.stepOutputs,
  };
  const subdomain = normalizeDnsName(
    resolveValue(config.subdomain, scope, `steps.${context.stepId}.subdomain`),
  );
  const parentDomain = normalizeDnsName(
    resolveValue(config.parentDomain, scope, `steps.${context.stepId}.parentDomain`),
  );
  const domain = `${subdomain}.${parentDomain}`;
  if (subdomain === '' || parentDomain === '' || !isValidDnsName(domain) || !parentDomain.includes('.')) {
    throw new StackguideError(`"${domain}" is not a hosting domain stackguide can create a zone for.`, {
      code: 'step.hosted-zone.invalid-domain',
      kind: 'user',
      details: [
        {
          path: `steps.${context.stepId}`,
          message: `subdomain "${subdomain}" and parent domain "${parentDomain}" do not make a DNS name`,
          fix: 'Use a subdomain such as "codeocean" under a registered domain such as "example.com".',
        },
      ],
    });
  }
  return { domain, parentDomain };
}

export interface LocatedZone {
  zone: HostedZone | undefined;
  /** True when the zone is the deployment's own (tagged or ours by caller reference). */
  own: boolean;
}

export async function locateZone(
  route53: Route53Port,
  context: StepContext,
  domain: string,
  inputs: HostedZoneInputs,
): Promise<LocatedZone> {
  if (inputs.zoneId) {
    const zone = await route53.getHostedZone(inputs.zoneId);
    if (zone && zone.name !== domain) {
      throw new StackguideError(`The hosted zone ${inputs.zoneId} is for ${zone.name}, not for ${domain}.`, {
        code: 'step.hosted-zone.wrong-zone',
        kind: 'user',
        nextSteps: [
          `Set steps.${context.stepId}.zoneId in the answers file to a zone named ${domain}, or remove it to let stackguide create one.`,
        ],
      });
    }
    return { zone, own: false };
  }
  const zone = await findOwnZone(route53, context.deployment, domain);
  return { zone, own: zone !== undefined };
}

export async function createZone(
  route53: Route53Port,
  context: StepContext,
  domain: string,
): Promise<HostedZone> {
  const live = await findLiveRecords(context, domain);
  if (live.records.length > 0) {
    context.emit({
      type: 'warning',
      code: 'hosted-zone.shadows-records',
      message: `${domain} already answers in public DNS (${live.records.map(formatRecord).join('; ')}). Once the new zone is delegated, only its own records answer: copy any of these the platform still needs into it.`,
    });
  }
  progress(context, `Creating the public hosted zone ${domain}`, { domain });
  const reference = hostedZoneReference(context.deployment, domain);
  const comment = `stackguide deployment ${context.deployment}`;
  let zone: HostedZone;
  try {
    zone = await route53.createHostedZone({ name: domain, callerReference: reference, comment });
  } catch (error) {
    // A caller reference is spent even when its zone was deleted since (HostedZoneAlreadyExists, while
    // findOwnZone found no zone with it): this is a new zone, so it gets a reference of its own.
    if (!(error instanceof StackguideError) || error.code !== 'aws.HostedZoneAlreadyExists') throw error;
    zone = await route53.createHostedZone({
      name: domain,
      callerReference: `${reference}/${context.clock.now()}`,
      comment,
    });
  }
  resourceCreated(context, { kind: 'hostedZone', id: zone.id, name: domain });
  await route53.addTagsToHostedZone(zone.id, { [DEPLOYMENT_TAG]: context.deployment });
  progress(context, `Created the hosted zone ${domain} (${zone.id})`, {
    hostedZoneId: zone.id,
    nameServers: zone.nameServers,
  });
  return zone;
}

/** A step.progress event of this step. */
export function progress(context: StepContext, message: string, facts: Record<string, unknown>): void {
  context.emit({ type: 'step.progress', step: context.stepId, message, facts });
}
