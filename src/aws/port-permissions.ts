import { StackguideError } from '../errors.ts';
import { type AcmPort, acmPort } from './acm-port.ts';
import { type CloudFormationPort, cloudFormationPort } from './cloudformation-port.ts';
import { type CodeCommitPort, codeCommitPort } from './codecommit-port.ts';
import { type CostExplorerPort, costExplorerPort } from './cost-explorer-port.ts';
import { type EbsPort, ebsPort } from './ebs-port.ts';
import { type Ec2Port, ec2Port } from './ec2-port.ts';
import { type EcrPort, ecrPort } from './ecr-port.ts';
import { type IamPort, iamPort } from './iam-port.ts';
import { type IdentityPort, identityPort } from './identity-port.ts';
import { type OrganizationsPort, organizationsPort } from './organizations-port.ts';
import type { AsyncPort, PortToken } from './port-token.ts';
import { type RdsPort, rdsPort } from './rds-port.ts';
import { type Route53Port, route53Port } from './route53-port.ts';
import { type S3Port, s3Port } from './s3-port.ts';
import { type SecretsManagerPort, secretsManagerPort } from './secrets-manager-port.ts';
import { type ServiceQuotasPort, serviceQuotasPort } from './service-quotas-port.ts';
import { type SesV2Port, sesv2Port } from './sesv2-port.ts';
import { type SsmPort, ssmPort } from './ssm-port.ts';
import { type TaggingPort, taggingPort } from './tagging-port.ts';

/**
 * What a port method acts on, in the terms `stackguide policy` turns into resource ARNs (and, where the
 * action supports them, conditions) for one deployment (src/policy/operator-policy.ts):
 *
 * - `any`: the action takes no resource, or not one this deployment owns (a List*, a Describe* of the
 *   region, an account setting): `"*"`.
 * - `stack`: the deployment's stacks (by name) and their change sets.
 * - `lock-parameter`: the deployment's lock parameter in SSM.
 * - `secret`: the secrets the blueprint's registrySecret steps name.
 * - `artifacts-bucket`, `artifacts-object`: the deployment's packaged-templates bucket and its objects.
 * - `stack-bucket`, `stack-object`: the buckets the deployment's stacks make (emptied before they go).
 * - `ecr-repository`, `codecommit-repository`, `hosted-zone`, `certificate`: of this account and region.
 * - `service-linked-role`: the service-linked roles the blueprint's serviceLinkedRoles steps create.
 * - `tagged-volume`, `tagged-snapshot`: EBS volumes and snapshots carrying the deployment's tag.
 */
export type ResourceKind =
  | 'any'
  | 'stack'
  | 'lock-parameter'
  | 'secret'
  | 'artifacts-bucket'
  | 'artifacts-object'
  | 'stack-bucket'
  | 'stack-object'
  | 'ecr-repository'
  | 'codecommit-repository'
  | 'hosted-zone'
  | 'certificate'
  | 'service-linked-role'
  | 'tagged-volume'
  | 'tagged-snapshot';

/** IAM actions that one port method needs, all on one kind of resource. */
export interface Grant {
  readonly actions: readonly string[];
  readonly resource: ResourceKind;
}

/** Every method of a port with the grants it needs: the type fails to check when a method is missing. */
export type PermissionsOf<T> = { readonly [K in keyof T]: readonly Grant[] };

const on = (resource: ResourceKind, ...actions: string[]): Grant => ({ actions, resource });

/**
 * The permissions of one port, tied to its token: `methods` must name every method of the port's
 * interface (and no other), so a method added to a port fails the type check until its actions are here.
 */
function permissions<T extends AsyncPort<T>>(
  token: PortToken<T>,
  methods: PermissionsOf<T>,
): [PortToken<object>, Readonly<Record<string, readonly Grant[]>>] {
  return [token as PortToken<object>, methods as Readonly<Record<string, readonly Grant[]>>];
}

// Action names are IAM's (the Service Authorization Reference), which are not always the API's: HeadBucket
// is authorized as s3:ListBucket, HeadObject as s3:GetObject, DeleteObjects as s3:DeleteObject(Version).
const acm = permissions<AcmPort>(acmPort, {
  requestCertificate: [on('any', 'acm:RequestCertificate', 'acm:AddTagsToCertificate')],
  describeCertificate: [on('certificate', 'acm:DescribeCertificate')],
  importCertificate: [on('any', 'acm:ImportCertificate', 'acm:AddTagsToCertificate')],
  resendValidationEmail: [on('certificate', 'acm:ResendValidationEmail')],
  listCertificates: [on('any', 'acm:ListCertificates')],
  listTagsForCertificate: [on('certificate', 'acm:ListTagsForCertificate')],
  deleteCertificate: [on('certificate', 'acm:DeleteCertificate')],
});

const cloudFormation = permissions<CloudFormationPort>(cloudFormationPort, {
  createStack: [on('stack', 'cloudformation:CreateStack', 'cloudformation:TagResource')],
  updateStack: [on('stack', 'cloudformation:UpdateStack', 'cloudformation:TagResource')],
  describeStack: [on('stack', 'cloudformation:DescribeStacks')],
  getTemplateBody: [on('stack', 'cloudformation:GetTemplate')],
  describeStackEvents: [on('stack', 'cloudformation:DescribeStackEvents')],
  describeFailedEvents: [on('stack', 'cloudformation:DescribeEvents')],
  listExports: [on('any', 'cloudformation:ListExports')],
  listImports: [on('any', 'cloudformation:ListImports')],
  listStackResources: [on('stack', 'cloudformation:ListStackResources')],
  createChangeSet: [on('stack', 'cloudformation:CreateChangeSet', 'cloudformation:TagResource')],
  describeChangeSet: [on('stack', 'cloudformation:DescribeChangeSet')],
  executeChangeSet: [on('stack', 'cloudformation:ExecuteChangeSet')],
  deleteChangeSet: [on('stack', 'cloudformation:DeleteChangeSet')],
  listChangeSets: [on('stack', 'cloudformation:ListChangeSets')],
  deleteStack: [on('stack', 'cloudformation:DeleteStack')],
  cancelUpdateStack: [on('stack', 'cloudformation:CancelUpdateStack')],
  setTerminationProtection: [on('stack', 'cloudformation:UpdateTerminationProtection')],
  detectStackDrift: [on('stack', 'cloudformation:DetectStackDrift')],
  describeDriftDetection: [on('any', 'cloudformation:DescribeStackDriftDetectionStatus')],
});

const codeCommit = permissions<CodeCommitPort>(codeCommitPort, {
  getRepository: [on('codecommit-repository', 'codecommit:GetRepository')],
  deleteRepository: [on('codecommit-repository', 'codecommit:DeleteRepository')],
});

const costExplorer = permissions<CostExplorerPort>(costExplorerPort, {
  listCostAllocationTags: [on('any', 'ce:ListCostAllocationTags')],
  setCostAllocationTagStatus: [on('any', 'ce:UpdateCostAllocationTagsStatus')],
});

const ebs = permissions<EbsPort>(ebsPort, {
  volumesTagged: [on('any', 'ec2:DescribeVolumes')],
  snapshotsTagged: [on('any', 'ec2:DescribeSnapshots')],
  describeVolume: [on('any', 'ec2:DescribeVolumes')],
  describeSnapshot: [on('any', 'ec2:DescribeSnapshots')],
  deleteVolume: [on('tagged-volume', 'ec2:DeleteVolume')],
  deleteSnapshot: [on('tagged-snapshot', 'ec2:DeleteSnapshot')],
});

const ec2 = permissions<Ec2Port>(ec2Port, {
  describeAvailabilityZones: [on('any', 'ec2:DescribeAvailabilityZones')],
  instanceTypeZones: [on('any', 'ec2:DescribeInstanceTypeOfferings')],
  instanceTypeVcpus: [on('any', 'ec2:DescribeInstanceTypes')],
  listRunningInstances: [on('any', 'ec2:DescribeInstances')],
  describeVpcs: [on('any', 'ec2:DescribeVpcs')],
  describeVpcDnsAttributes: [on('any', 'ec2:DescribeVpcAttribute')],
  describeDhcpOptions: [on('any', 'ec2:DescribeDhcpOptions')],
  describeSubnets: [on('any', 'ec2:DescribeSubnets')],
  describeRouteTables: [on('any', 'ec2:DescribeRouteTables')],
  describeNatGateways: [on('any', 'ec2:DescribeNatGateways')],
  countElasticIps: [on('any', 'ec2:DescribeAddresses')],
  findImages: [on('any', 'ec2:DescribeImages')],
});

const ecr = permissions<EcrPort>(ecrPort, {
  describeRepository: [on('ecr-repository', 'ecr:DescribeRepositories')],
  countImages: [on('ecr-repository', 'ecr:ListImages')],
  emptyRepository: [on('ecr-repository', 'ecr:ListImages', 'ecr:BatchDeleteImage')],
});

const iam = permissions<IamPort>(iamPort, {
  listRoles: [on('any', 'iam:ListRoles')],
  createServiceLinkedRole: [on('service-linked-role', 'iam:CreateServiceLinkedRole')],
});

const identity = permissions<IdentityPort>(identityPort, {
  // GetCallerIdentity needs no permission: AWS answers it for every principal, even under an explicit deny.
  whoAmI: [],
});

const organizations = permissions<OrganizationsPort>(organizationsPort, {
  describeOrganization: [on('any', 'organizations:DescribeOrganization')],
});

const rds = permissions<RdsPort>(rdsPort, {
  describeDbInstance: [on('any', 'rds:DescribeDBInstances')],
});

const route53 = permissions<Route53Port>(route53Port, {
  listHostedZones: [on('any', 'route53:ListHostedZones')],
  listHostedZonesByName: [on('any', 'route53:ListHostedZonesByName')],
  getHostedZone: [on('hosted-zone', 'route53:GetHostedZone')],
  createHostedZone: [on('any', 'route53:CreateHostedZone')],
  listTagsForHostedZone: [on('hosted-zone', 'route53:ListTagsForResource')],
  addTagsToHostedZone: [on('hosted-zone', 'route53:ChangeTagsForResource')],
  upsertRecordSets: [on('hosted-zone', 'route53:ChangeResourceRecordSets')],
  listRecordSets: [on('hosted-zone', 'route53:ListResourceRecordSets')],
  listAllRecordSets: [on('hosted-zone', 'route53:ListResourceRecordSets')],
  deleteRecordSets: [on('hosted-zone', 'route53:ChangeResourceRecordSets')],
  deleteHostedZone: [on('hosted-zone', 'route53:DeleteHostedZone')],
});

const s3 = permissions<S3Port>(s3Port, {
  bucketExists: [on('artifacts-bucket', 's3:ListBucket')],
  createPrivateBucket: [
    on(
      'artifacts-bucket',
      's3:CreateBucket',
      's3:PutEncryptionConfiguration',
      's3:PutBucketPublicAccessBlock',
      's3:PutBucketTagging',
    ),
  ],
  bucketTags: [on('artifacts-bucket', 's3:GetBucketTagging')],
  objectExists: [on('artifacts-object', 's3:GetObject')],
  putObject: [on('artifacts-object', 's3:PutObject')],
  deleteBucket: [on('artifacts-bucket', 's3:DeleteBucket')],
  // Listed and deleted in the stacks' buckets (emptied before their stacks go) and the artifacts bucket.
  listObjectVersions: [
    on('stack-bucket', 's3:ListBucketVersions'),
    on('artifacts-bucket', 's3:ListBucketVersions'),
  ],
  deleteObjectVersions: [
    on('stack-object', 's3:DeleteObject', 's3:DeleteObjectVersion'),
    on('artifacts-object', 's3:DeleteObject', 's3:DeleteObjectVersion'),
  ],
});

const secretsManager = permissions<SecretsManagerPort>(secretsManagerPort, {
  describeSecret: [on('secret', 'secretsmanager:DescribeSecret')],
  getSecretString: [on('secret', 'secretsmanager:GetSecretValue')],
  createSecret: [on('secret', 'secretsmanager:CreateSecret', 'secretsmanager:TagResource')],
  putSecretValue: [on('secret', 'secretsmanager:PutSecretValue')],
  restoreSecret: [on('secret', 'secretsmanager:RestoreSecret')],
});

const serviceQuotas = permissions<ServiceQuotasPort>(serviceQuotasPort, {
  getQuota: [on('any', 'servicequotas:GetServiceQuota', 'servicequotas:GetAWSDefaultServiceQuota')],
});

const sesv2 = permissions<SesV2Port>(sesv2Port, {
  getAccount: [on('any', 'ses:GetAccount')],
  requestProductionAccess: [on('any', 'ses:PutAccountDetails')],
});

const ssm = permissions<SsmPort>(ssmPort, {
  // A parameter created with tags needs ssm:AddTagsToResource as well as ssm:PutParameter.
  createParameterIfAbsent: [on('lock-parameter', 'ssm:PutParameter', 'ssm:AddTagsToResource')],
  getParameter: [on('lock-parameter', 'ssm:GetParameter')],
  deleteParameter: [on('lock-parameter', 'ssm:DeleteParameter')],
});

const tagging = permissions<TaggingPort>(taggingPort, {
  resourcesTagged: [on('any', 'tag:GetResources')],
});

const registry = new Map<object, Readonly<Record<string, readonly Grant[]>>>([
  acm,
  cloudFormation,
  codeCommit,
  costExplorer,
  ebs,
  ec2,
  ecr,
  iam,
  identity,
  organizations,
  rds,
  route53,
  s3,
  secretsManager,
  serviceQuotas,
  sesv2,
  ssm,
  tagging,
]);

/** One port method, named by its token: what the policy and the call sites agree on. */
export interface PortCall<T extends AsyncPort<T> = AsyncPort<object>> {
  readonly token: PortToken<T>;
  readonly method: keyof T & string;
}

/** `call(s3Port, 'bucketTags')`: checked against the port's methods at compile time. */
export function call<T extends AsyncPort<T>>(token: PortToken<T>, method: keyof T & string): PortCall {
  return { token, method } as unknown as PortCall;
}

/** The grants of one port method; a token or method missing from the registry is a bug. */
export function grantsOf(portCall: PortCall): readonly Grant[] {
  const grants = registry.get(portCall.token)?.[portCall.method];
  if (!grants)
    throw new StackguideError(
      `No IAM permissions are registered for ${portCall.token.service} ${portCall.method}`,
      {
        code: 'aws.permissions-unregistered',
        kind: 'bug',
      },
    );
  return grants;
}

/** Every registered port token, for the test that no port is left out. */
export function registeredPorts(): readonly object[] {
  return [...registry.keys()];
}

/**
 * The port method an AWS action is called by, for the AccessDenied explanation: AWS names the action it
 * refused (`cloudformation:CreateChangeSet`), and this says which registered grants hold it.
 */
export function grantsForAction(action: string): Array<{ service: string; method: string; grant: Grant }> {
  const found: Array<{ service: string; method: string; grant: Grant }> = [];
  const wanted = action.toLowerCase();
  for (const [token, methods] of registry)
    for (const [method, grants] of Object.entries(methods))
      for (const grant of grants)
        if (grant.actions.some((a) => a.toLowerCase() === wanted))
          found.push({ service: (token as PortToken<object>).service, method, grant });
  return found;
}
