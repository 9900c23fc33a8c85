import type { CloudFormationPort } from '../aws/cloudformation-port.ts';
import { StackguideError } from '../errors.ts';
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

type Port = Pick<CloudFormationPort, 'listExports' | 'listImports'>;

/**
 * Checks the plan's order against ListExports and ListImports. Fails closed: when either cannot be
 * read (AccessDenied, throttling the SDK's retries did not outlast, anything else), destroy stops
 * before deleting anything and says why, and how to go on without the check (`--skip-export-check`).
 */
export async function checkExportOrder(plan: DestroyPlan, cloudFormation: Port): Promise<OrderProblem[]> {
  const exports = await readOrStop('ListExports', () => cloudFormation.listExports());
  const position = new Map(plan.stacks.map((stack, index) => [stack.stackId, index]));
  const indexByName = new Map(plan.stacks.map((stack, index) => [stack.name, index]));
  const retained = new Set(plan.retained.map((stack) => stack.name));
  const problems: OrderProblem[] = [];
  for (const item of exports) {
    const exporterIndex = position.get(item.exportingStackId);
    if (exporterIndex === undefined) continue;
    const exporter = plan.stacks[exporterIndex]?.name ?? item.exportingStackId;
    const importers = await readOrStop(`ListImports for ${item.name}`, () =>
      cloudFormation.listImports(item.name),
    );
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
  return problems;
}

async function readOrStop<T>(what: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const refused =
      error instanceof StackguideError && error.code === 'aws.access-denied' ? error : undefined;
    throw new StackguideError(
      `Nothing was deleted: the destroy order could not be checked against exports and imports (${what} failed: ${reason})`,
      {
        code: 'destroy.export-check-failed',
        kind: 'aws',
        // A refusal keeps its exit code (3: the credentials may not) and says how to grant it.
        ...(refused ? { exitCode: refused.exitCode } : {}),
        nextSteps: [
          ...(refused?.nextSteps.slice(0, 1) ?? [
            'Allow these credentials cloudformation:ListExports and cloudformation:ListImports, or run destroy again if AWS was throttling.',
          ]),
          'To go on without the check, knowingly: add --skip-export-check. CloudFormation still refuses to delete a stack whose export is in use; that stack then ends DELETE_FAILED, after its buckets may have been emptied.',
        ],
        cause: error,
      },
    );
  }
}
