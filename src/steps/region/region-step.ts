import type { AvailabilityZone } from '../../aws/ec2-port.ts';
import { ec2Port } from '../../aws/ec2-port.ts';
import { resolveValue } from '../../blueprint/references.ts';
import { StackguideError } from '../../errors.ts';
import { type CheckResult, defineStep, type StepContext } from '../step.ts';
import { type RegionConfig, regionConfig } from './region-config.ts';

/**
 * The region and its availability zones (seed 000, "Region and Availability Zones"): every zone the
 * platform may use must be open to the account (opt-in status) and offer every EC2 instance type the
 * platform launches, and there must be enough such zones. OpenSearch and ElastiCache publish no
 * per-zone offering this tool reads, so their types get a warning with the command that tells.
 */

interface Survey {
  zones: AvailabilityZone[];
  usable: string[];
  instanceTypes: Array<{ type: string; from: string; zones: string[] }>;
  /** Usable zones offering every EC2 type, by name. */
  qualifying: string[];
  proxies: Map<string, string[]>;
}

export const regionStep = defineStep({
  ...regionConfig,

  async check(context, config): Promise<CheckResult[]> {
    const survey = await surveyRegion(context, config);
    return [
      zonesResult(context, config, survey),
      ...survey.instanceTypes.map((entry) => instanceTypeResult(context, config, survey, entry)),
      ...config.openSearchInstanceTypes.map((type) =>
        unverifiableResult(context, survey, 'openSearch', type),
      ),
      ...config.elastiCacheNodeTypes.map((type) => unverifiableResult(context, survey, 'elastiCache', type)),
      availabilityZonesResult(context, config, survey),
    ];
  },

  async apply(context, config) {
    const survey = await surveyRegion(context, config);
    if (survey.qualifying.length < config.minAvailabilityZones) {
      const result = availabilityZonesResult(context, config, survey);
      throw new StackguideError(`${context.region}: ${result.summary}`, {
        code: 'step.region-zones',
        kind: 'user',
        nextSteps: result.fix ? [result.fix] : [],
      });
    }
    return { availabilityZones: chosenZones(config, survey).join(',') };
  },
});

async function surveyRegion(context: StepContext, config: RegionConfig): Promise<Survey> {
  const ec2 = context.aws.use(ec2Port);
  const instanceTypes = resolveTypes(context, config.instanceTypes, 'instanceTypes');
  const proxyTypes = [
    ...config.openSearchInstanceTypes.map((type) => ec2Equivalent('openSearch', type)),
    ...config.elastiCacheNodeTypes.map((type) => ec2Equivalent('elastiCache', type)),
  ];
  const [zones, offered] = await Promise.all([
    ec2.describeAvailabilityZones(),
    ec2.instanceTypeZones([...instanceTypes.map((entry) => entry.type), ...proxyTypes]),
  ]);
  const usable = zones
    .filter((zone) => zone.zoneType === 'availability-zone' && isUsable(zone))
    .map((zone) => zone.name)
    .sort();
  const withZones = instanceTypes.map((entry) => ({
    ...entry,
    zones: usable.filter((zone) => offered.get(entry.type)?.includes(zone)),
  }));
  return {
    zones,
    usable,
    instanceTypes: withZones,
    qualifying: usable.filter((zone) => withZones.every((entry) => entry.zones.includes(zone))),
    proxies: new Map(
      proxyTypes.map((type) => [type, usable.filter((zone) => offered.get(type)?.includes(zone))]),
    ),
  };
}

/**
 * EC2 documents `optInStatus` for every zone: `opt-in-not-required` for an Availability Zone, `opted-in`
 * or `not-opted-in` for a Local or Wavelength Zone. A zone the account may not use, or that is impaired
 * or unavailable, is not offered to new resources.
 */
function isUsable(zone: AvailabilityZone): boolean {
  return zone.state === 'available' && !notOptedIn(zone);
}

/**
 * Only a zone the endpoint says is `not-opted-in` is closed to the account. An answer without the field
 * states nothing about opt-in (an AWS-compatible endpoint may leave it out), and the check never reports
 * what the API did not say: such a zone is judged by its state alone.
 */
function notOptedIn(zone: AvailabilityZone): boolean {
  return zone.optInStatus === 'not-opted-in';
}

function resolveTypes(
  context: StepContext,
  values: readonly string[],
  field: string,
): Array<{ type: string; from: string }> {
  const scope = {
    deployment: context.deployment,
    region: context.region,
    account: context.account,
    answers: context.answers,
    stackOutputs: {},
    stepOutputs: context.stepOutputs,
  };
  const resolved = values.map((from, index) => ({
    type: resolveValue(from, scope, `steps.${context.stepId}.${field}[${index}]`).trim(),
    from,
  }));
  // An optional answer left empty asks for no instance type; the same type twice is checked once.
  return resolved.filter(
    (entry, index) => entry.type !== '' && resolved.findIndex((other) => other.type === entry.type) === index,
  );
}

function chosenZones(config: RegionConfig, survey: Survey): string[] {
  return survey.qualifying.slice(0, config.maxAvailabilityZones ?? survey.qualifying.length);
}

function zonesResult(context: StepContext, config: RegionConfig, survey: Survey): CheckResult {
  const standard = survey.zones.filter((zone) => zone.zoneType === 'availability-zone');
  const closed = standard.filter((zone) => !isUsable(zone));
  const closedText = closed
    .map((zone) => `${zone.name} (${notOptedIn(zone) ? 'not opted in' : zone.state})`)
    .join(', ');
  const enough = survey.usable.length >= config.minAvailabilityZones;
  return {
    id: `${context.stepId}.zones`,
    step: context.stepId,
    title: `Availability zones of ${context.region}`,
    status: !enough ? 'fail' : closed.length > 0 ? 'warn' : 'pass',
    summary:
      `${survey.usable.length} of ${standard.length} zones usable` +
      (survey.usable.length > 0 ? `: ${survey.usable.join(', ')}` : '') +
      (closed.length > 0 ? `; not usable: ${closedText}` : ''),
    required: true,
    facts: { usable: survey.usable, notUsable: closed.map((zone) => zone.name) },
    ...(!enough
      ? {
          fix: `The platform needs ${config.minAvailabilityZones} zones and ${context.region} has ${survey.usable.length} usable: choose another region.`,
        }
      : closed.length > 0
        ? {
            fix: `Only the usable zones are used. To see why the others are not: aws ec2 describe-availability-zones --all-availability-zones --region ${context.region}`,
          }
        : {}),
  };
}

function instanceTypeResult(
  context: StepContext,
  config: RegionConfig,
  survey: Survey,
  entry: { type: string; from: string; zones: string[] },
): CheckResult {
  const missing = survey.usable.filter((zone) => !entry.zones.includes(zone));
  const enough = entry.zones.length >= config.minAvailabilityZones;
  const answer = /\{\{\s*answers\.([a-zA-Z][a-zA-Z0-9_]*)\s*\}\}/.exec(entry.from)?.[1];
  const change = answer
    ? `answer ${answer} (answers.${answer}) with an instance type offered in at least ${config.minAvailabilityZones} zones`
    : `choose a region where it is offered in at least ${config.minAvailabilityZones} zones`;
  return {
    id: `${context.stepId}.instanceType.${entry.type}`,
    step: context.stepId,
    title: `EC2 instance type ${entry.type}`,
    status: enough ? 'pass' : 'fail',
    summary:
      entry.zones.length === 0
        ? `not offered in any usable zone of ${context.region}`
        : `offered in ${entry.zones.length} of ${survey.usable.length} usable zones: ${entry.zones.join(', ')}` +
          (missing.length > 0 ? `; not in ${missing.join(', ')}` : ''),
    required: true,
    facts: { instanceType: entry.type, zones: entry.zones },
    ...(enough
      ? {}
      : {
          fix:
            `The platform needs ${entry.type} in ${config.minAvailabilityZones} zones: ${change}. ` +
            `To list where a type is offered: aws ec2 describe-instance-type-offerings --location-type availability-zone --filters Name=instance-type,Values=${entry.type} --region ${context.region}`,
        }),
  };
}

/** The EC2 instance type an OpenSearch or ElastiCache type runs on: t3.small.search → t3.small. */
function ec2Equivalent(service: 'openSearch' | 'elastiCache', type: string): string {
  return service === 'openSearch'
    ? type.replace(/\.(search|elasticsearch)$/, '')
    : type.replace(/^cache\./, '');
}

function unverifiableResult(
  context: StepContext,
  survey: Survey,
  service: 'openSearch' | 'elastiCache',
  type: string,
): CheckResult {
  const equivalent = ec2Equivalent(service, type);
  const zones = survey.proxies.get(equivalent) ?? [];
  const label = service === 'openSearch' ? 'OpenSearch instance type' : 'ElastiCache node type';
  const how =
    service === 'openSearch'
      ? `aws opensearch list-instance-type-details --engine-version <the engine version> --region ${context.region}, and look for ${type} and its AvailabilityZones`
      : `aws elasticache describe-reserved-cache-nodes-offerings --cache-node-type ${type} --region ${context.region} (offerings are listed only for node types the region has)`;
  return {
    id: `${context.stepId}.${service}.${type}`,
    step: context.stepId,
    title: `${label} ${type}`,
    status: 'warn',
    summary:
      'cannot be verified here; ' +
      (zones.length > 0
        ? `the EC2 type ${equivalent} it runs on is offered in ${zones.length} usable zones (${zones.join(', ')})`
        : `the EC2 type ${equivalent} it runs on is offered in no usable zone, so it is likely missing too`),
    required: false,
    facts: { type, ec2Equivalent: equivalent, ec2Zones: zones },
    fix: `Check it yourself: ${how}.`,
  };
}

function availabilityZonesResult(context: StepContext, config: RegionConfig, survey: Survey): CheckResult {
  const enough = survey.qualifying.length >= config.minAvailabilityZones;
  const types = survey.instanceTypes.map((entry) => entry.type);
  const what = types.length > 0 ? `offering ${types.join(', ')}` : 'usable';
  return {
    id: `${context.stepId}.availabilityZones`,
    step: context.stepId,
    title: `At least ${config.minAvailabilityZones} availability zones ${what}`,
    status: enough ? 'pass' : 'fail',
    summary:
      survey.qualifying.length === 0
        ? `no zone of ${context.region} is ${what}`
        : `${survey.qualifying.length} zone${survey.qualifying.length === 1 ? '' : 's'} ${what}: ${survey.qualifying.join(', ')}` +
          (enough &&
          config.maxAvailabilityZones !== undefined &&
          survey.qualifying.length > config.maxAvailabilityZones
            ? ` (the first ${config.maxAvailabilityZones} are used)`
            : ''),
    required: true,
    facts: { availabilityZones: chosenZones(config, survey) },
    ...(enough
      ? {}
      : {
          fix: `The platform needs ${config.minAvailabilityZones} zones that offer all of ${types.join(', ')}: use instance types offered in more zones, or another region.`,
        }),
  };
}
