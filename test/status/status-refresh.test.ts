import { describe, expect, it } from 'vitest';
import type { StatusItem } from '../../src/events.ts';
import type { DeploymentStatus } from '../../src/status/deployment-status.ts';
import { changedItems, statusItems, statusRefreshEvents } from '../../src/status/status-refresh.ts';

const item = (id: string, overrides: Partial<StatusItem> = {}): StatusItem => ({
  id,
  title: id,
  state: 'healthy',
  summary: 'fine',
  ...overrides,
});

const status = (items: { stacks: StatusItem[]; dns: StatusItem[] }): DeploymentStatus => ({
  deployment: 'lab',
  region: 'us-east-1',
  stacks: [
    {
      name: 'lab-web',
      description: {
        stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/lab-web/1',
        stackName: 'lab-web',
        status: 'CREATE_COMPLETE',
        createdAt: '2026-01-01T00:00:00.000Z',
        outputs: { Url: 'https://lab.example.test' },
        parameters: {},
        tags: {},
        terminationProtection: false,
      },
    },
    { name: 'lab-db', description: undefined },
  ],
  steps: [
    {
      id: 'dns',
      kind: 'hostedZone',
      title: 'Zone',
      checks: [{ id: 'dns.ns', step: 'dns', title: 'NS', status: 'pass', summary: 'ok', required: true }],
    },
  ],
  healthy: false,
  sections: [
    { section: 'stacks', title: 'Stacks', state: 'needs-action', items: items.stacks },
    { section: 'dns', title: 'DNS', state: 'healthy', items: items.dns },
  ],
  state: 'needs-action',
});

describe('changedItems', () => {
  it('finds items new, gone, or changed in state or summary, and nothing else', () => {
    const before = new Map(
      [item('same'), item('state'), item('words'), item('gone', { summary: 'was here' })].map((each) => [
        each.id,
        each,
      ]),
    );
    const now = new Map(
      [
        item('same'),
        item('state', { state: 'needs-action' }),
        item('words', { summary: 'different' }),
        item('new'),
      ].map((each) => [each.id, each]),
    );
    expect(changedItems(before, now)).toEqual([
      item('state', { state: 'needs-action' }),
      item('words', { summary: 'different' }),
      item('new'),
      item('gone', { summary: 'gone (was: was here)' }),
    ]);
  });
});

describe('statusRefreshEvents', () => {
  const current = status({ stacks: [item('stack:lab-web'), item('stack:lab-db')], dns: [item('dns.ns')] });

  it('says each stack and check on the first refresh, then every section and the summary', () => {
    const events = statusRefreshEvents(current, 4, undefined, true);
    expect(events.map((event) => event.type)).toEqual([
      'stack.status',
      'stack.status',
      'check.result',
      'status.section',
      'status.section',
      'status.summary',
    ]);
    expect(events[0]).toEqual({
      type: 'stack.status',
      stack: 'lab-web',
      status: 'CREATE_COMPLETE',
      outputs: { Url: 'https://lab.example.test' },
      stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/lab-web/1',
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(events[1]).toEqual({ type: 'stack.status', stack: 'lab-db', status: 'NOT_CREATED', outputs: {} });
    expect(events.at(-1)).toEqual({
      type: 'status.summary',
      deployment: 'lab',
      region: 'us-east-1',
      state: 'needs-action',
      exitCode: 4,
    });
  });

  it('later, says only the sections holding a changed item, and which items changed', () => {
    const events = statusRefreshEvents(current, 4, [item('dns.ns')], false);
    expect(events.map((event) => (event.type === 'status.section' ? event.section : event.type))).toEqual([
      'dns',
      'status.summary',
    ]);
    expect(events.at(-1)).toMatchObject({ changed: ['dns.ns'] });
    expect(statusRefreshEvents(current, 4, [], false)).toEqual([
      expect.objectContaining({ type: 'status.summary', changed: [] }),
    ]);
  });
});

describe('statusItems', () => {
  it('indexes every item of every section by id', () => {
    expect([...statusItems(status({ stacks: [item('a')], dns: [item('b')] })).keys()]).toEqual(['a', 'b']);
  });
});
