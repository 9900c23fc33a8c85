import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StackguideError } from '../../src/errors.ts';
import { newStacksSince } from '../../src/journal/generation.ts';
import {
  beginRun,
  interruptedRunLine,
  JOURNAL_VERSION,
  Journal,
  lastRunLine,
  readDeploymentState,
} from '../../src/journal/journal.ts';
import { tempDir } from '../support/temp-dir.ts';

let work: { path: string; remove: () => Promise<void> };
beforeEach(async () => {
  work = await tempDir();
});
afterEach(() => work.remove());

const initial = { blueprint: { id: 'demo', version: '1.0.0' }, deployment: 'demo', region: 'us-east-1' };
const file = () => join(work.path, 'demo', 'state.json');
const arn = (name: string, generation = 1) =>
  `arn:aws:cloudformation:us-east-1:123456789012:stack/${name}/${generation}`;

async function errorOf(promise: Promise<unknown>): Promise<StackguideError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StackguideError);
  return error as StackguideError;
}

describe('the journal, version 2', () => {
  it('keys stacks by name, whoever records them (install by blueprint id, destroy by name)', async () => {
    const journal = await Journal.open(work.path, initial);
    await journal.recordStack('data', {
      name: 'demo-data',
      stackId: arn('demo-data'),
      status: 'CREATE_COMPLETE',
    });
    await journal.recordStack('demo-data', { name: 'demo-data', operation: 'delete', pendingToken: 't1' });
    const state = JSON.parse(await readFile(file(), 'utf8'));
    expect(state.schemaVersion).toBe(JOURNAL_VERSION);
    expect(Object.keys(state.stacks)).toEqual(['demo-data']);
    expect(state.stacks['demo-data']).toMatchObject({
      blueprintId: 'data',
      stackId: arn('demo-data'),
      operation: 'delete',
      pendingToken: 't1',
    });
  });

  it('writes whole states only, one after another: many changes at once all land, and the file parses', async () => {
    const journal = await Journal.open(work.path, initial);
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        journal.recordStack(`s${i}`, { name: `stack-${i}`, status: 'CREATE_COMPLETE' }),
      ),
    );
    const state = await readDeploymentState(work.path, 'demo');
    expect(Object.keys(state?.stacks ?? {})).toHaveLength(40);
  });

  it('refuses a corrupt journal with exit 2, naming the file and the way out, never as absent', async () => {
    await Journal.open(work.path, initial);
    await writeFile(file(), '{"schemaVersion": 2, "stacks": {', 'utf8');
    const error = await errorOf(readDeploymentState(work.path, 'demo'));
    expect(error.code).toBe('journal.corrupt');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(file());
    expect(error.nextSteps.join('\n')).toContain(`mv ${file()} ${file()}.corrupt`);
    await expect(Journal.open(work.path, initial)).rejects.toThrow(/is corrupt/);
  });

  it('refuses a journal a newer stackguide wrote', async () => {
    await Journal.open(work.path, initial);
    await writeFile(
      file(),
      JSON.stringify({ schemaVersion: JOURNAL_VERSION + 1, deployment: 'demo', stacks: {} }),
    );
    const error = await errorOf(Journal.open(work.path, initial));
    expect(error.code).toBe('journal.newer');
    expect(error.exitCode).toBe(2);
  });

  it('reads a version 1 journal into one record per stack', async () => {
    await Journal.open(work.path, initial);
    await writeFile(
      file(),
      JSON.stringify({
        schemaVersion: 1,
        ...initial,
        stacks: {
          data: {
            name: 'demo-data',
            stackId: arn('demo-data'),
            status: 'CREATE_COMPLETE',
            updatedAt: '2026-01-01T00:00:00Z',
          },
          'demo-data': {
            name: 'demo-data',
            stackId: arn('demo-data'),
            status: 'DELETE_COMPLETE',
            updatedAt: '2026-01-02T00:00:00Z',
          },
        },
      }),
    );
    const state = await readDeploymentState(work.path, 'demo');
    expect(state?.schemaVersion).toBe(2);
    expect(state?.stacks).toEqual({
      'demo-data': expect.objectContaining({ blueprintId: 'data', status: 'DELETE_COMPLETE' }),
    });
  });

  it('gives every run a lifecycle and the stack ids it acted on; a run killed while started is abandoned and told', async () => {
    const first = await Journal.open(work.path, initial);
    await first.begin('install');
    await first.recordStack('data', { name: 'demo-data', stackId: arn('demo-data') });
    await first.appendEvent({
      type: 'changeset.created',
      stack: 'demo-app',
      summary: {
        changeSetId: 'arn:aws:cloudformation:us-east-1:1:changeSet/stackguide-abc/1',
        stackId: arn('demo-app'),
        type: 'CREATE',
        empty: false,
        changes: [],
        iamResources: [],
        statefulReplacements: [],
      },
    });
    await first.flush();
    // Killed here: never finished. The re-run can say so before it begins (its review comes first),
    // reading the journal only; and says it once, not again when it begins.
    const told = await lastRunLine(work.path, 'demo');
    expect(told).toMatch(
      /^The install of \d\d:\d\d was interrupted after creating change set stackguide-abc for demo-app; this run picks up from what AWS holds now$/,
    );
    expect((await readDeploymentState(work.path, 'demo'))?.operations?.map((o) => o.status)).toEqual([
      'started',
    ]);
    const second = await Journal.open(work.path, initial);
    const said: string[] = [];
    await beginRun(
      second,
      'install',
      (event) => said.push(event.type === 'warning' ? event.message : ''),
      told,
    );
    expect(said).toEqual([]);
    // Said before the event log listened: the log still holds it (finding 91).
    await second.flush();
    expect(await readFile(second.eventLogPath, 'utf8')).toContain(
      `"type":"warning","code":"run.interrupted","message":${JSON.stringify(told)}`,
    );
    expect(second.interrupted).toMatchObject({
      command: 'install',
      status: 'abandoned',
      stackIds: [arn('demo-data')],
      lastAction: 'creating change set stackguide-abc for demo-app',
    });
    expect(interruptedRunLine(second.interrupted ?? ({} as never))).toMatch(
      /^The install of \d\d:\d\d was interrupted after creating change set stackguide-abc for demo-app; /,
    );
    await second.finish('completed');
    const state = await readDeploymentState(work.path, 'demo');
    expect(state?.operations?.map((o) => o.status)).toEqual(['abandoned', 'completed']);
    const third = await Journal.open(work.path, initial);
    await third.begin('destroy');
    expect(third.interrupted).toBeUndefined();
    await third.finish('completed');
    expect(await lastRunLine(work.path, 'demo')).toBeUndefined();
    expect(await lastRunLine(work.path, 'never-installed')).toBeUndefined();
  });

  it('tells a stopped run before the re-run begins, and at its beginning when nothing was said yet', async () => {
    const first = await Journal.open(work.path, initial);
    await first.begin('upgrade');
    await first.finish('stopped');
    const line = await lastRunLine(work.path, 'demo');
    expect(line).toMatch(/^The upgrade of \d\d:\d\d was stopped before it changed anything; /);
    const second = await Journal.open(work.path, initial);
    const said: string[] = [];
    await beginRun(second, 'install', (event) => said.push(event.type === 'warning' ? event.message : ''));
    expect(said).toEqual([line]);
  });

  it('logs each stack event id once, across runs', async () => {
    const event = {
      eventId: 'ev-1',
      stackName: 'demo-data',
      stackId: arn('demo-data'),
      rootStackId: arn('demo-data'),
      logicalResourceId: 'demo-data',
      resourceType: 'AWS::CloudFormation::Stack',
      status: 'CREATE_COMPLETE',
      timestamp: '2026-01-01T00:00:00.000Z',
    };
    const first = await Journal.open(work.path, initial);
    await first.appendEvent({ type: 'stack.event', stack: 'demo-data', event });
    await first.appendEvent({ type: 'stack.event', stack: 'demo-data', event });
    await first.flush();
    const second = await Journal.open(work.path, initial);
    expect(second.loggedEventIds.has('ev-1')).toBe(true);
    await second.appendEvent({ type: 'stack.event', stack: 'demo-data', event });
    await second.appendEvent({
      type: 'stack.event',
      stack: 'demo-data',
      event: { ...event, eventId: 'ev-2' },
    });
    await second.flush();
    const lines = (await readFile(second.eventLogPath, 'utf8')).trim().split('\n');
    expect(lines.map((line) => JSON.parse(line).event.eventId)).toEqual(['ev-1', 'ev-2']);
  });
});

describe('generations of a deployment', () => {
  it('names the stacks AWS holds that an earlier plan never listed', () => {
    const plan = [arn('demo-app'), arn('demo-data')];
    expect(newStacksSince(plan, [{ name: 'demo-data', stackId: arn('demo-data') }])).toEqual([]);
    expect(
      newStacksSince(plan, [
        { name: 'demo-app', stackId: arn('demo-app', 2) },
        { name: 'demo-data', stackId: arn('demo-data') },
      ]),
    ).toEqual(['demo-app']);
  });
});
