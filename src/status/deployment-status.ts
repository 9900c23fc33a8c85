import type { AwsContext } from '../aws/aws-context.ts';
import type { Blueprint } from '../blueprint/load-blueprint.ts';
import { resolveValue } from '../blueprint/references.ts';
import type { StackguideEvent } from '../events.ts';
import type { AnswersFile } from '../install/answers-file.ts';
import type { AnswersSource } from '../install/deployment-answers-file.ts';
import type { DeploymentState } from '../journal/journal.ts';
import type { Clock } from '../runtime/clock.ts';
import type { Settings } from '../settings.ts';
import { maskSecretOutputs, secretOutputNames } from '../stacks/secret-outputs.ts';
import { isSuccess } from '../stacks/stack-status.ts';
import { askSteps, blockingFailures, checkSteps, type StepInputs, stepTitle } from '../steps/run-steps.ts';
import type { CheckResult, StepOutputs } from '../steps/step.ts';
import { compareDeployedParameters } from './parameter-comparison.ts';
import { detectDrift } from './stack-drift.ts';
import {
  type StackStatusInput,
  type StatusSection,
  type StatusState,
  statusSections,
  worst,
} from './status-sections.ts';

/**
 * What `stackguide status` shows, gathered read-only: each stack as CloudFormation reports it now, and
 * each preparation step's checks (the hosted zone and its delegation per parent server and resolver,
 * the certificate's status, expiry, renewal and users, SES access, the registry secret, ...). The
 * steps' checks are the same code preflight runs, fed with the outputs the journal recorded when they
 * were applied, so status and preflight can never disagree about what "right" means.
 */
export interface DeploymentStatus {
  deployment: string;
  region: string;
  stacks: StackStatusInput[];
  steps: Array<{ id: string; kind: string; title: string; checks: CheckResult[] }>;
  /** Every stack complete and no required check failing. */
  healthy: boolean;
  /** The same, by section, each item healthy, needing action (with the next one) or not checkable. */
  sections: StatusSection[];
  /** The worst section's state: what the exit code says. */
  state: StatusState;
  /**
   * When the journal records a completed destroy and no stack exists: when it completed. The terminal
   * then shows the stacks and folds the preparation, which only a re-install would go through.
   */
  destroyedAt?: string;
  /** The answers file status chose itself (no --config or --name named the deployment), said on screen. */
  answers?: AnswersSource;
}

export interface StatusSources {
  blueprint: Blueprint;
  saved: AnswersFile | undefined;
  journal: DeploymentState | undefined;
  deployment: string;
  region: string;
  account: string;
  aws: AwsContext;
  clock: Clock;
  signal: AbortSignal;
  env: Readonly<Record<string, string | undefined>>;
  settings: Settings;
  /** `--drift`: run drift detection on the stacks and wait for it, instead of showing the last result. */
  drift?: boolean;
  /** The command that applies the saved answers (install with this answers file): a parameter that differs names it. */
  applyCommand?: string;
  /** Where the saved answers came from, when status chose the file itself. */
  answers?: AnswersSource;
}

export async function gatherStatus(sources: StatusSources): Promise<DeploymentStatus> {
  const { blueprint, deployment, region } = sources;
  const answers = sources.saved?.answers ?? {};
  const scope = { deployment, region, account: sources.account, answers, stackOutputs: {} };
  const described = Promise.all(
    blueprint.stacks.map(async (stack, index) => {
      const name = resolveValue(stack.name, scope, `stacks[${index}].name`);
      return { id: stack.id, name, description: await sources.aws.cloudFormation.describeStack(name) };
    }),
  );
  const stacksRead = described.then((read) =>
    read.map(({ id, name, description }) => {
      // An output echoing a secret answer is masked here, before any event, screen or file sees it.
      const secret = secretOutputNames(blueprint, id);
      return {
        name,
        description: description && {
          ...description,
          outputs: maskSecretOutputs(description.outputs, secret),
        },
      };
    }),
  );
  // Checks report through their results; the events they emit on the way are for live screens only.
  const quiet = (_event: StackguideEvent): void => undefined;
  const base = {
    region,
    account: sources.account,
    deployment,
    answers,
    aws: sources.aws,
    clock: sources.clock,
    signal: sources.signal,
    emit: quiet,
    env: sources.env,
    settings: sources.settings,
  };
  const inputs = await stepInputs(sources, base);
  const stepOutputs: Record<string, StepOutputs> = {};
  for (const [id, record] of Object.entries(sources.journal?.steps ?? {}))
    if (record.outputs) stepOutputs[id] = record.outputs;
  const [shown, checks] = await Promise.all([
    sources.drift
      ? stacksRead.then((read) =>
          detectDrift(
            { cloudFormation: sources.aws.cloudFormation, clock: sources.clock, signal: sources.signal },
            read,
          ),
        )
      : stacksRead,
    checkSteps(blueprint.steps, base, inputs, stepOutputs),
  ]);
  // What the saved answers render to, against what each stack holds (outputs unmasked: a parameter
  // may take one; only names and non-secret values leave this comparison).
  const compared = compareDeployedParameters(
    blueprint,
    { deployment, region, account: sources.account, answers: sources.saved?.answers },
    await described,
    stepOutputs,
  );
  // A destroy the journal records as complete: a missing stack was deleted on purpose, and says when
  // (trial finding 81: it read "Run stackguide install to create it", as if it had never been made).
  const destroy = sources.journal?.destroy;
  const destroyedAt = destroy?.status === 'complete' ? destroy.updatedAt : undefined;
  const stacks: StackStatusInput[] = shown.map((shownStack, index) => {
    const stack = destroyedAt && !shownStack.description ? { ...shownStack, destroyedAt } : shownStack;
    const parameters = compared[blueprint.stacks[index]?.id ?? ''];
    if (!parameters) return stack;
    return { ...stack, parameters, ...(sources.applyCommand ? { applyCommand: sources.applyCommand } : {}) };
  });
  const steps = blueprint.steps.map((entry) => ({
    id: entry.id,
    kind: entry.kind,
    title: stepTitle(entry),
    checks: checks.filter((check) => check.step === entry.id),
  }));
  const healthy =
    stacks.every(({ description }) => description !== undefined && isSuccess(description.status)) &&
    stacks.every((stack) => (stack.parameters?.differ.length ?? 0) === 0) &&
    blockingFailures(checks).length === 0;
  const sections = statusSections(stacks, steps);
  return {
    deployment,
    region,
    stacks,
    steps,
    healthy,
    sections,
    state: worst(sections.map((section) => section.state)),
    ...(destroyedAt && stacks.every((stack) => stack.destroyedAt) ? { destroyedAt } : {}),
    ...(sources.answers ? { answers: sources.answers } : {}),
  };
}

/**
 * The steps' inputs as an unattended run would have them (from the answers file and the environment).
 * Status never prompts, and a step that cannot gather its inputs here (a password only the operator
 * knows) is still checked: its check then reports what AWS holds without them.
 */
async function stepInputs(
  sources: StatusSources,
  base: Parameters<typeof askSteps>[1],
): Promise<Record<string, StepInputs>> {
  const inputs: Record<string, StepInputs> = {};
  for (const entry of sources.blueprint.steps) {
    try {
      const asked = await askSteps([entry], base, sources.saved?.steps);
      inputs[entry.id] = asked.inputs[entry.id] ?? {};
    } catch {
      inputs[entry.id] = {};
    }
  }
  return inputs;
}
