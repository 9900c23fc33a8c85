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
    ...section('Destroy', graphs.destroy),
    ...(graphs.destroy.retained?.length ? [`  kept by destroy: ${graphs.destroy.retained.join(', ')}`] : []),
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
