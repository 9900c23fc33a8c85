import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../src/events.ts';
import { installFlow } from '../../src/flows/install-flow.ts';
import type { InstallPlan, ReviewDecision } from '../../src/install/install-plan.ts';
import type { Prompter } from '../../src/install/prompter.ts';
import { readSettings } from '../../src/settings.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { askingAws, blueprintFolder } from '../support/install-flow-fixture.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * A change from the review that fails a required check (trial finding 20): it used to end the run with
 * exit 1 and the refused answer already in the answers file. Now it is undone, nothing is written, and
 * the review comes back with the failure, so the operator can change it again.
 */
const BLUEPRINT = `schemaVersion: 1
product: { id: tiers, title: Tiers, version: 1.0.0 }
regions: [us-east-1]
questions:
  - { id: tier, type: string, prompt: Tier, default: dev }
steps:
  - id: calendar
    kind: manual
    title: Notification calendar
    instructions: Create a public calendar.
    collect: { key: url, prompt: Calendar URL, type: url }
stacks:
  - id: main
    name: '{{deployment}}-{{answers.tier}}'
    template: templates/main.yaml
    parameters:
      CalendarUrl: '{{steps.calendar.url}}'
`;

const ANSWERS = `# Kept by hand.
blueprint: tiers
deployment: lab
region: us-east-1
answers:
  tier: dev
steps:
  calendar:
    url: https://cal.example.org/x.ics
`;

let cleanup: (() => Promise<void>) | undefined;
afterEach(() => cleanup?.());

async function setUp(typed: string[], decisions: ReviewDecision[]) {
  const folder = await tempDir();
  cleanup = folder.remove;
  const blueprintPath = await blueprintFolder(folder.path, BLUEPRINT);
  const answersPath = join(folder.path, 'lab.answers.yaml');
  await writeFile(answersPath, ANSWERS);

  // lab-prod is a stack of something else: the deployment-name check fails for tier "prod".
  const aws = askingAws({
    describeStack: async (name) =>
      name === 'lab-prod' ? { stackName: name, status: 'CREATE_COMPLETE', tags: {} } : undefined,
  });
  const asked: Array<{ message: string; default?: string }> = [];
  const prompter: Prompter = {
    section: () => undefined,
    confirm: async () => true,
    select: async (question) => question.choices[0]?.value as never,
    input: async (question) => {
      asked.push({ message: question.message, ...(question.default ? { default: question.default } : {}) });
      return typed.shift() ?? '';
    },
    password: async () => '',
  };
  const reviews: InstallPlan[] = [];
  const files: string[] = [];
  const flow = installFlow({
    events: new EventBus(),
    prompter,
    signal: new AbortController().signal,
    clock: new FakeClock(),
    connect: () => aws,
    review: async (plan) => {
      reviews.push(plan);
      files.push(await readFile(answersPath, 'utf8'));
      return decisions.shift() ?? false;
    },
    execute: async () => ({}),
  });
  const validated = await flow.validate({
    command: 'install',
    blueprintPath,
    configPath: answersPath,
    stateDir: join(folder.path, 'state'),
    defaultAnswersPath: (deployment) => join(folder.path, `${deployment}.answers.yaml`),
    connectionFlags: [],
    sets: {},
    yes: false,
    env: {},
    settings: readSettings({}),
  });
  const result = await flow.ask(validated);
  return { result, reviews, files, asked, answersPath };
}

describe('a change from the review', () => {
  it('that a required check refuses is undone, not written, and shown on the review, which offers the change again', async () => {
    const { result, reviews, files } = await setUp(
      ['prod', 'qa'],
      [{ change: 'tier' }, { change: 'tier' }, true],
    );

    expect(reviews).toHaveLength(3);
    // The second review: the plan before the change, and the change with the check that refused it.
    expect(reviews[1]?.answers).toEqual({ tier: 'dev' });
    expect(reviews[1]?.stacks[0]?.name).toBe('lab-dev');
    expect(reviews[1]?.refusedChange).toMatchObject({
      label: 'tier',
      value: 'prod',
      failures: [
        { id: 'deployment.name', status: 'fail', summary: 'taken: lab-prod (not created by stackguide)' },
      ],
    });
    // Nothing was written for the refused change.
    expect(files[1]).toBe(ANSWERS);
    // The next change passes: kept, written, and the review no longer shows the refusal.
    expect(reviews[2]?.refusedChange).toBeUndefined();
    expect(reviews[2]?.stacks[0]?.name).toBe('lab-qa');
    expect(files[2]).toMatch(/^ {2}tier: qa$/m);
    expect(result.plan.answers).toEqual({ tier: 'qa' });
  });

  it("asks a preparation step's inputs again, the file's offered, and keeps the new ones", async () => {
    const url = 'https://cal.example.org/spring.ics';
    const { result, reviews, files, asked } = await setUp([url], [{ step: 'calendar' }, true]);
    expect(reviews[0]?.stepInputs).toEqual([
      { id: 'calendar', title: 'Notification calendar', value: 'url: https://cal.example.org/x.ics' },
    ]);
    expect(asked).toEqual([{ message: 'Calendar URL', default: 'https://cal.example.org/x.ics' }]);
    expect(reviews[1]?.stepInputs?.[0]?.value).toBe(`confirmed: true; url: ${url}`);
    expect(files[1]).toContain(`url: ${url}`);
    expect(result.stepInputs.calendar).toMatchObject({ answer: url });
    expect(result.plan.stacks[0]?.parameterSources).toEqual({ CalendarUrl: '{{steps.calendar.url}}' });
  });
});
