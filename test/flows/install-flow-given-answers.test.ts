import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExitCode, StackguideError } from '../../src/errors.ts';
import { EventBus, type StackguideEvent } from '../../src/events.ts';
import { type InstallRequest, installFlow } from '../../src/flows/install-flow.ts';
import { stacksQuestion } from '../../src/install/install-plan.ts';
import type { Prompter } from '../../src/install/prompter.ts';
import { lockParameterName } from '../../src/lock/deployment-lock.ts';
import { readSettings } from '../../src/settings.ts';
import { FakeClock } from '../support/fake-clock.ts';
import {
  askingAws,
  blueprintFolder,
  confirmingIdentityOnly,
  lockHeldByAnotherRun,
  silentPrompter,
} from '../support/install-flow-fixture.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * An install from an answers file that holds everything (trial findings 21, 38 and 25): in a terminal
 * with --yes nothing is asked and the file, comments and all, is left as it is; a deployment another
 * run holds the lock of is refused before any question or review.
 */
const BLUEPRINT = `schemaVersion: 1
product: { id: given, title: Given answers, version: 1.0.0 }
regions: [us-east-1]
questions:
  - { id: owner, type: string, prompt: Team that owns it }
  - { id: contact, type: string, prompt: Who to call, required: true }
steps:
  - id: calendar
    kind: manual
    instructions: Create a public calendar.
    collect: { key: url, prompt: Calendar URL, type: url }
stacks:
  - id: main
    name: '{{deployment}}-main'
    template: templates/main.yaml
    parameters:
      CalendarUrl: '{{steps.calendar.url}}'
`;

// Written by hand: comments, and the calendar's entry without the `confirmed` a guided run writes.
const ANSWERS = `# The lab's answers, kept by hand.
blueprint: given
deployment: lab   # the spring class
region: us-east-1
answers:
  owner: ops-team
  contact: desk@example.org
steps:
  calendar:
    url: https://cal.example.org/x.ics
`;

let cleanup: (() => Promise<void>) | undefined;
afterEach(() => cleanup?.());

async function setUp(
  answers: string,
  options: { lock?: string; prompter?: Prompter; describeStack?: (name: string) => Promise<unknown> } = {},
) {
  const { lock, prompter = silentPrompter, describeStack } = options;
  const folder = await tempDir();
  cleanup = folder.remove;
  const blueprintPath = await blueprintFolder(folder.path, BLUEPRINT);
  const answersPath = join(folder.path, 'lab.answers.yaml');
  await writeFile(answersPath, answers);
  const read: string[] = [];
  const aws = askingAws({
    ...(lock ? { lock } : {}),
    ...(describeStack ? { describeStack } : {}),
    read: (name) => read.push(name),
  });
  const events: StackguideEvent[] = [];
  const bus = new EventBus();
  bus.subscribe((event) => events.push(event));
  let reviewed = 0;
  const flow = installFlow({
    events: bus,
    prompter,
    signal: new AbortController().signal,
    clock: new FakeClock(),
    connect: () => aws,
    review: async () => {
      reviewed++;
      return true;
    },
    execute: async () => ({}),
  });
  const request = (overrides: Partial<InstallRequest> = {}): InstallRequest => ({
    command: 'install',
    blueprintPath,
    configPath: answersPath,
    stateDir: join(folder.path, 'state'),
    defaultAnswersPath: (deployment) => join(folder.path, `${deployment}.answers.yaml`),
    connectionFlags: [],
    sets: {},
    yes: true,
    env: {},
    settings: readSettings({}),
    ...overrides,
  });
  return { flow, request, answersPath, events, read, reviewed: () => reviewed };
}

describe('install from an answers file that holds everything', () => {
  it('with --yes in a terminal asks nothing and leaves the file as it is, comments included', async () => {
    const { flow, request, answersPath, events } = await setUp(ANSWERS);
    const asked = await flow.ask(await flow.validate(request()));
    expect(asked.answersSaved).toBe(false);
    expect(await readFile(answersPath, 'utf8')).toBe(ANSWERS);
    expect(events.some((event) => event.type === 'answers.saved')).toBe(false);
    expect(asked.plan.stacks[0]?.name).toBe('lab-main');
  });

  it("given another name than the file's, saves that deployment's answers beside it and leaves the file as it is", async () => {
    const { flow, request, answersPath, events } = await setUp(ANSWERS);
    const asked = await flow.ask(await flow.validate(request({ deployment: 'autumn' })));
    // The file still describes lab, the deployment it was written for.
    expect(await readFile(answersPath, 'utf8')).toBe(ANSWERS);
    const beside = join(dirname(answersPath), 'autumn.answers.yaml');
    expect(asked.answersPath).toBe(beside);
    expect(await readFile(beside, 'utf8')).toMatch(/^deployment: autumn$/m);
    expect(events).toContainEqual({ type: 'answers.saved', path: beside });
    expect(asked.plan.stacks[0]?.name).toBe('autumn-main');
  });

  it('asks to create a stack a create that was never executed left in REVIEW_IN_PROGRESS, not to update it', async () => {
    const { flow, request } = await setUp(ANSWERS, {
      describeStack: async (name) =>
        name === 'lab-main'
          ? {
              stackId: `arn:aws:cloudformation:us-east-1:123456789012:stack/${name}/1`,
              stackName: name,
              status: 'REVIEW_IN_PROGRESS',
              outputs: {},
              parameters: {},
              tags: { 'stackguide:deployment': 'lab', 'stackguide:blueprint': 'given' },
              terminationProtection: false,
            }
          : undefined,
    });
    const asked = await flow.ask(await flow.validate(request()));
    expect(asked.plan.stacks[0]?.deployedParameters).toBeUndefined();
    expect(stacksQuestion(asked.plan.stacks)).toBe('Create this stack?');
  });

  it('with --yes in a terminal, an answer the file lacks is an error naming its key, not a question', async () => {
    const { flow, request } = await setUp(ANSWERS.replace('  contact: desk@example.org\n', ''));
    const error = await flow.validate(request()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StackguideError);
    expect(error).toMatchObject({ code: 'answers.missing', exitCode: ExitCode.usage });
    expect((error as StackguideError).details.map((detail) => detail.path)).toEqual([
      'answers.contact (or --set contact=...)',
    ]);
  });

  it('refuses a deployment another run holds the lock of before any question or review (exit 75)', async () => {
    const holder = lockHeldByAnotherRun('lab', 'install');
    // Guided (no --yes): the identity confirmation is the one question before the lock is read.
    const { flow, request, read, reviewed, answersPath } = await setUp(ANSWERS, {
      lock: JSON.stringify(holder),
      prompter: confirmingIdentityOnly('Install into account'),
    });
    const error = await flow
      .ask(await flow.validate(request({ yes: false })))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StackguideError);
    expect(error).toMatchObject({ code: 'lock.held', exitCode: ExitCode.locked });
    expect((error as StackguideError).message).toBe(
      'Deployment lab is locked by another run: install by arn:aws:iam::123456789012:user/other on elsewhere (pid 4242), started at 2026-12-03T12:22:36.368Z',
    );
    expect((error as StackguideError).nextSteps.at(-1)).toContain(`--force-unlock ${holder.id}`);
    expect(read).toEqual([lockParameterName('lab')]);
    expect(reviewed()).toBe(0);
    expect(await readFile(answersPath, 'utf8')).toBe(ANSWERS);
  });
});
