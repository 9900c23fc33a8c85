import { Listr, type ListrRendererValue } from 'listr2';
import type { StepEntry } from '../src/blueprint/blueprint-schema.ts';
import type { DeployedStack } from '../src/stacks/deploy-stack.ts';
import type { StepBase, StepInputs } from '../src/steps/run-steps.ts';
import { applyStepTask } from './apply-step-task.ts';
import { type DeployStackTaskDeps, deployStackTask } from './deploy-stack-task.ts';

export interface InstallTasksDeps extends Omit<DeployStackTaskDeps, 'results' | 'stepOutputs'> {
  steps: readonly StepEntry[];
  stepBase: StepBase;
  stepInputs: Readonly<Record<string, StepInputs>>;
  /** Outputs of steps applied by an earlier run (from the journal): an upgrade's stacks still refer to them. */
  earlierStepOutputs?: Readonly<Record<string, Record<string, string>>>;
}

/**
 * The execute phase of an install as one listr2 list: the preparation steps in blueprint order, then
 * the stacks in blueprint order (a stack may depend only on earlier ones, which the loader enforces).
 * The renderer is the caller's: the Ink bridge in a terminal, silent otherwise (plain and NDJSON output
 * come from the event bus).
 */
export async function runInstallTasks(
  deps: InstallTasksDeps,
  renderer: ListrRendererValue,
  rendererOptions: Record<string, unknown> = {},
): Promise<Record<string, DeployedStack>> {
  const results: Record<string, DeployedStack> = {};
  const stepOutputs: Record<string, Record<string, string>> = { ...deps.earlierStepOutputs };
  const list = new Listr(
    [
      ...deps.steps.map((entry) =>
        applyStepTask(
          { base: deps.stepBase, inputs: deps.stepInputs, stepOutputs, journal: deps.journal },
          entry,
        ),
      ),
      ...deps.plan.stacks.map((stack) => deployStackTask({ ...deps, results, stepOutputs }, stack)),
    ],
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
