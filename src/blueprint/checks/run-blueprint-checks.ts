import type { BlueprintDocument } from '../blueprint-schema.ts';
import type { CheckInput, CheckProblem, LoadedTemplate } from './blueprint-check.ts';
import { decommissionNameProblems } from './decommission-names.ts';
import { dependencyCycleProblems } from './dependency-cycles.ts';
import { destroyOrderProblems } from './destroy-order.ts';
import { fileTemplateProblems } from './file-templates.ts';
import { capabilityProblems } from './iam-capabilities.ts';
import { loadNestedTemplates } from './nested-templates.ts';
import { placeholderProblems } from './placeholders.ts';
import { questionParameterProblems } from './question-parameters.ts';
import { stackNameProblems } from './stack-names.ts';
import { templateLimitProblems } from './template-limits.ts';

const CHECKS: ReadonlyArray<(input: CheckInput) => CheckProblem[]> = [
  decommissionNameProblems,
  dependencyCycleProblems,
  destroyOrderProblems,
  capabilityProblems,
  stackNameProblems,
  templateLimitProblems,
  questionParameterProblems,
  placeholderProblems,
];

/**
 * The checks that look at the blueprint and its templates together: what would fail at a change set or,
 * worse, at destroy time. Local only (files in the folder), so validate, install, upgrade and destroy all
 * run them before their first AWS call.
 */
export async function runBlueprintChecks(
  blueprint: BlueprintDocument,
  dir: string,
  templates: Readonly<Record<string, LoadedTemplate>>,
): Promise<{ problems: CheckProblem[]; nested: CheckInput['nested'] }> {
  const [loaded, fileProblems] = await Promise.all([
    loadNestedTemplates(blueprint, dir, templates),
    fileTemplateProblems(blueprint, dir),
  ]);
  const input: CheckInput = { blueprint, dir, templates, nested: loaded.nested };
  return {
    problems: [...loaded.problems, ...fileProblems, ...CHECKS.flatMap((check) => check(input))],
    nested: loaded.nested,
  };
}
