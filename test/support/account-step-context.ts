import { createAwsSession } from '../../src/aws/aws-context.ts';
import type { StackguideEvent } from '../../src/events.ts';
import type { Prompter } from '../../src/install/prompter.ts';
import { readSettings } from '../../src/settings.ts';
import type { AskContext, StepContext, StepDefinition, StepOutputs } from '../../src/steps/step.ts';
import { FakeClock } from './fake-clock.ts';

/**
 * Step contexts for the account-preparation steps (ses, registrySecret, costTag, manual), over a real
 * AwsContext built the way a user's run builds it, and a scripted prompter.
 *
 * The SDK is pointed at moto and the stand-ins through the environment, as an operator would
 * (`AWS_ENDPOINT_URL` for moto, `AWS_ENDPOINT_URL_SESV2` and `AWS_ENDPOINT_URL_COST_EXPLORER` for the
 * stand-ins), and the AwsContext is built WITHOUT `endpointUrl`: an explicit endpoint in a client's
 * configuration wins over every AWS_ENDPOINT_URL_<SERVICE> variable, so with one the SESv2 and Cost
 * Explorer calls would go to moto, which answers them with HTTP 500.
 */
export interface Endpoints {
  /** moto: every service without a variable of its own. */
  moto: string;
  sesv2?: string;
  costExplorer?: string;
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const TEST_CREDENTIALS: Credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

const VARIABLES = [
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_SESV2',
  'AWS_ENDPOINT_URL_COST_EXPLORER',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
] as const;

/** Sets the endpoint variables and credentials in this process's environment; returns the undo. */
export function useEndpoints(endpoints: Endpoints, credentials: Credentials = TEST_CREDENTIALS): () => void {
  const before = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
  process.env.AWS_ENDPOINT_URL = endpoints.moto;
  setOrDelete('AWS_ENDPOINT_URL_SESV2', endpoints.sesv2);
  setOrDelete('AWS_ENDPOINT_URL_COST_EXPLORER', endpoints.costExplorer);
  useCredentials(credentials);
  delete process.env.AWS_PROFILE;
  return () => {
    for (const name of VARIABLES) setOrDelete(name, before[name]);
  };
}

/** The credentials contexts built from now on resolve (each session resolves them once). */
export function useCredentials(credentials: Credentials): void {
  process.env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
  setOrDelete('AWS_SESSION_TOKEN', credentials.sessionToken);
}

function setOrDelete(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

export interface AccountStepContextOptions {
  stepId: string;
  region?: string;
  /** The STS account of the run; moto's default. */
  account?: string;
  deployment?: string;
  /** What the step sees as its environment (STACKGUIDE_SECRET_..., STACKGUIDE_ROTATE_...); not process.env. */
  env?: Record<string, string | undefined>;
  /** Absent: an unattended run. */
  prompter?: Prompter;
  /** The step's title, as askSteps gives it. */
  stepTitle?: string;
}

export type AccountStepContext = AskContext & { events: StackguideEvent[] };

export function accountStepContext(options: AccountStepContextOptions): AccountStepContext {
  const region = options.region ?? 'us-east-1';
  const events: StackguideEvent[] = [];
  return {
    stepId: options.stepId,
    ...(options.stepTitle ? { stepTitle: options.stepTitle } : {}),
    region,
    account: options.account ?? '123456789012',
    deployment: options.deployment ?? 'test',
    answers: {},
    // One attempt: a stand-in or moto answering 500 must show at once, not after retries.
    aws: createAwsSession({ maxAttempts: 1 }).forRegion(region),
    clock: new FakeClock(),
    signal: new AbortController().signal,
    emit: (event) => events.push(event),
    env: options.env ?? {},
    // As the composition root reads them, from the same variables.
    settings: readSettings(options.env ?? {}),
    stepOutputs: {},
    events,
    ...(options.prompter ? { prompter: options.prompter } : {}),
  };
}

/** The step's configuration as the blueprint loader hands it over (parsed, defaults filled), typed. */
export function configOf<Config>(
  // biome-ignore lint/suspicious/noExplicitAny: any step, whatever its inputs.
  step: StepDefinition<Config, any>,
  raw: Record<string, unknown>,
): Config {
  return step.configSchema.parse(raw) as Config;
}

/**
 * One scripted answer. `invalid` answers are typed first and must be refused by the prompt's own
 * validation with a message matching the pattern; the prompt then takes `value`.
 */
export type ScriptedAnswer =
  | { confirm: boolean; match?: RegExp }
  | { select: string; match?: RegExp }
  | { input: string; match?: RegExp; invalid?: Array<[string, RegExp]> }
  | { password: string; match?: RegExp; invalid?: Array<[string, RegExp]> };

export interface AskedQuestion {
  kind: 'confirm' | 'select' | 'input' | 'password';
  message: string;
  help?: string;
  default?: string | boolean;
  choices?: string[];
}

export type ScriptedPrompter = Prompter & {
  readonly asked: AskedQuestion[];
  readonly sections: string[];
  /** Answers not used yet. */
  readonly remaining: () => number;
};

/** A prompter that answers from a script, in order, and fails the test on any question out of turn. */
export function scriptedPrompter(script: ScriptedAnswer[]): ScriptedPrompter {
  const queue = [...script];
  const asked: AskedQuestion[] = [];
  const sections: string[] = [];
  const next = (kind: AskedQuestion['kind'], message: string): ScriptedAnswer => {
    const answer = queue.shift();
    if (!answer || !(kind in answer)) {
      throw new Error(`Unexpected ${kind} prompt "${message}"; the script has ${JSON.stringify(answer)}`);
    }
    if (answer.match && !answer.match.test(message)) {
      throw new Error(`The ${kind} prompt "${message}" does not match ${answer.match}`);
    }
    return answer;
  };
  // As the terminal does on Enter: `validate`, then `verify` (which may read files or ask AWS).
  const typed = async (
    answer: { invalid?: Array<[string, RegExp]> },
    value: string,
    validate: (value: string) => string | true,
    verify?: (value: string) => Promise<string | true>,
  ): Promise<string> => {
    const judge = async (typed: string) => {
      const verdict = validate(typed);
      return verdict === true && verify ? verify(typed) : verdict;
    };
    for (const [attempt, expected] of answer.invalid ?? []) {
      const verdict = await judge(attempt);
      if (verdict === true || !expected.test(verdict))
        throw new Error(`"${attempt}" was not refused with ${expected}: ${String(verdict)}`);
    }
    const verdict = await judge(value);
    if (verdict !== true) throw new Error(`The scripted answer was refused: ${verdict}`);
    return value;
  };
  return {
    asked,
    sections,
    remaining: () => queue.length,
    section: (title) => {
      sections.push(title);
    },
    async confirm(question) {
      asked.push({
        kind: 'confirm',
        message: question.message,
        ...(question.help ? { help: question.help } : {}),
        ...(question.default !== undefined ? { default: question.default } : {}),
      });
      return (next('confirm', question.message) as { confirm: boolean }).confirm;
    },
    async select<T extends string>(question: {
      message: string;
      choices: ReadonlyArray<{ value: T; name?: string; description?: string }>;
      help?: string;
      default?: T;
    }): Promise<T> {
      asked.push({
        kind: 'select',
        message: question.message,
        ...(question.help ? { help: question.help } : {}),
        choices: question.choices.map((choice) => choice.value),
        ...(question.default !== undefined ? { default: question.default } : {}),
      });
      const value = (next('select', question.message) as { select: string }).select;
      if (!question.choices.some((choice) => choice.value === value))
        throw new Error(`"${value}" is not a choice of "${question.message}"`);
      return value as T;
    },
    async input(question) {
      asked.push({
        kind: 'input',
        message: question.message,
        ...(question.help ? { help: question.help } : {}),
        ...(question.default !== undefined ? { default: question.default } : {}),
      });
      const answer = next('input', question.message) as { input: string; invalid?: Array<[string, RegExp]> };
      return typed(answer, answer.input, question.validate, question.verify);
    },
    async password(question) {
      asked.push({
        kind: 'password',
        message: question.message,
        ...(question.help ? { help: question.help } : {}),
      });
      const answer = next('password', question.message) as {
        password: string;
        invalid?: Array<[string, RegExp]>;
      };
      return typed(answer, answer.password, question.validate);
    },
  };
}

/**
 * Applies a step as an install does, hearing what it says its result still waits for (`pending`):
 * its outputs, and `pending` when it ended pending rather than done.
 */
export async function applyHearingPending<Config, Inputs>(
  step: StepDefinition<Config, Inputs>,
  context: StepContext,
  config: Config,
  inputs: Inputs,
): Promise<{ outputs: StepOutputs | undefined; pending?: string }> {
  let pending: string | undefined;
  const outputs = await step.apply?.(
    {
      ...context,
      pending: (waitingFor) => {
        pending = waitingFor;
      },
    },
    config,
    inputs,
  );
  return { outputs, ...(pending !== undefined ? { pending } : {}) };
}
