import { describe, expect, it, vi } from 'vitest';
import type { AcmPort, CertificateDetail } from '../../src/aws/acm-port.ts';
import type { StackEventRecord, StackguideEvent } from '../../src/events.ts';
import type { ProgressStore } from '../../src/progress/progress-store.ts';
import {
  EMAIL_WINDOW_MS,
  waitForIssued,
  waitForValidationRecords,
} from '../../src/steps/certificate/certificate-validation.ts';
import type { StepContext } from '../../src/steps/step.ts';
import { renderLiveView } from '../support/live-view.tsx';
import { TestClock } from '../support/step-context.ts';

/**
 * The live view in the window operators actually have, 80x24 (and larger): every state in which it
 * must tell the operator what is happening and what to do, with the live region never taller than the
 * window minus two lines.
 */
const TITLE = 'Installing lab';
const NS = [
  'lab.example.test. 172800 IN NS ns-2048.awsdns-64.com.',
  'lab.example.test. 172800 IN NS ns-2049.awsdns-65.net.',
  'lab.example.test. 172800 IN NS ns-2050.awsdns-66.org.',
  'lab.example.test. 172800 IN NS ns-2051.awsdns-67.co.uk.',
];

function setup(columns = 80, rows = 24) {
  const { store, view, advance } = renderLiveView(TITLE, { columns, rows });
  return { store, view, advance, live: () => view.liveRegion(TITLE) };
}

let sequence = 0;
const resourceEvent = (stackName: string, logicalId: string, type: string, status: string, reason?: string) =>
  ({
    eventId: `e${++sequence}`,
    stackName,
    stackId: `arn:aws:cloudformation:us-east-1:1:stack/${stackName}/x`,
    rootStackId: 'arn:root',
    logicalResourceId: logicalId,
    resourceType: type,
    status,
    timestamp: new Date().toISOString(),
    ...(reason ? { reason } : {}),
  }) satisfies StackEventRecord;

/** Thirty stacks waiting their turn, as a large blueprint has. */
function manyWaitingStacks(store: ProgressStore): void {
  for (let i = 1; i <= 30; i++)
    store.setTask({ id: `t${i}`, title: `Deploy stack lab-part-${i}`, state: 'pending' });
}

describe('the live view at 80x24', () => {
  it('shows a hosted zone waiting for delegation with every NS record to copy, and what it waits for', async () => {
    const { store, view, advance, live } = setup();
    manyWaitingStacks(store);
    store.apply({
      type: 'step.started',
      step: 'roles',
      kind: 'serviceLinkedRoles',
      title: 'Service-linked roles',
    });
    store.apply({ type: 'step.completed', step: 'roles', outputs: {} });
    store.apply({
      type: 'step.started',
      step: 'zone',
      kind: 'hostedZone',
      title: 'Hosted zone lab.example.test',
    });
    store.apply({
      type: 'step.progress',
      step: 'zone',
      message: `Add these NS records in the zone example.test (at your registrar or DNS provider), because example.test has no NS records for lab.example.test:\n${NS.join('\n')}`,
    });
    advance(95_000);
    // A re-check's one-line verdict replaces the detail; the records stay on screen.
    store.apply({
      type: 'step.progress',
      step: 'zone',
      message:
        'The parent example.test answers with no delegation for lab.example.test yet; checking every 15 s',
    });
    await vi.waitFor(() => expect(view.lastFrame()).toContain('no delegation for lab.example.test yet'));
    const region = live();
    expect(region.join('\n')).toContain('◼ Hosted zone lab.example.test 1m 35s');
    for (const record of NS) expect(region.join('\n')).toContain(record);
    // The finished step was printed once, above the live region.
    expect(view.lastFrame()).toMatch(/✔ Service-linked roles[\s\S]*Installing lab/);
    // Thirty waiting stacks fold; the live region never takes the last two lines.
    expect(region.join('\n')).toMatch(/\+\d+ more \(\d+ waiting\)/);
    expect(region.length).toBeLessThanOrEqual(22);
    for (const line of region) expect(line.length).toBeLessThanOrEqual(80);
    view.unmount();
  });

  it('shows a lame delegation whole: every name server it names and every NS record, inside the window (trial finding 39)', async () => {
    const { store, view, advance, live } = setup();
    manyWaitingStacks(store);
    store.apply({ type: 'step.started', step: 'zone', kind: 'hostedZone', title: 'Hosting domain' });
    store.apply({
      type: 'step.progress',
      step: 'zone',
      message: `Add these NS records in the zone example.test (at your registrar or DNS provider), because example.test has no NS records for lab.example.test:\n${NS.join('\n')}`,
    });
    advance(30_000);
    const servers = NS.map((record) => record.split(' ').at(-1)?.replace(/\.$/, '') ?? '');
    // The parent now delegates, but the zone's servers do not serve it yet: each one is named.
    store.apply({
      type: 'step.progress',
      step: 'zone',
      message: `example.test delegates lab.example.test to the hosted zone's name servers, but not all of them serve it. ${servers.map((server) => `${server} refuses queries for it: it does not host the zone (a deleted hosted zone answers this way).`).join(' ')}`,
    });
    store.apply({
      type: 'step.waiting',
      step: 'zone',
      nextCheckAt: new Date(1_045_000).toISOString(),
      givesUpAt: new Date(1_000_000 + 3_600_000).toISOString(),
    });
    await vi.waitFor(() => expect(view.lastFrame()).toContain('ns-2048.awsdns-64.com refuses'));
    const region = live();
    const text = region.join(' ').replace(/\s+/g, ' ');
    for (const server of servers) expect(text).toContain(`${server} refuses queries for it`);
    expect(text).toContain(
      `${servers.at(-1)} refuses queries for it: it does not host the zone (a deleted hosted zone answers this way).`,
    );
    expect(text).not.toContain('…');
    for (const record of NS) expect(region).toContain(`    ${record}`);
    expect(text).toMatch(/next check in/);
    expect(region.length, region.join('\n')).toBeLessThanOrEqual(22);
    for (const line of region) expect(line.length, line).toBeLessThanOrEqual(80);
    view.unmount();
  });

  it('shows a certificate pending validation with its cause, and the approvers of an email validation', async () => {
    const { store, view, live } = setup();
    store.apply({ type: 'step.started', step: 'cert', kind: 'certificate', title: 'TLS certificate' });
    store.apply({
      type: 'step.progress',
      step: 'cert',
      message:
        'Certificate PENDING_VALIDATION: the CNAME _d930b28be6c5927595552b219965053e.lab.example.test is in the zone, but lab.example.test is not delegated, so ACM cannot see it',
    });
    store.apply({ type: 'step.started', step: 'mail', kind: 'certificate', title: 'Certificate by email' });
    store.apply({
      type: 'step.progress',
      step: 'mail',
      message:
        'ACM sent the approval mail for lab.example.edu to:\nadmin@example.edu\nadministrator@example.edu\nhostmaster@example.edu\npostmaster@example.edu\nwebmaster@example.edu\nSomeone who reads one of them must open it and approve.',
    });
    await vi.waitFor(() => expect(view.lastFrame()).toContain('webmaster@example.edu'));
    const region = live().join('\n');
    expect(region).toContain('◼ TLS certificate');
    expect(region).toContain('Certificate PENDING_VALIDATION: the CNAME');
    for (const address of ['admin', 'administrator', 'hostmaster', 'postmaster', 'webmaster'])
      expect(region).toContain(`${address}@example.edu`);
    expect(live().length).toBeLessThanOrEqual(22);
    view.unmount();
  });

  it('opens a failing nested stack with its root cause and keeps a warning on its row', async () => {
    const { store, view, live } = setup();
    manyWaitingStacks(store);
    store.apply({ type: 'step.started', step: 'zone', kind: 'hostedZone', title: 'Hosted zone' });
    store.apply({
      type: 'warning',
      code: 'hosted-zone.not-delegated',
      message: 'lab.example.test is not delegated: certificates validated by DNS stay pending',
    });
    store.apply({ type: 'step.completed', step: 'zone', outputs: {} });
    store.apply({ type: 'stack.started', stack: 'lab-core', operation: 'create', resourceCount: 40 });
    for (let i = 0; i < 30; i++)
      store.apply({
        type: 'stack.event',
        stack: 'lab-core',
        event: resourceEvent('lab-core', `Queue${i}`, 'AWS::SQS::Queue', 'CREATE_IN_PROGRESS'),
      });
    store.apply({
      type: 'stack.event',
      stack: 'lab-core',
      event: resourceEvent(
        'lab-core-Db-1',
        'Db',
        'AWS::RDS::DBInstance',
        'CREATE_FAILED',
        'gp3 is not supported for db.t3.micro',
      ),
    });
    await vi.waitFor(() => expect(view.lastFrame()).toContain('CREATE_FAILED'));
    const region = live();
    expect(region.join('\n')).toMatch(/lab-core-Db-1[\s\S]*✖ Db AWS::RDS::DBInstance CREATE_FAILED/);
    expect(region.length).toBeLessThanOrEqual(22);
    // The step's warning was printed with its row, and stays in the scrollback.
    expect(view.lastFrame()).toContain('⚠ lab.example.test is not delegated');
    view.unmount();
  });

  it("asks destroy's DELETE_FAILED question inside the window", async () => {
    const { store, view, live } = setup();
    manyWaitingStacks(store);
    store.apply({ type: 'stack.started', stack: 'lab-data', operation: 'delete', resourceCount: 3 });
    store.apply({
      type: 'stack.failed',
      stack: 'lab-data',
      status: 'DELETE_FAILED',
      message: 'Bucket not empty',
    });
    const answer = store.ask({
      kind: 'choice',
      message: 'lab-data could not be deleted: Bucket not empty. What now?',
      choices: [
        { value: 'retry', label: 'Empty what is left and try again' },
        { value: 'retain', label: 'Retry, keeping Bucket' },
        { value: 'stop', label: 'Stop here' },
      ],
      cancelValue: 'stop',
    });
    await vi.waitFor(() => expect(view.lastFrame()).toContain('Stop here'));
    const region = live().join('\n');
    expect(region).toContain('lab-data could not be deleted');
    expect(region).toContain('Retry, keeping Bucket');
    expect(live().length).toBeLessThanOrEqual(22);
    store.answer('stop');
    expect(await answer).toBe('stop');
    view.unmount();
  });

  it('keeps the elapsed and remaining time in a header too long for the window, and counts nothing down while it asks', async () => {
    const title = 'Installing mydemo (demo 1.0.0) into 123456789012 us-east-1';
    const { store, view, now, advance } = renderLiveView(title);
    store.apply({ type: 'stack.started', stack: 'mydemo-data', operation: 'create', resourceCount: 2 });
    store.apply({
      type: 'eta',
      remainingSeconds: 59,
      finishesAt: new Date(now() + 59_000).toISOString(),
      guess: false,
      stacks: [],
    });
    advance(16_000);
    store.apply({
      type: 'stack.event',
      stack: 'mydemo-data',
      event: resourceEvent('mydemo-data', 'Bucket', 'AWS::S3::Bucket', 'CREATE_IN_PROGRESS'),
    });
    await vi.waitFor(() => expect(view.lastFrame()).toContain('Bucket'));
    const [header] = view.liveRegion('Installing mydemo');
    // The account and region stay whole (trial finding 58): the times say less instead.
    expect(header).toBe('Installing mydemo (demo 1.0.0) into 123456789012 us-east-1 · 16s · 43s left');
    expect(header?.length).toBeLessThanOrEqual(80);
    void store.ask({
      kind: 'choice',
      message: 'Execute the change set?',
      choices: [{ value: 'y', label: 'Execute' }],
      cancelValue: 'n',
    });
    await vi.waitFor(() =>
      expect(view.liveRegion('Installing mydemo')[0]).toBe(
        'Installing mydemo (demo 1.0.0) into 123456789012 us-east-1 · waiting for you',
      ),
    );
    view.unmount();
  });

  it("keeps opensarlab's account and region whole in the header, the time left in whole minutes (trial finding 58)", async () => {
    const title = 'Installing geo-lab (opensarlab 1.0.0) into 123456789012 us-east-1';
    const { store, view, now, advance } = renderLiveView(title);
    store.apply({ type: 'stack.started', stack: 'geo-lab', operation: 'create', resourceCount: 4 });
    store.apply({
      type: 'eta',
      remainingSeconds: 200,
      finishesAt: new Date(now() + 200_000).toISOString(),
      guess: true,
      stacks: [],
    });
    advance(11_000);
    store.apply({
      type: 'stack.event',
      stack: 'geo-lab',
      event: resourceEvent('geo-lab', 'Topic', 'AWS::SNS::Topic', 'CREATE_IN_PROGRESS'),
    });
    await vi.waitFor(() => expect(view.lastFrame()).toContain('Topic'));
    expect(view.liveRegion('Installing geo-lab')[0]).toBe(`${title} · 4m left`);
    // Wide enough, everything is said.
    view.resize(120, 24);
    advance(1000);
    store.apply({
      type: 'stack.event',
      stack: 'geo-lab',
      event: resourceEvent('geo-lab', 'Queue', 'AWS::SQS::Queue', 'CREATE_IN_PROGRESS'),
    });
    await vi.waitFor(() =>
      expect(view.liveRegion('Installing geo-lab')[0]).toBe(`${title} · 12s · about 3m 08s left (a guess)`),
    );
    // Only a title wider than the window itself is cut, and keeps the elapsed time.
    view.resize(50, 24);
    await vi.waitFor(() =>
      expect(view.liveRegion('Installing geo-lab')[0]).toBe(
        'Installing geo-lab (opensarlab 1.0.0) into … · 12s',
      ),
    );
    view.unmount();
  });

  it("keeps an upgrade's account and region whole at 80 columns, saying what changed in fewer words first (trial finding 97)", async () => {
    const where = 'in 123456789012 us-east-1';
    const titles = [
      `Upgrading geo (opensarlab 1.0.0, answer changed: containerBranch) ${where}`,
      `Upgrading geo (opensarlab 1.0.0, 1 answer changed) ${where}`,
      `Upgrading geo (opensarlab 1.0.0) ${where}`,
    ] as const;
    const { store, view, advance } = renderLiveView(titles, { columns: 120, rows: 24 });
    store.apply({ type: 'stack.started', stack: 'geo-container', operation: 'update', resourceCount: 3 });
    await vi.waitFor(() => expect(view.lastFrame()).toContain('geo-container'));
    // Wide enough, what changed is named.
    expect(view.liveRegion('Upgrading geo')[0]).toBe(`${titles[0]} · 0s`);
    // At 80 columns it is counted, and the account and region stay whole (the rows keep their times).
    view.resize(80, 24);
    advance(4000);
    store.apply({
      type: 'stack.event',
      stack: 'geo-container',
      event: resourceEvent('geo-container', 'Source', 'AWS::SSM::Parameter', 'UPDATE_IN_PROGRESS'),
    });
    await vi.waitFor(() => expect(view.liveRegion('Upgrading geo')[0]).toBe(titles[1]));
    for (const line of view.lastFrame().split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    // Narrower, only the version is left (the lines above the live view name the parameters).
    view.resize(70, 24);
    await vi.waitFor(() => expect(view.liveRegion('Upgrading geo')[0]).toBe(`${titles[2]} · 4s`));
    view.unmount();
  });

  it('never ticks done a step whose result waits on AWS: pending, with what it waits for', async () => {
    const { store, view } = setup();
    for (const [step, kind, title] of [
      ['ses', 'ses', 'Take AWS SES out of sandbox'],
      ['costTag', 'costTag', 'Create an AWS cost allocation tag'],
      ['roles', 'serviceLinkedRoles', 'Service-linked roles'],
      ['calendar', 'manual', 'Set up an iCal calendar for notifications'],
    ] as const) {
      store.apply({ type: 'step.started', step, kind, title });
      store.apply({
        type: 'step.completed',
        step,
        outputs: {},
        ...(step === 'calendar' ? { confirmedByOperator: true } : {}),
        ...(step === 'ses'
          ? {
              pending:
                "AWS's review of SES production access in us-east-1 (case 17000000001), usually 24-48 hours",
            }
          : step === 'costTag'
            ? {
                pending:
                  'Billing to list the tag key deployment_name, about 24 hours after the first stack carries it; then run stackguide install again to activate it',
              }
            : {}),
      });
    }
    store.apply({ type: 'stack.started', stack: 'lab-data', operation: 'create', resourceCount: 2 });
    await vi.waitFor(() => expect(view.lastFrame()).toContain('lab-data'));
    const frame = view.lastFrame();
    for (const line of frame.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(frame).not.toMatch(/✔ Take AWS SES|✔ Create an AWS cost allocation tag/);
    expect(frame).toMatch(
      /◷ Take AWS SES out of sandbox \S+ pending\n {4}waiting for AWS's review of SES production/,
    );
    expect(frame).toContain('◷ Create an AWS cost allocation tag');
    // What it waits for is printed whole, wrapped by words.
    expect(frame.replace(/\n {4}/g, ' ')).toContain(
      'waiting for Billing to list the tag key deployment_name, about 24 hours after the first stack carries it; then run stackguide install again to activate it',
    );
    expect(frame).toContain('✔ Service-linked roles');
    // A manual step the operator confirmed: nothing checked it, so it never takes a check's ✔ (trial
    // finding 100).
    expect(frame).toMatch(/☑ Set up an iCal calendar for notifications \S+ confirmed by you/);
    expect(frame).not.toContain('✔ Set up an iCal calendar');
    view.unmount();
  });

  it('wraps a long warning under the header whole, the change set name an earlier run left included', async () => {
    const { store, view, live } = setup();
    const warning =
      'kill1-data: an earlier run created change set stackguide-4cc3b3c0-17b9-4724-9a2e-5b1f0c6d7e8f and stopped before executing it; deleted it';
    store.apply({ type: 'warning', code: 'changeset.unexecuted-deleted', message: warning });
    store.apply({ type: 'stack.started', stack: 'kill1-data', operation: 'create', resourceCount: 2 });
    await vi.waitFor(() => expect(view.lastFrame()).toContain('CREATE_IN_PROGRESS'));
    const region = live();
    for (const line of region) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(region[1]).toMatch(/^⚠ kill1-data: an earlier run created change set/);
    const rows = region.findIndex((line) => line.startsWith('◼ kill1-data'));
    for (const line of region.slice(2, rows)) expect(line).toMatch(/^ {2}\S/);
    expect(region.slice(1, rows).join(' ').replace(/\s+/g, ' ')).toBe(`⚠ ${warning}`);
    expect(region.join('\n')).not.toContain('…');
    view.unmount();
  });

  it("shows an upgrade's warning under the header while the stacks run", async () => {
    const { store, view, live } = setup();
    store.apply({
      type: 'warning',
      code: 'upgrade.live-value-used',
      message: 'codeocean: using the live value 50 for AnalyticsAllocatedStorage',
    });
    store.apply({ type: 'stack.started', stack: 'codeocean', operation: 'update', resourceCount: 2 });
    await vi.waitFor(() => expect(view.lastFrame()).toContain('UPDATE_IN_PROGRESS'));
    expect(live()[1]).toBe('⚠ codeocean: using the live value 50 for AnalyticsAllocatedStorage');
    view.unmount();
  });

  it('fits a change set taller than the window: what can lose data first, the rest counted on one line', async () => {
    const { store, view, live } = setup();
    manyWaitingStacks(store);
    store.apply({ type: 'stack.started', stack: 'lab-core', operation: 'update', resourceCount: 42 });
    const change = (id: string, action: string, extra: Record<string, unknown> = {}) => ({
      action,
      logicalResourceId: id,
      resourceType: 'AWS::SSM::Parameter',
      replacement: 'False',
      stateful: false,
      ...extra,
    });
    const changes = [
      ...Array.from({ length: 36 }, (_, i) => change(`Setting${i + 1}`, 'Add')),
      change('OldQueue', 'Remove'),
      change('Cluster', 'Modify', { replacement: 'True', resourceType: 'AWS::ECS::Cluster' }),
      change('Nested', 'Modify', {
        resourceType: 'AWS::CloudFormation::Stack',
        nested: [change('Inner1', 'Add'), change('Inner2', 'Modify', { replacement: 'Conditional' })],
      }),
    ];
    const answer = store.ask({
      kind: 'changeset',
      summary: {
        stackName: 'lab-core',
        stackId: 'arn:aws:cloudformation:us-east-1:1:stack/lab-core/x',
        changeSetId: 'cs-1',
        type: 'UPDATE',
        changes: changes as never,
        empty: false,
        iamResources: ['WorkerRole (AWS::IAM::Role)'],
        capabilities: ['CAPABILITY_IAM'],
        statefulReplacements: [],
      },
    });
    await vi.waitFor(() => expect(view.lastFrame()).toContain('Execute?'));
    const region = live();
    expect(region.length).toBeLessThanOrEqual(22);
    const text = region.join('\n');
    expect(text).toContain('Change set for lab-core (update): 39 changes');
    // The replacement, the removal and the conditional replacement inside the nested stack all show.
    expect(text).toMatch(/~ Cluster AWS::ECS::Cluster replacement/);
    expect(text).toMatch(/- OldQueue/);
    expect(text).toMatch(/ {5}~ Inner2 AWS::SSM::Parameter may be replaced/);
    expect(text).toMatch(/\+\d+ more: \d+ to add/);
    expect(text).toContain('Going ahead acknowledges CAPABILITY_IAM.');
    // No line is wider than the window.
    for (const line of region) expect(line.length).toBeLessThanOrEqual(80);
    store.answer('decline');
    expect(await answer).toBe('decline');
    view.unmount();
  });

  it('lays out again when the window is resized: more rows show, none is cut at 200x50', async () => {
    const { store, view, live } = setup();
    manyWaitingStacks(store);
    await vi.waitFor(() => expect(view.lastFrame()).toContain('more'));
    expect(live().length).toBeLessThanOrEqual(22);
    view.resize(200, 50);
    await vi.waitFor(() => expect(live().join('\n')).toContain('lab-part-30 waiting'));
    expect(live().join('\n')).not.toContain('more');
    expect(live().length).toBeLessThanOrEqual(48);
    view.unmount();
  });
});

describe('a waiting step in the live view at 80x24', () => {
  const certificate = (status: string, withRecord: boolean): CertificateDetail => ({
    arn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
    domainName: 'lab.example.edu',
    subjectAlternativeNames: [],
    status,
    type: 'AMAZON_ISSUED',
    failureReason: null,
    createdAt: null,
    importedAt: null,
    notBefore: null,
    notAfter: null,
    renewalEligibility: null,
    renewalStatus: null,
    inUseBy: [],
    serial: null,
    domainValidations: [
      {
        domainName: 'lab.example.edu',
        validationDomain: 'lab.example.edu',
        validationStatus: 'PENDING_VALIDATION',
        validationMethod: withRecord ? 'DNS' : 'EMAIL',
        resourceRecord: withRecord
          ? { name: '_x.lab.example.edu.', type: 'CNAME', value: '_y.acm.aws.' }
          : null,
        validationEmails: withRecord ? [] : ['admin@example.edu'],
      },
    ],
  });

  /**
   * The certificate step's own waits, on a test clock: each sleep holds until the test has read the
   * screen, so what it shows is the wait's real schedule at that moment.
   */
  function world(answers: CertificateDetail[]) {
    const previousTz = process.env.TZ;
    process.env.TZ = 'UTC';
    const clock = new TestClock(Date.parse('2026-12-03T13:20:00Z'));
    const { store, view } = renderLiveView(TITLE, { now: () => clock.now() });
    const sleeping: Array<() => void> = [];
    clock.onSleep = () => new Promise<void>((resolve) => sleeping.push(resolve));
    const acm = { describeCertificate: async () => answers.shift() ?? certificate('ISSUED', false) };
    const context = {
      stepId: 'cert',
      region: 'us-east-1',
      account: '123456789012',
      deployment: 'lab',
      answers: {},
      aws: {},
      clock,
      signal: new AbortController().signal,
      emit: (event: StackguideEvent) => store.apply(event),
      settings: {},
      env: {},
      stepOutputs: {},
    } as unknown as StepContext;
    store.apply({ type: 'step.started', step: 'cert', kind: 'certificate', title: 'TLS certificate' });
    return {
      clock,
      view,
      acm: acm as unknown as AcmPort,
      context,
      /** Lets the step's current sleep end. */
      wake: async () => {
        await vi.waitFor(() => expect(sleeping.length).toBeGreaterThan(0));
        sleeping.shift()?.();
      },
      done: () => {
        view.unmount();
        process.env.TZ = previousTz;
      },
    };
  }

  it('says when an email validation checks next and when it gives up, days ahead', async () => {
    const w = world([certificate('PENDING_VALIDATION', false), certificate('PENDING_VALIDATION', false)]);
    const waited = waitForIssued(w.acm, w.context, 'arn:aws:acm:us-east-1:123456789012:certificate/abc', {
      method: 'EMAIL',
      zone: null,
      timeoutMs: EMAIL_WINDOW_MS,
      extra: { approvers: ['admin@example.edu'] },
      nextSteps: () => [],
    });
    // ACM's 72 hours: another day, so the date is said with the time.
    await vi.waitFor(() =>
      expect(w.view.liveRegion(TITLE).join('\n')).toContain(
        'next check in 15s · gives up at 6 Dec 13:20 (in 72h 00m)',
      ),
    );
    // The screen counts down between checks, from the same schedule.
    w.clock.nowMs += 6_000;
    await vi.waitFor(
      () =>
        expect(w.view.liveRegion(TITLE).join('\n')).toContain('next check in 9s · gives up at 6 Dec 13:20'),
      { timeout: 5_000 },
    );
    await w.wake();
    // The next wait is timed from the check after it.
    await vi.waitFor(() =>
      expect(w.view.liveRegion(TITLE).join('\n')).toContain(
        'next check in 15s · gives up at 6 Dec 13:20 (in 71h 59m)',
      ),
    );
    for (const line of w.view.liveRegion(TITLE)) expect(line.length).toBeLessThanOrEqual(80);
    await w.wake();
    expect((await waited).status).toBe('ISSUED');
    w.done();
  });

  it("says when ACM's validation records are asked for next and when the wait gives up, today", async () => {
    const w = world([certificate('PENDING_VALIDATION', false)]);
    const waited = waitForValidationRecords(
      w.acm,
      w.context,
      'arn:aws:acm:us-east-1:123456789012:certificate/abc',
    );
    await vi.waitFor(() =>
      expect(w.view.liveRegion(TITLE).join('\n')).toContain(
        'next check in 2s · gives up at 13:25 (in 5m 00s)',
      ),
    );
    await w.wake();
    await waited;
    w.done();
  });
});
