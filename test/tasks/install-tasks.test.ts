import { Listr } from 'listr2';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AwsContext } from '../../src/aws/aws-context.ts';
import type {
  ChangeSetDescription,
  CloudFormationPort,
  CreateChangeSetInput,
} from '../../src/aws/cloudformation-port.ts';
import { iamPort } from '../../src/aws/iam-port.ts';
import { route53Port } from '../../src/aws/route53-port.ts';
import type { StepEntry } from '../../src/blueprint/blueprint-schema.ts';
import { StackguideError } from '../../src/errors.ts';
import type { StackguideEvent } from '../../src/events.ts';
import type { InstallPlan, PlannedStack } from '../../src/install/install-plan.ts';
import { Journal } from '../../src/journal/journal.ts';
import { ProgressStore } from '../../src/progress/progress-store.ts';
import type { ChangeSetSummary } from '../../src/stacks/change-set.ts';
import type { DeployedStack } from '../../src/stacks/deploy-stack.ts';
import { type StepBase, stepTitle } from '../../src/steps/run-steps.ts';
import { applyStepTask } from '../../tasks/apply-step-task.ts';
import { deployStackTask } from '../../tasks/deploy-stack-task.ts';
import { runInstallTasks } from '../../tasks/install-tasks.ts';
import { StoreBridgeRenderer } from '../../tasks/store-bridge-renderer.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { FakeCloudFormationPort } from '../support/fake-cloudformation-port.ts';
import { fakePort, withFakePorts } from '../support/fake-ports.ts';
import { runWithTestRenderer, statesOf, titlesOf } from '../support/listr-test-run.ts';
import { stepContext } from '../support/step-context.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * The install's task factories (a preparation step, a stack) and the bridge renderer, run through
 * listr2 against fakes of the ports: what the tasks report (titles, states, output lines), what they
 * journal, and what a later task reads from an earlier one.
 */
const STACK = 'AWS::CloudFormation::Stack';

/**
 * CloudFormation for a create through a change set, in memory: the change set adds the template's one
 * resource, and executing it writes the events CloudFormation would and publishes the outputs given.
 */
class ChangeSetCloudFormation extends FakeCloudFormationPort {
  readonly created: CreateChangeSetInput[] = [];
  readonly #changeSets = new Map<string, { stackId: string; input: CreateChangeSetInput }>();

  readonly #clock: FakeClock;
  readonly #outputsOf: (input: CreateChangeSetInput) => Record<string, string>;
  readonly #failWith: string | undefined;

  constructor(
    clock: FakeClock,
    outputsOf: (input: CreateChangeSetInput) => Record<string, string>,
    failWith?: string,
  ) {
    super();
    this.#clock = clock;
    this.#outputsOf = outputsOf;
    this.#failWith = failWith;
  }

  override createChangeSet = async (input: CreateChangeSetInput) => {
    this.created.push(input);
    const stackId = this.addStack(input.stackName, 'REVIEW_IN_PROGRESS');
    const changeSetId = `arn:aws:cloudformation:us-east-1:123456789012:changeSet/${input.changeSetName}/1`;
    this.#changeSets.set(changeSetId, { stackId, input });
    return { changeSetId, stackId };
  };

  override describeChangeSet = async (changeSetId: string): Promise<ChangeSetDescription> => ({
    changeSetId,
    stackId: this.#changeSets.get(changeSetId)?.stackId ?? '',
    status: 'CREATE_COMPLETE',
    executionStatus: 'AVAILABLE',
    changes: [{ action: 'Add', logicalResourceId: 'Queue', resourceType: 'AWS::SQS::Queue' }],
  });

  override executeChangeSet = async (changeSetId: string) => {
    const changeSet = this.#changeSets.get(changeSetId);
    if (!changeSet) throw new Error(`no change set ${changeSetId}`);
    const { stackId, input } = changeSet;
    const at = (s: number) => new Date(this.#clock.nowMs + s * 1000);
    this.addEvent(stackId, input.stackName, STACK, 'CREATE_IN_PROGRESS', at(1));
    this.addEvent(stackId, 'Queue', 'AWS::SQS::Queue', 'CREATE_IN_PROGRESS', at(2));
    if (this.#failWith) {
      this.addEvent(stackId, 'Queue', 'AWS::SQS::Queue', 'CREATE_FAILED', at(3), { reason: this.#failWith });
      this.addEvent(stackId, input.stackName, STACK, 'ROLLBACK_COMPLETE', at(4));
      return;
    }
    this.addEvent(stackId, 'Queue', 'AWS::SQS::Queue', 'CREATE_COMPLETE', at(3));
    const stack = this.stacks.get(stackId);
    if (stack) stack.outputs = this.#outputsOf(input);
    this.addEvent(stackId, input.stackName, STACK, 'CREATE_COMPLETE', at(4));
  };

  override describeFailedEvents = async () => [];

  /** A declined change set is deleted, and so is the empty stack it made. */
  readonly deleted: string[] = [];
  override deleteChangeSet: CloudFormationPort['deleteChangeSet'] = async (changeSetId) => {
    this.deleted.push(changeSetId);
  };
  override deleteStack: CloudFormationPort['deleteStack'] = async (stackId) => {
    this.deleted.push(stackId);
  };
}

const TEMPLATE = JSON.stringify({ Resources: { Queue: { Type: 'AWS::SQS::Queue' } } });

function plannedStack(id: string, parameterSources: PlannedStack['parameterSources']): PlannedStack {
  return {
    id,
    name: `demo-${id}`,
    templateBody: TEMPLATE,
    parameterSources,
    capabilities: [],
    tags: { 'stackguide:deployment': 'demo' },
    dependsOn: [],
    terminationProtection: false,
    resourceCount: 1,
  };
}

function plan(stacks: PlannedStack[]): InstallPlan {
  return {
    blueprintId: 'demo',
    blueprintVersion: '1.0.0',
    deployment: 'demo',
    region: 'us-east-1',
    account: '123456789012',
    answers: { size: 'small' },
    secretAnswerIds: [],
    steps: [],
    checks: [],
    stacks,
  };
}

/** What every stack task here shares: the fake CloudFormation, the journal, a clock, quick polls. */
function common(cfn: ChangeSetCloudFormation, clock: FakeClock, installPlan: InstallPlan) {
  return {
    plan: installPlan,
    aws: { cloudFormation: cfn } as unknown as AwsContext,
    journal,
    clock,
    emit: (_event: StackguideEvent) => {},
    signal: new AbortController().signal,
    pollIntervalMs: { min: 1, max: 1 },
  };
}

let work: Awaited<ReturnType<typeof tempDir>>;
let journal: Journal;
beforeEach(async () => {
  work = await tempDir('install-tasks-');
  journal = await Journal.open(work.path, {
    blueprint: { id: 'demo', version: '1.0.0' },
    deployment: 'demo',
    region: 'us-east-1',
  });
});
afterEach(async () => {
  await journal.flush();
  await work.remove();
});

/** A step base whose AWS calls go nowhere but the fakes given (the endpoint is a closed port). */
function stepBase(...fakes: Parameters<typeof withFakePorts>): StepBase & { events: StackguideEvent[] } {
  const {
    stepId: _id,
    stepOutputs: _outputs,
    ...base
  } = stepContext({
    endpoint: 'http://127.0.0.1:9',
    stepId: 'unused',
    deployment: 'demo',
    ports: withFakePorts(...fakes),
  });
  return base;
}

/** Every step record the journal was asked to write, in order. */
function journaledSteps(): Array<{ id: string; status: string; outputs?: unknown }> {
  const records: Array<{ id: string; status: string; outputs?: unknown }> = [];
  const original = journal.recordStep.bind(journal);
  vi.spyOn(journal, 'recordStep').mockImplementation(async (id, record) => {
    records.push({ id, status: record.status, ...(record.outputs ? { outputs: record.outputs } : {}) });
    await original(id, record);
  });
  return records;
}

const manualEntry = {
  id: 'calendar',
  kind: 'manual',
  instructions: 'Create a public calendar and copy its iCal address.',
  collect: { key: 'icalUrl', prompt: 'Public iCal URL', type: 'url' },
  confirm: 'The calendar is public',
} as unknown as StepEntry;

describe('applyStepTask, run with the listr2 test renderer', () => {
  it('journals the step applying then applied with its outputs, hands them on, and says done', async () => {
    const records = journaledSteps();
    const stepOutputs: Record<string, Record<string, string>> = {};
    const base = stepBase();
    const { lines, error } = await runWithTestRenderer([
      applyStepTask(
        {
          base,
          inputs: { calendar: { answer: 'https://calendar.example.org/basic.ics', confirmed: true } },
          stepOutputs,
          journal,
        },
        manualEntry,
      ),
    ]);
    expect(error).toBeUndefined();
    expect(records).toEqual([
      { id: 'calendar', status: 'applying' },
      {
        id: 'calendar',
        status: 'applied',
        outputs: { icalUrl: 'https://calendar.example.org/basic.ics' },
      },
    ]);
    expect(stepOutputs).toEqual({ calendar: { icalUrl: 'https://calendar.example.org/basic.ics' } });
    expect(journal.state.steps?.calendar).toMatchObject({ kind: 'manual', status: 'applied' });
    expect(base.events.map((event) => event.type)).toEqual(['step.started', 'step.completed']);
    const title = titlesOf(lines).at(-1);
    expect(title).toMatch(/: done$/);
    expect(statesOf(lines)).toEqual(['STARTED', 'COMPLETED']);
  });

  it('journals a step whose AWS call is refused as failed, and the task fails with that error', async () => {
    const records = journaledSteps();
    const refusal = Object.assign(
      new Error('User is not authorized to perform: route53:ListHostedZonesByName'),
      {
        name: 'AccessDenied',
        $metadata: { httpStatusCode: 403, requestId: 'req-1' },
      },
    );
    const route53 = fakePort(route53Port, {
      listHostedZonesByName: async () => Promise.reject(refusal),
    } as never);
    const stepOutputs: Record<string, Record<string, string>> = {};
    const { lines, error } = await runWithTestRenderer([
      applyStepTask({ base: stepBase(route53), inputs: {}, stepOutputs, journal }, {
        id: 'zone',
        kind: 'hostedZone',
        subdomain: 'app',
        parentDomain: 'example.test',
      } as unknown as StepEntry),
    ]);
    expect(error).toBeInstanceOf(StackguideError);
    expect((error as StackguideError).message).toContain('route53:ListHostedZonesByName');
    expect(records.map((record) => `${record.id} ${record.status}`)).toEqual([
      'zone applying',
      'zone failed',
    ]);
    expect(stepOutputs).toEqual({});
    expect(statesOf(lines)).toEqual(['STARTED', 'FAILED']);
    expect(titlesOf(lines).some((title) => title.endsWith(': done'))).toBe(false);
  });
});

describe('deployStackTask, run with the listr2 test renderer', () => {
  it("creates through a change set, shows each resource's status as output, and feeds the next stack an output", async () => {
    const clock = new FakeClock();
    const cfn = new ChangeSetCloudFormation(clock, (input) =>
      input.stackName === 'demo-data' ? { QueueUrl: 'https://sqs.example/demo-data' } : {},
    );
    const emitted: StackguideEvent[] = [];
    const results: Record<string, DeployedStack> = {};
    const data = plannedStack('data', { Size: '{{answers.size}}' });
    const app = plannedStack('app', { Queue: '{{stacks.data.outputs.QueueUrl}}' });
    const deps = {
      ...common(cfn, clock, plan([data, app])),
      emit: (event: StackguideEvent) => emitted.push(event),
      results,
      stepOutputs: {},
    };
    const { lines, error } = await runWithTestRenderer([
      deployStackTask(deps, data),
      deployStackTask(deps, app),
    ]);
    expect(error).toBeUndefined();

    expect(cfn.created.map((input) => [input.stackName, input.changeSetType, input.parameters])).toEqual([
      ['demo-data', 'CREATE', { Size: 'small' }],
      ['demo-app', 'CREATE', { Queue: 'https://sqs.example/demo-data' }],
    ]);
    expect(results.data).toMatchObject({
      status: 'CREATE_COMPLETE',
      outputs: { QueueUrl: 'https://sqs.example/demo-data' },
    });
    expect(results.app?.status).toBe('CREATE_COMPLETE');
    expect(titlesOf(lines)).toEqual([
      'Deployed stack demo-data (CREATE_COMPLETE)',
      'Deployed stack demo-app (CREATE_COMPLETE)',
    ]);
    // The output line names the stack's resources as they move, never the stack itself.
    const outputs = lines.filter((line) => line.event === 'OUTPUT').map((line) => line.data);
    expect(outputs).toContain('Queue CREATE_COMPLETE');
    expect(outputs.some((line) => line.startsWith('demo-data '))).toBe(false);
    expect(emitted.filter((event) => event.type === 'stack.completed').map((event) => event.stack)).toEqual([
      'demo-data',
      'demo-app',
    ]);
    expect(journal.stack('demo-data')).toMatchObject({ status: 'CREATE_COMPLETE', blueprintId: 'data' });
  });

  it('fails the task with the root cause when the stack rolls back, and the next stack never starts', async () => {
    const clock = new FakeClock();
    const cfn = new ChangeSetCloudFormation(clock, () => ({}), 'Queue name already exists');
    const results: Record<string, DeployedStack> = {};
    const data = plannedStack('data', {});
    const app = plannedStack('app', {});
    const deps = { ...common(cfn, clock, plan([data, app])), results, stepOutputs: {} };
    const { lines, error } = await runWithTestRenderer([
      deployStackTask(deps, data),
      deployStackTask(deps, app),
    ]);
    expect(error).toBeInstanceOf(StackguideError);
    expect((error as StackguideError).message).toBe(
      'Stack demo-data ended ROLLBACK_COMPLETE: Queue (AWS::SQS::Queue) in demo-data: Queue name already exists',
    );
    expect(cfn.created.map((input) => input.stackName)).toEqual(['demo-data']);
    expect(results).toEqual({});
    expect(statesOf(lines)).toEqual(['STARTED', 'FAILED']);
    expect(journal.stack('demo-data')?.status).toBe('ROLLBACK_COMPLETE');
  });
});

describe('runInstallTasks through the bridge renderer', () => {
  it('runs the steps, then the stacks, in blueprint order, and the store shows each task as it ended', async () => {
    const clock = new FakeClock();
    const cfn = new ChangeSetCloudFormation(clock, () => ({ Url: 'https://app.example' }));
    const store = new ProgressStore('Install demo', () => clock.now(), { notifyEveryChange: true });
    const seen: string[] = [];
    store.subscribe(() => {
      const running = store.getSnapshot().tasks.find((task) => task.state === 'running');
      if (running && seen.at(-1) !== running.title) seen.push(running.title);
    });
    const base = stepBase();
    const results = await runInstallTasks(
      {
        ...common(cfn, clock, plan([plannedStack('app', { Calendar: '{{steps.calendar.icalUrl}}' })])),
        steps: [manualEntry],
        stepBase: base,
        stepInputs: { calendar: { answer: 'https://calendar.example.org/basic.ics', confirmed: true } },
      },
      StoreBridgeRenderer,
      { store },
    );
    expect(results.app).toMatchObject({ status: 'CREATE_COMPLETE', outputs: { Url: 'https://app.example' } });
    // The step's output reached the stack's parameter.
    expect(cfn.created[0]?.parameters).toEqual({ Calendar: 'https://calendar.example.org/basic.ics' });
    const snapshot = store.getSnapshot();
    expect(snapshot.finished).toBe(true);
    expect(snapshot.tasks.map((task) => [task.title, task.state])).toEqual([
      [expect.stringMatching(/: done$/), 'completed'],
      ['Deployed stack demo-app (CREATE_COMPLETE)', 'completed'],
    ]);
    expect(seen[0]).not.toMatch(/: done$/);
    expect(seen).toContain('Deploy stack demo-app');
    expect(seen.indexOf('Deploy stack demo-app')).toBeGreaterThan(0);
  });

  it('names a step the next row waits for by its title, as its own row does (trial finding 89)', async () => {
    const clock = new FakeClock();
    const cfn = new ChangeSetCloudFormation(clock, () => ({ BucketName: 'b' }));
    const store = new ProgressStore('Install demo', () => clock.now(), { notifyEveryChange: true });
    const outputs = new Set<string>();
    store.subscribe(() => {
      for (const task of store.getSnapshot().tasks) if (task.output) outputs.add(task.output);
    });
    await runInstallTasks(
      {
        ...common(cfn, clock, plan([plannedStack('data', {})])),
        steps: [{ ...manualEntry, title: 'Set up the notification calendar' } as StepEntry],
        stepBase: stepBase(),
        stepInputs: { calendar: { answer: 'https://calendar.example.org/basic.ics', confirmed: true } },
      },
      StoreBridgeRenderer,
      { store },
    );
    expect([...outputs]).toContain('waiting for Set up the notification calendar');
    expect([...outputs].join('\n')).not.toContain('step calendar');
  });

  it('while a change set waits for the review, its row says so and the next stack names only what it still waits for', async () => {
    const clock = new FakeClock();
    const cfn = new ChangeSetCloudFormation(clock, () => ({ BucketName: 'b' }));
    const store = new ProgressStore('Install demo', () => clock.now(), { notifyEveryChange: true });
    const data = plannedStack('data', {});
    const app = { ...plannedStack('app', {}), dependsOn: ['data'] };
    const rows: Array<Record<string, string | undefined>> = [];
    await runInstallTasks(
      {
        ...common(cfn, clock, plan([data, app])),
        review: async () => {
          // What the live view shows beside the change set panel.
          rows.push(Object.fromEntries(store.getSnapshot().tasks.map((task) => [task.title, task.output])));
          return 'execute' as const;
        },
        steps: [manualEntry],
        stepBase: stepBase(),
        stepInputs: { calendar: { answer: 'https://calendar.example.org/basic.ics', confirmed: true } },
      },
      StoreBridgeRenderer,
      { store },
    );
    expect(rows[0]).toMatchObject({
      'Deploy stack demo-data': 'its change set is ready: waiting for your review',
      // The step is done by now: only the stack it still waits for is named.
      'Deploy stack demo-app': 'waiting for demo-data',
    });
    expect(rows[1]).toMatchObject({
      'Deploy stack demo-app': 'its change set is ready: waiting for your review',
    });
  });

  it('marks the failed task failed in the store and rejects with its error', async () => {
    const clock = new FakeClock();
    const cfn = new ChangeSetCloudFormation(clock, () => ({}), 'Queue name already exists');
    const store = new ProgressStore('Install demo', () => clock.now(), { notifyEveryChange: true });
    const run = runInstallTasks(
      {
        ...common(cfn, clock, plan([plannedStack('app', {})])),
        steps: [],
        stepBase: stepBase(),
        stepInputs: {},
      },
      StoreBridgeRenderer,
      { store },
    );
    await expect(run).rejects.toThrow(/^Stack demo-app ended ROLLBACK_COMPLETE/);
    expect(store.getSnapshot().tasks).toEqual([
      {
        id: expect.any(String),
        title: 'Deploy stack demo-app',
        state: 'failed',
        output: 'Queue CREATE_FAILED',
      },
    ]);
  });
});

describe('runInstallTasks, stopped', () => {
  it('rejects with the stop when Ctrl+C came before anything started, naming every stack not started once', async () => {
    const clock = new FakeClock();
    const cfn = new ChangeSetCloudFormation(clock, () => ({}));
    const controller = new AbortController();
    const stop = new StackguideError('Interrupted: stopped at your request', {
      code: 'cancelled',
      kind: 'cancelled',
    });
    controller.abort(stop);
    const emitted: StackguideEvent[] = [];
    const run = runInstallTasks(
      {
        ...common(cfn, clock, plan([plannedStack('data', {}), plannedStack('app', {})])),
        emit: (event: StackguideEvent) => emitted.push(event),
        signal: controller.signal,
        steps: [],
        stepBase: stepBase(),
        stepInputs: {},
      },
      'silent',
    );
    const error = (await run.catch((thrown: unknown) => thrown)) as StackguideError;
    expect(error).toBeInstanceOf(StackguideError);
    expect(error.message).toBe('Interrupted: stopped at your request');
    expect(error.kind).toBe('cancelled');
    // Each by its event (a row, a plain line), not again in the error's list (trial finding 101).
    expect(emitted.filter((event) => event.type === 'stack.not-started')).toEqual([
      { type: 'stack.not-started', stack: 'demo-data', reason: 'not started: the run was stopped' },
      { type: 'stack.not-started', stack: 'demo-app', reason: 'not started: the run was stopped' },
    ]);
    expect(error.details).toEqual([]);
    expect(cfn.created).toEqual([]);
  });

  it('lists the steps that completed before the stop, not only the stacks (finding 90)', async () => {
    const clock = new FakeClock();
    const cfn = new ChangeSetCloudFormation(clock, () => ({}));
    const controller = new AbortController();
    const stop = new StackguideError('Stopped at your request', { code: 'cancelled', kind: 'cancelled' });
    const run = runInstallTasks(
      {
        ...common(cfn, clock, plan([plannedStack('data', {})])),
        signal: controller.signal,
        // Ctrl+C while the stack's change set waits for its review, after the step completed.
        review: async () => {
          controller.abort(stop);
          throw stop;
        },
        steps: [manualEntry],
        stepBase: stepBase(),
        stepInputs: { calendar: { answer: 'https://calendar.example.org/basic.ics', confirmed: true } },
      },
      'silent',
    );
    const error = (await run.catch((thrown: unknown) => thrown)) as StackguideError;
    expect(error.message).toBe('Stopped at your request');
    expect(error.details).toEqual([
      { path: 'demo-data', message: 'stopped while it ran' },
      { path: stepTitle(manualEntry), message: 'completed' },
    ]);
  });

  it('names what a step stopped while it ran had created, from its step.resource-created events', async () => {
    const clock = new FakeClock();
    const cfn = new ChangeSetCloudFormation(clock, () => ({}));
    const controller = new AbortController();
    const stop = new StackguideError('Stopped at your request', { code: 'cancelled', kind: 'cancelled' });
    // The first role is created; Ctrl+C comes while the second is being created.
    const iam = fakePort(iamPort, {
      listRoles: async () => [],
      createServiceLinkedRole: async (service: string) => {
        if (service === 'autoscaling.amazonaws.com')
          return { created: true, roleName: 'AWSServiceRoleForAutoScaling' };
        controller.abort(stop);
        throw stop;
      },
    } as never);
    const roles = {
      id: 'roles',
      kind: 'serviceLinkedRoles',
      title: 'Service-linked roles',
      services: ['autoscaling.amazonaws.com', 'elasticloadbalancing.amazonaws.com'],
    } as unknown as StepEntry;
    const base = stepBase(iam);
    const run = runInstallTasks(
      {
        ...common(cfn, clock, plan([plannedStack('data', {})])),
        signal: controller.signal,
        steps: [roles],
        stepBase: base,
        stepInputs: {},
      },
      'silent',
    );
    const error = (await run.catch((thrown: unknown) => thrown)) as StackguideError;
    expect(base.events).toContainEqual({
      type: 'step.resource-created',
      step: 'roles',
      resource: {
        kind: 'serviceLinkedRole',
        id: 'AWSServiceRoleForAutoScaling',
        name: 'autoscaling.amazonaws.com',
      },
    });
    expect(error.details[0]).toEqual({
      path: 'Service-linked roles',
      message:
        'stopped while it ran; it had made, which stays: the service-linked role for autoscaling.amazonaws.com (AWSServiceRoleForAutoScaling)',
    });
    expect(cfn.created).toEqual([]);
  });

  it('says a declined change set stopped the run, not that the stack failed', async () => {
    const clock = new FakeClock();
    const cfn = new ChangeSetCloudFormation(clock, () => ({ BucketName: 'b' }));
    const data = plannedStack('data', {});
    const app = { ...plannedStack('app', {}), dependsOn: ['data'] };
    const emitted: StackguideEvent[] = [];
    const run = runInstallTasks(
      {
        ...common(cfn, clock, plan([data, app])),
        emit: (event: StackguideEvent) => emitted.push(event),
        review: async () => 'decline' as const,
        steps: [],
        stepBase: stepBase(),
        stepInputs: {},
      },
      'silent',
    );
    const error = (await run.catch((thrown: unknown) => thrown)) as StackguideError;
    expect(error.code).toBe('changeset.declined');
    // A declined create leaves no stack: it was not created, never "left as it was" (trial finding 101).
    expect(error.message).toBe(
      'You declined the changes to demo-data: the change set was deleted, and so was the empty stack',
    );
    expect(error.nextSteps[0]).toMatch(/^demo-data was not created; what this run completed before stays\./);
    // The stack never started says so once, by its event (its row, its plain line), not again in the list.
    expect(emitted).toContainEqual({
      type: 'stack.not-started',
      stack: 'demo-app',
      reason: 'not started: demo-data was declined',
    });
    expect(error.details.map((detail) => detail.path)).not.toContain('demo-app');
    expect(error.nextSteps.join(' ')).not.toMatch(/once fixed|Nothing was changed/);
    expect(cfn.created.map((input) => input.stackName)).toEqual(['demo-data']);
    expect(cfn.deleted).toHaveLength(2);
  });
});

describe('an update whose parameters change', () => {
  it("hands the review each planned parameter change, deployed → new, whatever the change set's rows say", async () => {
    const clock = new FakeClock();
    const cfn = new ChangeSetCloudFormation(clock, () => ({}));
    const existing = cfn.stacks.get(cfn.addStack('demo-data', 'CREATE_COMPLETE'));
    if (existing) existing.parameters = { Size: 'tiny' };
    const data = {
      ...plannedStack('data', { Size: '{{answers.size}}' }),
      parameterChanges: [{ name: 'Size', deployed: 'tiny', next: 'small' }],
    };
    const reviewed: ChangeSetSummary[] = [];
    const emitted: StackguideEvent[] = [];
    const { error } = await runWithTestRenderer([
      deployStackTask(
        {
          ...common(cfn, clock, plan([data])),
          emit: (event: StackguideEvent) => emitted.push(event),
          results: {},
          stepOutputs: {},
          review: async (summary) => {
            reviewed.push(summary);
            return 'decline';
          },
        },
        data,
      ),
    ]);
    expect((error as StackguideError).code).toBe('changeset.declined');
    // An update declined leaves the stack as it was, and says so.
    expect((error as StackguideError).nextSteps[0]).toMatch(/^demo-data was left as it was; /);
    expect(reviewed[0]).toMatchObject({
      type: 'UPDATE',
      parameterChanges: [{ name: 'Size', deployed: 'tiny', next: 'small' }],
    });
    const created = emitted.find((event) => event.type === 'changeset.created');
    expect(created?.type === 'changeset.created' && created.summary.parameterChanges).toEqual([
      { name: 'Size', deployed: 'tiny', next: 'small' },
    ]);
  });
});

describe('StoreBridgeRenderer', () => {
  it('forwards title, state and output of every task, and a skipped task as skipped', async () => {
    const store = new ProgressStore('Run', Date.now, { notifyEveryChange: true });
    const frames: string[] = [];
    store.subscribe(() =>
      frames.push(
        store
          .getSnapshot()
          .tasks.map((task) => `${task.title}:${task.state}${task.output ? `(${task.output})` : ''}`)
          .join(' | '),
      ),
    );
    await new Listr(
      [
        {
          title: 'First',
          task: async (_context, task) => {
            task.output = 'halfway';
            task.title = 'First, done';
          },
        },
        { title: 'Second', skip: () => true, task: async () => {} },
      ],
      { renderer: StoreBridgeRenderer, rendererOptions: { store }, registerSignalListeners: false } as never,
    ).run();
    expect(frames).toContain('First:running(halfway) | Second:pending');
    expect(frames.at(-1)).toBe('First, done:completed(halfway) | Second:skipped');
    expect(store.getSnapshot().finished).toBe(true);
  });
});
