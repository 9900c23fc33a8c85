import type { BlueprintDocument, StackDefinition } from '../blueprint/blueprint-schema.ts';
import { asRecord, type LoadedTemplate } from '../blueprint/checks/blueprint-check.ts';
import { parseReferences } from '../blueprint/references.ts';
import { resolveImportName } from '../stacks/cloudformation-template.ts';

/**
 * What must be done before what, for install, upgrade and destroy: one graph per direction, built from
 * the blueprint alone (no AWS call), so `validate` can print it and refuse a cycle, and the flows can run
 * independent stacks at once.
 *
 * Node ids are the reference forms (`steps.zone`, `stacks.main`) so a step and a stack of the same id
 * stay apart. An edge `from → to` means `to` waits for `from`.
 */
export type NodeId = `steps.${string}` | `stacks.${string}`;

export interface GraphNode {
  id: NodeId;
  kind: 'step' | 'stack';
  /** The blueprint id of the step or stack (or, in a destroy graph, a stack name pattern). */
  ref: string;
}

/** Why an edge exists; an edge may have several reasons. */
export type EdgeReason =
  /** `dependsOn` of the stack. */
  | { kind: 'dependsOn' }
  /** A parameter, tag or name filled from `{{stacks.<id>.outputs.<key>}}`. */
  | { kind: 'output'; key: string }
  /** `Fn::ImportValue` of an export the other stack's template makes. */
  | { kind: 'import'; exportName: string }
  /** A value filled from `{{steps.<id>.<key>}}`. */
  | { kind: 'step'; key: string }
  /** The blueprint's explicit order: preparation steps in their order and before the stacks, upgrade.order, decommission.order. */
  | { kind: 'order' };

export interface GraphEdge {
  from: NodeId;
  to: NodeId;
  reasons: EdgeReason[];
}

export interface DeploymentGraph {
  /** In blueprint order: the order ties are broken in. */
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Destroy only: stacks the blueprint keeps, never deleted (decommission.retain). */
  retained?: string[];
}

type Templates = Readonly<Record<string, Pick<LoadedTemplate, 'document' | 'summary'>>>;

const stackNode = (id: string): NodeId => `stacks.${id}`;
const stepNode = (id: string): NodeId => `steps.${id}`;

/** The id of a node without its prefix (`stacks.main` → `main`). */
export function refOf(id: NodeId): string {
  return id.slice(id.indexOf('.') + 1);
}

class GraphBuilder {
  readonly nodes: GraphNode[] = [];
  readonly #edges = new Map<string, GraphEdge>();

  node(kind: GraphNode['kind'], ref: string): void {
    const id = kind === 'step' ? stepNode(ref) : stackNode(ref);
    if (!this.nodes.some((node) => node.id === id)) this.nodes.push({ id, kind, ref });
  }

  edge(from: NodeId, to: NodeId, reason: EdgeReason): void {
    if (from === to) return;
    const key = `${from}>${to}`;
    const edge = this.#edges.get(key) ?? { from, to, reasons: [] };
    if (!edge.reasons.some((known) => JSON.stringify(known) === JSON.stringify(reason)))
      edge.reasons.push(reason);
    this.#edges.set(key, edge);
  }

  build(retained?: string[]): DeploymentGraph {
    return { nodes: this.nodes, edges: [...this.#edges.values()], ...(retained ? { retained } : {}) };
  }
}

/**
 * The install graph: the preparation steps in blueprint order (the schema runs them "in this order
 * before the stacks", and some wait on the operator or on DNS), every stack after the last of them, and
 * a stack after every stack it depends on, takes an output of, or imports an export of.
 *
 * Steps stay one after another on purpose: a step may ask the operator or wait on the outside world
 * (delegation, validation), and one question at a time is the only way a terminal can ask them.
 */
export function installGraph(blueprint: BlueprintDocument, templates: Templates): DeploymentGraph {
  const graph = new GraphBuilder();
  let previous: NodeId | undefined;
  for (const step of blueprint.steps) {
    graph.node('step', step.id);
    if (previous) graph.edge(previous, stepNode(step.id), { kind: 'order' });
    previous = stepNode(step.id);
  }
  for (const stack of blueprint.stacks) graph.node('stack', stack.id);
  for (const stack of blueprint.stacks) {
    const to = stackNode(stack.id);
    if (previous) graph.edge(previous, to, { kind: 'order' });
    for (const dependency of stack.dependsOn) graph.edge(stackNode(dependency), to, { kind: 'dependsOn' });
    for (const value of referencedValues(stack))
      for (const { reference } of parseReferences(value)) {
        if (reference?.kind === 'stackOutput')
          graph.edge(stackNode(reference.stackId), to, { kind: 'output', key: reference.outputKey });
        if (reference?.kind === 'stepOutput')
          graph.edge(stepNode(reference.stepId), to, { kind: 'step', key: reference.key });
      }
  }
  for (const use of stackUses(blueprint.stacks, templates))
    if (use.kind === 'export')
      graph.edge(stackNode(use.provider), stackNode(use.user), { kind: 'import', exportName: use.name });
  return graph.build();
}

/**
 * The upgrade graph: the install graph's stacks (no preparation steps run), with `upgrade.order` as a
 * chain when the blueprint gives one (seed 002 updates the backup stack first, whatever else allows).
 */
export function upgradeGraph(blueprint: BlueprintDocument, templates: Templates): DeploymentGraph {
  const install = installGraph(blueprint, templates);
  const graph = new GraphBuilder();
  for (const node of install.nodes) if (node.kind === 'stack') graph.node('stack', node.ref);
  for (const edge of install.edges)
    if (edge.from.startsWith('stacks.') && edge.to.startsWith('stacks.'))
      for (const reason of edge.reasons) graph.edge(edge.from, edge.to, reason);
  chain(graph, blueprint.upgrade?.order ?? []);
  return graph.build();
}

/**
 * The destroy graph: the install graph's stack edges reversed (a stack goes before what it uses), with
 * `decommission.order` as a chain (the guide's teardown order, stacks the platform made itself
 * included, by name pattern), and the stacks in `decommission.retain` left out.
 */
export function destroyGraph(blueprint: BlueprintDocument, templates: Templates): DeploymentGraph {
  const rules = blueprint.decommission;
  const idOf = (entry: string): string =>
    blueprint.stacks.find((stack) => stack.id === entry || stack.name === entry)?.id ?? entry;
  const retained = rules.retain.map(idOf);
  const graph = new GraphBuilder();
  const order = (rules.order ?? []).map(idOf);
  for (const ref of order) if (!retained.includes(ref)) graph.node('stack', ref);
  // Blueprint stacks missing from an explicit order still go, after it, in reverse creation order.
  for (const stack of [...blueprint.stacks].reverse())
    if (!retained.includes(stack.id)) graph.node('stack', stack.id);
  const kept = (id: NodeId): boolean => retained.includes(refOf(id));
  for (const edge of installGraph(blueprint, templates).edges)
    if (
      edge.from.startsWith('stacks.') &&
      edge.to.startsWith('stacks.') &&
      !kept(edge.from) &&
      !kept(edge.to)
    )
      for (const reason of edge.reasons) graph.edge(edge.to, edge.from, reason);
  chain(
    graph,
    order.filter((ref) => !retained.includes(ref)),
  );
  return graph.build(retained);
}

function chain(graph: GraphBuilder, refs: readonly string[]): void {
  for (let i = 1; i < refs.length; i++)
    graph.edge(stackNode(refs[i - 1] as string), stackNode(refs[i] as string), { kind: 'order' });
}

/** Every value of a stack that may hold a `{{...}}` reference. */
function referencedValues(stack: StackDefinition): string[] {
  return [
    stack.name,
    ...(stack.templateUrl !== undefined ? [stack.templateUrl] : []),
    ...Object.values(stack.tags),
    ...Object.values(stack.parameters),
  ].filter((value): value is string => typeof value === 'string');
}

/** What each node waits for (its direct prerequisites), in node order. */
export function prerequisites(graph: DeploymentGraph): Map<NodeId, NodeId[]> {
  const after = new Map<NodeId, NodeId[]>(graph.nodes.map((node) => [node.id, []]));
  for (const edge of graph.edges) after.get(edge.to)?.push(edge.from);
  const index = new Map(graph.nodes.map((node, i) => [node.id, i]));
  for (const list of after.values()) list.sort((a, b) => (index.get(a) ?? 0) - (index.get(b) ?? 0));
  return after;
}

/**
 * A cycle, as the nodes in it with the first repeated at the end (`a → b → a`), or undefined when the
 * graph has none. Found by depth-first search from each node in order, so the answer is stable.
 */
export function findCycle(graph: DeploymentGraph): NodeId[] | undefined {
  const next = new Map<NodeId, NodeId[]>(graph.nodes.map((node) => [node.id, []]));
  for (const edge of graph.edges) next.get(edge.from)?.push(edge.to);
  const state = new Map<NodeId, 'open' | 'done'>();
  const path: NodeId[] = [];
  const visit = (id: NodeId): NodeId[] | undefined => {
    state.set(id, 'open');
    path.push(id);
    for (const to of next.get(id) ?? []) {
      if (state.get(to) === 'open') return [...path.slice(path.indexOf(to)), to];
      if (state.get(to) === undefined) {
        const found = visit(to);
        if (found) return found;
      }
    }
    path.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const node of graph.nodes) {
    if (state.has(node.id)) continue;
    const found = visit(node.id);
    if (found) return found;
  }
  return undefined;
}

/**
 * The nodes in waves: each wave is what can run at once once the waves before it are done (unlimited
 * concurrency). Ties keep node order. Nodes on a cycle never become ready and are left out.
 */
export function waves(graph: DeploymentGraph): NodeId[][] {
  const after = prerequisites(graph);
  const done = new Set<NodeId>();
  const result: NodeId[][] = [];
  for (;;) {
    const wave = graph.nodes
      .map((node) => node.id)
      .filter((id) => !done.has(id) && (after.get(id) ?? []).every((from) => done.has(from)));
    if (wave.length === 0) return result;
    for (const id of wave) done.add(id);
    result.push(wave);
  }
}

/** The nodes one after another in an order the graph allows (waves flattened). */
export function topologicalOrder(graph: DeploymentGraph): NodeId[] {
  return waves(graph).flat();
}

export interface StackUse {
  /** The stack that is used: it must exist first and outlive its user. */
  provider: string;
  user: string;
  kind: 'export' | 'output';
  name: string;
}

/** Which blueprint stack uses which: an output in a parameter, or an `Fn::ImportValue` of an export. */
export function stackUses(stacks: readonly StackDefinition[], templates: Templates): StackUse[] {
  const uses: StackUse[] = [];
  const exporters = new Map<string, string>();
  for (const stack of stacks) {
    const document = templates[stack.id]?.document;
    if (!document) continue;
    for (const raw of Object.values(asRecord(document.Outputs))) {
      const name = exportName(asRecord(asRecord(raw).Export).Name, stack, templates);
      if (name !== undefined) exporters.set(name, stack.id);
    }
  }
  for (const stack of stacks) {
    for (const value of Object.values(stack.parameters)) {
      if (typeof value !== 'string') continue;
      for (const { reference } of parseReferences(value))
        if (reference?.kind === 'stackOutput' && reference.stackId !== stack.id)
          uses.push({
            provider: reference.stackId,
            user: stack.id,
            kind: 'output',
            name: reference.outputKey,
          });
    }
    for (const argument of templates[stack.id]?.summary.imports ?? []) {
      const name = exportName(argument, stack, templates);
      const provider = name === undefined ? undefined : exporters.get(name);
      if (name !== undefined && provider !== undefined && provider !== stack.id)
        uses.push({ provider, user: stack.id, kind: 'export', name });
    }
  }
  return uses;
}

/**
 * An export or import name with the stack's parameters filled in as the blueprint writes them
 * (`{{deployment}}-VpcId`), so an exporter and an importer of the same deployment match by text.
 */
function exportName(argument: unknown, stack: StackDefinition, templates: Templates): string | undefined {
  if (argument === undefined) return undefined;
  const parameters: Record<string, string> = {};
  for (const [name, parameter] of Object.entries(templates[stack.id]?.summary.parameters ?? {}))
    if (parameter.default !== undefined) parameters[name] = parameter.default;
  for (const [name, value] of Object.entries(stack.parameters)) parameters[name] = String(value);
  return resolveImportName(argument, {
    stackName: stack.name,
    region: '{{region}}',
    account: '{{account}}',
    parameters,
  });
}

/**
 * The blueprint's stacks, dependencies first: each time, the first stack in file order whose
 * prerequisites are placed, so a file already in creation order keeps its order.
 */
export function creationOrder(blueprint: BlueprintDocument, templates: Templates): StackDefinition[] {
  const after = prerequisites(installGraph(blueprint, templates));
  const placed = new Set<string>();
  const ordered: StackDefinition[] = [];
  for (;;) {
    const next = blueprint.stacks.find(
      (stack) =>
        !placed.has(stack.id) &&
        (after.get(stackNode(stack.id)) ?? []).every(
          (id) => !id.startsWith('stacks.') || placed.has(refOf(id)),
        ),
    );
    if (!next) break;
    placed.add(next.id);
    ordered.push(next);
  }
  // A cycle (refused by validate) leaves stacks unplaced: keep them, in file order.
  return [...ordered, ...blueprint.stacks.filter((stack) => !placed.has(stack.id))];
}
