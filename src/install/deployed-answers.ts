import type { AwsContext } from '../aws/aws-context.ts';
import { validateAnswer } from '../blueprint/answer-validation.ts';
import type { BlueprintDocument } from '../blueprint/blueprint-schema.ts';
import { type AnswerValue, parseReferences, resolveValue } from '../blueprint/references.ts';
import { BLUEPRINT_TAG, DEPLOYMENT_TAG } from '../deployment-tags.ts';
import { StackguideError } from '../errors.ts';
import { NO_ECHO_VALUE } from './install-plan.ts';

/**
 * The answers a deployment that exists runs with, read back from its stacks: a parameter filled by one
 * answer alone (`JobTimeoutSeconds: '{{answers.jobTimeoutSeconds}}'`) holds that answer as deployed. A
 * guided re-run without its answers file offers these instead of the blueprint's defaults, so pressing
 * Enter keeps what runs (trial finding 51: the re-install of `demo` offered 300 while the stack held 600).
 *
 * Only stacks of this deployment and blueprint (their stackguide tags say so) are read; never a secret
 * question, a NoEcho value (****), or a value its question would refuse. An AWS error reads as nothing
 * known: the name check after the questions reports it with its fix.
 */
export async function deployedAnswers(
  blueprint: BlueprintDocument,
  scope: { deployment: string; region: string; account: string },
  aws: AwsContext,
): Promise<Record<string, AnswerValue>> {
  const answers: Record<string, AnswerValue> = {};
  try {
    for (const [index, stack] of blueprint.stacks.entries()) {
      let name: string;
      try {
        name = resolveValue(stack.name, { ...scope, answers: {}, stackOutputs: {} }, `stacks[${index}].name`);
      } catch {
        continue; // A name built from answers or outputs cannot be known before they are.
      }
      const found = await aws.cloudFormation.describeStack(name);
      if (
        !found ||
        found.status === 'DELETE_COMPLETE' ||
        found.tags[DEPLOYMENT_TAG] !== scope.deployment ||
        found.tags[BLUEPRINT_TAG] !== blueprint.product.id
      )
        continue;
      for (const [key, source] of Object.entries(stack.parameters)) {
        const id = soleAnswer(source);
        const question = blueprint.questions.find((each) => each.id === id);
        const value = found.parameters[key];
        if (!question || question.type === 'secret' || value === undefined || value === NO_ECHO_VALUE)
          continue;
        const check = validateAnswer(question, value);
        if (check.ok && answers[question.id] === undefined) answers[question.id] = check.value;
      }
    }
  } catch (error) {
    if (error instanceof StackguideError) return answers;
    throw error;
  }
  return answers;
}

/** The question a value is exactly one answer of (`{{answers.id}}` and nothing else), or undefined. */
function soleAnswer(source: string | number | boolean): string | undefined {
  if (typeof source !== 'string') return undefined;
  const [only, ...more] = parseReferences(source);
  if (!only || more.length > 0 || only.reference?.kind !== 'answer') return undefined;
  // Nothing around the reference: `{{answers.size}}GB` does not hold the answer as it was given.
  return /^\{\{[^}]*\}\}$/.test(source.trim()) ? only.reference.questionId : undefined;
}
