import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StackguideError } from '../../src/errors.ts';
import type { SesInputs } from '../../src/steps/ses/request.ts';
import type { SesConfig } from '../../src/steps/ses/ses-config.ts';
import { sesStep } from '../../src/steps/ses/ses-step.ts';
import type { SavedStepInputs, StepContext } from '../../src/steps/step.ts';
import { type SesV2StandIn, startSesV2StandIn } from '../standins/sesv2-server.ts';
import {
  type AccountStepContext,
  accountStepContext,
  applyHearingPending,
  configOf,
  type ScriptedAnswer,
  scriptedPrompter,
  useEndpoints,
} from '../support/account-step-context.ts';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';

// SESv2 GetAccount/PutAccountDetails go to the stand-in through AWS_ENDPOINT_URL_SESV2; everything
// else to moto through AWS_ENDPOINT_URL (see account-step-context.ts for why no endpointUrl is set).
let moto: MotoServer;
let ses: SesV2StandIn;
let restoreEnv: () => void;

beforeAll(async () => {
  [moto, ses] = await Promise.all([startMotoServer(), startSesV2StandIn()]);
  restoreEnv = useEndpoints({ moto: moto.endpoint, sesv2: ses.endpoint });
});
afterAll(async () => {
  restoreEnv?.();
  await Promise.all([ses?.stop(), moto?.stop()]);
});
beforeEach(() => ses.reset());

const USE_CASE =
  'OpenSARlab sends account sign-up verification codes, password resets and storage lifecycle notices ' +
  'to the students of our classes (about 40 a day). Only people who signed up receive mail; bounces and ' +
  'complaints go to an SNS topic and onto the suppression list.';

const config = (raw: Record<string, unknown> = {}) => configOf(sesStep, raw);
/** Applies as an install does, hearing what the step says its result still waits for. */
const applied = (context: StepContext, config: SesConfig, inputs: SesInputs) =>
  applyHearingPending(sesStep, context, config, inputs);

const run = (options: { prompter?: ReturnType<typeof scriptedPrompter>; region?: string } = {}) =>
  accountStepContext({ stepId: 'ses', ...options });

/** One interactive request, the way an operator answers it (with two refused answers on the way). */
const REQUEST_SCRIPT: ScriptedAnswer[] = [
  { confirm: true, match: /us-east-1 is in the sandbox.*Request production access now\?/ },
  { select: 'TRANSACTIONAL', match: /What kind of email/ },
  { input: 'https://opensarlab.example.edu', invalid: [['opensarlab dot edu', /not a website address/]] },
  {
    input: USE_CASE,
    invalid: [
      ['We send emails.', /^The description is 15 characters long: reviewers deny short descriptions/],
    ],
  },
  {
    input: 'ops@example.edu, admin@example.edu',
    invalid: [
      ['ops@', /^"ops@" is not an email address$/],
      ['ops@, admin', /^"ops@", "admin" are not email addresses$/],
    ],
  },
  { select: 'EN', match: /Language/ },
];

async function checkOf(context: AccountStepContext, raw: Record<string, unknown>, inputs = {}) {
  const results = await sesStep.check(context, config(raw), inputs);
  return new Map(results.map((result) => [result.id, result]));
}

describe('ses step against the SESv2 stand-in', () => {
  it('guides a sandbox account to a request, then shows it pending without submitting again, then granted', async () => {
    // Run 1, interactive: the check says sandbox, the operator asks for production access.
    const before = await checkOf(run(), {});
    expect(before.get('ses.us-east-1')).toMatchObject({
      status: 'warn',
      required: false,
      summary:
        'sandbox (200 emails per 24 h, 1 per second, 0 sent in the last 24 h, verified recipients only); production access not requested',
      fix: expect.stringContaining('Run stackguide install in a terminal to request production access'),
    });
    expect(before.get('ses.us-east-1')?.fix).toContain(
      'steps.ses.mailType, websiteUrl, useCaseDescription (and contactLanguage, additionalContactEmailAddresses)',
    );

    const prompter = scriptedPrompter(REQUEST_SCRIPT);
    const first = run({ prompter });
    const inputs = await sesStep.ask?.(first, config(), undefined);
    expect(prompter.remaining()).toBe(0);
    // The seed's advice is the help of the use-case prompt: details and email policies, 24-48 hours.
    const useCasePrompt = prompter.asked.find((question) => /How will you use SES/.test(question.message));
    expect(useCasePrompt?.help).toMatch(/deny vague requests/);
    expect(useCasePrompt?.help).toMatch(/24-48 hours/);
    expect(useCasePrompt?.help).toMatch(/bounces and complaints/);

    const saved = sesStep.saveable?.(inputs ?? {}) as SavedStepInputs;
    expect(saved).toEqual({
      mailType: 'TRANSACTIONAL',
      websiteUrl: 'https://opensarlab.example.edu',
      useCaseDescription: USE_CASE,
      additionalContactEmailAddresses: ['ops@example.edu', 'admin@example.edu'],
      contactLanguage: 'EN',
    });
    expect(await sesStep.plan?.(first, config(), inputs ?? {})).toEqual([
      expect.objectContaining({ action: 'request', resource: 'SES production access in us-east-1' }),
    ]);
    // Asking changed nothing: only reads so far.
    expect(ses.submissions()).toHaveLength(0);

    // Submitted, the step is pending on AWS's review: not done.
    const outputs = await applied(first, config(), inputs ?? {});
    expect(outputs).toEqual({
      outputs: { productionAccess: 'false', reviewStatus: 'pending' },
      pending: "AWS's review of SES production access in us-east-1 (case 17000000001), usually 24-48 hours",
    });
    expect(ses.submissions()).toHaveLength(1);
    expect(ses.submissions()[0]).toMatchObject({
      region: 'us-east-1',
      signingName: 'ses',
      body: {
        MailType: 'TRANSACTIONAL',
        WebsiteURL: 'https://opensarlab.example.edu',
        UseCaseDescription: USE_CASE,
        AdditionalContactEmailAddresses: ['ops@example.edu', 'admin@example.edu'],
        ContactLanguage: 'EN',
        ProductionAccessEnabled: true,
      },
    });
    expect(
      first.events.map((event) => (event.type === 'step.progress' ? event.message : event.type)),
    ).toEqual([
      'Requesting SES production access in us-east-1',
      'SES production access in us-east-1 is under review (case 17000000001): AWS usually decides within 24-48 hours',
    ]);

    // Run 2, unattended from the answers file: pending, shown with what to do, nothing submitted again.
    const second = run();
    const again = await sesStep.ask?.(second, config(), saved);
    const pending = await checkOf(second, {}, again);
    expect(pending.get('ses.us-east-1')).toMatchObject({
      status: 'warn',
      summary: expect.stringContaining('production access requested, AWS is reviewing it (case 17000000001)'),
      fix: expect.stringContaining('Nothing needs submitting again'),
      facts: expect.objectContaining({ reviewStatus: 'PENDING', caseId: '17000000001' }),
    });
    expect(await sesStep.plan?.(second, config(), again ?? {})).toEqual([]);
    expect(await applied(second, config(), again ?? {})).toEqual({
      outputs: { productionAccess: 'false', reviewStatus: 'pending' },
      pending: "AWS's review of SES production access in us-east-1 (case 17000000001), usually 24-48 hours",
    });
    // An interactive run while pending asks nothing either.
    const quiet = scriptedPrompter([]);
    await sesStep.ask?.(run({ prompter: quiet }), config(), saved);
    expect(quiet.asked).toEqual([]);
    expect(ses.submissions()).toHaveLength(1);

    // AWS grants it: the next run passes and changes nothing.
    ses.decide('us-east-1', 'GRANTED');
    const third = run();
    const granted = await checkOf(third, {}, again);
    expect(granted.get('ses.us-east-1')).toMatchObject({
      status: 'pass',
      summary: 'production access; 50000 emails per 24 h, 14 per second, 0 sent in the last 24 h',
    });
    expect(granted.get('ses.us-east-1')?.fix).toBeUndefined();
    // In production: done, pending on nothing.
    expect(await applied(third, config(), again ?? {})).toEqual({
      outputs: { productionAccess: 'true', reviewStatus: 'production' },
    });
    expect(ses.submissions()).toHaveLength(1);
  });

  it("offers the blueprint's website filled from the answers, and takes a bare host as its https address", async () => {
    const prompter = scriptedPrompter([
      REQUEST_SCRIPT[0] as ScriptedAnswer,
      REQUEST_SCRIPT[1] as ScriptedAnswer,
      // The domain as the domain question was answered: no scheme.
      { input: 'opensarlab.example.edu', match: /Website of the service/ },
      ...REQUEST_SCRIPT.slice(3),
    ]);
    const context = { ...run({ prompter }), answers: { domain: 'lab.example.edu' } };
    const inputs = await sesStep.ask?.(context, config({ website: 'https://{{answers.domain}}' }), undefined);
    const website = prompter.asked.find((question) => /Website of the service/.test(question.message));
    expect(website?.default).toBe('https://lab.example.edu');
    expect(website?.help).toContain('A host name alone is taken as https://<host>.');
    expect(sesStep.saveable?.(inputs ?? {})).toMatchObject({ websiteUrl: 'https://opensarlab.example.edu' });
  });

  it('submits unattended from the answers file, and fails instead of warning when required', async () => {
    const saved: SavedStepInputs = {
      mailType: 'TRANSACTIONAL',
      websiteUrl: 'https://example.org',
      useCaseDescription: USE_CASE,
    };
    const context = run();
    const inputs = await sesStep.ask?.(context, config({ required: true }), saved);
    const results = await checkOf(context, { required: true }, inputs);
    expect(results.get('ses.us-east-1')).toMatchObject({
      status: 'fail',
      required: true,
      summary: expect.stringContaining('stackguide install will request production access'),
      plannedByInstall: true,
      fix: expect.stringContaining('it submits the production-access request from steps.ses'),
    });
    await sesStep.apply?.(context, config({ required: true }), inputs ?? {});
    expect(ses.submissions()).toHaveLength(1);
    // Defaults fill what the file leaves out; no contacts means no contact list at all.
    expect(ses.submissions()[0]?.body).toEqual({
      MailType: 'TRANSACTIONAL',
      WebsiteURL: 'https://example.org',
      ContactLanguage: 'EN',
      UseCaseDescription: USE_CASE,
      ProductionAccessEnabled: true,
    });
  });

  it('submits nothing unattended without a request, and names every key a partial one lacks', async () => {
    const context = run();
    const inputs = await sesStep.ask?.(context, config(), undefined);
    expect(inputs).toEqual({});
    expect(await applied(context, config(), inputs ?? {})).toEqual({
      outputs: { productionAccess: 'false', reviewStatus: 'none' },
      pending: 'a request for SES production access in us-east-1: none was given',
    });
    expect(ses.submissions()).toHaveLength(0);
    expect(context.events).toContainEqual(
      expect.objectContaining({
        message: 'SES in us-east-1 is in the sandbox and no production-access request was given',
      }),
    );

    const error = await sesStep
      .ask?.(run(), config(), { mailType: 'BULK', useCaseDescription: 'Emails.' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StackguideError);
    expect((error as StackguideError).code).toBe('step.ses.request-invalid');
    expect((error as StackguideError).details.map((detail) => detail.path)).toEqual([
      'steps.ses.mailType',
      'steps.ses.websiteUrl',
      'steps.ses.useCaseDescription',
    ]);
  });

  it('after a denial points at the support case, never resubmits unattended, and resubmits when the operator chooses', async () => {
    const saved: SavedStepInputs = {
      mailType: 'MARKETING',
      websiteUrl: 'https://example.org',
      useCaseDescription: USE_CASE,
    };
    await sesStep.apply?.(run(), config(), (await sesStep.ask?.(run(), config(), saved)) ?? {});
    ses.decide('us-east-1', 'DENIED');

    const unattended = run();
    const inputs = await sesStep.ask?.(unattended, config(), saved);
    const denied = (await checkOf(unattended, {}, inputs)).get('ses.us-east-1');
    expect(denied).toMatchObject({
      status: 'warn',
      summary: expect.stringContaining('production access was denied (case 17000000001)'),
    });
    expect(denied?.fix).toContain('AWS Support Center case 17000000001');
    expect(denied?.fix).toContain('submit a revised request');
    await sesStep.apply?.(unattended, config(), inputs ?? {});
    expect(ses.submissions()).toHaveLength(1);

    // Interactive: the operator chooses a revised request; the form starts from what was sent before.
    const prompter = scriptedPrompter([
      { select: 'resubmit', match: /denied production access for SES in us-east-1 \(case 17000000001\)/ },
      { select: 'TRANSACTIONAL' },
      { input: 'https://example.org' },
      { input: `${USE_CASE} Recipients can opt out from every message.` },
      { input: '' },
      { select: 'JA' },
    ]);
    const revised = run({ prompter });
    const revisedInputs = await sesStep.ask?.(revised, config(), saved);
    expect(prompter.asked[1]).toMatchObject({ kind: 'select', default: 'MARKETING' });
    expect(prompter.asked[3]).toMatchObject({ kind: 'input', default: USE_CASE });
    // The choice to resubmit is not saved: an unattended run never resubmits by itself.
    expect(sesStep.saveable?.(revisedInputs ?? {})).not.toHaveProperty('resubmit');
    expect(await applied(revised, config(), revisedInputs ?? {})).toEqual({
      outputs: { productionAccess: 'false', reviewStatus: 'pending' },
      pending: expect.stringMatching(/^AWS's review of SES production access in us-east-1/),
    });
    expect(ses.submissions()).toHaveLength(2);
    expect(ses.submissions()[1]?.body).toMatchObject({ MailType: 'TRANSACTIONAL', ContactLanguage: 'JA' });
  });

  it('resubmits unattended when AWS reports the review FAILED (never received)', async () => {
    const saved: SavedStepInputs = {
      mailType: 'TRANSACTIONAL',
      websiteUrl: 'https://example.org',
      useCaseDescription: USE_CASE,
    };
    await sesStep.apply?.(run(), config(), (await sesStep.ask?.(run(), config(), saved)) ?? {});
    ses.decide('us-east-1', 'FAILED');
    const context = run();
    const inputs = await sesStep.ask?.(context, config(), saved);
    expect((await checkOf(context, {}, inputs)).get('ses.us-east-1')?.summary).toContain(
      'AWS did not receive the production-access request (review FAILED)',
    );
    await sesStep.apply?.(context, config(), inputs ?? {});
    expect(ses.submissions()).toHaveLength(2);
  });

  it('checks every configured region on its own, and reports paused sending and a low quota', async () => {
    ses.setProduction('eu-west-1', { max24HourSend: 1000, maxSendRate: 5 });
    ses.setSendingEnabled('eu-west-1', false, 'SHUTDOWN');
    const results = await checkOf(run(), { regions: ['us-east-1', 'eu-west-1'], minDailyQuota: 5000 });
    expect([...results.keys()]).toEqual([
      'ses.us-east-1',
      'ses.eu-west-1',
      'ses.eu-west-1.sending',
      'ses.eu-west-1.quota',
    ]);
    expect(results.get('ses.us-east-1')?.status).toBe('warn');
    expect(results.get('ses.eu-west-1')?.status).toBe('pass');
    expect(results.get('ses.eu-west-1.sending')).toMatchObject({
      status: 'warn',
      summary: 'sending is paused (enforcement status SHUTDOWN)',
    });
    expect(results.get('ses.eu-west-1.quota')).toMatchObject({
      status: 'warn',
      summary: '1000 emails per 24 hours, the platform needs 5000',
    });
    // Each region's call is signed for that region.
    expect(new Set(ses.requests.map((request) => request.region))).toEqual(
      new Set(['us-east-1', 'eu-west-1']),
    );
  });

  it('takes the request the answers file holds in a sandbox account, in a terminal too (trial finding 21)', async () => {
    const saved: SavedStepInputs = {
      mailType: 'TRANSACTIONAL',
      websiteUrl: 'https://opensarlab.example.edu',
      useCaseDescription: USE_CASE,
    };
    const quiet = scriptedPrompter([]);
    const inputs = await sesStep.ask?.(run({ prompter: quiet }), config(), saved);
    expect(quiet.asked).toEqual([]);
    expect(inputs?.request).toMatchObject({
      websiteUrl: 'https://opensarlab.example.edu',
      useCaseDescription: USE_CASE,
    });

    // Preflight sends nothing: with no request in the file it asks for none either.
    const preflight = { ...run({ prompter: quiet }), readOnly: true };
    expect(await sesStep.ask?.(preflight, config(), undefined)).toEqual({});
    expect(quiet.asked).toEqual([]);

    // Asked again from the review: the form, the file's request offered.
    const again = scriptedPrompter(
      REQUEST_SCRIPT.map((answer) => ({ ...answer, invalid: [] }) as ScriptedAnswer),
    );
    await sesStep.ask?.({ ...run({ prompter: again }), reask: true }, config(), saved);
    expect(again.asked.find((question) => /Website of the service/.test(question.message))?.default).toBe(
      'https://opensarlab.example.edu',
    );
    expect(ses.submissions()).toHaveLength(0);
  });

  it('does not ask anything when production access is already there', async () => {
    ses.setProduction('us-east-1');
    const prompter = scriptedPrompter([]);
    expect(await sesStep.ask?.(run({ prompter }), config(), undefined)).toEqual({});
    expect(prompter.asked).toEqual([]);
  });

  it('passes an SES error on as a StackguideError naming the call', async () => {
    ses.failNext('TooManyRequestsException', 'Rate exceeded', 429);
    const error = await sesStep.check(run(), config(), {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StackguideError);
    expect((error as StackguideError).message).toMatch(
      /^SESv2 GetAccount failed \(HTTP 429, request id [\w-]+\): Rate exceeded$/,
    );
  });
});
