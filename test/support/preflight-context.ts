import { createAwsSession } from '../../src/aws/aws-context.ts';
import type { AnswerValue } from '../../src/blueprint/references.ts';
import type { StackguideEvent } from '../../src/events.ts';
import { readSettings } from '../../src/settings.ts';
import type {
  AnyStepDefinition,
  CheckResult,
  StepContext,
  StepDefinition,
  StepOutputs,
} from '../../src/steps/step.ts';
import { FakeClock } from './fake-clock.ts';

/**
 * A step context over a real AwsContext, as preflight builds one, pointed at a local endpoint (moto),
 * with fake credentials. The events the step emits are collected in `events`.
 */
export interface PreflightContextOptions {
  /** Every client's endpoint: moto's. */
  endpoint: string;
  stepId: string;
  answers?: Record<string, AnswerValue>;
  stepOutputs?: Record<string, StepOutputs>;
  /** moto's default account. */
  account?: string;
  region?: string;
}

export type PreflightContext = StepContext & { events: StackguideEvent[] };

export function preflightContext(options: PreflightContextOptions): PreflightContext {
  setFakeCredentials();
  const region = options.region ?? 'us-east-1';
  const events: StackguideEvent[] = [];
  return {
    stepId: options.stepId,
    region,
    account: options.account ?? '123456789012',
    deployment: 'test',
    answers: options.answers ?? {},
    // One attempt: moto answers what it does not implement with HTTP 500, which must not be retried.
    aws: createAwsSession({
      endpointUrl: options.endpoint,
      maxAttempts: 1,
      // AWS_ENDPOINT_URL_<SERVICE> (a stand-in) wins over the endpoint, as the composition root has it.
      serviceEndpoints: readSettings(process.env).serviceEndpoints,
    }).forRegion(region),
    clock: new FakeClock(),
    signal: new AbortController().signal,
    emit: (event) => events.push(event),
    env: process.env,
    settings: readSettings(process.env),
    stepOutputs: options.stepOutputs ?? {},
    events,
  };
}

function setFakeCredentials(): void {
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
}

/** The step's configuration as the blueprint loader hands it over: parsed, defaults filled in. */
export function configFor<Config, Inputs>(
  step: StepDefinition<Config, Inputs>,
  raw: Record<string, unknown>,
): Config {
  return step.configSchema.parse(raw) as Config;
}

/** Runs the step's check with a raw configuration; results by their id, which must be unique. */
export async function checkById(
  step: AnyStepDefinition,
  context: StepContext,
  raw: Record<string, unknown>,
): Promise<Map<string, CheckResult>> {
  const results: CheckResult[] = await step.check(context, configFor(step, raw), {});
  const byId = new Map(results.map((result) => [result.id, result]));
  if (byId.size !== results.length)
    throw new Error(`check ids repeat: ${results.map((result) => result.id).join(', ')}`);
  for (const result of results) {
    if (!result.id.startsWith(`${context.stepId}.`) || result.step !== context.stepId)
      throw new Error(`${result.id} does not belong to step ${context.stepId}`);
    if (result.status !== 'pass' && !result.fix)
      throw new Error(`${result.id} is ${result.status} without a fix`);
  }
  return byId;
}
