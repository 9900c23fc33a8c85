import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StackguideError } from '../../src/errors.ts';
import { EventBus, type StackguideEvent } from '../../src/events.ts';
import { runFlow } from '../../src/flows/flow.ts';
import { installFlow } from '../../src/flows/install-flow.ts';
import type { Prompter } from '../../src/install/prompter.ts';
import { readSettings } from '../../src/settings.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { askingAws, blueprintFolder } from '../support/install-flow-fixture.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * A guided install that stops in the steps' questions, after every blueprint question was answered
 * (trial finding 18: a refused certificate file ended the run and nothing typed was kept): the answers
 * file is written, never the secret, and the error says how to go on from it.
 */
const TOKEN = 'Tk-Guided-Kept-7f3a91';
const BLUEPRINT = `schemaVersion: 1
product: { id: kept, title: Kept answers, version: 1.0.0 }
regions: [us-east-1]
questions:
  - { id: owner, type: string, prompt: Team that owns it }
  - { id: token, type: secret, prompt: API token }
steps:
  - id: calendar
    kind: manual
    instructions: Create a public calendar.
    collect: { key: url, prompt: Calendar URL, type: url }
    confirm: The calendar is public
  - id: repos
    kind: manual
    instructions: Push the code.
    confirm: The code is pushed
stacks:
  - id: main
    name: '{{deployment}}-main'
    template: templates/main.yaml
    parameters:
      CalendarUrl: '{{steps.calendar.url}}'
`;

/** Answers every question; the last confirmation is declined, which stops the run in the steps. */
function operator(): Prompter {
  return {
    section: () => undefined,
    confirm: async (question) => !question.message.startsWith('The code is pushed'),
    select: async (question) => question.choices[0]?.value as never,
    input: async (question) =>
      question.message === 'Calendar URL' ? 'https://cal.example.org/x.ics' : 'ops-team',
    password: async () => TOKEN,
  };
}

let cleanup: (() => Promise<void>) | undefined;
afterEach(() => cleanup?.());

describe('a guided install that stops after the questions', () => {
  it('keeps the answers typed, never the secret, and says how to go on from them', async () => {
    const folder = await tempDir();
    cleanup = folder.remove;
    const blueprintPath = await blueprintFolder(folder.path, BLUEPRINT);
    // The lock of a name given up front is the one thing read (trial finding 25); nothing else.
    const aws = askingAws();
    const events: StackguideEvent[] = [];
    const bus = new EventBus();
    bus.subscribe((event) => events.push(event));
    const answersPath = join(folder.path, 'lab.answers.yaml');
    const flow = installFlow({
      events: bus,
      prompter: operator(),
      signal: new AbortController().signal,
      clock: new FakeClock(),
      connect: () => aws,
      review: async () => true,
      execute: async () => ({}),
    });
    const error = await runFlow(flow, {
      command: 'install',
      blueprintPath,
      stateDir: join(folder.path, 'state'),
      defaultAnswersPath: (deployment) => join(folder.path, `${deployment}.answers.yaml`),
      connectionFlags: ['--endpoint-url', 'http://127.0.0.1:1'],
      region: 'us-east-1',
      deployment: 'lab',
      sets: {},
      yes: false,
      env: {},
      settings: readSettings({}),
    }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(StackguideError);
    expect(error).toMatchObject({ code: 'step.manual-missing', kind: 'user' });
    const saved = await readFile(answersPath, 'utf8');
    expect(saved).toMatch(/^ {2}owner: ops-team$/m);
    expect(saved).toMatch(/calendar:\n {4}confirmed: true\n {4}url: https:\/\/cal\.example\.org\/x\.ics/);
    expect(saved).not.toContain(TOKEN);
    expect(events).toContainEqual({ type: 'answers.saved', path: answersPath });
    expect((error as StackguideError).nextSteps.at(-1)).toBe(
      `Your answers are saved in ${answersPath} (secrets never are): to go on from them, run stackguide install --blueprint ${blueprintPath} --config ${answersPath} --endpoint-url http://127.0.0.1:1`,
    );
  });
});
