import type { StepEntry } from '../blueprint/blueprint-schema.ts';
import { StackguideError } from '../errors.ts';
import type { Prompter } from '../install/prompter.ts';
import type {
  AnyStepDefinition,
  AskContext,
  CheckResult,
  PlannedChange,
  SavedStepInputs,
  StepContext,
  StepOutputs,
  ValidateContext,
} from './step.ts';
import { findStepKind } from './step-kinds.ts';

/**
 * Runs a blueprint's preparation steps, phase by phase, for install, preflight and status. Each phase
 * walks the steps in blueprint order; outputs of earlier steps are visible to later ones.
 */
export type StepBase = Omit<StepContext, 'stepId' | 'stepOutputs'>;

export type StepInputs = Record<string, unknown>;

interface ResolvedStep {
  entry: StepEntry;
  definition: AnyStepDefinition;
  config: Record<string, unknown>;
}

function resolve(entry: StepEntry): ResolvedStep {
  const definition = findStepKind(entry.kind);
  if (!definition) {
    // The blueprint schema only admits registered kinds, so this is our bug, not the vendor's.
    throw new StackguideError(`No step kind "${entry.kind}" is registered`, {
      code: 'step.unknown-kind',
      kind: 'bug',
    });
  }
  const { id: _id, kind: _kind, title: _title, ...config } = entry;
  return { entry, definition, config };
}

/** Whether the step asks the operator anything (so the review can offer to ask it again). */
export function stepAsks(entry: StepEntry): boolean {
  return resolve(entry).definition.ask !== undefined;
}

export function stepTitle(entry: StepEntry): string {
  return entry.title ?? resolve(entry).definition.description;
}

/**
 * Validate phase: each step's local checks of its saved inputs, before any AWS call. The first step
 * whose inputs are unusable throws its usage error (exit 2).
 */
export async function validateSteps(
  steps: readonly StepEntry[],
  base: Omit<ValidateContext, 'stepId'>,
  saved: Readonly<Record<string, SavedStepInputs>> | undefined,
): Promise<void> {
  for (const entry of steps) {
    const { definition, config } = resolve(entry);
    await definition.validate?.({ ...base, stepId: entry.id }, config, saved?.[entry.id]);
  }
}

/**
 * Ask phase: what each step needs from the operator, or from the answers file when unattended.
 * `onSaveable` hears each step's saveable inputs as soon as it is asked, so a later step that fails
 * does not take the answers already typed with it.
 */
export async function askSteps(
  steps: readonly StepEntry[],
  base: StepBase & Pick<AskContext, 'prompter' | 'readOnly'>,
  saved: Readonly<Record<string, SavedStepInputs>> | undefined,
  onSaveable: (stepId: string, kept: SavedStepInputs) => void = () => undefined,
): Promise<{ inputs: Record<string, StepInputs>; saveable: Record<string, SavedStepInputs> }> {
  const inputs: Record<string, StepInputs> = {};
  const saveable: Record<string, SavedStepInputs> = {};
  for (const entry of steps) {
    const { inputs: asked, kept } = await askStep(entry, base, saved?.[entry.id]);
    inputs[entry.id] = asked;
    if (kept && Object.keys(kept).length > 0) {
      saveable[entry.id] = kept;
      onSaveable(entry.id, kept);
    }
  }
  return { inputs, saveable };
}

/**
 * One step's questions. A step that asked nothing took its inputs from the answers file: what the file
 * says for it is kept exactly as written (a step fills in defaults and tidies text as it reads them,
 * and the file must not be rewritten for that: README, "the file, comments included, stays as it is").
 * `reask`: asked again from the review, the file's inputs offered as defaults.
 */
export async function askStep(
  entry: StepEntry,
  base: StepBase & Pick<AskContext, 'prompter' | 'readOnly' | 'reask'>,
  saved: SavedStepInputs | undefined,
): Promise<{ inputs: StepInputs; kept: SavedStepInputs | undefined }> {
  const { definition, config } = resolve(entry);
  let questions = 0;
  const prompter = base.prompter ? countingPrompter(base.prompter, () => questions++) : undefined;
  const { prompter: _given, ...rest } = base;
  const context: AskContext = {
    ...rest,
    ...(prompter ? { prompter } : {}),
    stepId: entry.id,
    stepTitle: stepTitle(entry),
    stepOutputs: {},
  };
  const asked = definition.ask ? await definition.ask(context, config, saved) : {};
  const kept = questions === 0 && saved !== undefined ? saved : definition.saveable?.(asked);
  return { inputs: asked, kept };
}

/** The same prompter, telling each question asked (a heading is no question). */
function countingPrompter(prompter: Prompter, asked: () => void): Prompter {
  return {
    section: (title) => prompter.section(title),
    confirm(question) {
      asked();
      return prompter.confirm(question);
    },
    select(question) {
      asked();
      return prompter.select(question);
    },
    input(question) {
      asked();
      return prompter.input(question);
    },
    password(question) {
      asked();
      return prompter.password(question);
    },
  };
}

/** Check phase: read-only. Every result is emitted as it comes, so a long preflight shows progress. */
export async function checkSteps(
  steps: readonly StepEntry[],
  base: StepBase,
  inputs: Readonly<Record<string, StepInputs>>,
  stepOutputs: Readonly<Record<string, StepOutputs>> = {},
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const entry of steps) {
    const { definition, config } = resolve(entry);
    // Only the blueprint's own title: a check falls back to its own words, not to the kind's description.
    const titled = entry.title ? { stepTitle: entry.title } : {};
    const context: StepContext = { ...base, stepId: entry.id, ...titled, stepOutputs };
    for (const result of await definition.check(context, config, inputs[entry.id] ?? {})) {
      results.push(result);
      base.emit({ type: 'check.result', result });
    }
  }
  return results;
}

/** The step outputs the inputs already give, by step id (a manual step's typed URL), for the review. */
export function knownStepOutputs(
  steps: readonly StepEntry[],
  inputs: Readonly<Record<string, StepInputs>>,
): Record<string, StepOutputs> {
  const known: Record<string, StepOutputs> = {};
  for (const entry of steps) {
    const { definition, config } = resolve(entry);
    const outputs = definition.known?.(config, inputs[entry.id] ?? {});
    if (outputs && Object.keys(outputs).length > 0) known[entry.id] = outputs;
  }
  return known;
}

export async function planSteps(
  steps: readonly StepEntry[],
  base: StepBase,
  inputs: Readonly<Record<string, StepInputs>>,
): Promise<PlannedChange[]> {
  const changes: PlannedChange[] = [];
  for (const entry of steps) {
    const { definition, config } = resolve(entry);
    if (!definition.plan) continue;
    changes.push(
      ...(await definition.plan(
        { ...base, stepId: entry.id, stepOutputs: {} },
        config,
        inputs[entry.id] ?? {},
      )),
    );
  }
  return changes;
}

/** Apply one step (the install runs each as its own task); resolves with its outputs. */
export async function applyStep(
  entry: StepEntry,
  base: StepBase,
  inputs: StepInputs,
  stepOutputs: Readonly<Record<string, StepOutputs>>,
): Promise<StepOutputs> {
  const { definition, config } = resolve(entry);
  const context: StepContext = { ...base, stepId: entry.id, stepOutputs };
  base.emit({ type: 'step.started', step: entry.id, kind: entry.kind, title: stepTitle(entry) });
  let pending: string | undefined;
  const outputs = definition.apply
    ? await definition.apply(
        {
          ...context,
          pending: (waitingFor) => {
            pending = waitingFor;
          },
        },
        config,
        inputs,
      )
    : {};
  base.emit({
    type: 'step.completed',
    step: entry.id,
    outputs,
    ...(pending ? { pending } : {}),
    ...(definition.doneByOperator ? { confirmedByOperator: true } : {}),
  });
  return outputs;
}

/** A failed required check stops an install before anything is changed. */
export function blockingFailures(results: readonly CheckResult[]): CheckResult[] {
  return results.filter((result) => result.required && result.status === 'fail');
}

/** `rerun`: the command line that runs the same command again, as the operator gave it (rerunCommand). */
export function preflightError(failures: readonly CheckResult[], rerun: string): StackguideError {
  return new StackguideError(
    `${failures.length} required check${failures.length === 1 ? '' : 's'} failed: nothing was changed`,
    {
      code: 'preflight.failed',
      kind: 'aws',
      details: failures.map((failure) => ({
        path: failure.id,
        message: `${failure.title}: ${failure.summary}`,
        ...(failure.fix ? { fix: failure.fix } : {}),
      })),
      nextSteps: [`Fix each failed check, then run the same command again: ${rerun}`],
    },
  );
}
