import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExitCode, StackguideError } from '../../src/errors.ts';
import { EventBus, type StackguideEvent } from '../../src/events.ts';
import { type UpgradeRequest, upgradeFlow } from '../../src/flows/upgrade-flow.ts';
import type { Prompter } from '../../src/install/prompter.ts';
import { Journal } from '../../src/journal/journal.ts';
import { lockParameterName } from '../../src/lock/deployment-lock.ts';
import { readSettings } from '../../src/settings.ts';
import { FakeClock } from '../support/fake-clock.ts';
import {
  askingAws,
  confirmingIdentityOnly,
  lockHeldByAnotherRun,
  silentPrompter,
} from '../support/install-flow-fixture.ts';
import { projectRoot } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * The upgrade's ask phase in a terminal: with --yes nothing is asked (an answer the file lacks is an
 * error naming its key), and a deployment another run holds the lock of is refused before any question.
 */
const ANSWERS = `blueprint: demo
deployment: demo
region: us-east-1
answers:
  environment: dev
  jobTimeoutSeconds: 300
  adminEmail: ops@example.com
`;

const holder = lockHeldByAnotherRun('demo', 'install');

let cleanup: (() => Promise<void>) | undefined;
afterEach(() => cleanup?.());

async function setUp(answers: string, options: { lock?: string; prompter?: Prompter } = {}) {
  const folder = await tempDir();
  cleanup = folder.remove;
  const answersPath = join(folder.path, 'demo.answers.yaml');
  await writeFile(answersPath, answers);
  const read: string[] = [];
  const described: string[] = [];
  const aws = askingAws({
    ...(options.lock ? { lock: options.lock } : {}),
    read: (name) => read.push(name),
    describeStack: async (name) => {
      described.push(name);
      return {
        stackId: `arn:aws:cloudformation:us-east-1:123456789012:stack/${name}/id`,
        stackName: name,
        status: 'CREATE_COMPLETE',
        outputs: {},
        parameters: {},
        tags: {},
        terminationProtection: false,
      };
    },
  });
  const events: StackguideEvent[] = [];
  const bus = new EventBus();
  bus.subscribe((event) => events.push(event));
  const flow = upgradeFlow({
    events: bus,
    prompter: options.prompter ?? silentPrompter,
    signal: new AbortController().signal,
    clock: new FakeClock(),
    connect: () => aws,
    execute: async () => ({}),
  });
  const request = (overrides: Partial<UpgradeRequest> = {}): UpgradeRequest => ({
    blueprintPath: join(projectRoot, 'blueprints', 'demo'),
    configPath: answersPath,
    stateDir: join(folder.path, 'state'),
    connectionFlags: [],
    sets: {},
    yes: true,
    env: {},
    settings: readSettings({}),
    ...overrides,
  });
  return { flow, request, events, read, described };
}

describe('upgrade in a terminal', () => {
  it('with --yes asks nothing: the identity, the questions and the steps come from the answers file', async () => {
    const { flow, request, described } = await setUp(ANSWERS);
    const asked = await flow.ask(await flow.validate(request()));
    expect(asked.resolved.answers).toMatchObject({ adminEmail: 'ops@example.com', jobTimeoutSeconds: 300 });
    expect(described).toContain('demo-app');
  });

  it('without --config, takes the answers file the journal records and names it before the lock check and the upgrade', async () => {
    const { flow, request, events } = await setUp(ANSWERS);
    const { configPath: recorded, stateDir } = request();
    const journal = await Journal.open(stateDir, {
      blueprint: { id: 'demo', version: '1.0.0' },
      deployment: 'demo',
      region: 'us-east-1',
      ...(recorded ? { answersFile: recorded } : {}),
    });
    await journal.flush();
    const validated = await flow.validate(request({ configPath: undefined }));
    expect(validated.configPath).toBe(recorded);
    expect(events).toEqual([]);
    await flow.ask(validated);
    const types = events.map((event) => event.type);
    expect(events).toContainEqual({ type: 'answers.chosen', path: recorded, from: 'journal' });
    expect(types.indexOf('run.started')).toBeLessThan(types.indexOf('answers.chosen'));
    expect(types.indexOf('answers.chosen')).toBeLessThan(types.indexOf('upgrade.started'));
    // Given with --config, nothing is chosen and nothing said of it.
    events.length = 0;
    await flow.ask(await flow.validate(request()));
    expect(events.map((event) => event.type)).not.toContain('answers.chosen');
  });

  it('with --yes, an answer the file lacks is an error naming its key, not a question', async () => {
    const { flow, request } = await setUp(ANSWERS.replace('  adminEmail: ops@example.com\n', ''));
    const error = await flow.validate(request()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StackguideError);
    expect(error).toMatchObject({ code: 'answers.missing', exitCode: ExitCode.usage });
    expect((error as StackguideError).details.map((detail) => detail.path)).toEqual([
      'answers.adminEmail (or --set adminEmail=...)',
    ]);
  });

  it('refuses a deployment another run holds the lock of before any question (exit 75)', async () => {
    // Unattended (--yes) nothing at all is asked; guided, the identity confirmation is the one question
    // before the lock is read, as for install.
    for (const [yes, prompter] of [
      [true, silentPrompter],
      [false, confirmingIdentityOnly('Upgrade in account')],
    ] as const) {
      // Without adminEmail a guided run would ask it: the refusal comes first.
      const { flow, request, read, described, events } = await setUp(
        ANSWERS.replace('  adminEmail: ops@example.com\n', yes ? '  adminEmail: ops@example.com\n' : ''),
        { lock: JSON.stringify(holder), prompter },
      );
      const error = await flow.ask(await flow.validate(request({ yes }))).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StackguideError);
      expect(error).toMatchObject({ code: 'lock.held', exitCode: ExitCode.locked });
      expect((error as StackguideError).message).toBe(
        'Deployment demo is locked by another run: install by arn:aws:iam::123456789012:user/other on elsewhere (pid 4242), started at 2026-12-03T12:22:36.368Z',
      );
      expect((error as StackguideError).nextSteps.at(-1)).toContain(`--force-unlock ${holder.id}`);
      expect(read).toEqual([lockParameterName('demo')]);
      expect(described).toEqual([]);
      expect(events.some((event) => event.type === 'upgrade.started')).toBe(false);
    }
  });
});
