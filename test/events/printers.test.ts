import { describe, expect, it } from 'vitest';
import { EventBus } from '../../src/events.ts';
import { attachNdjsonPrinter } from '../../src/output/ndjson-printer.ts';
import { attachPlainPrinter } from '../../src/output/plain-printer.ts';
import { RunEvents } from '../../src/output/run-events.ts';

/** A short failed run, as a command and main.ts emit it. */
function failedRun(bus: RunEvents): void {
  bus.emit({ type: 'run.started', command: 'install', blueprint: 'demo', region: 'us-east-1' });
  bus.emit({ type: 'stack.started', stack: 'lab-data', operation: 'create', resourceCount: 3 });
  bus.emit({ type: 'heartbeat', stack: 'lab-data', status: 'CREATE_IN_PROGRESS', elapsedSeconds: 30 });
  bus.emit({
    type: 'stack.failed',
    stack: 'lab-data',
    status: 'ROLLBACK_COMPLETE',
    message: 'rolled back',
    rootCause: {
      stackName: 'lab-data',
      logicalResourceId: 'Bucket',
      resourceType: 'AWS::S3::Bucket',
      status: 'CREATE_FAILED',
      reason: 'lab-data-bucket already exists',
    },
  });
  bus.end(1, {
    type: 'error',
    code: 'stack.failed',
    kind: 'aws',
    message: 'lab-data did not reach CREATE_COMPLETE',
    details: [],
    nextSteps: [],
  });
}

describe('printers, rendered to strings', () => {
  it('plain: one line per event, heartbeats included, the error left to the top-level handler', () => {
    const lines: string[] = [];
    let now = 0;
    const run = new RunEvents('install');
    attachPlainPrinter(run, { write: (line) => lines.push(line), now: () => (now += 15_000) });
    failedRun(run);
    expect(lines.join('\n')).toBe(
      [
        '[    15s] install demo in us-east-1',
        '[    30s] lab-data: create (3 resources)',
        '[    45s] … lab-data: still CREATE_IN_PROGRESS (30s)',
        '[ 1m 00s] lab-data: ROLLBACK_COMPLETE - root cause: Bucket (AWS::S3::Bucket) in lab-data: lab-data-bucket already exists',
        // The error event took a clock reading too, though the plain printer leaves it to main.ts.
        '[ 1m 30s] failed',
      ].join('\n'),
    );
  });

  it('plain: the first line names the deployment, then its blueprint when it is named otherwise (trial finding 73)', () => {
    const lines: string[] = [];
    const bus = new EventBus();
    attachPlainPrinter(bus, { write: (line) => lines.push(line), now: () => 0 });
    bus.emit({
      type: 'run.started',
      command: 'destroy',
      blueprint: 'demo',
      deployment: 'slow',
      region: 'us-east-1',
    });
    bus.emit({
      type: 'run.started',
      command: 'destroy',
      blueprint: 'demo',
      deployment: 'demo',
      region: 'us-east-1',
    });
    bus.emit({ type: 'run.started', command: 'status', deployment: 'geo' });
    bus.emit({ type: 'run.started', command: 'policy' });
    expect(lines).toEqual([
      '[     0s] destroy slow (blueprint demo) in us-east-1',
      '[     0s] destroy demo in us-east-1',
      '[     0s] status geo',
      '[     0s] policy',
    ]);
  });

  it('plain: the answers file upgrade took itself is said as status says it', () => {
    const lines: string[] = [];
    const bus = new EventBus();
    attachPlainPrinter(bus, { write: (line) => lines.push(line), now: () => 0 });
    bus.emit({ type: 'answers.chosen', path: 'answers.yaml', from: 'journal' });
    bus.emit({ type: 'answers.chosen', path: 'geo.answers.yaml', from: 'beside' });
    expect(lines).toEqual([
      '[     0s] Answers from answers.yaml, which the last install or upgrade used',
      '[     0s] Answers from geo.answers.yaml (no --config given)',
    ]);
  });

  it('plain: a waiting step and a silent run each get their own heartbeat line', () => {
    const lines: string[] = [];
    const bus = new EventBus();
    attachPlainPrinter(bus, { write: (line) => lines.push(line), now: () => 0 });
    bus.emit({
      type: 'heartbeat',
      step: 'zone',
      status: 'waiting for the parent delegation',
      elapsedSeconds: 90,
    });
    bus.emit({ type: 'heartbeat', status: 'working', elapsedSeconds: 30 });
    expect(lines).toEqual([
      '[     0s] … zone: still waiting (1m 30s): waiting for the parent delegation',
      '[     0s] … still working (30s)',
    ]);
  });

  it('plain: inside install a check install answers is its plan, not a warning telling to run install; preflight keeps the fix', () => {
    const missingRole = {
      id: 'roles.autoscaling.amazonaws.com',
      step: 'roles',
      title: 'Service-linked role for autoscaling.amazonaws.com',
      status: 'warn' as const,
      summary: 'missing: stackguide install creates it',
      fix: 'Run stackguide install, which creates it, or create it yourself: aws iam create-service-linked-role --aws-service-name autoscaling.amazonaws.com',
      required: true,
      plannedByInstall: true,
    };
    const printed = (command: string): string[] => {
      const lines: string[] = [];
      const bus = new EventBus();
      attachPlainPrinter(bus, { write: (line) => lines.push(line), now: () => 0 });
      bus.emit({ type: 'run.started', command, blueprint: 'demo', region: 'us-east-1' });
      bus.emit({ type: 'check.result', result: missingRole });
      return lines.slice(1);
    };
    expect(printed('install')).toEqual([
      '[     0s] + Service-linked role for autoscaling.amazonaws.com: missing: stackguide install creates it (in the plan)',
    ]);
    expect(printed('preflight').join('\n')).toContain(
      '⚠ Service-linked role for autoscaling.amazonaws.com: missing: stackguide install creates it\n           fix: Run stackguide install, which creates it',
    );
  });

  it('plain: a step pending outside the run says what it waits for, not done', () => {
    const lines: string[] = [];
    const bus = new EventBus();
    attachPlainPrinter(bus, { write: (line) => lines.push(line), now: () => 0 });
    bus.emit({ type: 'step.completed', step: 'roles', outputs: {} });
    bus.emit({
      type: 'step.completed',
      step: 'ses',
      outputs: {},
      pending: "AWS's review of SES production access in us-east-1, usually 24-48 hours",
    });
    expect(lines).toEqual([
      '[     0s] roles: done',
      "[     0s] ses: pending, waiting for AWS's review of SES production access in us-east-1, usually 24-48 hours",
    ]);
  });

  it("plain: a manual step the operator confirmed says so, never done or a check's ✔ (trial finding 100)", () => {
    const lines: string[] = [];
    const bus = new EventBus();
    attachPlainPrinter(bus, { write: (line) => lines.push(line), now: () => 0 });
    bus.emit({
      type: 'check.result',
      result: {
        id: 'calendar.done',
        step: 'calendar',
        title: 'Set up an iCal calendar for notifications',
        status: 'pass',
        summary: 'confirmed by you: https://calendar.example.edu/geo.ics',
        required: true,
        confirmedByOperator: true,
      },
    });
    bus.emit({ type: 'step.completed', step: 'calendar', outputs: {}, confirmedByOperator: true });
    expect(lines).toEqual([
      '[     0s] ☑ Set up an iCal calendar for notifications: confirmed by you: https://calendar.example.edu/geo.ics',
      '[     0s] calendar: confirmed by you',
    ]);
  });

  it('plain: an upgrade lists each parameter it changes under its header, and its change sets count them (trial finding 53)', () => {
    const lines: string[] = [];
    const bus = new EventBus();
    attachPlainPrinter(bus, { write: (line) => lines.push(line), now: () => 0 });
    const timeout = { name: 'JobTimeoutSeconds', deployed: '300', next: '450' };
    bus.emit({
      type: 'upgrade.started',
      deployment: 'demo',
      from: '1.0.0',
      to: '1.0.0',
      answersChanged: [],
      parametersChanged: [{ stack: 'demo-app', ...timeout }],
    });
    const summary = {
      changeSetId: 'cs',
      stackId: 'id',
      type: 'UPDATE' as const,
      empty: false,
      iamResources: [],
      statefulReplacements: [],
    };
    bus.emit({
      type: 'changeset.created',
      stack: 'demo-app',
      summary: { ...summary, changes: [], parameterChanges: [timeout] },
    });
    bus.emit({
      type: 'changeset.created',
      stack: 'demo-data',
      summary: {
        ...summary,
        changes: [
          { action: 'Modify', logicalResourceId: 'Bucket', resourceType: 'AWS::S3::Bucket', stateful: true },
        ],
        parameterChanges: [timeout, { ...timeout, name: 'Retention' }],
      },
    });
    bus.emit({ type: 'changeset.created', stack: 'demo-web', summary: { ...summary, changes: [] } });
    expect(lines).toEqual([
      '[     0s] upgrading demo: 1.0.0, parameter changed: JobTimeoutSeconds\n           demo-app JobTimeoutSeconds: 300 → 450',
      '[     0s] demo-app: change set update (1 parameter)',
      '[     0s] demo-data: change set update (1 modify, 2 parameters)',
      '[     0s] demo-web: change set update (no resource changes)',
    ]);
  });

  it('NDJSON: one object per line with its time, the error before run.completed, which is last', () => {
    let out = '';
    const run = new RunEvents('install');
    attachNdjsonPrinter(
      run,
      (line) => (out += line),
      () => Date.UTC(2026, 0, 2, 3, 4, 5),
    );
    failedRun(run);
    const lines = out.split('\n');
    expect(lines.at(-1)).toBe('');
    const records = lines.slice(0, -1).map((line) => JSON.parse(line));
    expect(records.map((record) => record.type)).toEqual([
      'run.started',
      'stack.started',
      'heartbeat',
      'stack.failed',
      'error',
      'run.completed',
    ]);
    expect(lines[0]).toBe(
      '{"time":"2026-01-02T03:04:05.000Z","type":"run.started","command":"install","blueprint":"demo","region":"us-east-1"}',
    );
    expect(lines[5]).toBe(
      '{"time":"2026-01-02T03:04:05.000Z","type":"run.completed","outcome":"failed","exitCode":1}',
    );
  });
});
