import type { z } from 'zod';
import type { AwsContext } from '../aws/aws-context.ts';
import type { AnswerValue } from '../blueprint/references.ts';
import type { CheckResult, CreatedResource, StackguideEvent } from '../events.ts';
import type { Prompter } from '../install/prompter.ts';
import type { Clock } from '../runtime/clock.ts';
import type { Settings } from '../settings.ts';
import type { StepConfig } from './step-config.ts';

/**
 * A preparation step: one kind of account preparation built into stackguide (hosted zone, certificate,
 * service-linked roles, quotas, SES, registry secret, ...), switched on and configured by a blueprint's
 * `steps:` list. Every step can
 * - `ask`   gather what it needs from the operator (or, unattended, from the answers file and env),
 * - `check` look without touching anything (preflight, status, and install's first phase),
 * - `plan`  say what `apply` would change (shown on the review screen),
 * - `apply` make it so, idempotently: re-running changes nothing that is already right.
 * Outputs of `apply` are referable from stacks as `{{steps.<id>.<key>}}`.
 */
export interface StepDefinition<Config, Inputs = Record<string, never>> extends Omit<StepConfig, 'outputs'> {
  /** Keys `apply` returns (for a configuration), so the loader can check `{{steps.<id>.<key>}}`. */
  readonly outputs?: readonly string[] | ((config: Config) => readonly string[]);
  /**
   * Local checks of what the answers file gives the step (files it names, their contents), before any
   * AWS call: an unattended run calls it as soon as the answers are read, so unusable input is a usage
   * error (exit 2) with nothing sent. Throws a StackguideError of kind `user`; resolves when all is fine
   * or there is nothing saved to check yet (`ask` will gather it).
   */
  validate?(context: ValidateContext, config: Config, saved: SavedStepInputs | undefined): Promise<void>;
  ask?(context: AskContext, config: Config, saved: SavedStepInputs | undefined): Promise<Inputs>;
  /** What of the inputs goes into the answers file (`steps.<id>`): never a secret. */
  saveable?(inputs: Inputs): SavedStepInputs;
  check(context: StepContext, config: Config, inputs: Inputs): Promise<CheckResult[]>;
  plan?(context: StepContext, config: Config, inputs: Inputs): Promise<PlannedChange[]>;
  apply?(context: StepContext, config: Config, inputs: Inputs): Promise<StepOutputs>;
  /** Outputs the inputs alone already give (what `apply` will return), for the review to show: never a secret. */
  known?(config: Config, inputs: Inputs): StepOutputs;
  /**
   * The operator does this step's work by hand and confirms it (a manual step): stackguide neither
   * does nor checks it, so its completion says so (`step.completed` with `confirmedByOperator`) and
   * reads "confirmed by you", never a check's ✔ (trial finding 100).
   */
  readonly doneByOperator?: true;
}

export type SavedStepInputs = Record<string, string | number | boolean | string[]>;
export type StepOutputs = Record<string, string>;

// The check result is part of the event vocabulary (`check.result`), which is a leaf.
export type { CheckResult, CheckStatus } from '../events.ts';

export interface PlannedChange {
  step: string;
  action: 'create' | 'update' | 'request' | 'manual';
  /** The thing changed: "hosted zone codeocean.example.com", "secret dockerhub/creds". */
  resource: string;
  detail?: string;
}

export interface StepContext {
  /** This step's id in the blueprint. */
  readonly stepId: string;
  /**
   * The step's title as the blueprint gives it: what the operator knows it by, heading its questions
   * (there, without one, its kind's description) and titling its checks.
   */
  readonly stepTitle?: string;
  readonly region: string;
  readonly account: string;
  readonly deployment: string;
  readonly answers: Readonly<Record<string, AnswerValue>>;
  readonly aws: AwsContext;
  readonly clock: Clock;
  readonly signal: AbortSignal;
  readonly emit: (event: StackguideEvent) => void;
  /** Flags and environment read once by the composition root: DNS servers, registry login URL, ... */
  readonly settings: Settings;
  /**
   * The environment, for the inputs an unattended run gives a step by variable because they never go
   * into the answers file: STACKGUIDE_SECRET_<STEPID>_PASSWORD, STACKGUIDE_ROTATE_<STEPID>. Read only.
   */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Outputs of the steps before this one, by step id. */
  readonly stepOutputs: Readonly<Record<string, StepOutputs>>;
  /**
   * Said by `apply` when it did all it can and its result still waits on someone outside this run
   * (AWS reviewing the SES request, Billing listing a tag key a day after its first use), with what it
   * waits for: the step then ends pending (`step.completed` with `pending`), not done. Absent where
   * nothing listens (a step applied on its own).
   */
  readonly pending?: (waitingFor: string) => void;
}

/** What a step may use before any AWS call: no account, no AWS, no outputs of other steps yet. */
export type ValidateContext = Pick<StepContext, 'stepId' | 'region' | 'deployment' | 'answers' | 'clock'>;

export interface AskContext extends StepContext {
  /** Absent when nothing may prompt: inputs must come from `saved` or the environment, else an error
   * naming the answers-file key (`steps.<id>.<key>`) or variable to set. */
  readonly prompter?: Prompter;
  /**
   * Asked again from the review: what the answers file holds is offered as each question's default, not
   * taken as it is. Otherwise an input the file holds is used without a question (README: with
   * --config, only what the file lacks and must be answered is asked).
   */
  readonly reask?: boolean;
  /**
   * Preflight: nothing is applied, so nothing is asked that only apply would use (a password, whether
   * to store new credentials); the checks say what install will ask.
   */
  readonly readOnly?: boolean;
}

/**
 * Said by a step as soon as AWS has made something for it, before anything else can fail: it stays
 * whatever happens to the run, and a run stopped while the step then waits names it from this event
 * (tasks/install-tasks.ts), never from the words of a progress message.
 */
export function resourceCreated(context: StepContext, resource: CreatedResource): void {
  context.emit({ type: 'step.resource-created', step: context.stepId, resource });
}

/**
 * Lets a step module state its types once: `config` is typed by the kind's zod schema, which the step
 * spreads in from its `<kind>-config.ts` (`...sesConfig`) so the vocabulary is written in one place.
 */
export function defineStep<Schema extends z.ZodObject<z.ZodRawShape>, Inputs = Record<string, never>>(
  definition: Omit<StepDefinition<z.output<Schema>, Inputs>, 'configSchema'> & { configSchema: Schema },
): StepDefinition<z.output<Schema>, Inputs> {
  return definition;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds steps of every config and input type.
export type AnyStepDefinition = StepDefinition<any, any>;
