import { grantsOf, type ResourceKind } from '../aws/port-permissions.ts';
import type { Blueprint } from '../blueprint/load-blueprint.ts';
import type { AnswerValue } from '../blueprint/references.ts';
import { DEPLOYMENT_TAG } from '../deployment-tags.ts';
import { StackguideError } from '../errors.ts';
import { lockParameterName } from '../lock/deployment-lock.ts';
import { artifactsBucketName } from '../packaging/package-templates.ts';
import { CHANGE_SET_PREFIX } from '../stacks/stale-change-sets.ts';
import { passedRoles } from './passed-roles.ts';
import { RESOURCE_HANDLERS } from './resource-handlers.ts';
import { POLICY_COMMANDS, type PolicyCommand, templateResourceTypes, toolCalls } from './tool-calls.ts';

/** Who and where the policy is for; what is not known yet becomes a `*` in the ARNs. */
export interface PolicyTarget {
  deployment?: string;
  region?: string;
  account?: string;
  answers?: Readonly<Record<string, AnswerValue>>;
}

export type Condition = Record<string, Record<string, string | string[]>>;

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  /** Only in a trust policy: who may assume the role. */
  Principal?: { Service: string };
  Action: string[];
  /** Absent only in a trust policy, whose resource is the role itself. */
  Resource?: string | string[];
  Condition?: Condition;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

/** One line per statement for the operator: what it allows, where, for which commands, and why. */
export interface StatementSummary {
  document: 'operator' | 'service role';
  sid: string;
  actions: number;
  where: string;
  commands: readonly PolicyCommand[];
  why: readonly string[];
}

export interface Policies {
  operator: PolicyDocument;
  /** With `--service-role`: the role CloudFormation uses for the templates' resources. */
  serviceRole?: { name: string; arn: string; policy: PolicyDocument; trustPolicy: PolicyDocument };
  summaries: StatementSummary[];
  /** Resource types of the templates, each covered by the shipped handler table. */
  resourceTypes: string[];
}

/** IAM's limit for a managed policy, whitespace excluded: a larger document must be split. */
export const MANAGED_POLICY_LIMIT = 6144;

interface Where {
  resources: string[];
  what: string;
  condition?: Condition;
}

/**
 * The operator policy for install, status, watch, upgrade and destroy of one blueprint: every action
 * stackguide calls (src/policy/tool-calls.ts, through the port registry src/aws/port-permissions.ts),
 * one statement per kind of resource, scoped to the deployment's stacks, lock parameter, secrets,
 * buckets and tags where the action allows it. Without a service role it also holds what CloudFormation
 * does with the operator's credentials (the templates' resource handlers); with one, that goes into the
 * role's policy and the operator gets iam:PassRole on the role instead.
 */
export function buildPolicies(
  blueprint: Blueprint,
  target: PolicyTarget,
  options: { serviceRole: boolean },
): Policies {
  const resourceTypes = templateResourceTypes(blueprint);
  const unknown = resourceTypes.filter((type) => !RESOURCE_HANDLERS[type]);
  if (unknown.length > 0)
    throw new StackguideError(
      `No permissions are known for ${unknown.join(', ')}: the policy for ${blueprint.product.id} cannot be complete`,
      {
        code: 'policy.unknown-resource-type',
        kind: 'user',
        details: unknown.map((type) => ({
          path: type,
          message: 'not in the resource handler table of this stackguide version',
          fix: "Add the type's handler permissions (its CloudFormation resource schema, `handlers`) to src/policy/resource-handlers.ts.",
        })),
      },
    );

  const arn = arnBuilder(target);
  const byKind = new Map<
    ResourceKind,
    { actions: Set<string>; commands: Set<PolicyCommand>; why: string[] }
  >();
  for (const need of toolCalls(blueprint))
    for (const grant of grantsOf(need.call)) {
      if (grant.actions.length === 0 || (need.on !== undefined && grant.resource !== need.on)) continue;
      const entry = byKind.get(grant.resource) ?? { actions: new Set(), commands: new Set(), why: [] };
      for (const action of grant.actions) entry.actions.add(action);
      for (const command of need.commands) entry.commands.add(command);
      if (!entry.why.includes(need.why)) entry.why.push(need.why);
      byKind.set(grant.resource, entry);
    }

  const statements: PolicyStatement[] = [];
  const summaries: StatementSummary[] = [];
  for (const kind of KIND_ORDER) {
    const entry = byKind.get(kind);
    if (!entry) continue;
    const places = wherePlaces(kind, blueprint, target, arn);
    places.forEach((place, index) => {
      const sid = `${SIDS[kind]}${places.length > 1 ? index + 1 : ''}`;
      statements.push({
        Sid: sid,
        Effect: 'Allow',
        Action: [...entry.actions].sort(),
        Resource: place.resources.length === 1 ? (place.resources[0] as string) : place.resources,
        ...(place.condition ? { Condition: place.condition } : {}),
      });
      summaries.push({
        document: 'operator',
        sid,
        actions: entry.actions.size,
        where: place.what,
        commands: POLICY_COMMANDS.filter((command) => entry.commands.has(command)),
        why: entry.why,
      });
    });
  }

  const allHandlerActions = [
    ...new Set(resourceTypes.flatMap((type) => Object.values(RESOURCE_HANDLERS[type] ?? {}).flat())),
  ].sort();
  const stackOf = (stackId: string) => blueprint.stacks.find((stack) => stack.id === stackId);
  // iam:PassRole never on `*`: only on the roles the templates can pass (src/policy/passed-roles.ts).
  const handlerActions = allHandlerActions.filter((action) => action !== 'iam:PassRole');
  const passed = allHandlerActions.includes('iam:PassRole')
    ? passedRoles(blueprint, {
        stackName: (stackId) => fill(stackOf(stackId)?.name ?? stackId, target),
        substitute: (stackId, variable) => {
          if (variable === 'AWS::AccountId') return target.account;
          if (variable === 'AWS::Region') return target.region;
          const value = stackOf(stackId)?.parameters[variable];
          return typeof value === 'string' ? fill(value, target) : undefined;
        },
        roleArn: (resource) => arn('iam', '', resource),
      })
    : undefined;
  const handlerWhy = [`CloudFormation creates, updates and deletes ${resourceTypes.join(', ')}`];
  const stackCommands: PolicyCommand[] = ['install', 'upgrade', 'destroy'];
  const passStatement: PolicyStatement | undefined = passed && {
    Sid: 'PassTemplateRoles',
    Effect: 'Allow',
    Action: ['iam:PassRole'],
    Resource: passed.resources.length === 1 ? (passed.resources[0] as string) : passed.resources,
    ...(passed.condition ? { Condition: passed.condition } : {}),
  };
  const passSummary = (document: StatementSummary['document'], why: string): StatementSummary[] =>
    passed
      ? [
          {
            document,
            sid: 'PassTemplateRoles',
            actions: 1,
            where: passed.what,
            commands: stackCommands,
            why: [why],
          },
        ]
      : [];
  let serviceRole: Policies['serviceRole'];
  if (options.serviceRole) {
    const name = `stackguide-${target.deployment ?? '*'}-cloudformation`;
    const roleArn = arn('iam', '', `role/${name}`);
    statements.push({
      Sid: 'PassServiceRole',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: roleArn,
      Condition: { StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
    });
    summaries.push({
      document: 'operator',
      sid: 'PassServiceRole',
      actions: 1,
      where: `the service role ${name}, to CloudFormation only`,
      commands: stackCommands,
      why: ['hand the stacks to CloudFormation with --role-arn'],
    });
    serviceRole = {
      name,
      arn: roleArn,
      policy: {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'TemplateResources', Effect: 'Allow', Action: handlerActions, Resource: '*' },
          ...(passStatement ? [passStatement] : []),
        ],
      },
      trustPolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'CloudFormationAssumes',
            Effect: 'Allow',
            // A trust policy names who may assume the role: CloudFormation, for this account's stacks.
            Principal: { Service: 'cloudformation.amazonaws.com' },
            Action: ['sts:AssumeRole'],
            ...(target.account
              ? { Condition: { StringEquals: { 'aws:SourceAccount': target.account } } }
              : {}),
          },
        ],
      },
    };
    summaries.push({
      document: 'service role',
      sid: 'TemplateResources',
      actions: handlerActions.length,
      where: 'any resource (the templates name theirs at deploy time)',
      commands: stackCommands,
      why: handlerWhy,
    });
    summaries.push(
      ...passSummary('service role', 'CloudFormation hands these roles to the resources that use them'),
    );
  } else if (handlerActions.length > 0) {
    statements.push({ Sid: 'TemplateResources', Effect: 'Allow', Action: handlerActions, Resource: '*' });
    summaries.push({
      document: 'operator',
      sid: 'TemplateResources',
      actions: handlerActions.length,
      where: 'any resource (the templates name theirs at deploy time)',
      commands: stackCommands,
      why: [`${handlerWhy[0]} with these credentials (no service role)`],
    });
    if (passStatement) statements.push(passStatement);
    summaries.push(
      ...passSummary(
        'operator',
        'CloudFormation hands these roles to the resources that use them, with these credentials',
      ),
    );
  }
  return {
    operator: { Version: '2012-10-17', Statement: statements },
    ...(serviceRole ? { serviceRole } : {}),
    summaries,
    resourceTypes,
  };
}

/** Characters IAM counts against the managed-policy limit (whitespace is not counted). */
export function policySize(document: PolicyDocument): number {
  return JSON.stringify(document).length;
}

const KIND_ORDER: readonly ResourceKind[] = [
  'stack',
  'lock-parameter',
  'artifacts-bucket',
  'artifacts-object',
  'stack-bucket',
  'stack-object',
  'secret',
  'service-linked-role',
  'hosted-zone',
  'certificate',
  'ecr-repository',
  'codecommit-repository',
  'tagged-volume',
  'tagged-snapshot',
  'any',
];

const SIDS: Record<ResourceKind, string> = {
  any: 'ReadAccountAndRegion',
  stack: 'DeploymentStacks',
  'lock-parameter': 'DeploymentLock',
  secret: 'StepSecrets',
  'artifacts-bucket': 'ArtifactsBucket',
  'artifacts-object': 'ArtifactsObjects',
  'stack-bucket': 'StackBuckets',
  'stack-object': 'StackBucketObjects',
  'ecr-repository': 'StackRepositories',
  'codecommit-repository': 'CodeCommitRepositories',
  'hosted-zone': 'HostedZones',
  certificate: 'Certificates',
  'service-linked-role': 'ServiceLinkedRoles',
  'tagged-volume': 'TaggedVolumes',
  'tagged-snapshot': 'TaggedSnapshots',
};

/**
 * `arn('ssm', HERE, 'parameter/x')`: HERE is the target's region (or `*`); global services pass '' as
 * the region, and S3 and Route53 '' as the account too, as their ARNs have none.
 */
type ArnBuilder = (service: string, region: string, resource: string, account?: string) => string;

const HERE = '<region>';

function arnBuilder(target: PolicyTarget): ArnBuilder {
  const region = target.region ?? '*';
  const partition = region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  return (service, where, resource, account = target.account ?? '*') =>
    `arn:${partition}:${service}:${where === HERE ? region : where}:${account}:${resource}`;
}

/** A blueprint name template (`{{deployment}}-data`) for this target; what is not known is `*`. */
function fill(template: string, target: PolicyTarget): string {
  return template.replace(/\{\{\s*([^}]+?)\s*\}\}/g, (_whole, inner: string) => {
    if (inner === 'deployment') return target.deployment ?? '*';
    if (inner === 'region') return target.region ?? '*';
    if (inner === 'account') return target.account ?? '*';
    const answer = inner.startsWith('answers.')
      ? target.answers?.[inner.slice('answers.'.length)]
      : undefined;
    return answer === undefined ? '*' : Array.isArray(answer) ? answer.join(',') : String(answer);
  });
}

function wherePlaces(
  kind: ResourceKind,
  blueprint: Blueprint,
  target: PolicyTarget,
  arn: ArnBuilder,
): Where[] {
  const deployment = target.deployment ?? '*';
  const stackNames = [
    ...new Set([
      ...blueprint.stacks.map((stack) => fill(stack.name, target)),
      // Stacks the platform creates itself, which destroy deletes (or keeps) by name.
      ...[...(blueprint.decommission.order ?? []), ...blueprint.decommission.retain]
        .filter((entry) => entry.includes('{{') || !blueprint.stacks.some((stack) => stack.id === entry))
        .map((entry) => fill(entry, target)),
    ]),
  ];
  const hasNested = Object.values(blueprint.nested).some((nested) => nested.length > 0);
  const tagCondition = (key: string, value: string): Condition =>
    value.includes('*')
      ? { StringLike: { [`aws:ResourceTag/${key}`]: value } }
      : { StringEquals: { [`aws:ResourceTag/${key}`]: value } };
  const ownershipTags = [
    { key: DEPLOYMENT_TAG, value: deployment },
    ...Object.entries(blueprint.decommission.platformTags).map(([key, value]) => ({
      key,
      value: fill(value, target),
    })),
  ];
  switch (kind) {
    case 'any':
      return [{ resources: ['*'], what: 'any resource (these actions take none of the deployment)' }];
    case 'stack':
      return [
        {
          resources: [
            ...stackNames.map((name) => arn('cloudformation', HERE, `stack/${name}/*`)),
            // Nested stacks are named after their parent: <parent>-<logical id>-<random>.
            ...(hasNested ? stackNames.map((name) => arn('cloudformation', HERE, `stack/${name}-*/*`)) : []),
            arn('cloudformation', HERE, `changeSet/${CHANGE_SET_PREFIX}*/*`),
          ],
          what: `the stacks ${stackNames.join(', ')}${hasNested ? ' and their nested stacks' : ''}, and stackguide's change sets`,
        },
      ];
    case 'lock-parameter': {
      const name = lockParameterName(deployment);
      return [{ resources: [arn('ssm', HERE, `parameter${name}`)], what: `the lock parameter ${name}` }];
    }
    case 'secret': {
      const names = blueprint.steps
        .filter((step) => step.kind === 'registrySecret')
        .map((step) => fill(String(step.secretName ?? 'dockerhub/creds'), target));
      return [
        {
          // Secrets Manager adds a dash and six random characters to a secret's name in its ARN.
          resources: names.map((name) => arn('secretsmanager', HERE, `secret:${name}-??????`)),
          what: `the secrets ${names.join(', ')}`,
        },
      ];
    }
    case 'artifacts-bucket':
    case 'artifacts-object': {
      const bucket =
        target.deployment && target.account && target.region
          ? artifactsBucketName(target.deployment, target.account, target.region)
          : `sg-${deployment.toLowerCase()}-*`;
      return kind === 'artifacts-bucket'
        ? [{ resources: [arn('s3', '', bucket, '')], what: `the artifacts bucket ${bucket}` }]
        : [
            {
              resources: [arn('s3', '', `${bucket}/*`, '')],
              what: `the objects of the artifacts bucket ${bucket}`,
            },
          ];
    }
    case 'stack-bucket':
    case 'stack-object': {
      const suffix = kind === 'stack-object' ? '/*' : '';
      // A bucket the template names itself can be called anything; CloudFormation names the others
      // after the stack (<stack>-<logical id>-<random>, lower case).
      if (templatesNameBuckets(blueprint))
        return [
          {
            resources: [arn('s3', '', `*${suffix}`, '')],
            what: `any bucket${suffix ? "'s objects" : ''} (the templates name their buckets)`,
          },
        ];
      return [
        {
          resources: stackNames.map((name) => arn('s3', '', `${name.toLowerCase()}-*${suffix}`, '')),
          what: `the stacks' buckets${suffix ? "' objects" : ''} (${stackNames.map((name) => `${name.toLowerCase()}-*`).join(', ')})`,
        },
      ];
    }
    case 'ecr-repository':
      return [{ resources: [arn('ecr', HERE, 'repository/*')], what: 'image repositories of the region' }];
    case 'codecommit-repository': {
      const names = blueprint.decommission.codeCommitRepositories.map((name) => fill(name, target));
      const resources =
        names.length > 0
          ? names.map((name) => arn('codecommit', HERE, name))
          : [arn('codecommit', HERE, '*')];
      return [{ resources, what: `the CodeCommit repositories ${names.join(', ') || 'of the region'}` }];
    }
    case 'hosted-zone':
      return [
        {
          resources: [arn('route53', '', 'hostedzone/*', '')],
          what: 'hosted zones (ids are made when created)',
        },
      ];
    case 'certificate':
      return [
        // Any region: a certificate for CloudFront is requested in us-east-1 whatever the deployment's region.
        { resources: [arn('acm', '*', 'certificate/*')], what: 'ACM certificates of the account' },
      ];
    case 'service-linked-role': {
      const services = blueprint.steps
        .filter((step) => step.kind === 'serviceLinkedRoles')
        .flatMap((step) => (Array.isArray(step.services) ? step.services.map(String) : []));
      return [
        {
          resources: services.map((service) => arn('iam', '', `role/aws-service-role/${service}/*`)),
          what: `the service-linked roles of ${services.join(', ')}`,
          condition: { StringLike: { 'iam:AWSServiceName': services } },
        },
      ];
    }
    case 'tagged-volume':
    case 'tagged-snapshot':
      // IAM ANDs the keys of one condition: each ownership tag gets its own statement.
      return ownershipTags.map((tag) => ({
        resources: [
          kind === 'tagged-volume' ? arn('ec2', HERE, 'volume/*') : arn('ec2', HERE, 'snapshot/*', ''),
        ],
        what: `${kind === 'tagged-volume' ? 'EBS volumes' : 'EBS snapshots'} tagged ${tag.key}=${tag.value}`,
        condition: tagCondition(tag.key, tag.value),
      }));
  }
}

function templatesNameBuckets(blueprint: Blueprint): boolean {
  const named = (resources: Record<string, unknown>) =>
    Object.values(resources).some((raw) => {
      const resource = raw as { Type?: unknown; Properties?: Record<string, unknown> } | undefined;
      return resource?.Type === 'AWS::S3::Bucket' && resource.Properties?.BucketName !== undefined;
    });
  return (
    Object.values(blueprint.templates).some((template) =>
      named((template.document.Resources ?? {}) as Record<string, unknown>),
    ) ||
    Object.values(blueprint.nested)
      .flat()
      .some((nested) => named((nested.document.Resources ?? {}) as Record<string, unknown>))
  );
}
