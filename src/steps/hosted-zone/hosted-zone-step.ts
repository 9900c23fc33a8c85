import type { HostedZone, Route53Port } from '../../aws/route53-port.ts';
import { route53Port } from '../../aws/route53-port.ts';
import { resolveValue } from '../../blueprint/references.ts';
import { DEPLOYMENT_TAG } from '../../deployment-tags.ts';
import { formatNsRecord, normalizeDnsName } from '../../dns/compare-delegation.ts';
import { checkDelegation, waitForDelegation } from '../../dns/delegation-check.ts';
import type { DelegationCheckResult } from '../../dns/delegation-check-result.ts';
import { isValidDnsName } from '../../dns/dns-client.ts';
import { StackguideError } from '../../errors.ts';
import {
  type CheckResult,
  defineStep,
  type PlannedChange,
  type SavedStepInputs,
  type StepContext,
} from '../step.ts';
import { delegationDeps, delegationOptions } from './dns-settings.ts';
import { type HostedZoneConfig, hostedZoneConfig } from './hosted-zone-config.ts';
import { findLiveRecords, formatRecord } from './public-records.ts';
import {
  callerReference,
  DELEGATION_TTL,
  findOwnZone,
  findParentZone,
  type ParentZone,
  parentListsZone,
} from './zone-lookup.ts';

/**
 * The hosting domain's public hosted zone and its delegation (seed 000, "Hosting domain"): the platform
 * lives at `<subdomain>.<parent>` (codeocean.example.com), in a Route53 zone of its own that the parent
 * zone delegates to. Apply creates the zone (or reuses one the operator picked), then writes the NS
 * records into the parent when the parent is a Route53 zone in this account, or shows the exact records
 * to add at the registrar and waits until the parent's servers list them. A certificate validated by
 * DNS stays pending for as long as the delegation is missing, so this is where installs used to stall.
 */

/** `zoneId` only when the operator picked an existing zone that stackguide did not create. */
interface Inputs {
  zoneId?: string;
}

/** The choice in the zone list that means "the zone of this deployment, created if need be". */
const OWN_ZONE = 'own';

export const hostedZoneStep = defineStep<typeof hostedZoneConfig.configSchema, Inputs>({
  ...hostedZoneConfig,

  async ask(context, config, saved) {
    const { domain } = names(context, config);
    const savedZone = typeof saved?.zoneId === 'string' && saved.zoneId !== '' ? saved.zoneId : undefined;
    const prompter = context.prompter;
    if (!prompter) return savedZone ? { zoneId: savedZone } : {};

    const route53 = context.aws.use(route53Port);
    const zones = (await route53.listHostedZonesByName(domain)).filter((zone) => !zone.privateZone);
    const own = await findOwnZone(route53, context.deployment, domain);
    const others = zones.filter((zone) => zone.id !== own?.id);
    if (others.length === 0) return {};
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
    const { domain, parentDomain } = names(context, config);
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
      results.push(await shadowResult(context, domain));
    }
    return results;
  },

  async plan(context, config, inputs): Promise<PlannedChange[]> {
    const { domain, parentDomain } = names(context, config);
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
    const { domain, parentDomain } = names(context, config);
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

function names(context: StepContext, config: HostedZoneConfig): { domain: string; parentDomain: string } {
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

interface LocatedZone {
  zone: HostedZone | undefined;
  /** True when the zone is the deployment's own (tagged or ours by caller reference). */
  own: boolean;
}

async function locateZone(
  route53: Route53Port,
  context: StepContext,
  domain: string,
  inputs: Inputs,
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

function missingZoneError(context: StepContext, zoneId: string): StackguideError {
  return new StackguideError(`The hosted zone ${zoneId} does not exist in this account.`, {
    code: 'step.hosted-zone.not-found',
    kind: 'user',
    nextSteps: [
      `Check the id (aws route53 list-hosted-zones), or remove steps.${context.stepId}.zoneId from the answers file to let stackguide create the zone.`,
    ],
  });
}

async function createZone(route53: Route53Port, context: StepContext, domain: string): Promise<HostedZone> {
  const live = await findLiveRecords(context, domain);
  if (live.records.length > 0) {
    context.emit({
      type: 'warning',
      code: 'hosted-zone.shadows-records',
      message: `${domain} already answers in public DNS (${live.records.map(formatRecord).join('; ')}). Once the new zone is delegated, only its own records answer: copy any of these the platform still needs into it.`,
    });
  }
  progress(context, `Creating the public hosted zone ${domain}`, { domain });
  const reference = callerReference(context.deployment, domain);
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
  await route53.addTagsToHostedZone(zone.id, { [DEPLOYMENT_TAG]: context.deployment });
  progress(context, `Created the hosted zone ${domain} (${zone.id})`, {
    hostedZoneId: zone.id,
    nameServers: zone.nameServers,
  });
  return zone;
}

type DelegationRoute = { kind: 'route53'; zone: { id: string } } | { kind: 'manual'; reason: string };

function delegationRoute(config: HostedZoneConfig, parent: ParentZone): DelegationRoute {
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

async function writeDelegation(
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

async function awaitManualDelegation(
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

function zoneResult(context: StepContext, domain: string, inputs: Inputs, found: LocatedZone): CheckResult {
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

function parentResult(
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

function delegationResults(
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
          fix:
            route === 'route53'
              ? `Run stackguide install, which writes the NS records into the Route53 zone ${delegation.parentZone}.`
              : (fixLines ?? 'Run stackguide install, which shows the NS records to add and waits for them.'),
        }),
  };
  // One result per verdict, not per server: a TLD has a dozen servers that mostly say the same.
  const perServer: CheckResult[] = delegation.parentServerGroups.map((group) => {
    const first = group.servers[0];
    const where =
      group.servers.length === 1 && first
        ? `${first.name} (${first.host}:${first.port})`
        : `${group.servers.length} servers of ${delegation.parentZone}`;
    return {
      id: `${context.stepId}.delegation.parent.${first?.name ?? group.status}`,
      step: context.stepId,
      title: `Delegation at ${where}`,
      status: group.status === 'delegated' ? 'pass' : 'warn',
      summary: group.explanation,
      required: false,
      facts: { ...group },
      ...(group.fix ? { fix: group.fix.summary } : {}),
    };
  });
  const perResolver: CheckResult[] = delegation.propagation.resolvers.map((resolver) => ({
    id: `${context.stepId}.delegation.resolver.${resolver.resolver.name}`,
    step: context.stepId,
    title: `Propagation to ${resolver.resolver.name}`,
    status: resolver.status === 'matches' ? 'pass' : 'warn',
    summary: resolver.explanation,
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

async function shadowResult(context: StepContext, domain: string): Promise<CheckResult> {
  const live = await findLiveRecords(context, domain);
  const base = {
    id: `${context.stepId}.shadow`,
    step: context.stepId,
    title: `Nothing answers for ${domain} yet`,
    required: false,
  };
  if (live.records.length > 0) {
    return {
      ...base,
      status: 'warn',
      summary: `public DNS already answers for ${domain}: ${live.records.map(formatRecord).join('; ')}. Once the new zone is delegated, these stop answering.`,
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
      : `public DNS has no records for ${domain}: the new zone shadows nothing`,
    facts: { domain, records: [], problems: live.problems },
  };
}

function progress(context: StepContext, message: string, facts: Record<string, unknown>): void {
  context.emit({ type: 'step.progress', step: context.stepId, message, facts });
}
