import type { AwsContext } from '../aws/aws-context.ts';
import type { BlueprintDocument } from '../blueprint/blueprint-schema.ts';
import { type AnswerValue, resolveValue } from '../blueprint/references.ts';
import { BLUEPRINT_TAG, DEPLOYMENT_TAG } from '../deployment-tags.ts';
import type { CheckResult } from '../steps/step.ts';

/**
 * Seed 001: "the deployment name must be unique in the account and region". The pattern and reserved
 * suffixes are checked with the answers; this looks at AWS: a stack already holding one of this
 * deployment's stack names is fine only when it is this deployment (its stackguide tags say so), which
 * is how a re-run resumes or updates. A stack of the same name that belongs to another deployment, to
 * another blueprint, or to no stackguide deployment at all would be updated in place by mistake: fail.
 */
export async function checkDeploymentName(
  blueprint: BlueprintDocument,
  scope: {
    deployment: string;
    region: string;
    account: string;
    answers: Readonly<Record<string, AnswerValue>>;
  },
  aws: AwsContext,
): Promise<CheckResult> {
  const names = blueprint.stacks.flatMap((stack, index) => {
    try {
      return [resolveValue(stack.name, { ...scope, stackOutputs: {} }, `stacks[${index}].name`)];
    } catch {
      return []; // A name built from another stack's outputs cannot be known before that stack exists.
    }
  });
  const found = await Promise.all(names.map((name) => aws.cloudFormation.describeStack(name)));
  const existing = found.filter((stack) => stack !== undefined && stack.status !== 'DELETE_COMPLETE');
  const foreign = existing.filter(
    (stack) =>
      stack?.tags[DEPLOYMENT_TAG] !== scope.deployment || stack.tags[BLUEPRINT_TAG] !== blueprint.product.id,
  );
  const base = {
    id: 'deployment.name',
    step: 'deployment',
    title: `Deployment name ${scope.deployment} is free in ${scope.region}`,
    required: true,
    facts: { stacks: names, existing: existing.map((stack) => stack?.stackName) },
  };
  if (foreign.length > 0) {
    const owners = foreign.map((stack) => {
      const owner = stack?.tags[DEPLOYMENT_TAG];
      return `${stack?.stackName} (${owner ? `deployment ${owner} of ${stack?.tags[BLUEPRINT_TAG] ?? 'another blueprint'}` : 'not created by stackguide'})`;
    });
    return {
      ...base,
      status: 'fail',
      summary: `taken: ${owners.join(', ')}`,
      fix: `Pick another deployment name (--name), or remove those stacks first if they are leftovers. stackguide never takes over a stack it did not create for this deployment.`,
    };
  }
  return {
    ...base,
    status: 'pass',
    summary:
      existing.length === 0
        ? `no stack named ${names.join(', ')} exists`
        : `${existing.map((stack) => stack?.stackName).join(', ')} already belong to this deployment: this run resumes or updates it`,
  };
}
