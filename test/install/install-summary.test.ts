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
    events.emit({ type: 'step.completed', step: 'zone', outputs: {} });
    events.emit({ type: 'step.completed', step: 'never-started', outputs: {} });
    stop();
    events.emit({ type: 'warning', code: 'late', message: 'said after the summary' });
    expect(recap).toEqual({
      warnings: ['The resolver is slow'],
      steps: [
        { id: 'zone', title: 'Hosted zone', done: true },
        { id: 'cert', title: 'Certificate', done: false },
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

  it('writes nothing under --output json: the events said it', async () => {
    const { out, err } = capture();
    await showInstallOutcome(outcome, { warnings: ['x'], steps: [] }, undefined, true);
    expect([...out, ...err]).toEqual([]);
  });
});
