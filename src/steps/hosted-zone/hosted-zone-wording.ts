import type { DelegationCheckResult } from '../../dns/delegation-check-result.ts';
import { describeServer } from '../../dns/dns-client.ts';
import { StackguideError } from '../../errors.ts';
import type { CheckResult, StepContext } from '../step.ts';
import type { HostedZoneConfig } from './hosted-zone-config.ts';
import { formatRecord, type LiveRecords } from './public-records.ts';
import type { HostedZoneInputs, LocatedZone } from './zone.ts';
import { type ParentZone, parentListsZone } from './zone-lookup.ts';

/**
 * What the hosted-zone step tells the operator, built from what Route53 and DNS already said: no calls
 * here, so the words can be read (and tested) apart from them.
 */

export function missingZoneError(context: StepContext, zoneId: string): StackguideError {
  return new StackguideError(`The hosted zone ${zoneId} does not exist in this account.`, {
    code: 'step.hosted-zone.not-found',
    kind: 'user',
    nextSteps: [
      `Check the id (aws route53 list-hosted-zones), or remove steps.${context.stepId}.zoneId from the answers file to let stackguide create the zone.`,
    ],
  });
}

export function zoneResult(
  context: StepContext,
  domain: string,
  inputs: HostedZoneInputs,
  found: LocatedZone,
): CheckResult {
  const base = {
    id: `${context.stepId}.zone`,
    step: context.stepId,
    title: `Public hosted zone ${domain}`,
  };
  if (inputs.zoneId && !found.zone) {
    return {
      ...base,
      status: 'fail',
      summary: `the zone ${inputs.zoneId} picked for ${domain} does not exist`,
      fix: missingZoneError(context, inputs.zoneId).nextSteps[0] ?? '',
      required: true,
      facts: { domain, hostedZoneId: inputs.zoneId, exists: false },
    };
  }
  if (!found.zone) {
    return {
      ...base,
      status: 'warn',
      summary: 'does not exist yet: stackguide install creates it',
      plannedByInstall: true,
      fix: 'Run stackguide install, which creates the zone and shows the delegation to add.',
      required: false,
      facts: { domain, exists: false },
    };
  }
  const zone = found.zone;
  return {
    ...base,
    status: 'pass',
    summary: `${zone.id}, ${found.own ? `created by stackguide for ${context.deployment}` : 'picked by the operator'}, name servers ${zone.nameServers.join(', ')}`,
    required: true,
    facts: {
      domain,
      exists: true,
      hostedZoneId: zone.id,
      own: found.own,
      nameServers: zone.nameServers,
      recordCount: zone.recordCount,
    },
  };
}

export function parentResult(
  context: StepContext,
  config: HostedZoneConfig,
  domain: string,
  parentDomain: string,
  parent: ParentZone,
  nameServers: readonly string[] | null,
): CheckResult {
  const base = {
    id: `${context.stepId}.parent`,
    step: context.stepId,
    title: `Parent zone ${parentDomain}`,
    required: config.delegation === 'route53',
  };
  if (parent.kind !== 'route53' || config.delegation === 'manual') {
    const inRoute53 = parent.kind === 'route53';
    const noParent = config.delegation === 'route53';
    return {
      ...base,
      status: noParent ? 'fail' : parent.kind === 'ambiguous' ? 'warn' : 'pass',
      summary:
        parent.kind === 'ambiguous'
          ? `${parent.zones.length} public zones named ${parentDomain} in this account (${parent.zones.map((zone) => zone.id).join(', ')}): the NS records are added by hand`
          : inRoute53
            ? `a Route53 zone in this account, but the blueprint asks for the delegation by hand`
            : `not a Route53 zone in this account: the NS records for ${domain} are added at the registrar or DNS provider`,
      ...(noParent
        ? {
            fix: 'Run stackguide in the account that holds the parent zone, or set delegation: manual (or auto) on the step.',
          }
        : {}),
      facts: { parentDomain, kind: parent.kind },
    };
  }
  const lists = nameServers !== null && parentListsZone(parent, nameServers);
  return {
    ...base,
    status: 'pass',
    summary: lists
      ? `${parent.zone.id} in this account lists the hosted zone's name servers for ${domain}`
      : `${parent.zone.id} in this account: install writes the NS records for ${domain} there${parent.records.length > 0 ? ` (it lists ${parent.records.join(', ')} now)` : ''}`,
    facts: {
      parentDomain,
      kind: parent.kind,
      parentZoneId: parent.zone.id,
      nsRecords: parent.records,
      listsHostedZone: lists,
    },
  };
}

export function delegationResults(
  context: StepContext,
  config: HostedZoneConfig,
  delegation: DelegationCheckResult,
  parent: ParentZone,
): CheckResult[] {
  const delegated = delegation.status === 'delegated';
  const route = parent.kind === 'route53' && config.delegation !== 'manual' ? 'route53' : 'manual';
  const fixLines = delegation.fix
    ? [
        delegation.fix.summary,
        ...delegation.fix.add.map((line) => `add: ${line}`),
        ...delegation.fix.remove.map((line) => `delete: ${line}`),
      ].join('\n')
    : undefined;
  const overall: CheckResult = {
    id: `${context.stepId}.delegation`,
    step: context.stepId,
    title: `Delegation of ${delegation.domain} from ${delegation.parentZone}`,
    status: delegated ? 'pass' : 'warn',
    summary: delegation.explanation,
    required: false,
    facts: { ...delegation },
    ...(delegated
      ? {}
      : {
          // Through Route53 the install writes the records itself; by hand, the records are the fix.
          ...(route === 'route53' ? { plannedByInstall: true } : {}),
          fix:
            route === 'route53'
              ? `Run stackguide install, which writes the NS records into the Route53 zone ${delegation.parentZone}.`
              : (fixLines ?? 'Run stackguide install, which shows the NS records to add and waits for them.'),
        }),
  };
  // One result per verdict, not per server: a TLD has a dozen servers that mostly say the same. The
  // title names the server once; the summary is what it said.
  const perServer: CheckResult[] = delegation.parentServerGroups.map((group) => {
    const first = group.servers[0];
    const one = group.servers.length === 1 && first !== undefined;
    return {
      id: `${context.stepId}.delegation.parent.${first?.name ?? group.status}`,
      step: context.stepId,
      title: `Delegation at ${one ? describeServer(first) : `${group.servers.length} servers of ${delegation.parentZone}`}`,
      status: group.status === 'delegated' ? 'pass' : 'warn',
      summary: one ? group.verdict : `${group.servers.map(describeServer).join(', ')}: each ${group.verdict}`,
      required: false,
      facts: { ...group },
      // A server that gave no usable answer has a fix of its own (naming it); one that answered has the
      // overall verdict's fix, which the delegation's own result already gives.
      ...(group.fix && group.problem !== null ? { fix: group.fix.summary } : {}),
    };
  });
  const perResolver: CheckResult[] = delegation.propagation.resolvers.map((resolver) => ({
    id: `${context.stepId}.delegation.resolver.${resolver.resolver.name}`,
    step: context.stepId,
    title: `Propagation to ${describeServer(resolver.resolver)}`,
    status: resolver.status === 'matches' ? 'pass' : 'warn',
    summary: resolver.verdict,
    required: false,
    facts: { ...resolver },
    ...(resolver.recheckAfterSeconds !== null
      ? { fix: `Check again in ${resolver.recheckAfterSeconds} s, when its cached answer expires.` }
      : resolver.status === 'unreachable' && delegation.propagation.fix
        ? { fix: delegation.propagation.fix }
        : {}),
  }));
  return [overall, ...perServer, ...perResolver];
}

/** Whether public DNS answers for the domain today, which a new zone would shadow once delegated. */
export function shadowResult(context: StepContext, domain: string, live: LiveRecords): CheckResult {
  const base = {
    id: `${context.stepId}.shadow`,
    step: context.stepId,
    title: `${domain} is unused in public DNS`,
    required: false,
  };
  if (live.records.length > 0) {
    return {
      ...base,
      status: 'warn',
      summary: `it is not: public DNS answers with ${live.records.map(formatRecord).join('; ')}. Once the new zone is delegated, only the new zone's records answer for ${domain}.`,
      fix: `Copy the records the platform still needs into the new zone after install creates it, or pick a subdomain that is not in use.`,
      facts: { domain, records: live.records, problems: live.problems },
    };
  }
  const unknown = !live.answered;
  return {
    ...base,
    status: unknown ? 'warn' : 'pass',
    summary: unknown
      ? `could not ask public DNS about ${domain}: ${live.problems[0] ?? ''}`
      : `public DNS has no records for ${domain}: the new zone hides nothing`,
    facts: { domain, records: [], problems: live.problems },
  };
}
