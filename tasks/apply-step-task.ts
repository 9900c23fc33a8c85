import type { ListrTask } from 'listr2';
import type { StepEntry } from '../src/blueprint/blueprint-schema.ts';
import { applyStep, type StepBase, type StepInputs, stepTitle } from '../src/steps/run-steps.ts';

export interface ApplyStepTaskDeps {
  base: StepBase;
  inputs: Readonly<Record<string, StepInputs>>;
  /** Filled as steps complete; later steps and the stacks read it. */
  stepOutputs: Record<string, Record<string, string>>;
}

/** One listr2 task that applies one preparation step (idempotent: an already-right step changes nothing). */
export function applyStepTask(deps: ApplyStepTaskDeps, entry: StepEntry): ListrTask {
  const title = stepTitle(entry);
  return {
    title,
    task: async (_context, task) => {
      deps.stepOutputs[entry.id] = await applyStep(entry, deps.base, deps.inputs[entry.id] ?? {}, {
        ...deps.stepOutputs,
      });
      task.title = `${title}: done`;
    },
  };
}
