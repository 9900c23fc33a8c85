import { describe, expect, it } from 'vitest';
import type { StepEntry } from '../../src/blueprint/blueprint-schema.ts';
import { StackguideError } from '../../src/errors.ts';
import { statusText } from '../../src/output/status-text.ts';
import type { DeploymentStatus } from '../../src/status/deployment-status.ts';
import { statusSections } from '../../src/status/status-sections.ts';
import { manualStep } from '../../src/steps/manual/manual-step.ts';
import { askSteps, checkSteps } from '../../src/steps/run-steps.ts';
import { accountStepContext, configOf, scriptedPrompter } from '../support/account-step-context.ts';

// The manual step calls no AWS API: its contexts never reach an endpoint.
const ICAL = {
  instructions:
    'Create a public iCal calendar for notifications (Google Calendar works) and copy its public iCal address.',
  collect: {
    key: 'icalUrl',
    prompt: 'Public iCal URL of the notification calendar',
    type: 'url',
    pattern: '^https://\\S+\\.ics$',
    patternHint: 'an https URL ending in .ics',
  },
  confirm: 'The calendar is public',
};
const MAINTENANCE = {
  instructions: 'Turn on maintenance mode in the admin console.',
  confirm: 'Maintenance mode is on',
};
const config = (raw: Record<string, unknown>) => configOf(manualStep, raw);
const run = (prompter?: ReturnType<typeof scriptedPrompter>, stepTitle?: string) =>
  accountStepContext({
    stepId: 'calendar',
    ...(prompter ? { prompter } : {}),
    ...(stepTitle ? { stepTitle } : {}),
  });

async function askError(raw: Record<string, unknown>, saved?: Record<string, string | boolean>) {
  const error = await manualStep.ask?.(run(), config(raw), saved).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(StackguideError);
  return error as StackguideError;
}

describe('manual step', () => {
  it('unattended without the confirmation: an error naming steps.<id>.confirmed and the answer key', async () => {
    const error = await askError(ICAL);
    expect(error.code).toBe('step.manual-missing');
    expect(error.kind).toBe('user');
    expect(error.details.map((detail) => detail.path)).toEqual([
      'steps.calendar.icalUrl',
      'steps.calendar.confirmed',
    ]);
    expect(error.details[1]).toMatchObject({
      message: '"The calendar is public" is not confirmed',
      fix: expect.stringContaining('set steps.calendar.confirmed: true'),
    });

    const onlyConfirmation = await askError(ICAL, { icalUrl: 'https://calendar.example.org/basic.ics' });
    expect(onlyConfirmation.details.map((detail) => detail.path)).toEqual(['steps.calendar.confirmed']);
    const notConfirmed = await askError(MAINTENANCE, { confirmed: false });
    expect(notConfirmed.details.map((detail) => detail.path)).toEqual(['steps.calendar.confirmed']);
  });

  it('unattended from the answers file: the answer is checked, saved and output under its key', async () => {
    const bad = await askError(ICAL, { icalUrl: 'http://calendar.example.org/basic', confirmed: true });
    expect(bad.details).toEqual([
      expect.objectContaining({
        path: 'steps.calendar.icalUrl',
        message: '"http://calendar.example.org/basic" is not an https URL ending in .ics',
      }),
    ]);

    const url = 'https://calendar.example.org/basic.ics';
    const context = run();
    const inputs = await manualStep.ask?.(context, config(ICAL), { icalUrl: url, confirmed: true });
    expect(manualStep.saveable?.(inputs ?? { confirmed: false })).toEqual({ icalUrl: url, confirmed: true });
    expect(await manualStep.check(context, config(ICAL), inputs ?? { confirmed: false })).toEqual([
      expect.objectContaining({
        id: 'calendar.done',
        status: 'pass',
        // It passes on the operator's word, and says so (trial finding 100).
        summary: `confirmed by you: ${url}`,
        confirmedByOperator: true,
        required: true,
      }),
    ]);
    expect(await manualStep.apply?.(context, config(ICAL), inputs ?? { confirmed: false })).toEqual({
      icalUrl: url,
    });
    expect(manualStep.outputs).toBeTypeOf('function');
    expect((manualStep.outputs as (c: unknown) => string[])(config(ICAL))).toEqual(['icalUrl']);
  });

  it('with nothing to confirm, an answers file holding the answer alone is done', async () => {
    const { confirm: _confirm, ...collectOnly } = ICAL;
    const url = 'https://calendar.example.org/basic.ics';
    const context = run(scriptedPrompter([]));
    const inputs = (await manualStep.ask?.(context, config(collectOnly), { icalUrl: url })) ?? {
      confirmed: false,
    };
    expect(inputs).toEqual({ key: 'icalUrl', answer: url, confirmed: true });
    expect((await manualStep.check(context, config(collectOnly), inputs))[0]).toMatchObject({
      status: 'pass',
    });
  });

  it('interactively: shows the instructions, validates the answer and asks for the confirmation', async () => {
    const prompter = scriptedPrompter([
      {
        input: 'https://calendar.example.org/basic.ics',
        match: /Public iCal URL/,
        invalid: [['calendar.example.org', /not an https URL ending in \.ics/]],
      },
      { confirm: true, match: /^The calendar is public\?$/ },
    ]);
    const inputs = await manualStep.ask?.(
      run(prompter, 'Set up an iCal calendar for notifications'),
      config(ICAL),
      undefined,
    );
    // Headed by the step's title, not its id; the instructions come with the question.
    expect(prompter.sections).toEqual(['Manual step: Set up an iCal calendar for notifications']);
    expect(prompter.asked[0]?.help).toBe(ICAL.instructions);
    expect(inputs).toEqual({
      key: 'icalUrl',
      answer: 'https://calendar.example.org/basic.ics',
      confirmed: true,
    });

    // Without an answer to collect, the instructions come with the confirmation.
    const confirmOnly = scriptedPrompter([{ confirm: true }]);
    await manualStep.ask?.(run(confirmOnly), config(MAINTENANCE), undefined);
    expect(confirmOnly.asked[0]).toMatchObject({
      message: 'Maintenance mode is on?',
      help: 'Turn on maintenance mode in the admin console.',
    });
    expect(confirmOnly.sections).toEqual(['Manual step: calendar']);

    // Declining the confirmation stops with the same error as a missing one.
    const declined = scriptedPrompter([{ confirm: false }]);
    const error = await manualStep
      .ask?.(run(declined), config(MAINTENANCE), undefined)
      .catch((caught: unknown) => caught);
    expect((error as StackguideError).details.map((detail) => detail.path)).toEqual([
      'steps.calendar.confirmed',
    ]);
  });

  it('is headed by its title from the blueprint when the install asks it', async () => {
    const prompter = scriptedPrompter([{ confirm: true }]);
    const { stepId: _stepId, ...base } = run(prompter);
    const entry = { id: 'maintenance', kind: 'manual', title: 'Enter maintenance mode', ...MAINTENANCE };
    await askSteps([entry as StepEntry], base, undefined);
    expect(prompter.sections).toEqual(['Manual step: Enter maintenance mode']);
    expect(prompter.asked[0]?.help).toBe(MAINTENANCE.instructions);
  });

  it('is titled in status by its title, not by the words confirmed (two steps may share them)', async () => {
    // codeocean-vpc's endpoints and kms steps both confirm "Done, or not needed" (trial finding 40).
    const { stepId: _stepId, ...base } = run();
    const entries = [
      { id: 'endpoints', title: 'VPC endpoint security groups (existing VPC only)' },
      { id: 'kms', title: 'KMS customer-managed keys' },
    ].map(
      (step) =>
        ({
          ...step,
          kind: 'manual',
          instructions: 'Create them if you need them.',
          confirm: 'Done, or not needed',
        }) as StepEntry,
    );
    const checks = await checkSteps(entries, base, {
      endpoints: { confirmed: true },
      kms: { confirmed: false },
    });
    const status: DeploymentStatus = {
      deployment: 'co2',
      region: 'us-east-1',
      stacks: [],
      steps: [],
      healthy: false,
      state: 'needs-action',
      sections: statusSections(
        [],
        entries.map((entry) => ({
          id: entry.id,
          kind: 'manual',
          title: entry.title ?? entry.id,
          checks: checks.filter((check) => check.step === entry.id),
        })),
      ).filter((section) => section.section === 'manual'),
    };
    expect(statusText('Code Ocean', status, 80).split('\n').slice(2)).toEqual([
      'Manual steps: needs action',
      '☑ VPC endpoint security groups (existing VPC only): confirmed by you',
      '✖ KMS customer-managed keys: not confirmed',
      '    next: Create them if you need them.',
    ]);
    // Folded to a screen, the confirmed step is counted as confirmed by you, never as a check that
    // passed (trial finding 100).
    const folded = statusText('Code Ocean', status, 80, new Date(), true);
    expect(folded).toContain('Manual steps: needs action · 1 confirmed by you\n');
    expect(folded).toContain('Folded: 1 step confirmed by you (--all shows everything)');
    expect(folded).not.toContain('passed');
  });

  it('offers Yes for the confirmation, and asks nothing when the answers file shows the step done', async () => {
    const prompter = scriptedPrompter([{ confirm: true }]);
    await manualStep.ask?.(run(prompter), config(MAINTENANCE), { confirmed: false });
    expect(prompter.asked[0]?.default).toBe(true);

    const url = 'https://calendar.example.org/basic.ics';
    const silent = scriptedPrompter([]);
    const inputs = await manualStep.ask?.(run(silent), config(ICAL), { icalUrl: url, confirmed: true });
    expect(silent.asked).toEqual([]);
    expect(inputs).toEqual({ key: 'icalUrl', answer: url, confirmed: true });

    // A saved answer that is no longer valid is asked again, with the confirmation.
    const again = scriptedPrompter([{ input: url }, { confirm: true }]);
    await manualStep.ask?.(run(again), config(ICAL), { icalUrl: 'http://old', confirmed: true });
    expect(again.asked.map((question) => question.kind)).toEqual(['input', 'confirm']);
  });

  it('checks email answers by type, and refuses a pattern that is not a regular expression', async () => {
    const email = {
      instructions: 'Pick the address that receives admin notices.',
      collect: { key: 'adminEmail', prompt: 'Admin email', type: 'email' },
    };
    const bad = await askError(email, { adminEmail: 'admin at example.org' });
    expect(bad.details[0]).toMatchObject({ message: '"admin at example.org" is not an email address' });
    expect(() => config({ ...ICAL, collect: { ...ICAL.collect, pattern: '([a-z' } })).toThrow(
      /must be a valid regular expression/,
    );
  });
});
