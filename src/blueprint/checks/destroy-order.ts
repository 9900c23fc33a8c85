import { resolveImportName } from '../../stacks/cloudformation-template.ts';
import type { StackDefinition } from '../blueprint-schema.ts';
import { parseReferences } from '../references.ts';
import { asRecord, type CheckInput, type CheckProblem } from './blueprint-check.ts';

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
  const order = (rules.order ?? [...blueprint.stacks].reverse().map((stack) => stack.id))
    .map((entry) => idOf(entry))
    .filter((id): id is string => id !== undefined);
  for (const stack of [...blueprint.stacks].reverse()) if (!order.includes(stack.id)) order.push(stack.id);
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

interface StackUse {
  /** The stack that is used: it must outlive its user. */
  provider: string;
  user: string;
  kind: 'export' | 'output';
  name: string;
}

function stackUses(stacks: readonly StackDefinition[], templates: CheckInput['templates']): StackUse[] {
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
function exportName(
  argument: unknown,
  stack: StackDefinition,
  templates: CheckInput['templates'],
): string | undefined {
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
