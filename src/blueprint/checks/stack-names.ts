import { deploymentNameProblem } from '../answer-validation.ts';
import type { BlueprintDocument } from '../blueprint-schema.ts';
import { resolveValue } from '../references.ts';
import type { CheckInput, CheckProblem } from './blueprint-check.ts';

// CloudFormation's rule for stack names.
const STACK_NAME = /^[a-zA-Z][-a-zA-Z0-9]*$/;
const STACK_NAME_MAX = 128;

/**
 * Stack names as they will be, with a deployment name filled in: the default one and the longest the
 * rules allow. Each must be a valid CloudFormation name, and no two may be equal (one would update the
 * other). A name without {{deployment}} is shared by every deployment in the region: the second install
 * would take over the first one's stack.
 */
export function stackNameProblems({ blueprint }: CheckInput): CheckProblem[] {
  const problems: CheckProblem[] = [];
  blueprint.stacks.forEach((stack, index) => {
    if (!stack.name.includes('{{deployment}}'))
      problems.push({
        segments: ['stacks', index, 'name'],
        message: `"${stack.name}" does not contain {{deployment}}: every deployment in a region would share this stack`,
        fix: `Build the name from the deployment name, e.g. "{{deployment}}-${stack.id}".`,
      });
  });
  const samples = sampleDeploymentNames(blueprint);
  for (const sample of samples) {
    const names = new Map<string, number>();
    blueprint.stacks.forEach((stack, index) => {
      const name = fill(stack.name, blueprint, sample.name);
      const at = ['stacks', index, 'name'];
      const earlier = names.get(name);
      if (earlier !== undefined)
        problems.push({
          segments: at,
          message: `with the deployment name "${sample.name}" this stack is named "${name}", like stacks[${earlier}]`,
          fix: 'Give every stack its own name, e.g. "{{deployment}}-<stack id>".',
        });
      else names.set(name, index);
      if (name.length > STACK_NAME_MAX)
        problems.push({
          segments: at,
          message: `with ${sample.label} (${sample.name.length} characters) the stack name is ${name.length} characters, over CloudFormation's ${STACK_NAME_MAX}`,
          fix: `Shorten the name, or lower deployment.maxLength to ${blueprint.deployment.maxLength - (name.length - STACK_NAME_MAX)}.`,
        });
      else if (!STACK_NAME.test(name))
        problems.push({
          segments: at,
          message: `with ${sample.label} the stack name is "${name}", which CloudFormation refuses`,
          fix: 'A stack name starts with a letter and holds only letters, digits and dashes.',
        });
    });
    // One sample that shows a problem is enough: the others would repeat it.
    if (problems.length > 0) break;
  }
  return problems;
}

function fill(name: string, blueprint: BlueprintDocument, deployment: string): string {
  const answers: Record<string, string> = {};
  for (const question of blueprint.questions)
    answers[question.id] =
      'default' in question && question.default !== undefined ? String(question.default) : 'x';
  try {
    return resolveValue(
      name,
      { deployment, region: 'us-east-1', account: '123456789012', answers, stackOutputs: {} },
      'name',
    );
  } catch {
    return name;
  }
}

/** The default deployment name, and the longest name the pattern, length and suffix rules accept. */
function sampleDeploymentNames(blueprint: BlueprintDocument): Array<{ name: string; label: string }> {
  const rules = blueprint.deployment;
  const samples: Array<{ name: string; label: string }> = [];
  if (rules.default !== undefined && deploymentNameProblem(rules, rules.default) === undefined)
    samples.push({ name: rules.default, label: `the default deployment name "${rules.default}"` });
  const length = rules.maxLength;
  const candidates = [
    'a'.repeat(length),
    `${'a'.repeat(length - 1)}1`,
    `${'a'.repeat(length - 1)}b`,
    `a${'1'.repeat(length - 1)}`,
    'A'.repeat(length),
  ];
  try {
    const longest = candidates.find((candidate) => deploymentNameProblem(rules, candidate) === undefined);
    if (longest !== undefined) samples.push({ name: longest, label: 'the longest allowed deployment name' });
  } catch {
    // An invalid pattern is reported by the loader already.
  }
  return samples;
}
