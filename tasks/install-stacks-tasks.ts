import { Listr, type ListrRendererValue } from 'listr2';
import type { DeployedStack } from '../src/stacks/deploy-stack.ts';
import { type DeployStackTaskDeps, deployStackTask } from './deploy-stack-task.ts';

/**
 * The stacks of an install as a listr2 list, in blueprint order (a stack may depend only on earlier
 * ones, which the blueprint loader enforces). The renderer is chosen by the caller: the Ink bridge in a
 * terminal, silent otherwise (plain and NDJSON output come from the event bus).
 */
export async function runInstallStacks(
  deps: Omit<DeployStackTaskDeps, 'results'>,
  renderer: ListrRendererValue,
  rendererOptions: Record<string, unknown> = {},
): Promise<Record<string, DeployedStack>> {
  const results: Record<string, DeployedStack> = {};
  const list = new Listr(
    deps.plan.stacks.map((stack) => deployStackTask({ ...deps, results }, stack)),
    {
      concurrent: false,
      exitOnError: true,
      // One SIGINT owner: the AbortController at the top of the CLI.
      registerSignalListeners: false,
      renderer,
      rendererOptions,
    } as ConstructorParameters<typeof Listr>[1],
  );
  await list.run();
  return results;
}
