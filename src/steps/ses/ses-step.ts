import type {
  ProductionAccessRequest,
  SesAccount,
  SesContactLanguage,
  SesMailType,
  SesV2Port,
} from '../../aws/sesv2-port.ts';
import { sesv2Port } from '../../aws/sesv2-port.ts';
import { type ErrorDetail, StackguideError } from '../../errors.ts';
import type { Prompter } from '../../install/prompter.ts';
import {
  type AskContext,
  type CheckResult,
  defineStep,
  type PlannedChange,
  type SavedStepInputs,
  type StepContext,
} from '../step.ts';
import {
  CONTACT_LANGUAGES,
  MAIL_TYPES,
  MAX_CONTACTS,
  MAX_USE_CASE,
  MIN_USE_CASE,
  type SesConfig,
  sesConfig,
} from './ses-config.ts';

/**
 * SES out of the sandbox (seed 001, "Take AWS SES out of sandbox"). In the sandbox an account sends at
 * most 200 emails a day, one a second, and only to verified addresses: the platform's sign-up and
 * notification mail silently goes nowhere. Production access is per region and granted by people at
 * AWS after a request (SESv2 PutAccountDetails), usually within 24-48 hours.
 *
 * - check: production or sandbox, the sending quota, and the review of a request (pending, granted,
 *   denied, failed) with what to do next.
 * - ask: the request, guided, with the seed's advice on what reviewers need; saved to the answers file
 *   (`steps.<id>`), since none of it is secret.
 * - apply: submits the request where none is under review; never a second time while one is pending.
 */

interface SesInputs {
  /** What to submit where no request is under review; absent when the operator gave none. */
  request?: ProductionAccessRequest;
  /** The operator chose, interactively, to submit a revised request after a denial. Never saved. */
  resubmit?: boolean;
}

/** Where a region stands, from GetAccount. */
type AccessState = 'production' | 'pending' | 'granted' | 'denied' | 'failed' | 'sandbox';

interface RegionAccount {
  region: string;
  account: SesAccount;
  state: AccessState;
  caseId?: string;
}

const REVIEW_ADVICE = [
  'AWS reviewers deny vague requests (approval usually takes 24-48 hours). Say:',
  '- what the platform sends: sign-up and verification codes, password resets, notices to users and admins;',
  '- who receives it: only people who signed up for an account, never bought or rented lists;',
  '- how much and how often: e.g. about 50 emails a day, a few hundred at the start of a class;',
  '- your email policies: how bounces and complaints are handled (SES notifications, the account-level',
  '  suppression list), and how recipients stop mail they no longer want.',
].join('\n');

export const sesStep = defineStep<typeof sesConfig.configSchema, SesInputs>({
  ...sesConfig,

  async ask(context, config, saved) {
    const accounts = await readAccounts(context, config);
    const fromSaved = requestFromSaved(context, saved);
    const toSubmit = accounts.filter((entry) => entry.state === 'sandbox' || entry.state === 'failed');
    const denied = accounts.filter((entry) => entry.state === 'denied');
    if (!context.prompter || (toSubmit.length === 0 && denied.length === 0)) {
      return fromSaved ? { request: fromSaved } : {};
    }
    const prompter = context.prompter;
    prompter.section(`SES production access (${accounts.map((entry) => entry.region).join(', ')})`);
    let resubmit = false;
    if (toSubmit.length === 0) {
      const choice = await prompter.select({
        message: `AWS denied production access for SES in ${regionList(denied)}${caseNote(denied)}. What now?`,
        choices: [
          {
            value: 'reply',
            name: 'Answer in the AWS Support case myself',
            description: 'Reply to the case with more detail; stackguide shows the outcome on the next run.',
          },
          {
            value: 'resubmit',
            name: 'Submit a revised request now',
            description: 'A more detailed use case and your email policies, as a new request.',
          },
        ],
        default: 'reply',
      });
      if (choice === 'reply') return fromSaved ? { request: fromSaved } : {};
      resubmit = true;
    } else {
      const proceed = await prompter.confirm({
        message: `SES in ${regionList(toSubmit)} is in the sandbox (verified recipients only, 200 emails a day). Request production access now?`,
        default: true,
      });
      if (!proceed) return fromSaved ? { request: fromSaved } : {};
    }
    const previous = accounts.find((entry) => entry.account.details)?.account.details;
    const request = await askRequest(prompter, config, fromSaved, previous);
    return { request, ...(resubmit ? { resubmit } : {}) };
  },

  saveable(inputs): SavedStepInputs {
    const request = inputs.request;
    if (!request) return {};
    return {
      mailType: request.mailType,
      websiteUrl: request.websiteUrl,
      useCaseDescription: request.useCaseDescription,
      additionalContactEmailAddresses: request.additionalContactEmailAddresses,
      contactLanguage: request.contactLanguage,
    };
  },

  async check(context, config, inputs): Promise<CheckResult[]> {
    const accounts = await readAccounts(context, config);
    return accounts.flatMap((entry) => checkRegion(context, config, inputs, entry));
  },

  async plan(context, config, inputs): Promise<PlannedChange[]> {
    const accounts = await readAccounts(context, config);
    return accounts
      .filter((entry) => willSubmit(entry, inputs))
      .map((entry) => ({
        step: context.stepId,
        action: 'request',
        resource: `SES production access in ${entry.region}`,
        detail: `PutAccountDetails (${inputs.request?.mailType}, ${inputs.request?.websiteUrl}); AWS reviews it, usually in 24-48 h`,
      }));
  },

  async apply(context, config, inputs) {
    const regions = regionsOf(context, config);
    const states: AccessState[] = [];
    for (const region of regions) {
      const ses = portIn(context, region);
      let entry = toRegionAccount(region, await ses.getAccount());
      if (willSubmit(entry, inputs) && inputs.request) {
        progress(context, entry, `Requesting SES production access in ${region}`);
        try {
          await ses.requestProductionAccess(inputs.request);
        } catch (error) {
          // A review opened meanwhile (another run, the console): it is the one to wait for.
          if (!(error instanceof StackguideError && error.code === 'aws.ConflictException')) throw error;
        }
        entry = toRegionAccount(region, await ses.getAccount());
        // The account can read back as plain sandbox for a moment after the request: it was submitted.
        if (entry.state === 'sandbox') entry = { ...entry, state: 'pending' };
      }
      progress(context, entry, statusLine(entry, inputs));
      states.push(entry.state);
    }
    return {
      productionAccess: String(states.every((state) => state === 'production')),
      reviewStatus: outputStatus(states[0] ?? 'sandbox'),
    };
  },
});

function regionsOf(context: StepContext, config: SesConfig): string[] {
  return config.regions ?? [context.region];
}

/** SES production access is per region: a region other than the deployment's gets its own client. */
function portIn(context: StepContext, region: string): SesV2Port {
  return context.aws.use(sesv2Port, { region });
}

async function readAccounts(context: StepContext, config: SesConfig): Promise<RegionAccount[]> {
  return Promise.all(
    regionsOf(context, config).map(async (region) =>
      toRegionAccount(region, await portIn(context, region).getAccount()),
    ),
  );
}

function toRegionAccount(region: string, account: SesAccount): RegionAccount {
  const review = account.details?.review;
  const state: AccessState = account.productionAccessEnabled
    ? 'production'
    : review?.status === 'PENDING'
      ? 'pending'
      : review?.status === 'GRANTED'
        ? 'granted'
        : review?.status === 'DENIED'
          ? 'denied'
          : review?.status === 'FAILED'
            ? 'failed'
            : 'sandbox';
  return { region, account, state, ...(review?.caseId ? { caseId: review.caseId } : {}) };
}

/** Only where nothing is under review or decided; after a denial only when the operator chose to. */
function willSubmit(entry: RegionAccount, inputs: SesInputs): boolean {
  if (!inputs.request) return false;
  return (
    entry.state === 'sandbox' ||
    entry.state === 'failed' ||
    (entry.state === 'denied' && inputs.resubmit === true)
  );
}

function outputStatus(state: AccessState): string {
  return state === 'sandbox' ? 'none' : state;
}

function checkRegion(
  context: StepContext,
  config: SesConfig,
  inputs: SesInputs,
  entry: RegionAccount,
): CheckResult[] {
  const { account, region } = entry;
  const id = `${context.stepId}.${region}`;
  const blocking = config.required ? 'fail' : 'warn';
  const facts = {
    region,
    productionAccess: account.productionAccessEnabled,
    reviewStatus: account.details?.review?.status ?? null,
    caseId: entry.caseId ?? null,
    sendingEnabled: account.sendingEnabled,
    ...(account.enforcementStatus ? { enforcementStatus: account.enforcementStatus } : {}),
    ...account.sendQuota,
  };
  const base = {
    id,
    step: context.stepId,
    title: `SES production access in ${region}`,
    required: config.required,
    facts,
  };
  const results: CheckResult[] = [];
  if (entry.state === 'production') {
    results.push({ ...base, status: 'pass', summary: `production access; ${quotaText(account)}` });
  } else {
    results.push({
      ...base,
      status: blocking,
      summary: `sandbox (${quotaText(account)}, verified recipients only); ${reviewText(entry, inputs)}`,
      fix: nextStep(context, entry, inputs),
    });
  }
  if (!account.sendingEnabled) {
    results.push({
      id: `${context.stepId}.${region}.sending`,
      step: context.stepId,
      title: `SES sending in ${region}`,
      status: blocking,
      summary: `sending is paused${account.enforcementStatus ? ` (enforcement status ${account.enforcementStatus})` : ''}`,
      fix: `Read why in the SES console's reputation dashboard (${consoleUrl(region)}) and in AWS Support Center, fix the cause, and ask AWS there to resume sending.`,
      required: config.required,
      facts,
    });
  }
  const daily = account.sendQuota.max24HourSend;
  if (
    config.minDailyQuota !== undefined &&
    entry.state === 'production' &&
    daily !== undefined &&
    daily < config.minDailyQuota
  ) {
    results.push({
      id: `${context.stepId}.${region}.quota`,
      step: context.stepId,
      title: `SES sending quota in ${region}`,
      status: 'warn',
      summary: `${daily} emails per 24 hours, the platform needs ${config.minDailyQuota}`,
      fix: `Ask for a higher sending quota (Service Quotas, Amazon SES "Sending quota", or an AWS Support case) in ${region}.`,
      required: false,
      facts,
    });
  }
  return results;
}

function quotaText(account: SesAccount): string {
  const { max24HourSend, maxSendRate, sentLast24Hours } = account.sendQuota;
  const parts = [
    max24HourSend !== undefined ? `${max24HourSend} emails per 24 h` : undefined,
    maxSendRate !== undefined ? `${maxSendRate} per second` : undefined,
    sentLast24Hours !== undefined ? `${sentLast24Hours} sent in the last 24 h` : undefined,
  ].filter((part) => part !== undefined);
  return parts.length > 0 ? parts.join(', ') : 'quota not reported';
}

function reviewText(entry: RegionAccount, inputs: SesInputs): string {
  const theCase = entry.caseId ? ` (case ${entry.caseId})` : '';
  switch (entry.state) {
    case 'pending':
      return `production access requested, AWS is reviewing it${theCase}`;
    case 'granted':
      return `production access granted${theCase}, not yet in effect`;
    case 'denied':
      return `production access was denied${theCase}`;
    case 'failed':
      return 'AWS did not receive the production-access request (review FAILED)';
    default:
      return inputs.request
        ? 'stackguide install will request production access'
        : 'production access not requested';
  }
}

function nextStep(context: StepContext, entry: RegionAccount, inputs: SesInputs): string {
  const keys = `steps.${context.stepId}.mailType, websiteUrl, useCaseDescription (and contactLanguage, additionalContactEmailAddresses)`;
  const caseLink = entry.caseId
    ? `AWS Support Center case ${entry.caseId} (https://support.console.aws.amazon.com/support/home#/case/?displayId=${entry.caseId})`
    : 'the AWS Support Center case AWS opened for it (https://support.console.aws.amazon.com/support/home#/case/history)';
  switch (entry.state) {
    case 'pending':
      return `Wait for AWS's decision, usually 24-48 hours; it is emailed to the account's contacts. Nothing needs submitting again: run stackguide status or preflight to see the outcome.`;
    case 'granted':
      return 'Wait a few minutes for production access to take effect, then run stackguide preflight again.';
    case 'denied':
      return `Read AWS's reply in ${caseLink} and answer there with a detailed use case and your email policies (bounces, complaints, opting out); or run stackguide install in a terminal and choose to submit a revised request.`;
    case 'failed':
      return inputs.request
        ? 'Run stackguide install: it submits the request again from the answers file.'
        : `Run stackguide install in a terminal to submit the request again, or set ${keys} in the answers file.`;
    default:
      return inputs.request
        ? `Run stackguide install: it submits the production-access request from steps.${context.stepId} (approval usually takes 24-48 hours).`
        : `Run stackguide install in a terminal to request production access (guided), or set ${keys} in the answers file, or request it in the console: ${consoleUrl(entry.region)}.`;
  }
}

function consoleUrl(region: string): string {
  return `https://${region}.console.aws.amazon.com/ses/home?region=${region}#/account`;
}

function statusLine(entry: RegionAccount, inputs: SesInputs): string {
  const theCase = entry.caseId ? ` (case ${entry.caseId})` : '';
  switch (entry.state) {
    case 'production':
      return `SES in ${entry.region} has production access`;
    case 'pending':
      return `SES production access in ${entry.region} is under review${theCase}: AWS usually decides within 24-48 hours`;
    case 'granted':
      return `SES production access in ${entry.region} was granted${theCase}`;
    case 'denied':
      return `SES production access in ${entry.region} was denied${theCase}: answer in the AWS Support case or submit a revised request`;
    case 'failed':
      return `AWS did not receive the SES production-access request in ${entry.region}; run install again to resubmit`;
    default:
      return inputs.request
        ? `SES in ${entry.region} is still in the sandbox`
        : `SES in ${entry.region} is in the sandbox and no production-access request was given`;
  }
}

function progress(context: StepContext, entry: RegionAccount, message: string): void {
  context.emit({
    type: 'step.progress',
    step: context.stepId,
    message,
    facts: { region: entry.region, state: entry.state, ...(entry.caseId ? { caseId: entry.caseId } : {}) },
  });
}

function regionList(entries: readonly RegionAccount[]): string {
  return entries.map((entry) => entry.region).join(', ');
}

function caseNote(entries: readonly RegionAccount[]): string {
  const cases = entries.flatMap((entry) => (entry.caseId ? [entry.caseId] : []));
  return cases.length > 0 ? ` (case ${cases.join(', ')})` : '';
}

async function askRequest(
  prompter: Prompter,
  config: SesConfig,
  saved: ProductionAccessRequest | undefined,
  previous: SesAccount['details'],
): Promise<ProductionAccessRequest> {
  const mailType = await prompter.select<SesMailType>({
    message: 'What kind of email does the platform send?',
    choices: [
      {
        value: 'TRANSACTIONAL',
        name: 'Transactional',
        description: 'Sign-up and verification codes, password resets, notices about the user’s own account.',
      },
      { value: 'MARKETING', name: 'Marketing', description: 'Newsletters, announcements, promotions.' },
    ],
    default: saved?.mailType ?? previous?.mailType ?? config.mailType,
  });
  const websiteUrl = await prompter.input({
    message: 'Website of the service (shown to the reviewers)',
    help: 'The public page of the service or your organisation: reviewers look at it.',
    ...defaultOf(saved?.websiteUrl ?? previous?.websiteUrl),
    validate: (value) => urlProblem(value.trim()) ?? true,
  });
  const useCaseDescription = await prompter.input({
    message: 'How will you use SES? (use case and email policies)',
    help: REVIEW_ADVICE,
    ...defaultOf(saved?.useCaseDescription ?? previous?.useCaseDescription ?? config.useCase),
    validate: (value) => descriptionProblem(value.trim()) ?? true,
  });
  const contacts = await prompter.input({
    message: `Other addresses AWS may contact about SES (comma-separated, up to ${MAX_CONTACTS}; empty for none)`,
    help: "AWS's decision and questions go to the account's contacts and to these.",
    ...defaultOf(
      (saved?.additionalContactEmailAddresses ?? previous?.additionalContactEmailAddresses ?? []).join(', '),
    ),
    validate: (value) => contactsProblem(splitList(value)) ?? true,
  });
  const contactLanguage = await prompter.select<SesContactLanguage>({
    message: 'Language AWS should answer in',
    choices: [
      { value: 'EN', name: 'English' },
      { value: 'JA', name: 'Japanese' },
    ],
    default: saved?.contactLanguage ?? previous?.contactLanguage ?? 'EN',
  });
  return {
    mailType,
    websiteUrl: websiteUrl.trim(),
    useCaseDescription: useCaseDescription.trim(),
    additionalContactEmailAddresses: splitList(contacts),
    contactLanguage,
  };
}

function defaultOf(value: string | undefined): { default?: string } {
  return value ? { default: value } : {};
}

/**
 * The request from the answers file, checked. Nothing saved means no request (the check says how to
 * make one); a partial or invalid one is an error naming every key to fix.
 */
function requestFromSaved(
  context: AskContext,
  saved: SavedStepInputs | undefined,
): ProductionAccessRequest | undefined {
  const keys = [
    'mailType',
    'websiteUrl',
    'useCaseDescription',
    'additionalContactEmailAddresses',
    'contactLanguage',
  ];
  if (!saved || !keys.some((key) => saved[key] !== undefined)) return undefined;
  const path = (key: string) => `steps.${context.stepId}.${key}`;
  const problems: ErrorDetail[] = [];
  const text = (key: string): string | undefined => {
    const value = saved[key];
    if (value === undefined) return undefined;
    if (typeof value === 'string') return value.trim();
    problems.push({ path: path(key), message: `must be text, not ${JSON.stringify(value)}` });
    return undefined;
  };
  const mailType = text('mailType') ?? 'TRANSACTIONAL';
  if (!(MAIL_TYPES as readonly string[]).includes(mailType))
    problems.push({
      path: path('mailType'),
      message: `"${mailType}" is not a mail type`,
      fix: 'Use TRANSACTIONAL or MARKETING.',
    });
  const contactLanguage = text('contactLanguage') ?? 'EN';
  if (!(CONTACT_LANGUAGES as readonly string[]).includes(contactLanguage))
    problems.push({
      path: path('contactLanguage'),
      message: `"${contactLanguage}" is not a contact language`,
      fix: 'Use EN or JA.',
    });
  const websiteUrl = text('websiteUrl');
  if (websiteUrl === undefined)
    problems.push({
      path: path('websiteUrl'),
      message: 'is missing',
      fix: 'Set it to the public website of the service.',
    });
  else if (urlProblem(websiteUrl))
    problems.push({ path: path('websiteUrl'), message: urlProblem(websiteUrl) ?? '' });
  const useCaseDescription = text('useCaseDescription');
  if (useCaseDescription === undefined)
    problems.push({ path: path('useCaseDescription'), message: 'is missing', fix: REVIEW_ADVICE });
  else if (descriptionProblem(useCaseDescription))
    problems.push({
      path: path('useCaseDescription'),
      message: descriptionProblem(useCaseDescription) ?? '',
      fix: REVIEW_ADVICE,
    });
  const rawContacts = saved.additionalContactEmailAddresses;
  const contacts = Array.isArray(rawContacts)
    ? rawContacts.map((value) => value.trim()).filter(Boolean)
    : typeof rawContacts === 'string'
      ? splitList(rawContacts)
      : [];
  const contactsError = contactsProblem(contacts);
  if (contactsError) problems.push({ path: path('additionalContactEmailAddresses'), message: contactsError });
  if (problems.length > 0 || websiteUrl === undefined || useCaseDescription === undefined) {
    throw new StackguideError(
      `The SES production-access request in the answers file (steps.${context.stepId}) is incomplete`,
      {
        code: 'step.ses.request-invalid',
        kind: 'user',
        details: problems,
        nextSteps: [
          `Fix the keys named above under steps.${context.stepId}, or remove them all to skip the request.`,
        ],
      },
    );
  }
  return {
    mailType: mailType as SesMailType,
    websiteUrl,
    useCaseDescription,
    additionalContactEmailAddresses: contacts,
    contactLanguage: contactLanguage as SesContactLanguage,
  };
}

function urlProblem(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || url.protocol === 'http:') return undefined;
  } catch {
    // Reported below.
  }
  return `"${value}" is not a website address such as https://example.org`;
}

function descriptionProblem(value: string): string | undefined {
  if (value.length > MAX_USE_CASE)
    return `is ${value.length} characters long; AWS takes at most ${MAX_USE_CASE}`;
  if (value.length < MIN_USE_CASE)
    return `is ${value.length} characters long: reviewers deny short descriptions; give at least ${MIN_USE_CASE} characters on what you send, to whom, how often, and how bounces, complaints and opt-outs are handled`;
  return undefined;
}

function contactsProblem(contacts: readonly string[]): string | undefined {
  if (contacts.length > MAX_CONTACTS)
    return `${contacts.length} addresses given; AWS takes at most ${MAX_CONTACTS}`;
  const bad = contacts.filter((value) => !/^[^@\s,]+@[^@\s,]+\.[^@\s,]+$/.test(value));
  return bad.length > 0 ? `not an email address: ${bad.join(', ')}` : undefined;
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}
