import { afterEach, describe, expect, it, vi } from 'vitest';
import { recordRecap, showInstallOutcome } from '../../src/commands/install-summary.ts';
import { EventBus } from '../../src/events.ts';
import type { InstallOutcome } from '../../src/flows/install-flow.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('recordRecap', () => {
  it('keeps the warnings and the steps with whether each finished, until stopped', () => {
    const events = new EventBus();
    const { recap, stop } = recordRecap(events);
    events.emit({ type: 'step.started', step: 'zone', kind: 'hostedZone', title: 'Hosted zone' });
    events.emit({ type: 'step.started', step: 'cert', kind: 'certificate', title: 'Certificate' });
    events.emit({ type: 'warning', code: 'dns.slow', message: 'The resolver is slow' });
    events.emit({ type: 'step.started', step: 'ses', kind: 'ses', title: 'Take AWS SES out of sandbox' });
    events.emit({ type: 'step.started', step: 'calendar', kind: 'manual', title: 'Set up a calendar' });
    events.emit({ type: 'step.completed', step: 'zone', outputs: {} });
    events.emit({ type: 'step.completed', step: 'calendar', outputs: {}, confirmedByOperator: true });
    events.emit({ type: 'step.completed', step: 'never-started', outputs: {} });
    events.emit({
      type: 'step.completed',
      step: 'ses',
      outputs: { productionAccess: 'false' },
      pending: "AWS's review of SES production access in us-east-1, usually 24-48 hours",
    });
    stop();
    events.emit({ type: 'warning', code: 'late', message: 'said after the summary' });
    expect(recap).toEqual({
      warnings: ['The resolver is slow'],
      steps: [
        { id: 'zone', title: 'Hosted zone', done: true },
        { id: 'cert', title: 'Certificate', done: false },
        // Pending on AWS: not done.
        {
          id: 'ses',
          title: 'Take AWS SES out of sandbox',
          done: false,
          pending: "AWS's review of SES production access in us-east-1, usually 24-48 hours",
        },
        // Done by the operator, who said so: nothing checked it (trial finding 100).
        { id: 'calendar', title: 'Set up a calendar', done: true, confirmed: true },
      ],
    });
  });
});

describe('showInstallOutcome without a terminal', () => {
  const outcome = {
    plan: {
      deployment: 'lab',
      stacks: [{ id: 'web', name: 'lab-web' }],
      secretAnswerIds: ['dbPassword'],
      answers: { dbPassword: 'hunter2-hunter2' },
    },
    stacks: {
      web: {
        status: 'CREATE_COMPLETE',
        outputs: { Url: 'https://lab.example.test', Db: 'pg://a:hunter2-hunter2@db' },
      },
    },
    answersPath: 'lab.answers.yaml',
    answersSaved: true,
    nextCommand: 'stackguide status',
    eventLogPath: '.stackguide/lab/events.ndjson',
    afterInstall: [{ title: 'Point the DNS at the load balancer', details: ['CNAME lab -> lb'] }],
  } as unknown as InstallOutcome;

  function capture() {
    const out: string[] = [];
    const err: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
    return { out, err };
  }

  it('writes the stacks, their outputs with secrets masked, and the checklist; warnings again on stderr', async () => {
    const { out, err } = capture();
    await showInstallOutcome(outcome, { warnings: ['The resolver is slow'], steps: [] }, undefined, false);
    const text = out.join('');
    expect(text).toContain('lab-web CREATE_COMPLETE\n  Url: https://lab.example.test\n');
    expect(text).not.toContain('hunter2');
    expect(text).toContain(
      '\nStill to do by hand:\n  ☐ Point the DNS at the load balancer\n      CNAME lab -> lb\n',
    );
    expect(err.join('')).toBe('\nWarnings:\n  ⚠ The resolver is slow\n');
  });

  it('lists a step pending outside the run with what it waits for, never as done', async () => {
    const { out } = capture();
    await showInstallOutcome(
      outcome,
      {
        warnings: [],
        steps: [
          { id: 'roles', title: 'Service-linked roles', done: true },
          {
            id: 'costTag',
            title: 'Create an AWS cost allocation tag',
            done: false,
            pending: 'Billing to list the tag key deployment_name',
          },
        ],
      },
      undefined,
      false,
    );
    expect(out.join('')).toContain(
      '\nPending outside this run:\n  ◷ Create an AWS cost allocation tag: waiting for Billing to list the tag key deployment_name\n',
    );
    expect(out.join('')).not.toContain('Service-linked roles');
  });

  it('names the file the checklist was written to, under it', async () => {
    const { out } = capture();
    await showInstallOutcome(
      { ...outcome, afterInstallPath: '.stackguide/lab/after-install.md' },
      { warnings: [], steps: [] },
      undefined,
      false,
    );
    expect(out.join('')).toContain(
      '  ☐ Point the DNS at the load balancer\n      CNAME lab -> lb\nThe same checklist is in .stackguide/lab/after-install.md\n',
    );
  });

  it('writes nothing under --output json: the events said it', async () => {
    const { out, err } = capture();
    await showInstallOutcome(outcome, { warnings: ['x'], steps: [] }, undefined, true);
    expect([...out, ...err]).toEqual([]);
  });
});

describe('showInstallOutcome in a terminal', () => {
  const outcome = {
    plan: { deployment: 'lab', stacks: [], secretAnswerIds: [], answers: {} },
    stacks: {},
    answersPath: 'lab.answers.yaml',
    answersSaved: true,
    nextCommand: 'stackguide install --blueprint demo --config lab.answers.yaml --yes',
    eventLogPath: '.stackguide/lab/events.ndjson',
    afterInstall: [],
  } as unknown as InstallOutcome;

  it('gives the summary screen the rows printed under it (STACKGUIDE_SUMMARY_ROWS_BELOW), none when not set', async () => {
    const shown: unknown[] = [];
    const screens = {
      showSummary: async (props: unknown) => {
        shown.push(props);
      },
    } as unknown as typeof import('../../screens/mount-screens.tsx');
    await showInstallOutcome(outcome, { warnings: [], steps: [] }, screens, false, 8);
    await showInstallOutcome(outcome, { warnings: [], steps: [] }, screens, false);
    expect(shown[0]).toMatchObject({ deployment: 'lab', rowsBelow: 8 });
    expect(shown[1]).not.toHaveProperty('rowsBelow');
  });
});
