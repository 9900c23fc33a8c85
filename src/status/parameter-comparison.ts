import type { StackDescription } from '../aws/cloudformation-port.ts';
import type { Blueprint } from '../blueprint/load-blueprint.ts';
import type { AnswerValue } from '../blueprint/references.ts';
import { buildInstallPlan, type InstallPlan, NO_ECHO_VALUE, takesSecret } from '../install/install-plan.ts';
import { safeParameters } from '../upgrade/upgrade-plan.ts';

/**
 * The parameters a stack holds now against what the saved answers render to. An answers file that says
 * 300 while the stack holds 450 (a change that never reached AWS, an update someone made by hand) is
 * something to act on, not "healthy": the next install or upgrade would change the stack.
 *
 * NoEcho parameters and those filled from a secret answer are never compared and never shown:
 * CloudFormation answers NoEcho values as ****, and the answers file holds no secret to compare with.
 */
export interface ParameterComparison {
  /** Parameters whose deployed value is not what the answers render to, values as shown by DescribeStacks. */
  differ: Array<{ name: string; deployed: string; answers: string }>;
  /** Parameters not compared: NoEcho or from a secret answer. Names only. */
  notCompared: string[];
}

export interface DescribedStack {
  /** The blueprint stack id. */
  id: string;
  description: StackDescription | undefined;
}

/**
 * Each existing stack's comparison, by blueprint stack id; empty when there are no saved answers (status
 * without an answers file cannot know what the stacks should hold) or they do not make a plan.
 */
export function compareDeployedParameters(
  blueprint: Blueprint,
  scope: {
    deployment: string;
    region: string;
    account: string;
    answers: Readonly<Record<string, AnswerValue>> | undefined;
  },
  described: readonly DescribedStack[],
  stepOutputs: Record<string, Record<string, string>>,
): Record<string, ParameterComparison> {
  if (scope.answers === undefined) return {};
  let plan: InstallPlan;
  try {
    plan = buildInstallPlan(blueprint, { ...scope, answers: { ...scope.answers } });
  } catch {
    return {};
  }
  return comparePlannedParameters(blueprint, plan, described, stepOutputs);
}

/**
 * The same comparison for a plan already made: an upgrade's, once its live checks and --template have
 * changed it, so its change sets list what they will really send.
 */
export function comparePlannedParameters(
  blueprint: Blueprint,
  plan: InstallPlan,
  described: readonly DescribedStack[],
  stepOutputs: Record<string, Record<string, string>>,
): Record<string, ParameterComparison> {
  const stackOutputs: Record<string, Record<string, string>> = {};
  for (const { id, description } of described) if (description) stackOutputs[id] = description.outputs;
  const result: Record<string, ParameterComparison> = {};
  for (const { id, description } of described) {
    const planned = plan.stacks.find((stack) => stack.id === id);
    if (!planned || !description) continue;
    const declared = blueprint.templates[id]?.summary.parameters ?? {};
    const expected = safeParameters(plan, planned, stackOutputs, stepOutputs);
    const comparison: ParameterComparison = { differ: [], notCompared: [] };
    for (const [name, source] of Object.entries(planned.parameterSources)) {
      const deployed = description.parameters[name];
      if (declared[name]?.noEcho === true || takesSecret(plan, source) || deployed === NO_ECHO_VALUE) {
        comparison.notCompared.push(name);
        continue;
      }
      const answers = expected[name];
      // Not on the stack (an older template), or not renderable here (an output not published): unknown.
      if (deployed === undefined || answers === undefined || deployed === answers) continue;
      comparison.differ.push({ name, deployed, answers });
    }
    result[id] = comparison;
  }
  return result;
}
