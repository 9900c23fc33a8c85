import {
  type DeploymentGraph,
  type EdgeReason,
  findCycle,
  installGraph,
  type NodeId,
  refOf,
  upgradeGraph,
} from '../../graph/deployment-graph.ts';
import type { CheckInput, CheckProblem } from './blueprint-check.ts';

/**
 * A cycle in what must be done before what can never run: each stack of it waits for another. Found in
 * the install graph (dependsOn, outputs taken, exports imported) and in the upgrade graph (the same, plus
 * upgrade.order). The destroy order is checked against the same uses by destroy-order.ts.
 */
export function dependencyCycleProblems({ blueprint, templates }: CheckInput): CheckProblem[] {
  const problems: CheckProblem[] = [];
  const graph = installGraph(blueprint, templates);
  const install = findCycle(graph);
  if (install) problems.push(problem(blueprint.stacks, install, graph, ['stacks']));
  else {
    const upgrade = upgradeGraph(blueprint, templates);
    const cycle = findCycle(upgrade);
    if (cycle) problems.push(problem(blueprint.stacks, cycle, upgrade, ['upgrade', 'order']));
  }
  return problems;
}

function problem(
  stacks: CheckInput['blueprint']['stacks'],
  cycle: NodeId[],
  graph: DeploymentGraph,
  fallback: PropertyKey[],
): CheckProblem {
  const names = cycle.map(refOf);
  const links = cycle.slice(1).map((to, i) => {
    const from = cycle[i] as NodeId;
    const reasons = graph.edges.find((edge) => edge.from === from && edge.to === to)?.reasons ?? [];
    return `"${refOf(to)}" waits for "${refOf(from)}" (${reasons.map(describeReason).join(', ')})`;
  });
  const first = stacks.findIndex((stack) => stack.id === names[0]);
  return {
    segments: fallback[0] === 'stacks' && first >= 0 ? ['stacks', first] : fallback,
    message: `the stacks ${names.join(' → ')} form a cycle: ${links.join('; ')}; none of them could ever start`,
    fix: 'Remove one of these dependencies (a dependsOn, an output taken, an export imported, or an upgrade.order entry).',
  };
}

/** One reason in words, as validate prints it. */
export function describeReason(reason: EdgeReason): string {
  switch (reason.kind) {
    case 'dependsOn':
      return 'dependsOn';
    case 'output':
      return `output ${reason.key}`;
    case 'import':
      return `imports ${reason.exportName}`;
    case 'step':
      return `step output ${reason.key}`;
    case 'order':
      return 'blueprint order';
  }
}
