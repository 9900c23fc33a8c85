import { readFile } from 'node:fs/promises';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cloudFormationOver } from '../../src/aws/cloudformation-adapter.ts';
import type { StackguideError } from '../../src/errors.ts';
import type { StackguideEvent } from '../../src/events.ts';
import { Journal } from '../../src/journal/journal.ts';
import { systemClock } from '../../src/runtime/clock.ts';
import { deployStack } from '../../src/stacks/deploy-stack.ts';
import { handleInterrupt } from '../../src/stacks/interrupt-menu.ts';
import { OperationTracker } from '../../src/stacks/operation-tracker.ts';
import { type ScenarioServer, startScenarioServer } from '../scenario-server/server.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * The Ctrl+C menu's "Delete <stack> (stops the create)", against the scenario server over HTTP: the
 * delete runs under a token of its own, and its events must reach the operator and the event log like
 * those of any operation (trial finding 41: the view froze on CREATE_IN_PROGRESS for the whole delete,
 * and events.ndjson held no DELETE line).
 */
let server: ScenarioServer | undefined;
let client: CloudFormationClient | undefined;
let work: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  work = await tempDir();
});
afterAll(async () => {
  await work?.remove();
});
afterEach(async () => {
  client?.destroy();
  await server?.stop();
  client = undefined;
  server = undefined;
});

/** Resolves once `emitted` holds an event that `match` accepts; generous, as the machine is loaded. */
async function until(emitted: StackguideEvent[], match: (event: StackguideEvent) => boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!emitted.some(match)) {
    if (Date.now() > deadline) throw new Error('timed out waiting for an event');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("the Ctrl+C menu's delete during a create (scenario server)", () => {
  it('streams the delete: its stack events reach the screen and the event log, and the end is the delete', async () => {
    server = await startScenarioServer({ scenarios: { default: 'long-create' }, speed: 5 });
    client = new CloudFormationClient({
      region: 'us-east-1',
      endpoint: server.endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    const cloudFormation = cloudFormationOver(client);
    const journal = await Journal.open(work.path, {
      blueprint: { id: 'platform', version: '1.0.0' },
      deployment: 'held',
      region: 'us-east-1',
    });
    const tracker = new OperationTracker();
    const emitted: StackguideEvent[] = [];
    // As the composition root does: every event goes to the screen's store and to the journal's log.
    const emit = (event: StackguideEvent): void => {
      emitted.push(event);
      void journal.appendEvent(event);
    };
    const deploying = deployStack(
      {
        id: 'main',
        name: 'held',
        templateBody: '{"Resources":{}}',
        parameters: {},
        capabilities: [],
        tags: {},
        terminationProtection: false,
      },
      { cloudFormation, clock: systemClock, journal, emit, tracker, pollIntervalMs: { min: 50, max: 200 } },
    ).then(
      () => undefined,
      (error: unknown) => error as StackguideError,
    );

    await until(emitted, (e) => e.type === 'stack.event' && e.event.logicalResourceId === 'Cluster');
    const asked: string[][] = [];
    await handleInterrupt({
      tracker,
      cloudFormation,
      ask: async (prompt) => {
        const choices = 'choices' in prompt ? prompt.choices : [];
        asked.push(choices.map((choice) => choice.label));
        return choices.find((choice) => choice.label.startsWith('Delete held'))?.value ?? 'wait';
      },
      abort: () => {},
      watchCommand: (stack) => `stackguide watch ${stack}`,
    });
    expect(asked).toEqual([expect.arrayContaining(['Delete held (stops the create)'])]);

    const error = await deploying;
    expect(error?.code).toBe('operation.delete');
    expect(error?.message).toBe('Stopped at your request: held was deleted (DELETE_COMPLETE)');
    const statuses = emitted.flatMap((e) =>
      e.type === 'stack.event' ? [`${e.event.logicalResourceId} ${e.event.status}`] : [],
    );
    // The delete's own events follow the create's, each once: the whole life of the stack. (Whether the
    // queue's create completed before the delete began depends on how fast the menu was answered.)
    const deleting = statuses.indexOf('held DELETE_IN_PROGRESS');
    expect(statuses.slice(0, deleting)).toEqual(
      expect.arrayContaining([
        'held CREATE_IN_PROGRESS',
        'Queue CREATE_IN_PROGRESS',
        'Cluster CREATE_IN_PROGRESS',
      ]),
    );
    expect(statuses.slice(deleting)).toEqual([
      'held DELETE_IN_PROGRESS',
      'Cluster DELETE_IN_PROGRESS',
      'Cluster DELETE_COMPLETE',
      'Queue DELETE_IN_PROGRESS',
      'Queue DELETE_COMPLETE',
      'held DELETE_COMPLETE',
    ]);
    expect(new Set(statuses).size).toBe(statuses.length);

    await journal.flush();
    const log = (await readFile(journal.eventLogPath, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as StackguideEvent);
    const logged = log.flatMap((e) =>
      e.type === 'stack.event' ? [`${e.event.logicalResourceId} ${e.event.status}`] : [],
    );
    expect(logged).toEqual(statuses);
    expect(journal.stack('held')).toMatchObject({ status: 'DELETE_COMPLETE' });
  });
});
