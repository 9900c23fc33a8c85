import { describeReason } from '../blueprint/checks/dependency-cycles.ts';
import {
  type DeploymentGraph,
  type GraphNode,
  type NodeId,
  prerequisites,
  refOf,
  waves,
} from './deployment-graph.ts';

/**
 * The graphs as `validate` prints them: text for people (what runs at once, and what each node waits
 * for and why), or Mermaid for `--output graph` (a flowchart GitHub and most Markdown viewers draw; DOT
 * would need Graphviz installed to be seen).
 */
export interface BlueprintGraphs {
  install: DeploymentGraph;
  upgrade: DeploymentGraph;
  destroy: DeploymentGraph;
}

export function graphText(graphs: BlueprintGraphs): string[] {
  return [
    ...section('Install', graphs.install),
    ...section('Upgrade', graphs.upgrade),
    ...destroySection(graphs.destroy),
    ...(graphs.destroy.retained?.length
      ? [`  kept by destroy: ${graphs.destroy.retained.map(placeholders).join(', ')}`]
      : []),
  ];
}

/**
 * A stack name pattern as an operator reads it: `{{deployment}}-jupyterhub` → `<deployment>-jupyterhub`,
 * `{{answers.x}}` → `<x>` (trial finding 71: the braces read as a template left unfilled).
 */
function placeholders(ref: string): string {
  return ref.replace(/\{\{\s*(?:answers\.)?([^}\s]+)\s*\}\}/g, '<$1>');
}

/**
 * Destroy as `stackguide destroy` runs it (trial finding 71: the waves read "at once" while destroy
 * deletes one stack at a time): the stacks in the plan's order (src/decommission/destroy-plan.ts:
 * `decommission.order`, then the other blueprint stacks newest first), which is the destroy graph's
 * node order, each with what it must go before. A stack the blueprint does not declare (one the
 * platform made) is deleted only when it exists.
 */
function destroySection(graph: DeploymentGraph): string[] {
  if (graph.nodes.length === 0) return ['Destroy: nothing to do'];
  const after = prerequisites(graph);
  return [
    'Destroy, one stack at a time:',
    ...graph.nodes.map((node, index) => {
      const waits = (after.get(node.id) ?? []).flatMap((from) => {
        const reasons = (graph.edges.find((edge) => edge.from === from && edge.to === node.id)?.reasons ?? [])
          .filter((reason) => reason.kind !== 'order')
          .map(describeReason);
        return reasons.length > 0 ? [`${placeholders(refOf(from))}: ${reasons.join(', ')}`] : [];
      });
      const pattern = node.ref.includes('{{') ? ' (if it exists: the platform makes it)' : '';
      return `  ${index + 1}. stack ${placeholders(node.ref)}${pattern}${waits.length > 0 ? ` (after ${waits.join('; ')})` : ''}`;
    }),
  ];
}

function section(title: string, graph: DeploymentGraph): string[] {
  if (graph.nodes.length === 0) return [`${title}: nothing to do`];
  const lines = [`${title}:`];
  const after = prerequisites(graph);
  const kindOf = (id: NodeId): GraphNode['kind'] =>
    graph.nodes.find((node) => node.id === id)?.kind ?? 'stack';
  // What a node waits for, the steps' own chain left out (line order says it).
  const why = (id: NodeId): string => {
    const waits = (after.get(id) ?? []).flatMap((from) => {
      const reasons = graph.edges.find((edge) => edge.from === from && edge.to === id)?.reasons ?? [];
      if (kindOf(from) === 'step' && reasons.every((reason) => reason.kind === 'order')) return [];
      return [
        `${kindOf(from) === 'step' ? 'step ' : ''}${refOf(from)}: ${reasons.map(describeReason).join(', ')}`,
      ];
    });
    return waits.length > 0 ? ` (after ${waits.join('; ')})` : '';
  };
  const numbered: string[] = [];
  let steps: string[] = [];
  const flushSteps = (): void => {
    if (steps.length > 0) numbered.push(`preparation steps, one after another: ${steps.join(', ')}`);
    steps = [];
  };
  for (const wave of waves(graph)) {
    if (wave.length === 1 && kindOf(wave[0] as NodeId) === 'step') {
      steps.push(refOf(wave[0] as NodeId));
      continue;
    }
    flushSteps();
    const entries = wave.map((id) => `${kindOf(id)} ${refOf(id)}${why(id)}`);
    numbered.push(`${entries.length > 1 ? 'at once: ' : ''}${entries.join(', ')}`);
  }
  flushSteps();
  numbered.forEach((line, index) => {
    lines.push(`  ${index + 1}. ${line}`);
  });
  return lines;
}

/** One Mermaid flowchart with a subgraph per command; an edge's label says why it exists. */
export function graphMermaid(graphs: BlueprintGraphs): string[] {
  const lines = ['flowchart TD'];
  for (const [prefix, title, graph] of [
    ['i', 'install', graphs.install],
    ['u', 'upgrade', graphs.upgrade],
    ['d', 'destroy', graphs.destroy],
  ] as const) {
    lines.push(`  subgraph ${prefix}[${title}]`);
    const key = (id: NodeId): string => `${prefix}_${id.replace(/[^a-zA-Z0-9_]/g, '_')}`;
    for (const node of graph.nodes)
      lines.push(`    ${key(node.id)}["${node.kind} ${mermaidText(node.ref)}"]`);
    for (const edge of graph.edges)
      lines.push(
        `    ${key(edge.from)} -->|"${mermaidText(edge.reasons.map(describeReason).join(', '))}"| ${key(edge.to)}`,
      );
    lines.push('  end');
  }
  return lines;
}

/** Mermaid labels in double quotes take any text but a double quote; braces are entity-escaped. */
function mermaidText(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/\{/g, '#123;').replace(/\}/g, '#125;');
}
