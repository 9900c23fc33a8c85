import type { AcmPort } from '../aws/acm-port.ts';
import type { CloudFormationPort } from '../aws/cloudformation-port.ts';
import type { CodeCommitPort } from '../aws/codecommit-port.ts';
import type { EbsPort } from '../aws/ebs-port.ts';
import type { EcrPort } from '../aws/ecr-port.ts';
import type { Route53Port } from '../aws/route53-port.ts';
import type { S3Port } from '../aws/s3-port.ts';
import type { TaggingPort } from '../aws/tagging-port.ts';
import type { Blueprint } from '../blueprint/load-blueprint.ts';
import type { DeploymentState, DestroyRecord } from '../journal/journal.ts';
import type { DestroyPlanDetails } from '../output/destroy-plan-text.ts';
import { type BucketContents, measureBucket } from './bucket-contents.ts';
import type { DestroyPlan } from './destroy-plan.ts';
import {
  describeStepResource,
  findTaggedCertificates,
  findTaggedHostedZones,
  type StepResource,
  stepResourcesOf,
  type ZoneStep,
} from './step-resources.ts';
import {
  describeRepositories,
  type ExpectedResource,
  findTaggedVolumesAndSnapshots,
  type LeftoversReport,
  leftovers,
  type RepositoryContents,
  type TaggedEbsResource,
} from './tagged-resources.ts';

/**
 * What destroy measures around its plan: before the confirmation, how much each planned thing holds
 * (shown with the plan); after the teardown, what still carries the deployment tag. Reads only.
 */
type Rules = Blueprint['decommission'];

export interface DestroySurvey {
  buckets: BucketContents[];
  repositories: RepositoryContents[];
  /** Found now, shown in the plan, and re-checked one by one before deletion. */
  tagged: TaggedEbsResource[];
  /** What the preparation steps made: from the journal, and certificates found by the deployment tag. */
  stepResources: StepResource[];
}

export async function surveyDestroy(
  plan: DestroyPlan,
  rules: Rules,
  journaled: DeploymentState | undefined,
  ports: { s3: S3Port; ecr: EcrPort; ebs: EbsPort; acm: AcmPort; route53: Route53Port },
  /**
   * The blueprint's certificate and hosted-zone steps: ACM and Route53 are searched by the deployment
   * tag for what a run stopped before journaling it made.
   */
  steps: { certificates: boolean; zones: readonly ZoneStep[] } = { certificates: false, zones: [] },
): Promise<DestroySurvey> {
  const journaledResources = stepResourcesOf(journaled);
  const [buckets, repositories, tagged] = await Promise.all([
    rules.emptyBuckets ? Promise.all(plan.buckets.map((b) => measureBucket(ports.s3, b.bucket))) : [],
    rules.emptyRepositories
      ? describeRepositories(
          ports.ecr,
          plan.repositories.map((r) => r.repository),
        )
      : [],
    rules.deleteTaggedVolumesAndSnapshots
      ? findTaggedVolumesAndSnapshots(ports.ebs, plan.deployment, plan.platformTags)
      : [],
  ]);
  const taggedCertificates = steps.certificates
    ? await findTaggedCertificates(ports.acm, plan.deployment, journaledResources)
    : [];
  const taggedZones =
    steps.zones.length > 0
      ? await findTaggedHostedZones(ports.route53, plan.deployment, journaledResources, steps.zones)
      : [];
  return {
    buckets,
    repositories,
    tagged,
    stepResources: [...journaledResources, ...taggedCertificates, ...taggedZones],
  };
}

/** The survey as the plan text shows it. */
export function destroyPlanDetails(
  survey: DestroySurvey,
  options: { deleteCodeCommit: boolean; askCodeCommit?: boolean; resumedFrom?: string; dryRun?: boolean },
): DestroyPlanDetails {
  const { tagged, stepResources } = survey;
  return {
    deleteCodeCommit: options.deleteCodeCommit,
    ...(options.dryRun ? { dryRun: true } : {}),
    ...(options.askCodeCommit ? { askCodeCommit: true } : {}),
    ...(options.resumedFrom ? { resumedFrom: options.resumedFrom } : {}),
    repositoryImages: Object.fromEntries(survey.repositories.map((r) => [r.name, r.images])),
    extraSections: [
      ...(tagged.length > 0
        ? [
            [
              'EBS volumes and snapshots tagged with this deployment, deleted after the stacks:',
              ...tagged.map(
                (t) =>
                  `  - ${t.kind} ${t.id} (${t.sizeGiB} GiB, ${t.state}; ${t.ownedBy.key}=${t.ownedBy.value})`,
              ),
            ],
          ]
        : []),
      ...(stepResources.length > 0
        ? [
            [
              'Made by the preparation steps, deleted after the stacks (each only if still tagged for this deployment):',
              ...stepResources.flatMap((resource) => [
                `  - ${describeStepResource(resource)}`,
                // A delegation added by hand outside this account outlives the zone: say so before.
                ...(resource.kind === 'hostedZone' && resource.parentDomain
                  ? [
                      `    its delegation in ${resource.parentDomain} is removed too when ${resource.parentDomain} is a Route53 zone of this account; otherwise remove its NS records where you added them (destroy names them)`,
                    ]
                  : []),
              ]),
            ],
          ]
        : []),
    ],
    // In a terminal the plan may be compacted to fit (fittedDestroyPlanText): each thing still named,
    // a step's resource by its kind and short id, never by an ARN the terminal would fold.
    packedSections: [
      ...(tagged.length > 0
        ? [
            [
              `EBS volumes and snapshots tagged with this deployment, deleted after the stacks: ${tagged
                .map((t) => `${t.kind} ${t.id} (${t.sizeGiB} GiB)`)
                .join(', ')}`,
            ],
          ]
        : []),
      ...(stepResources.length > 0
        ? [
            [
              `Made by the preparation steps, deleted after the stacks: ${stepResources.map(shortStepResource).join(', ')}`,
              ...stepResources.flatMap((resource) =>
                resource.kind === 'hostedZone' && resource.parentDomain
                  ? [
                      `  its delegation in ${resource.parentDomain} is removed too when it is a Route53 zone of this account; otherwise remove its NS records where you added them`,
                    ]
                  : [],
              ),
            ],
          ]
        : []),
    ],
    bucketSizes: Object.fromEntries(
      survey.buckets.map((c) => [
        c.bucket,
        !c.exists
          ? 'already gone'
          : c.versions === 0 && c.deleteMarkers === 0
            ? 'empty'
            : `${c.objects} objects, ${c.versions} versions, ${c.deleteMarkers} delete markers, ${formatBytes(c.bytes)}`,
      ]),
    ),
  };
}

/** A step's resource by its kind and short id: `ACM certificate 7c33a9f3-…` for a certificate's ARN. */
function shortStepResource(resource: StepResource): string {
  return resource.kind === 'hostedZone'
    ? `hosted zone ${resource.domain} (${resource.zoneId})`
    : `ACM certificate ${resource.arn.slice(resource.arn.lastIndexOf('/') + 1)}`;
}

/** Narrows a fresh plan to what the interrupted destroy's plan listed (a stack recreated since is not ours to delete). */
export function keepOnlyWhatWasPlanned(plan: DestroyPlan, saved: DestroyRecord['plan']): void {
  const stacks = new Set(saved.stackIds);
  for (const stack of plan.stacks.filter((candidate) => !stacks.has(candidate.stackId)))
    plan.absent.push(`${stack.name} (not in the saved plan: left alone)`);
  plan.stacks = plan.stacks.filter((stack) => stacks.has(stack.stackId));
  plan.buckets = plan.buckets.filter((bucket) => saved.buckets.includes(bucket.bucket));
  plan.repositories = plan.repositories.filter((repository) =>
    saved.repositories.includes(repository.repository),
  );
  plan.terminationProtected = plan.terminationProtected.filter((name) =>
    plan.stacks.some((stack) => stack.name === name),
  );
}

/**
 * The leftovers report: what still carries the deployment tag, split into what is kept on purpose
 * (DeletionPolicy, retained stacks, CodeCommit not opted in, what the steps made and destroy keeps)
 * and what is not.
 */
export async function leftoversAfterDestroy(
  plan: DestroyPlan,
  rules: Rules,
  journaled: DeploymentState | undefined,
  deleteCodeCommit: boolean,
  ports: { cloudFormation: CloudFormationPort; tagging: TaggingPort; codeCommit: CodeCommitPort },
): Promise<LeftoversReport> {
  const expected: ExpectedResource[] = [
    ...plan.keptByPolicy.flatMap((k) =>
      k.physicalId
        ? [{ id: k.physicalId, reason: `${k.logicalId} in ${k.stack}: DeletionPolicy ${k.policy}` }]
        : [],
    ),
    ...(deleteCodeCommit ? [] : plan.codeCommitRepositories).map((name) => ({
      id: name,
      reason: 'CodeCommit repository: holds code, kept',
    })),
  ];
  // What the preparation steps made (a shared registry secret, an imported certificate, the hosted
  // zone) is not the stacks' to delete: it is kept, and expected in the report, with who made it.
  for (const [stepId, record] of Object.entries(journaled?.steps ?? {})) {
    // The zone and the certificate were deleted by the teardown; what else a step made (a shared secret) stays.
    if (record.kind === 'hostedZone' || record.kind === 'certificate') continue;
    for (const [key, value] of Object.entries(record.outputs ?? {})) {
      if (value.startsWith('arn:') || key === 'hostedZoneId')
        expected.push({
          id: value,
          reason: `made by the ${stepId} step (${record.kind}); kept, delete it yourself when nothing uses it`,
        });
    }
  }
  for (const retained of plan.retained) {
    const stack = await ports.cloudFormation.describeStack(retained.name);
    if (stack) expected.push({ id: stack.stackId, reason: `${retained.name}, kept by the blueprint` });
    for (const resource of await ports.cloudFormation.listStackResources(retained.name)) {
      if (resource.physicalResourceId)
        expected.push({
          id: resource.physicalResourceId,
          reason: `part of ${retained.name}, kept by the blueprint`,
        });
    }
  }
  return leftovers(ports.tagging, plan.deployment, {
    expected,
    platformTags: plan.platformTags,
    untaggable: {
      names: [...rules.untaggable, ...(deleteCodeCommit ? [] : plan.codeCommitRepositories)],
      codeCommit: ports.codeCommit,
    },
  });
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
