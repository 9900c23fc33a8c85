import { oneOf } from '../did-you-mean.ts';
import { parseReferences } from '../references.ts';
import type { CheckInput, CheckProblem } from './blueprint-check.ts';

/**
 * Every `decommission.order` and `retain` entry is a blueprint stack id, or a name pattern with
 * `{{...}}` for a stack the platform creates itself. A plain word that is no stack id is a typo, and a
 * typo in `retain` would let destroy delete the stack it was meant to keep.
 */
export function decommissionNameProblems({ blueprint }: CheckInput): CheckProblem[] {
  const problems: CheckProblem[] = [];
  const ids = blueprint.stacks.map((stack) => stack.id);
  const questions = new Set(blueprint.questions.map((question) => question.id));
  const rules = blueprint.decommission;
  const lists = [
    ['order', rules.order ?? []],
    ['retain', rules.retain],
  ] as const;
  const idOf = (entry: string): string | undefined =>
    blueprint.stacks.find((stack) => stack.id === entry || stack.name === entry)?.id;
  for (const [key, entries] of lists) {
    const seen = new Set<string>();
    entries.forEach((entry, index) => {
      const at = ['decommission', key, index];
      if (seen.has(entry))
        problems.push({ segments: at, message: `"${entry}" is listed twice`, fix: 'List it once.' });
      seen.add(entry);
      const references = parseReferences(entry);
      if (references.length === 0) {
        if (!ids.includes(entry))
          problems.push({
            segments: at,
            message: `"${entry}" is not a stack id of this blueprint`,
            fix: `${oneOf(entry, ids)} A stack the platform creates itself is named by a pattern such as "{{deployment}}-${entry}".`,
          });
        return;
      }
      for (const { source, reference } of references) {
        if (!reference || reference.kind === 'stackOutput' || reference.kind === 'stepOutput')
          problems.push({
            segments: at,
            message: `{{${source}}} cannot be part of a stack name known at destroy time`,
            fix: 'Use only {{deployment}}, {{region}}, {{account}} and {{answers.<id>}} in a stack name.',
          });
        else if (reference.kind === 'answer' && !questions.has(reference.questionId))
          problems.push({
            segments: at,
            message: `{{${source}}} refers to no question`,
            fix: oneOf(reference.questionId, [...questions]),
          });
      }
    });
  }
  const retained = new Set(rules.retain.map((entry) => idOf(entry) ?? entry));
  (rules.order ?? []).forEach((entry, index) => {
    if (retained.has(idOf(entry) ?? entry))
      problems.push({
        segments: ['decommission', 'order', index],
        message: `"${entry}" is in both order and retain: it would never be deleted`,
        fix: 'Remove it from order (to keep it) or from retain (to delete it).',
      });
  });
  return problems;
}
