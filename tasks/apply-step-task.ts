import type { ListrTask } from 'listr2';
import type { StepEntry } from '../src/blueprint/blueprint-schema.ts';
import type { Journal } from '../src/journal/journal.ts';
import { applyStep, type StepBase, type StepInputs, stepTitle } from '../src/steps/run-steps.ts';

export interface ApplyStepTaskDeps {
  base: StepBase;
  inputs: Readonly<Record<string, StepInputs>>;
  /** Filled as steps complete; later steps and the stacks read it. */
  stepOutputs: Record<string, Record<string, string>>;
  journal: Journal;
}

/** One listr2 task that applies one preparation step (idempotent: an already-right step changes nothing). */
export function applyStepTask(deps: ApplyStepTaskDeps, entry: StepEntry): ListrTask {
  const title = stepTitle(entry);
  return {
    title,
    task: async (_context, task) => {
      // Journaled before and after, so `status`, `destroy` and a resumed install know what the step made.
      await deps.journal.recordStep(entry.id, { kind: entry.kind, status: 'applying' });
      try {
        const outputs = await applyStep(entry, deps.base, deps.inputs[entry.id] ?? {}, {
          ...deps.stepOutputs,
        });
        deps.stepOutputs[entry.id] = outputs;
        await deps.journal.recordStep(entry.id, { kind: entry.kind, status: 'applied', outputs });
      } catch (error) {
        await deps.journal.recordStep(entry.id, { kind: entry.kind, status: 'failed' });
        throw error;
      }
      task.title = `${title}: done`;
    },
  };
}
