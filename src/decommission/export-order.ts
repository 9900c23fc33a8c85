import type { CloudFormationPort } from '../aws/cloudformation-port.ts';
import { parseTemplate, resolveImportName } from '../stacks/cloudformation-template.ts';
import type { DestroyPlan } from './destroy-plan.ts';

/**
 * A stack cannot be deleted while another stack imports one of its exports: CloudFormation fails the
 * delete ("Export ... cannot be deleted as it is in use by ..."), after the buckets were already emptied.
 * So the plan's order is checked against what AWS says is exported and imported, before anything
 * happens: an importer must be deleted first, and must not be a stack the blueprint keeps or a stack
 * outside the deployment.
 */
export interface OrderProblem {
  exporter: string;
  exportName: string;
  importer: string;
  message: string;
  fix: string;
}

/**
 * How importers were found: ListImports (every stack in the region), the deployment's own templates
 * (where ListImports is not offered, as on moto: stacks outside the deployment are then not seen), or
 * not at all (no ListExports either: CloudFormation's own check at delete time still applies).
 */
export type OrderCheckSource = 'ListImports' | 'templates' | 'none';

type Port = Pick<CloudFormationPort, 'listExports' | 'listImports' | 'describeStack' | 'getTemplateBody'>;

export async function checkExportOrder(
  plan: DestroyPlan,
  cloudFormation: Port,
): Promise<{ problems: OrderProblem[]; source: OrderCheckSource }> {
  let exports: Array<{ name: string; exportingStackId: string }>;
  try {
    exports = await cloudFormation.listExports();
  } catch {
    return { problems: [], source: 'none' };
  }
  let source: OrderCheckSource = 'ListImports';
  let importersOf = (name: string): Promise<string[]> => cloudFormation.listImports(name);
  const position = new Map(plan.stacks.map((stack, index) => [stack.stackId, index]));
  const indexByName = new Map(plan.stacks.map((stack, index) => [stack.name, index]));
  const retained = new Set(plan.retained.map((stack) => stack.name));
  const problems: OrderProblem[] = [];
  for (const item of exports) {
    const exporterIndex = position.get(item.exportingStackId);
    if (exporterIndex === undefined) continue;
    const exporter = plan.stacks[exporterIndex]?.name ?? item.exportingStackId;
    let importers: string[];
    try {
      importers = await importersOf(item.name);
    } catch (error) {
      if (source !== 'ListImports') throw error;
      const fromTemplates = await importsInTemplates(plan, cloudFormation);
      source = 'templates';
      importersOf = async (name) => fromTemplates.get(name) ?? [];
      importers = await importersOf(item.name);
    }
    for (const importer of importers) {
      const importerIndex = indexByName.get(importer);
      const base = { exporter, exportName: item.name, importer };
      if (importerIndex !== undefined && importerIndex < exporterIndex) continue;
      if (importerIndex !== undefined) {
        problems.push({
          ...base,
          message: `${exporter} would be deleted before ${importer}, which imports its export ${item.name}`,
          fix: `Put ${importer} before ${exporter} in the blueprint's decommission.order.`,
        });
      } else if (retained.has(importer)) {
        problems.push({
          ...base,
          message: `${importer} is kept by the blueprint but imports ${item.name} from ${exporter}`,
          fix: `Keep ${exporter} as well (decommission.retain), or stop ${importer} importing ${item.name} first.`,
        });
      } else {
        problems.push({
          ...base,
          message: `${importer}, which is not part of this deployment, imports ${item.name} from ${exporter}`,
          fix: `Remove the import from ${importer} (or delete it) first: stackguide only deletes this deployment's stacks.`,
        });
      }
    }
  }
  return { problems, source };
}

/** Export name → names of the deployment's stacks (deleted or kept) whose templates import it. */
async function importsInTemplates(plan: DestroyPlan, cloudFormation: Port): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  const names = [...plan.stacks.map((stack) => stack.name), ...plan.retained.map((stack) => stack.name)];
  for (const name of names) {
    const [stack, body] = await Promise.all([
      cloudFormation.describeStack(name),
      cloudFormation.getTemplateBody(name).catch(() => undefined),
    ]);
    if (!stack || !body) continue;
    const context = {
      stackName: stack.stackName,
      region: plan.region,
      account: stack.stackId.split(':')[4] ?? '',
      parameters: stack.parameters,
    };
    for (const argument of parseTemplate(body).imports) {
      const exportName = resolveImportName(argument, context);
      if (exportName) found.set(exportName, [...(found.get(exportName) ?? []), name]);
    }
  }
  return found;
}
