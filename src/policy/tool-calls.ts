import { acmPort } from '../aws/acm-port.ts';
import { type CloudFormationPort, cloudFormationPort } from '../aws/cloudformation-port.ts';
import { codeCommitPort } from '../aws/codecommit-port.ts';
import { costExplorerPort } from '../aws/cost-explorer-port.ts';
import { ebsPort } from '../aws/ebs-port.ts';
import { ec2Port } from '../aws/ec2-port.ts';
import { ecrPort } from '../aws/ecr-port.ts';
import { iamPort } from '../aws/iam-port.ts';
import { identityPort } from '../aws/identity-port.ts';
import { organizationsPort } from '../aws/organizations-port.ts';
import { call, type PortCall, type ResourceKind } from '../aws/port-permissions.ts';
import { rdsPort } from '../aws/rds-port.ts';
import { route53Port } from '../aws/route53-port.ts';
import { s3Port } from '../aws/s3-port.ts';
import { secretsManagerPort } from '../aws/secrets-manager-port.ts';
import { serviceQuotasPort } from '../aws/service-quotas-port.ts';
import { sesv2Port } from '../aws/sesv2-port.ts';
import { ssmPort } from '../aws/ssm-port.ts';
import { taggingPort } from '../aws/tagging-port.ts';
import type { Blueprint } from '../blueprint/load-blueprint.ts';
import { packagesTemplates } from '../packaging/package-templates.ts';

/** The commands an operator policy covers. */
export const POLICY_COMMANDS = ['install', 'status', 'watch', 'upgrade', 'destroy'] as const;
export type PolicyCommand = (typeof POLICY_COMMANDS)[number];

/** One port method the tool calls, for which commands, and why (the statement summaries say it). */
export interface ToolCall {
  readonly call: PortCall;
  readonly commands: readonly PolicyCommand[];
  readonly why: string;
  /** Only the method's grants on this kind of resource (a method used on several, for one of them). */
  readonly on?: ResourceKind;
}

/**
 * The port methods each step kind calls: `reads` in its checks and questions (install, status, and an
 * upgrade's pre-upgrade steps), `writes` when it applies (install, pre-upgrade), `teardown` when destroy
 * removes what it made. test/policy/tool-calls.test.ts reads every step's source and fails when a step
 * calls a port method its entry here does not list.
 */
export interface StepCalls {
  readonly reads: readonly PortCall[];
  readonly writes: readonly PortCall[];
  readonly teardown: readonly PortCall[];
}

const none: StepCalls = { reads: [], writes: [], teardown: [] };

export const STEP_CALLS: Readonly<Record<string, StepCalls>> = {
  manual: none,
  region: {
    reads: [call(ec2Port, 'describeAvailabilityZones'), call(ec2Port, 'instanceTypeZones')],
    writes: [],
    teardown: [],
  },
  serviceLinkedRoles: {
    reads: [call(iamPort, 'listRoles')],
    writes: [call(iamPort, 'createServiceLinkedRole')],
    teardown: [],
  },
  quotas: {
    reads: [
      call(ec2Port, 'instanceTypeVcpus'),
      call(ec2Port, 'listRunningInstances'),
      call(ec2Port, 'describeVpcs'),
      call(ec2Port, 'describeSubnets'),
      call(ec2Port, 'describeNatGateways'),
      call(ec2Port, 'countElasticIps'),
      call(serviceQuotasPort, 'getQuota'),
    ],
    writes: [],
    teardown: [],
  },
  sharedAmi: { reads: [call(ec2Port, 'findImages')], writes: [], teardown: [] },
  network: {
    reads: [
      call(ec2Port, 'describeVpcs'),
      call(ec2Port, 'describeVpcDnsAttributes'),
      call(ec2Port, 'describeDhcpOptions'),
      call(ec2Port, 'describeSubnets'),
      call(ec2Port, 'describeRouteTables'),
      call(ec2Port, 'describeNatGateways'),
    ],
    writes: [],
    teardown: [],
  },
  hostedZone: {
    reads: [
      call(route53Port, 'listHostedZonesByName'),
      call(route53Port, 'getHostedZone'),
      call(route53Port, 'listTagsForHostedZone'),
      call(route53Port, 'listRecordSets'),
    ],
    writes: [
      call(route53Port, 'createHostedZone'),
      call(route53Port, 'addTagsToHostedZone'),
      call(route53Port, 'upsertRecordSets'),
    ],
    teardown: [
      call(route53Port, 'listHostedZones'),
      call(route53Port, 'getHostedZone'),
      call(route53Port, 'listTagsForHostedZone'),
      call(route53Port, 'listAllRecordSets'),
      call(route53Port, 'deleteRecordSets'),
      call(route53Port, 'listHostedZonesByName'),
      call(route53Port, 'listRecordSets'),
      call(route53Port, 'deleteHostedZone'),
    ],
  },
  certificate: {
    reads: [
      call(acmPort, 'listCertificates'),
      call(acmPort, 'describeCertificate'),
      call(acmPort, 'listTagsForCertificate'),
      call(route53Port, 'listHostedZonesByName'),
      call(route53Port, 'listRecordSets'),
    ],
    writes: [
      call(acmPort, 'requestCertificate'),
      call(acmPort, 'importCertificate'),
      call(acmPort, 'resendValidationEmail'),
      call(route53Port, 'upsertRecordSets'),
    ],
    teardown: [
      call(acmPort, 'describeCertificate'),
      call(acmPort, 'listTagsForCertificate'),
      call(acmPort, 'deleteCertificate'),
    ],
  },
  ses: {
    reads: [call(sesv2Port, 'getAccount')],
    writes: [call(sesv2Port, 'requestProductionAccess')],
    teardown: [],
  },
  registrySecret: {
    reads: [call(secretsManagerPort, 'describeSecret'), call(secretsManagerPort, 'getSecretString')],
    writes: [
      call(secretsManagerPort, 'createSecret'),
      call(secretsManagerPort, 'putSecretValue'),
      call(secretsManagerPort, 'restoreSecret'),
    ],
    teardown: [],
  },
  costTag: {
    reads: [
      call(organizationsPort, 'describeOrganization'),
      call(costExplorerPort, 'listCostAllocationTags'),
    ],
    writes: [call(costExplorerPort, 'setCostAllocationTagStatus')],
    teardown: [],
  },
};

/** Every resource type the blueprint's templates declare, nested templates included. */
export function templateResourceTypes(blueprint: Pick<Blueprint, 'templates' | 'nested'>): string[] {
  const types = new Set<string>();
  for (const template of Object.values(blueprint.templates))
    for (const resource of Object.values(template.summary.resources)) types.add(resource.type);
  for (const nested of Object.values(blueprint.nested).flat())
    for (const raw of Object.values((nested.document.Resources ?? {}) as Record<string, { Type?: unknown }>))
      if (typeof raw?.Type === 'string') types.add(raw.Type);
  return [...types].sort();
}

/**
 * What stackguide itself calls for install, status, watch, upgrade and destroy of this blueprint: the
 * calls every deployment makes, and those only some blueprints need (a step kind, a resource type the
 * destroy empties first, packaged templates, live checks). Read from the flows in src/flows/; the
 * enforced-IAM tests (test/cli/enforced-iam.test.ts) run them under exactly the policy this yields.
 */
export function toolCalls(blueprint: Blueprint): ToolCall[] {
  const calls: ToolCall[] = [];
  const need = (commands: readonly PolicyCommand[], why: string, ...ports: PortCall[]) => {
    for (const portCall of ports) calls.push({ call: portCall, commands, why });
  };
  const needOn = (
    on: ResourceKind,
    commands: readonly PolicyCommand[],
    why: string,
    ...ports: PortCall[]
  ) => {
    for (const portCall of ports) calls.push({ call: portCall, commands, why, on });
  };
  const stacks = (method: keyof CloudFormationPort & string) => call(cloudFormationPort, method);

  need(POLICY_COMMANDS, 'who the credentials are (no permission needed)', call(identityPort, 'whoAmI'));
  need(POLICY_COMMANDS, "read the deployment's stacks", stacks('describeStack'));
  need(
    ['install', 'watch', 'upgrade', 'destroy'],
    "follow the stacks' operations and find the root cause of a failure",
    stacks('describeStackEvents'),
    stacks('describeFailedEvents'),
  );
  need(
    ['install', 'upgrade'],
    'deploy the stacks through change sets, clear stale ones, and stop or remove a stack an interrupted or failed run left',
    stacks('createChangeSet'),
    stacks('describeChangeSet'),
    stacks('executeChangeSet'),
    stacks('deleteChangeSet'),
    stacks('listChangeSets'),
    stacks('getTemplateBody'),
    stacks('cancelUpdateStack'),
    stacks('deleteStack'),
  );
  need(['status'], 'status --drift', stacks('detectStackDrift'), stacks('describeDriftDetection'));
  need(
    ['destroy'],
    'plan the deletion (resources, templates, export order) and delete the stacks',
    stacks('listStackResources'),
    stacks('getTemplateBody'),
    stacks('listExports'),
    stacks('listImports'),
    stacks('deleteStack'),
  );
  if (blueprint.stacks.some((stack) => stack.terminationProtection))
    need(['destroy'], 'lift termination protection before deleting', stacks('setTerminationProtection'));
  need(
    ['install', 'upgrade', 'destroy'],
    'hold the deployment lock while changing it',
    call(ssmPort, 'createParameterIfAbsent'),
    call(ssmPort, 'getParameter'),
    call(ssmPort, 'deleteParameter'),
  );
  need(['watch'], 'follow the run that holds the deployment lock to its end', call(ssmPort, 'getParameter'));

  // Steps: checked by status, applied by install; the upgrade's pre-upgrade steps by upgrade.
  for (const step of blueprint.steps) {
    const kind = STEP_CALLS[step.kind] ?? none;
    const what = `the ${step.id} step (${step.kind})`;
    need(['install', 'status'], `check ${what}`, ...kind.reads);
    need(['install'], `apply ${what}`, ...kind.writes);
    need(['destroy'], `remove what ${what} made`, ...kind.teardown);
  }
  for (const step of blueprint.upgrade.before) {
    const kind = STEP_CALLS[step.kind] ?? none;
    const what = `the pre-upgrade ${step.id} step (${step.kind})`;
    need(['upgrade'], `check and apply ${what}`, ...kind.reads, ...kind.writes);
  }
  if (blueprint.upgrade.liveChecks.length > 0)
    need(
      ['upgrade'],
      "compare the database's live settings with the new parameters",
      stacks('listStackResources'),
      call(rdsPort, 'describeDbInstance'),
    );

  if (packagesTemplates(blueprint)) {
    need(
      ['install', 'upgrade'],
      'upload nested and large templates to the artifacts bucket',
      call(s3Port, 'bucketExists'),
      call(s3Port, 'createPrivateBucket'),
      call(s3Port, 'objectExists'),
      call(s3Port, 'putObject'),
    );
    need(['destroy'], 'empty and delete the artifacts bucket', call(s3Port, 'deleteBucket'));
    needOn(
      'artifacts-bucket',
      ['destroy'],
      'empty and delete the artifacts bucket',
      call(s3Port, 'listObjectVersions'),
    );
    needOn(
      'artifacts-object',
      ['destroy'],
      'empty and delete the artifacts bucket',
      call(s3Port, 'deleteObjectVersions'),
    );
  }
  // Destroy looks for the artifacts bucket whatever the blueprint: an earlier version may have packaged.
  need(['destroy'], 'find the artifacts bucket by its deployment tag', call(s3Port, 'bucketTags'));

  const rules = blueprint.decommission;
  const types = templateResourceTypes(blueprint);
  if (rules.emptyBuckets && types.includes('AWS::S3::Bucket')) {
    const why = "empty the stacks' buckets (every version) so CloudFormation can delete them";
    needOn('stack-bucket', ['destroy'], why, call(s3Port, 'listObjectVersions'));
    needOn('stack-object', ['destroy'], why, call(s3Port, 'deleteObjectVersions'));
  }
  if (rules.emptyRepositories && types.includes('AWS::ECR::Repository'))
    need(
      ['destroy'],
      "empty the stacks' image repositories so CloudFormation can delete them",
      call(ecrPort, 'describeRepository'),
      call(ecrPort, 'countImages'),
      call(ecrPort, 'emptyRepository'),
    );
  if (rules.deleteTaggedVolumesAndSnapshots)
    need(
      ['destroy'],
      'find and delete the EBS volumes and snapshots tagged with the deployment',
      call(ebsPort, 'volumesTagged'),
      call(ebsPort, 'snapshotsTagged'),
      call(ebsPort, 'describeVolume'),
      call(ebsPort, 'describeSnapshot'),
      call(ebsPort, 'deleteVolume'),
      call(ebsPort, 'deleteSnapshot'),
    );
  if (rules.codeCommitRepositories.length > 0)
    need(
      ['destroy'],
      'delete the CodeCommit repositories when asked to',
      call(codeCommitPort, 'getRepository'),
      call(codeCommitPort, 'deleteRepository'),
    );
  else if (rules.untaggable.length > 0)
    need(['destroy'], 'check the untaggable leftovers by name', call(codeCommitPort, 'getRepository'));
  if (rules.retain.length > 0)
    need(['destroy'], 'list what the retained stacks keep', stacks('listStackResources'));
  need(['destroy'], 'report what still carries the deployment tag', call(taggingPort, 'resourcesTagged'));
  return calls;
}
