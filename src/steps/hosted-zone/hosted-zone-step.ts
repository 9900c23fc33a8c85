import { route53Port } from '../../aws/route53-port.ts';
import { DEPLOYMENT_TAG } from '../../deployment-tags.ts';
import { checkDelegation } from '../../dns/delegation-check.ts';
import { StackguideError } from '../../errors.ts';
import { type CheckResult, defineStep, type PlannedChange, type SavedStepInputs } from '../step.ts';
import { awaitManualDelegation, delegationRoute, writeDelegation } from './delegation.ts';
import { delegationDeps, delegationOptions } from './dns-settings.ts';
import { hostedZoneConfig } from './hosted-zone-config.ts';
import {
  delegationResults,
  missingZoneError,
  parentResult,
  shadowResult,
  zoneResult,
} from './hosted-zone-wording.ts';
import { findLiveRecords } from './public-records.ts';
import { createZone, type HostedZoneInputs, locateZone, zoneNames } from './zone.ts';
import { findOwnZone, findParentZone, parentListsZone } from './zone-lookup.ts';

/**
 * The hosting domain's public hosted zone and its delegation (seed 000, "Hosting domain"): the platform
 * lives at `<subdomain>.<parent>` (codeocean.example.com), in a Route53 zone of its own that the parent
 * zone delegates to. Apply creates the zone (or reuses one the operator picked), then writes the NS
 * records into the parent when the parent is a Route53 zone in this account, or shows the exact records
 * to add at the registrar and waits until the parent's servers list them. A certificate validated by
 * DNS stays pending for as long as the delegation is missing, so this is where installs used to stall.
 *
 * This file is the step's phases; zone.ts finds and creates the zone, delegation.ts gets the NS records
 * into the parent, hosted-zone-wording.ts words the check results.
 */

/** The choice in the zone list that means "the zone of this deployment, created if need be". */
const OWN_ZONE = 'own';

export const hostedZoneStep = defineStep<typeof hostedZoneConfig.configSchema, HostedZoneInputs>({
  ...hostedZoneConfig,

  async ask(context, config, saved) {
    const { domain } = zoneNames(context, config);
    const savedZone = typeof saved?.zoneId === 'string' && saved.zoneId !== '' ? saved.zoneId : undefined;
    const prompter = context.prompter;
    if (!prompter) return savedZone ? { zoneId: savedZone } : {};

    const route53 = context.aws.use(route53Port);
    const zones = (await route53.listHostedZonesByName(domain)).filter((zone) => !zone.privateZone);
    const own = await findOwnZone(route53, context.deployment, domain);
    const others = zones.filter((zone) => zone.id !== own?.id);
    if (others.length === 0) return {};
    // The zone the answers file names, still there: taken as it is, not asked again.
    if (savedZone && context.reask !== true && others.some((zone) => zone.id === savedZone))
      return { zoneId: savedZone };
    prompter.section(`Hosted zone for ${domain}`);
    const choice = await prompter.select({
      message: `This account already has a hosted zone named ${domain}. Which one should the platform use?`,
      choices: [
        ...others.map((zone) => ({
          value: zone.id,
          name: `${zone.id}${zone.comment ? ` (${zone.comment})` : ''}`,
          description: `Reuse it as it is: ${zone.recordCount ?? 'unknown'} record sets; stackguide will not delete it.`,
        })),
        {
          value: OWN_ZONE,
          name: own
            ? `${own.id}, created by stackguide for ${context.deployment}`
            : 'Create a new hosted zone',
          description: own
            ? 'The zone an earlier run of this deployment created.'
            : `A new public zone tagged ${DEPLOYMENT_TAG}=${context.deployment}.`,
        },
      ],
      default: savedZone && others.some((zone) => zone.id === savedZone) ? savedZone : OWN_ZONE,
    });
    return choice === OWN_ZONE ? {} : { zoneId: choice };
  },

  saveable(inputs): SavedStepInputs {
    return inputs.zoneId ? { zoneId: inputs.zoneId } : {};
  },

  async check(context, config, inputs): Promise<CheckResult[]> {
    const { domain, parentDomain } = zoneNames(context, config);
    const route53 = context.aws.use(route53Port);
    const found = await locateZone(route53, context, domain, inputs);
    const parent = await findParentZone(route53, parentDomain, domain);
    const results: CheckResult[] = [zoneResult(context, domain, inputs, found)];
    if (found.zone) {
      results.push(parentResult(context, config, domain, parentDomain, parent, found.zone.nameServers));
      const delegation = await checkDelegation(
        delegationDeps(context),
        delegationOptions(context, domain, parentDomain, found.zone.nameServers),
      );
      results.push(...delegationResults(context, config, delegation, parent));
    } else if (!inputs.zoneId) {
      results.push(parentResult(context, config, domain, parentDomain, parent, null));
      results.push(shadowResult(context, domain, await findLiveRecords(context, domain)));
    }
    return results;
  },

  async plan(context, config, inputs): Promise<PlannedChange[]> {
    const { domain, parentDomain } = zoneNames(context, config);
    const route53 = context.aws.use(route53Port);
    const found = await locateZone(route53, context, domain, inputs);
    const parent = await findParentZone(route53, parentDomain, domain);
    const changes: PlannedChange[] = [];
    if (!found.zone && !inputs.zoneId) {
      changes.push({
        step: context.stepId,
        action: 'create',
        resource: `hosted zone ${domain}`,
        detail: `public, tagged ${DEPLOYMENT_TAG}=${context.deployment}`,
      });
    }
    const nameServers = found.zone?.nameServers ?? null;
    if (nameServers && parentListsZone(parent, nameServers)) return changes;
    const via = delegationRoute(config, parent);
    const listed = nameServers ? nameServers.join(', ') : "the new zone's four name servers";
    changes.push(
      via.kind === 'route53'
        ? {
            step: context.stepId,
            action: 'update',
            resource: `NS records for ${domain} in the Route53 zone ${parentDomain} (${via.zone.id})`,
            detail: `UPSERT ${listed}`,
          }
        : {
            step: context.stepId,
            action: 'manual',
            resource: `NS records for ${domain} at the registrar or DNS provider of ${parentDomain}`,
            detail: `add ${listed}; install shows the exact records and waits for them`,
          },
    );
    return changes;
  },

  async apply(context, config, inputs) {
    const { domain, parentDomain } = zoneNames(context, config);
    const route53 = context.aws.use(route53Port);
    const found = await locateZone(route53, context, domain, inputs);
    if (inputs.zoneId && !found.zone) throw missingZoneError(context, inputs.zoneId);
    const zone = found.zone ?? (await createZone(route53, context, domain));
    if (zone.nameServers.length === 0) {
      throw new StackguideError(`The hosted zone ${zone.id} (${domain}) has no delegation set.`, {
        code: 'step.hosted-zone.private',
        kind: 'user',
        nextSteps: [
          'Pick a public hosted zone: a private zone cannot be delegated to, or let stackguide create one ' +
            `(remove steps.${context.stepId}.zoneId from the answers file).`,
        ],
      });
    }

    const parent = await findParentZone(route53, parentDomain, domain);
    const via = delegationRoute(config, parent);
    if (via.kind === 'route53') {
      await writeDelegation(route53, context, domain, via.zone.id, parentDomain, parent, zone.nameServers);
    } else {
      await awaitManualDelegation(context, config, domain, parentDomain, zone.nameServers, via.reason);
    }
    return {
      hostedZoneId: zone.id,
      domain,
      parentDomain,
      nameServers: zone.nameServers.join(','),
    };
  },
});
