import type { CloudFormationPort, StackDescription } from '../aws/cloudformation-port.ts';
import type { Blueprint } from '../blueprint/load-blueprint.ts';
import { type AnswerValue, resolveValue } from '../blueprint/references.ts';
import { DEPLOYMENT_TAG } from '../deployment-tags.ts';
import { StackguideError } from '../errors.ts';
import type { DestroyPlan } from '../events.ts';
import { parseTemplate } from '../stacks/cloudformation-template.ts';

/**
 * The destroy plan: everything `stackguide destroy` will do, decided and shown before anything happens.
 * Built from the blueprint (which stacks, in which order, which are kept) and from what AWS holds now
 * (each stack's resources, its buckets and repositories, what DeletionPolicy keeps). Only stacks that
 * belong to the deployment are ever in it: tagged with its deployment tag, or named by its blueprint.
 */
// The plan's shape is part of the event vocabulary (`destroy.plan`), which is a leaf.
export type { DestroyPlan, StackToDelete } from '../events.ts';

export interface DestroyPlanInput {
  blueprint: Blueprint;
  deployment: string;
  region: string;
  answers: Readonly<Record<string, AnswerValue>>;
  cloudFormation: CloudFormationPort;
}

export async function buildDestroyPlan(input: DestroyPlanInput): Promise<DestroyPlan> {
  const { blueprint, deployment, region, cloudFormation } = input;
  const scope = { deployment, region, answers: input.answers, stackOutputs: {} };
  const nameOf = (reference: string, where: string): string => {
    const stack = blueprint.stacks.find((candidate) => candidate.id === reference);
    return resolveValue(stack ? stack.name : reference, scope, where);
  };
  const rules = blueprint.decommission;
  const order = (rules.order ?? [...blueprint.stacks].reverse().map((stack) => stack.id)).map((ref, i) =>
    nameOf(ref, `decommission.order[${i}]`),
  );
  const retainedNames = new Set(rules.retain.map((ref, i) => nameOf(ref, `decommission.retain[${i}]`)));
  // Blueprint stacks missing from an explicit order still go, last, in reverse creation order.
  for (const stack of [...blueprint.stacks].reverse()) {
    const name = resolveValue(stack.name, scope, 'stacks.name');
    if (!order.includes(name)) order.push(name);
  }

  const plan: DestroyPlan = {
    deployment,
    region,
    stacks: [],
    retained: [],
    absent: [],
    buckets: [],
    repositories: [],
    keptByPolicy: [],
    terminationProtected: [],
    codeCommitRepositories: rules.codeCommitRepositories.map((ref, i) =>
      resolveValue(ref, scope, `decommission.codeCommitRepositories[${i}]`),
    ),
    cautions: rules.cautions,
    untaggedButDeclared: [],
    unreadableTemplates: [],
    platformTags: Object.entries(rules.platformTags).map(([key, value]) => ({
      key,
      value: resolveValue(value, scope, `decommission.platformTags.${key}`),
    })),
  };

  const described = await Promise.all(
    order.map(async (name) => ({ name, stack: await cloudFormation.describeStack(name) })),
  );
  for (const { name, stack } of described) {
    if (!stack || stack.status === 'DELETE_COMPLETE') {
      plan.absent.push(name);
      continue;
    }
    if (retainedNames.has(name)) {
      plan.retained.push({ name, status: stack.status });
      continue;
    }
    if (stack.tags[DEPLOYMENT_TAG] !== undefined && stack.tags[DEPLOYMENT_TAG] !== deployment) {
      // Same name, another deployment's tag: not ours, whatever the pattern says.
      plan.absent.push(name);
      continue;
    }
    if (stack.tags[DEPLOYMENT_TAG] === undefined) plan.untaggedButDeclared.push(name);
    plan.stacks.push({
      name,
      stackId: stack.stackId,
      status: stack.status,
      ...(stack.roleArn ? { roleArn: stack.roleArn } : {}),
    });
    if (stack.terminationProtection) plan.terminationProtected.push(name);
    await collectResources(cloudFormation, stack, name, plan);
  }
  // Kept stacks the platform creates itself (OpenSARlab's cognito) are in no order: look them up too.
  for (const name of retainedNames) {
    if (plan.retained.some((kept) => kept.name === name) || plan.absent.includes(name)) continue;
    const stack = await cloudFormation.describeStack(name);
    const ours = stack?.tags[DEPLOYMENT_TAG] === undefined || stack.tags[DEPLOYMENT_TAG] === deployment;
    if (stack && stack.status !== 'DELETE_COMPLETE' && ours)
      plan.retained.push({ name, status: stack.status });
    else plan.absent.push(name);
  }
  return plan;
}

/** Buckets, repositories and DeletionPolicy-kept resources of a stack and its nested stacks. */
async function collectResources(
  cloudFormation: CloudFormationPort,
  stack: StackDescription,
  label: string,
  plan: DestroyPlan,
): Promise<void> {
  const resources = await cloudFormation.listStackResources(stack.stackId);
  // Without the template the plan cannot tell what DeletionPolicy keeps: it goes on (the stacks can
  // still be deleted), but says so in the plan, with the permission that would let it see.
  const body = await cloudFormation.getTemplateBody(stack.stackId).catch((error: unknown) => {
    plan.unreadableTemplates.push(unreadableTemplate(label, stack.stackId, error));
    return undefined;
  });
  const template = body ? safeParse(body) : undefined;
  for (const resource of resources) {
    const physicalId = resource.physicalResourceId;
    const policy = template?.resources[resource.logicalResourceId]?.deletionPolicy;
    if (policy === 'Retain' || policy === 'RetainExceptOnCreate') {
      plan.keptByPolicy.push({
        stack: label,
        logicalId: resource.logicalResourceId,
        type: resource.resourceType,
        policy,
        ...(physicalId ? { physicalId } : {}),
      });
      continue;
    }
    if (!physicalId || resource.status === 'DELETE_COMPLETE') continue;
    if (resource.resourceType === 'AWS::S3::Bucket')
      plan.buckets.push({ stack: label, logicalId: resource.logicalResourceId, bucket: physicalId });
    if (resource.resourceType === 'AWS::ECR::Repository')
      plan.repositories.push({ stack: label, logicalId: resource.logicalResourceId, repository: physicalId });
    if (resource.resourceType === 'AWS::CloudFormation::Stack') {
      const nested = await cloudFormation.describeStack(physicalId);
      if (nested)
        await collectResources(cloudFormation, nested, `${label}/${resource.logicalResourceId}`, plan);
    }
  }
}

function safeParse(body: string): ReturnType<typeof parseTemplate> | undefined {
  try {
    return parseTemplate(body);
  } catch {
    return undefined;
  }
}

/** Why a stack's template could not be read, and what to do, as the plan shows it. */
function unreadableTemplate(
  stack: string,
  stackId: string,
  error: unknown,
): DestroyPlan['unreadableTemplates'][number] {
  const consequence =
    'what it keeps by DeletionPolicy is unknown: such resources are not listed as remaining, and a bucket it keeps is emptied like the others';
  if (error instanceof StackguideError && error.code === 'aws.access-denied')
    return {
      stack,
      message: `AWS refused cloudformation:GetTemplate: ${consequence}`,
      fix: `Grant cloudformation:GetTemplate on ${stackId} (stackguide policy prints it in DeploymentStacks), then run destroy again to see the full plan.`,
    };
  return {
    stack,
    message: `its template could not be read (${error instanceof Error ? error.message : String(error)}): ${consequence}`,
    fix: 'Run destroy again to read it before anything is deleted.',
  };
}
