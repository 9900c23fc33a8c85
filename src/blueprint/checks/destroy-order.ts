import { creationOrder, stackUses } from '../../graph/deployment-graph.ts';
import type { CheckInput, CheckProblem } from './blueprint-check.ts';

/**
 * The destroy order, checked against what the blueprint's own stacks use of each other: an
 * `Fn::ImportValue` of another stack's export (CloudFormation refuses to delete the exporter first, after
 * the buckets were already emptied) and a parameter filled from another stack's output. The user of a
 * stack must be deleted before it, and must not be kept while it goes. Stacks outside the blueprint are
 * checked against AWS when the plan is made.
 */
export function destroyOrderProblems({ blueprint, templates }: CheckInput): CheckProblem[] {
  const uses = stackUses(blueprint.stacks, templates);
  if (uses.length === 0) return [];
  const rules = blueprint.decommission;
  const idOf = (entry: string): string | undefined =>
    blueprint.stacks.find((stack) => stack.id === entry || stack.name === entry)?.id;
  // The same order the destroy plan builds: the explicit order, then the rest in reverse creation order.
  // Dependencies first, whatever order the file lists the stacks in (the loader returns them so).
  const reversed = creationOrder(blueprint, templates).reverse();
  const order = (rules.order ?? reversed.map((stack) => stack.id))
    .map((entry) => idOf(entry))
    .filter((id): id is string => id !== undefined);
  for (const stack of reversed) if (!order.includes(stack.id)) order.push(stack.id);
  const retained = new Set(rules.retain.map((entry) => idOf(entry)).filter((id) => id !== undefined));
  const orderIndex = (id: string): number => (rules.order ?? []).findIndex((entry) => idOf(entry) === id);

  const problems: CheckProblem[] = [];
  for (const use of uses) {
    if (retained.has(use.provider)) continue;
    const what = use.kind === 'export' ? `imports its export ${use.name}` : `takes its output ${use.name}`;
    if (retained.has(use.user)) {
      problems.push({
        segments: ['decommission', 'retain', rules.retain.findIndex((entry) => idOf(entry) === use.user)],
        message: `"${use.user}" is kept but ${what} from "${use.provider}", which destroy deletes`,
        fix: `Keep "${use.provider}" as well (add it to decommission.retain), or stop "${use.user}" using it.`,
      });
      continue;
    }
    if (order.indexOf(use.provider) < order.indexOf(use.user)) {
      const at = orderIndex(use.provider);
      problems.push({
        segments: at >= 0 ? ['decommission', 'order', at] : ['decommission', 'order'],
        message: `"${use.provider}" would be deleted before "${use.user}", which ${what}`,
        fix: `Put "${use.user}" before "${use.provider}" in decommission.order.`,
      });
    }
  }
  return problems;
}
