import type { AwsContext } from '../aws/aws-context.ts';
import { ssmPort } from '../aws/ssm-port.ts';
import type { BlueprintDocument } from '../blueprint/blueprint-schema.ts';
import { type AnswerValue, resolveValue } from '../blueprint/references.ts';
import { BLUEPRINT_TAG, DEPLOYMENT_TAG } from '../deployment-tags.ts';
import { StackguideError } from '../errors.ts';
import { lockHolderOf } from '../lock/deployment-lock.ts';
import type { CheckResult } from '../steps/step.ts';
import type { NameAvailability } from './questionnaire.ts';

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

/**
 * The same check as the name is typed (stack names built from answers not given yet are skipped; the
 * full check runs again after the questions), plus the lock: a name another run is installing,
 * upgrading or destroying right now. An AWS error here refuses nothing: the check after the questions
 * reports it with its fix.
 */
export function nameAvailability(
  blueprint: BlueprintDocument,
  scope: { region: string; account: string },
  aws: AwsContext,
): NameAvailability {
  return async (deployment) => {
    try {
      const check = await checkDeploymentName(blueprint, { ...scope, deployment, answers: {} }, aws);
      if (check.status === 'fail') return `${deployment} is ${check.summary}. ${check.fix ?? ''}`.trim();
      const holder = await lockHolderOf(aws.use(ssmPort), deployment);
      return holder
        ? `${deployment} is being changed right now by ${holder}. Wait for it to end, or pick another name.`
        : undefined;
    } catch (error) {
      if (error instanceof StackguideError) return undefined;
      throw error;
    }
  };
}
