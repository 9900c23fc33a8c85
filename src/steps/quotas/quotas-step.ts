import type { Ec2Port } from '../../aws/ec2-port.ts';
import { ec2Port } from '../../aws/ec2-port.ts';
import type { Quota } from '../../aws/service-quotas-port.ts';
import { serviceQuotasPort } from '../../aws/service-quotas-port.ts';
import { resolveValue } from '../../blueprint/references.ts';
import { StackguideError } from '../../errors.ts';
import { type CheckResult, defineStep, type StepContext } from '../step.ts';
import {
  type InstanceClass,
  NETWORK_QUOTAS,
  type NetworkNeed,
  type QuotasConfig,
  quotasConfig,
  VCPU_QUOTAS,
  type VcpuNeed,
} from './quotas-config.ts';

/**
 * Service quotas the platform needs room in (seed 000, "Service Quotas"): EC2 vCPUs per instance class,
 * on-demand and spot, and, for a new VPC, VPCs, Elastic IPs and NAT gateways. Room is the quota's value
 * (Service Quotas) less what the account already uses (counted through EC2). No tool doing this job
 * checks quotas up front; without it a stack fails forty minutes in with "vCPU limit exceeded".
 */

export const quotasStep = defineStep({
  ...quotasConfig,

  async check(context, config): Promise<CheckResult[]> {
    const ec2 = context.aws.use(ec2Port);
    const results: CheckResult[] = [];
    if (config.vcpus.length > 0) {
      const usage = await vcpuUsage(ec2, context, config.vcpus);
      for (const need of config.vcpus) results.push(await vcpuResult(context, need, usage));
    }
    const existingVpc = existingVpcId(context, config);
    const needs = (Object.keys(NETWORK_QUOTAS) as NetworkNeed[]).filter((key) => config[key] > 0);
    if (existingVpc && needs.length > 0) {
      results.push({
        id: `${context.stepId}.network`,
        step: context.stepId,
        title: 'VPC, Elastic IP and NAT gateway quotas',
        status: 'pass',
        summary: `not needed: the deployment uses the existing VPC ${existingVpc}`,
        required: true,
      });
    } else {
      for (const key of needs) results.push(await networkResult(context, ec2, key, config[key]));
    }
    return results;
  },
});

interface VcpuUsage {
  /** vCPUs in use per instance class and market. */
  used: Map<string, number>;
  vcpusOf: Map<string, number>;
  /** Each need's instances, resolved. */
  instances: Map<VcpuNeed, Array<{ type: string; count: number }>>;
}

async function vcpuUsage(ec2: Ec2Port, context: StepContext, needs: readonly VcpuNeed[]): Promise<VcpuUsage> {
  const instances = new Map(
    needs.map((need, index) => [
      need,
      (need.instances ?? [])
        .map((instance, position) => ({
          type: resolveValue(
            instance.type,
            referenceScope(context),
            `steps.${context.stepId}.vcpus[${index}].instances[${position}].type`,
          ).trim(),
          count: instance.count,
        }))
        .filter((instance) => instance.type !== ''),
    ]),
  );
  const running = await ec2.listRunningInstances();
  const types = [
    ...running.map((instance) => instance.instanceType),
    ...[...instances.values()].flat().map((instance) => instance.type),
  ];
  const vcpusOf = await ec2.instanceTypeVcpus(types);
  const used = new Map<string, number>();
  for (const instance of running) {
    const instanceClass = classOf(instance.instanceType);
    if (!instanceClass) continue;
    const key = `${instanceClass}/${instance.lifecycle}`;
    used.set(key, (used.get(key) ?? 0) + (vcpusOf.get(instance.instanceType) ?? 0));
  }
  return { used, vcpusOf, instances };
}

/**
 * The quota class of an instance type, by its family letters: `r5d.4xlarge` → standard, `g4dn` and
 * `vt1` → G and VT. Families with quotas of their own that merely start with a standard letter (Inf,
 * Trn, DL, HPC, Mac, u- high memory) count against none of the quotas checked here.
 */
function classOf(instanceType: string): InstanceClass | undefined {
  const letters = /^([a-z]+)/.exec(instanceType.toLowerCase())?.[1] ?? '';
  if (letters.startsWith('g') || letters === 'vt') return 'g';
  if (letters === 'p') return 'p';
  if (letters === 'x') return 'x';
  if (['inf', 'trn', 'dl', 'hpc', 'mac', 'u', 'f'].includes(letters)) return undefined;
  return /^[acdhimrtz]/.test(letters) ? 'standard' : undefined;
}

async function vcpuResult(context: StepContext, need: VcpuNeed, usage: VcpuUsage): Promise<CheckResult> {
  const definition = VCPU_QUOTAS[need.quota];
  const base = {
    id: `${context.stepId}.${need.quota}`,
    step: context.stepId,
    title: definition.name,
    required: need.required,
  };
  const instances = usage.instances.get(need) ?? [];
  const unknown = instances.filter((instance) => !usage.vcpusOf.has(instance.type));
  if (unknown.length > 0) {
    return {
      ...base,
      status: need.required ? 'fail' : 'warn',
      summary: `EC2 in ${context.region} does not know the instance type ${unknown.map((i) => i.type).join(', ')}`,
      fix: 'Check the spelling of the instance type (the blueprint, or the answer it comes from).',
      facts: { quotaCode: need.quota, unknownTypes: unknown.map((i) => i.type) },
    };
  }
  const parts = instances.map((instance) => {
    const each = usage.vcpusOf.get(instance.type) ?? 0;
    return {
      text: `${instance.type} × ${instance.count} = ${each * instance.count}`,
      vcpus: each * instance.count,
    };
  });
  const needed = need.vcpus ?? parts.reduce((sum, part) => sum + part.vcpus, 0);
  const explained = [parts.map((part) => part.text).join(', '), need.why].filter(Boolean).join('; ');
  const used = usage.used.get(`${definition.instanceClass}/${definition.market}`) ?? 0;
  return roomResult(context, base, {
    serviceCode: 'ec2',
    quotaCode: need.quota,
    unit: 'vCPUs',
    needed,
    explained,
    used,
    usedText: `${used} in use by running ${definition.market === 'spot' ? 'Spot' : 'on-demand'} instances`,
    whenDeclined: ' If AWS declines, choose smaller instance types.',
  });
}

async function networkResult(
  context: StepContext,
  ec2: Ec2Port,
  key: NetworkNeed,
  needed: number,
): Promise<CheckResult> {
  const definition = NETWORK_QUOTAS[key];
  const base = {
    id: `${context.stepId}.${key}`,
    step: context.stepId,
    title: definition.name,
    required: true,
  };
  let used: number;
  let usedText: string;
  if (key === 'vpcs') {
    used = (await ec2.describeVpcs()).length;
    usedText = `${used} VPC${used === 1 ? '' : 's'} in ${context.region}`;
  } else if (key === 'elasticIps') {
    used = await ec2.countElasticIps();
    usedText = `${used} allocated`;
  } else {
    // The quota is per zone: the busiest zone decides, as a new gateway may land in any of them.
    const gateways = (await ec2.describeNatGateways()).filter((gateway) =>
      ['pending', 'available'].includes(gateway.state),
    );
    const subnets = await ec2.describeSubnets({ subnetIds: [...new Set(gateways.map((g) => g.subnetId))] });
    const perZone = new Map<string, number>();
    for (const gateway of gateways) {
      const zone = subnets.find((subnet) => subnet.subnetId === gateway.subnetId)?.availabilityZone ?? '?';
      perZone.set(zone, (perZone.get(zone) ?? 0) + 1);
    }
    const [busiest, count] = [...perZone.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
    used = count;
    usedText = count === 0 ? 'none in use' : `${count} in use in ${busiest}, the busiest zone`;
  }
  return roomResult(context, base, {
    serviceCode: definition.serviceCode,
    quotaCode: definition.quotaCode,
    unit: '',
    needed,
    explained: '',
    used,
    usedText,
    whenDeclined: '',
  });
}

interface Room {
  serviceCode: string;
  quotaCode: string;
  unit: string;
  needed: number;
  explained: string;
  used: number;
  usedText: string;
  whenDeclined: string;
}

async function roomResult(
  context: StepContext,
  base: Pick<CheckResult, 'id' | 'step' | 'title' | 'required'>,
  room: Room,
): Promise<CheckResult> {
  const link = quotaLink(context.region, room.serviceCode, room.quotaCode);
  const unit = room.unit ? ` ${room.unit}` : '';
  const needText = `needs ${room.needed}${unit}${room.explained ? ` (${room.explained})` : ''}`;
  let quota: Quota | undefined;
  try {
    quota = await context.aws.use(serviceQuotasPort).getQuota(room.serviceCode, room.quotaCode);
  } catch (error) {
    // A role without servicequotas:GetServiceQuota should not stop the other checks.
    if (!(error instanceof StackguideError) || error.kind !== 'aws' || error.code === 'aws.unreachable')
      throw error;
    return unreadable(base, room, `${needText}; the quota could not be read: ${error.message}`, link);
  }
  if (!quota) return unreadable(base, room, `${needText}; Service Quotas reports no value for it here`, link);
  const available = Math.max(0, quota.value - room.used);
  const facts = {
    serviceCode: room.serviceCode,
    quotaCode: room.quotaCode,
    quota: quota.value,
    used: room.used,
    available,
    needed: room.needed,
    link,
  };
  const summary = `${needText}; quota ${quota.value}, ${room.usedText}: ${available} available`;
  if (available >= room.needed) return { ...base, status: 'pass', summary, facts };
  const desired = Math.ceil(room.used + room.needed);
  return {
    ...base,
    status: base.required ? 'fail' : 'warn',
    summary,
    facts,
    fix: quota.adjustable
      ? `Request an increase of "${quota.name}" to at least ${desired}: ${link} (or: aws service-quotas ` +
        `request-service-quota-increase --service-code ${room.serviceCode} --quota-code ${room.quotaCode} ` +
        `--desired-value ${desired} --region ${context.region}).${room.whenDeclined}`
      : `"${quota.name}" cannot be raised through Service Quotas (${link}): free ${Math.ceil(room.needed - available)} ` +
        `in ${context.region}, or ask AWS Support.`,
  };
}

function unreadable(
  base: Pick<CheckResult, 'id' | 'step' | 'title' | 'required'>,
  room: Room,
  summary: string,
  link: string,
): CheckResult {
  return {
    ...base,
    status: 'warn',
    summary,
    facts: { serviceCode: room.serviceCode, quotaCode: room.quotaCode, needed: room.needed, link },
    fix: `Check in the console that it leaves room for ${room.needed} more (${room.usedText}): ${link}`,
  };
}

/** The console page of one quota in one region, where an increase is requested. */
function quotaLink(region: string, serviceCode: string, quotaCode: string): string {
  return `https://${region}.console.aws.amazon.com/servicequotas/home/services/${serviceCode}/quotas/${quotaCode}?region=${region}`;
}

function existingVpcId(context: StepContext, config: QuotasConfig): string {
  if (!config.existingVpcFrom) return '';
  try {
    return resolveValue(
      config.existingVpcFrom,
      referenceScope(context),
      `steps.${context.stepId}.existingVpcFrom`,
    ).trim();
  } catch (error) {
    // An unanswered optional question means no existing VPC: the deployment creates one.
    if (error instanceof StackguideError && error.code === 'reference.unresolved') return '';
    throw error;
  }
}

function referenceScope(context: StepContext) {
  return {
    deployment: context.deployment,
    region: context.region,
    account: context.account,
    answers: context.answers,
    stackOutputs: {},
    stepOutputs: context.stepOutputs,
  };
}
