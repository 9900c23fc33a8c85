import type { Route53Port } from '../../aws/route53-port.ts';
import { formatNsRecord, normalizeDnsName } from '../../dns/compare-delegation.ts';
import { checkDelegation, waitForDelegation } from '../../dns/delegation-check.ts';
import type { DelegationCheckResult } from '../../dns/delegation-check-result.ts';
import { StackguideError } from '../../errors.ts';
import type { StepContext } from '../step.ts';
import { delegationDeps, delegationOptions } from './dns-settings.ts';
import type { HostedZoneConfig } from './hosted-zone-config.ts';
import { progress } from './zone.ts';
import { DELEGATION_TTL, type ParentZone, parentListsZone } from './zone-lookup.ts';

/**
 * The delegation of the hosting domain from its parent zone: written into the parent's Route53 zone when
 * that is in this account, else shown as the exact NS records to add at the registrar, then waited for.
 */

/** How the NS records get into the parent zone. */
export type DelegationRoute = { kind: 'route53'; zone: { id: string } } | { kind: 'manual'; reason: string };

export function delegationRoute(config: HostedZoneConfig, parent: ParentZone): DelegationRoute {
  if (config.delegation === 'manual') {
    return { kind: 'manual', reason: 'the blueprint asks for the delegation to be added by hand' };
  }
  if (parent.kind === 'route53') return { kind: 'route53', zone: parent.zone };
  const reason =
    parent.kind === 'ambiguous'
      ? `this account has ${parent.zones.length} public zones named like the parent (${parent.zones.map((zone) => zone.id).join(', ')}), and stackguide cannot tell which one the registrar uses`
      : 'the parent zone is not a Route53 zone in this account';
  if (config.delegation === 'route53') {
    throw new StackguideError(`Cannot write the delegation into Route53: ${reason}.`, {
      code: 'step.hosted-zone.no-parent-zone',
      kind: 'user',
      nextSteps: [
        'Run stackguide in the account that holds the parent zone, or set delegation: manual (or auto) on the step to add the NS records by hand.',
      ],
    });
  }
  return { kind: 'manual', reason };
}

export async function writeDelegation(
  route53: Route53Port,
  context: StepContext,
  domain: string,
  parentZoneId: string,
  parentDomain: string,
  parent: ParentZone,
  nameServers: readonly string[],
): Promise<void> {
  const previous = parent.kind === 'route53' ? parent.records : [];
  if (parentListsZone(parent, nameServers)) {
    progress(context, `The Route53 zone ${parentDomain} already delegates ${domain} to its hosted zone`, {
      parentZoneId,
      nameServers: [...nameServers],
    });
    return;
  }
  const record = {
    name: domain,
    type: 'NS',
    ttl: DELEGATION_TTL,
    values: nameServers.map((name) => `${normalizeDnsName(name)}.`),
  };
  // The change is shown before it is made, so the operator (and the event log) sees what was written.
  progress(
    context,
    `${previous.length > 0 ? 'Replacing' : 'Adding'} the NS records for ${domain} in the Route53 zone ${parentDomain} (${parentZoneId}): ${record.values.join(', ')}`,
    {
      parentZoneId,
      parentDomain,
      action: 'UPSERT',
      record,
      previous,
    },
  );
  const change = await route53.upsertRecordSets(
    parentZoneId,
    [record],
    `stackguide ${context.deployment}: delegate ${domain}`,
  );
  progress(context, `Delegated ${domain} from ${parentDomain}`, {
    parentZoneId,
    changeId: change.changeId,
    changeStatus: change.status,
  });
}

export async function awaitManualDelegation(
  context: StepContext,
  config: HostedZoneConfig,
  domain: string,
  parentDomain: string,
  nameServers: readonly string[],
  reason: string,
): Promise<void> {
  const deps = delegationDeps(context);
  const options = delegationOptions(context, domain, parentDomain, nameServers);
  const first = await checkDelegation(deps, options);
  if (first.status === 'delegated') {
    progress(context, first.explanation, { delegation: first });
    return;
  }
  const records = recordsToAdd(first, domain, nameServers);
  progress(
    context,
    `Add these NS records in the zone ${parentDomain} (at your registrar or DNS provider), because ${reason}:\n${records.join('\n')}`,
    {
      domain,
      parentDomain,
      records,
      remove: first.fix?.remove ?? [],
      delegation: first,
    },
  );
  if (config.waitForDelegation === 0) {
    context.emit({
      type: 'warning',
      code: 'hosted-zone.not-delegated',
      message: `${first.explanation} Certificates validated by DNS stay pending until the records above are in place.`,
    });
    return;
  }
  let last: DelegationCheckResult['status'] = first.status;
  try {
    const done = await waitForDelegation(deps, {
      ...options,
      timeoutMs: config.waitForDelegation * 1_000,
      onCheck: (result) => {
        if (result.status === last) return;
        last = result.status;
        progress(context, result.explanation, { delegation: result });
      },
      onWait: (nextCheckAt, deadline) =>
        context.emit({
          type: 'step.waiting',
          step: context.stepId,
          nextCheckAt: new Date(nextCheckAt).toISOString(),
          givesUpAt: new Date(deadline).toISOString(),
        }),
    });
    progress(context, `Delegated: ${done.explanation}`, { delegation: done });
  } catch (error) {
    if (!(error instanceof StackguideError) || error.code !== 'dns.delegation.timeout') throw error;
    throw new StackguideError(
      `${domain} is still not delegated after ${config.waitForDelegation} s: ${error.message}`,
      {
        code: 'step.hosted-zone.not-delegated',
        kind: 'user',
        cause: error,
        nextSteps: [
          `Add these NS records in the zone ${parentDomain} (at your registrar or DNS provider):`,
          ...records,
          ...(first.fix?.remove.length ? ['and delete these:', ...first.fix.remove] : []),
          'Then run the same stackguide command again: it reuses the zone and waits for the delegation.',
        ],
      },
    );
  }
}

/** The exact lines to add: the check's fix when it has one, else the whole delegation set. */
function recordsToAdd(
  result: DelegationCheckResult,
  domain: string,
  nameServers: readonly string[],
): string[] {
  if (result.fix && result.fix.add.length > 0) return result.fix.add;
  return nameServers.map((name) => formatNsRecord(domain, name, DELEGATION_TTL));
}
