import { createAwsSession } from '../../src/aws/aws-context.ts';
import type { PortRegistry } from '../../src/aws/port-token.ts';
import type { AnswerValue } from '../../src/blueprint/references.ts';
import type { StackguideEvent } from '../../src/events.ts';
import type { Prompter } from '../../src/install/prompter.ts';
import type { Clock } from '../../src/runtime/clock.ts';
import { readSettings } from '../../src/settings.ts';
import type { AskContext, StepOutputs } from '../../src/steps/step.ts';

/**
 * A step's context for tests: a real AwsContext pointed at moto with fake credentials, a test clock,
 * the environment the step reads (nothing from the test process leaks in), and every event collected.
 */
export interface StepContextOptions {
  endpoint: string;
  stepId: string;
  deployment?: string;
  region?: string;
  account?: string;
  answers?: Record<string, AnswerValue>;
  stepOutputs?: Record<string, StepOutputs>;
  env?: Record<string, string>;
  clock?: TestClock;
  prompter?: Prompter;
  /** Which adapter serves each port: default the SDK adapters (to moto); `withFakePorts(...)` for fakes. */
  ports?: PortRegistry;
  /** Called for every event as it is emitted, after it is recorded. */
  onEvent?: (event: StackguideEvent) => void;
}

export type TestStepContext = AskContext & {
  events: StackguideEvent[];
  clock: TestClock;
  /**
   * Events and AWS calls in the order they happened: `event:step.progress <message>` and
   * `call:Route53.upsertRecordSets`, so a test can tell that a change was shown before it was made.
   */
  timeline: string[];
};

export function stepContext(options: StepContextOptions): TestStepContext {
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  const region = options.region ?? 'us-east-1';
  const events: StackguideEvent[] = [];
  const timeline: string[] = [];
  const aws = createAwsSession({ endpointUrl: options.endpoint, maxAttempts: 1 }, options.ports).forRegion(
    region,
  );
  return {
    stepId: options.stepId,
    region,
    account: options.account ?? '123456789012',
    deployment: options.deployment ?? 'test',
    answers: options.answers ?? {},
    // One attempt: moto answers what it does not implement with HTTP 500, which must not be retried.
    aws: { ...aws, use: (token, options) => traced(token.service, aws.use(token, options), timeline) },
    clock: options.clock ?? new TestClock(),
    signal: new AbortController().signal,
    emit: (event) => {
      events.push(event);
      timeline.push(`event:${event.type}${event.type === 'step.progress' ? ` ${event.message}` : ''}`);
      options.onEvent?.(event);
    },
    env: options.env ?? {},
    // As the composition root reads them, from the same variables.
    settings: readSettings(options.env ?? {}),
    stepOutputs: options.stepOutputs ?? {},
    ...(options.prompter ? { prompter: options.prompter } : {}),
    events,
    timeline,
  };
}

/** The port with every call noted in the timeline before it is made. */
function traced<T extends object>(service: string, port: T, timeline: string[]): T {
  return Object.fromEntries(
    Object.entries(port).map(([name, method]) => [
      name,
      typeof method === 'function'
        ? (...args: unknown[]) => {
            timeline.push(`call:${service}.${name}`);
            return (method as (...a: unknown[]) => unknown)(...args);
          }
        : method,
    ]),
  ) as T;
}

/**
 * A clock whose time moves only when something sleeps. Each sleep first awaits `onSleep`, so a test can
 * change the world at that point (add records to a zone) or let real time pass for a server that
 * measures it (moto issues certificates after MOTO_ACM_VALIDATION_WAIT real seconds).
 */
export class TestClock implements Clock {
  nowMs: number;
  readonly sleeps: number[] = [];
  onSleep: (ms: number) => Promise<void> | void = () => {};

  /** Starts at the real time, so certificates made now by openssl or moto are valid on it. */
  constructor(start = Date.now()) {
    this.nowMs = start;
  }

  now(): number {
    return this.nowMs;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.sleeps.push(ms);
    await this.onSleep(ms);
    this.nowMs += ms;
  }

  random(): number {
    return 0.5;
  }
}

/** Real time, for servers that measure it themselves. */
export function realDelay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The `step.progress` events, as messages and facts. */
export function progressOf(
  events: readonly StackguideEvent[],
): Array<{ message: string; facts: Record<string, unknown> }> {
  return events.flatMap((event) =>
    event.type === 'step.progress' ? [{ message: event.message, facts: event.facts ?? {} }] : [],
  );
}
