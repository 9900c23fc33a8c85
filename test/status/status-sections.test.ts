import { describe, expect, it } from 'vitest';
import type { StackDescription } from '../../src/aws/cloudformation-port.ts';
import type { CheckResult } from '../../src/events.ts';
import { checkItem, stackItem, statusSections, worst } from '../../src/status/status-sections.ts';

const stack = (overrides: Partial<StackDescription> = {}): StackDescription => ({
  stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/lab-web/1',
  stackName: 'lab-web',
  status: 'CREATE_COMPLETE',
  createdAt: '2026-01-01T00:00:00.000Z',
  outputs: { Url: 'https://lab.example.test' },
  parameters: {},
  tags: {},
  terminationProtection: false,
  ...overrides,
});

const check = (overrides: Partial<CheckResult>): CheckResult => ({
  id: 'cert.certificate',
  step: 'cert',
  title: 'Certificate',
  status: 'pass',
  summary: 'ISSUED',
  required: false,
  ...overrides,
});

describe('stackItem', () => {
  it('is healthy when complete and in sync, with the last change and the drift said', () => {
    const item = stackItem({
      name: 'lab-web',
      description: stack({ drift: { status: 'IN_SYNC', checkedAt: '2026-02-01T00:00:00.000Z' } }),
    });
    expect(item).toMatchObject({ state: 'healthy' });
    expect(item.summary).toBe(
      'CREATE_COMPLETE, last changed 2026-01-01T00:00:00.000Z; no drift (checked 2026-02-01T00:00:00.000Z)',
    );
  });

  it('needs action when its parameters differ from the answers; names what was not compared, never its value', () => {
    const parameters = {
      differ: [
        { name: 'JobTimeoutSeconds', deployed: '450', answers: '300' },
        { name: 'EnableAlerts', deployed: 'false', answers: 'true' },
      ],
      notCompared: ['DbPassword'],
    };
    const item = stackItem({ name: 'lab-web', description: stack(), parameters });
    expect(item).toMatchObject({
      state: 'needs-action',
      summary: expect.stringContaining(
        '2 parameters differ from the answers file (deployed → answers): JobTimeoutSeconds 450 → 300, EnableAlerts false → true',
      ),
      nextAction:
        "Apply the answers file's values with stackguide install and the answers file (its review shows each change), or set the answers back to the deployed values.",
      facts: { parameters },
    });
    // The same, all in agreement: healthy, the names left out of the comparison kept in the facts.
    const same = stackItem({
      name: 'lab-web',
      description: stack(),
      parameters: { differ: [], notCompared: ['DbPassword'] },
    });
    expect(same).toMatchObject({ state: 'healthy', facts: { parameters: { notCompared: ['DbPassword'] } } });
    expect(
      stackItem({ name: 'lab-web', description: stack(), parameters: { differ: [], notCompared: [] } }).facts,
    ).not.toHaveProperty('parameters');
  });

  it('needs action when missing, failed, in progress or drifted, each with its next action', () => {
    expect(stackItem({ name: 'lab-web', description: undefined })).toMatchObject({
      state: 'needs-action',
      nextAction: 'Run stackguide install to create it.',
    });
    expect(
      stackItem({ name: 'lab-web', description: stack({ status: 'ROLLBACK_COMPLETE' }) }).nextAction,
    ).toContain('stackguide watch lab-web');
    expect(
      stackItem({ name: 'lab-web', description: stack({ status: 'UPDATE_IN_PROGRESS' }) }),
    ).toMatchObject({
      state: 'needs-action',
    });
    const drifted = stackItem({ name: 'lab-web', description: stack({ drift: { status: 'DRIFTED' } }) });
    expect(drifted).toMatchObject({ state: 'needs-action' });
    expect(drifted.nextAction).toContain('describe-stack-resource-drifts --stack-name lab-web');
  });
});

describe('checkItem', () => {
  it('needs action for a pending certificate, with the check fix as next action', () => {
    expect(
      checkItem(
        check({ status: 'warn', summary: 'PENDING_VALIDATION', fix: 'Add the CNAME record.' }),
        'certificates',
      ),
    ).toMatchObject({ state: 'needs-action', nextAction: 'Add the CNAME record.' });
  });

  it('judges the delegation by its verdict: needs action, could not check, healthy', () => {
    const delegation = (status: string) =>
      checkItem(
        check({ id: 'zone.delegation', status: status === 'delegated' ? 'pass' : 'warn', facts: { status } }),
      );
    expect(delegation('delegated').state).toBe('healthy');
    for (const verdict of ['missing', 'partial', 'stale', 'lame'])
      expect(delegation(verdict).state).toBe('needs-action');
    for (const verdict of ['unreachable', 'refused', 'servfail'])
      expect(delegation(verdict).state).toBe('could-not-check');
  });

  it('marks a delegation detail as what it says: ✖ a wrong delegation, ⚠ a pending cache, ? no answer (trial finding 49)', () => {
    const detail = (id: string, facts: Record<string, unknown>, status: 'pass' | 'warn' = 'warn') =>
      checkItem(check({ id, status, facts, fix: 'Check again.' }), 'dns');
    expect(detail('zone.delegation.parent.a', { status: 'lame', problem: null })).toMatchObject({
      state: 'needs-action',
      detail: true,
    });
    expect(detail('zone.delegation.resolver.lab', { status: 'no-answer', problem: null })).toMatchObject({
      state: 'healthy',
      advisory: true,
      nextAction: 'Check again.',
    });
    expect(
      detail('zone.delegation.resolver.lab', { status: 'unreachable', problem: 'refused' }),
    ).toMatchObject({
      state: 'could-not-check',
    });
    expect(detail('zone.delegation.parent.a', { status: 'delegated', problem: null }, 'pass')).toMatchObject({
      state: 'healthy',
      detail: true,
    });
  });

  it("says a secret's last change, never more", () => {
    const item = checkItem(
      check({
        id: 'hub.secret',
        summary: 'exists (arn:secret)',
        facts: { lastChangedDate: '2026-03-01T00:00:00.000Z' },
      }),
    );
    expect(item.summary).toBe('exists (arn:secret); last changed 2026-03-01T00:00:00.000Z');
  });
});

describe('statusSections', () => {
  it('puts checks in sections by step kind, and a silent parent server among several decides nothing', () => {
    const sections = statusSections(
      [{ name: 'lab-web', description: stack() }],
      [
        {
          id: 'zone',
          kind: 'hostedZone',
          title: 'Hosted zone',
          checks: [
            check({ id: 'zone.delegation', facts: { status: 'delegated' } }),
            check({ id: 'zone.delegation.parent.b', status: 'warn', facts: { problem: 'silent' } }),
          ],
        },
        { id: 'mail', kind: 'ses', title: 'SES', checks: [check({ id: 'mail.access', status: 'warn' })] },
        {
          id: 'calendar',
          kind: 'manual',
          title: 'Calendar',
          checks: [check({ id: 'calendar.done', status: 'warn' })],
        },
      ],
    );
    expect(sections.map((section) => [section.section, section.state])).toEqual([
      ['stacks', 'healthy'],
      ['dns', 'healthy'],
      // SES in the sandbox while AWS reviews the request: worth reading, nothing to do now.
      ['ses', 'healthy'],
      ['manual', 'needs-action'],
    ]);
    expect(sections[2]?.items[0]).toMatchObject({ advisory: true });
    expect(sections[1]?.items[1]).toMatchObject({ state: 'could-not-check', detail: true });
    expect(worst(sections.map((section) => section.state))).toBe('needs-action');
    expect(worst(['healthy', 'could-not-check'])).toBe('could-not-check');
  });
});
