import type {
  ProductionAccessRequest,
  SesAccount,
  SesContactLanguage,
  SesMailType,
} from '../../aws/sesv2-port.ts';
import { type ErrorDetail, StackguideError } from '../../errors.ts';
import type { Prompter } from '../../install/prompter.ts';
import type { AskContext, SavedStepInputs } from '../step.ts';
import {
  CONTACT_LANGUAGES,
  MAIL_TYPES,
  MAX_CONTACTS,
  MAX_USE_CASE,
  MIN_USE_CASE,
  type SesConfig,
} from './ses-config.ts';

/**
 * The production-access request: asked with the advice reviewers need, or read from the answers file and
 * checked (website, use case length, contacts) so an unattended run refuses a request AWS would deny.
 */

export interface SesInputs {
  /** What to submit where no request is under review; absent when the operator gave none. */
  request?: ProductionAccessRequest;
  /** The operator chose, interactively, to submit a revised request after a denial. Never saved. */
  resubmit?: boolean;
}

const REVIEW_ADVICE = [
  'AWS reviewers deny vague requests (approval usually takes 24-48 hours). Say:',
  '- what the platform sends: sign-up and verification codes, password resets, notices to users and admins;',
  '- who receives it: only people who signed up for an account, never bought or rented lists;',
  '- how much and how often: e.g. about 50 emails a day, a few hundred at the start of a class;',
  '- your email policies: how bounces and complaints are handled (SES notifications, the account-level suppression list), and how recipients stop mail they no longer want.',
].join('\n');

export async function askRequest(
  prompter: Prompter,
  config: SesConfig,
  saved: ProductionAccessRequest | undefined,
  previous: SesAccount['details'],
  /** The blueprint's `website` with the answers filled in (`https://{{answers.domain}}`). */
  website?: string,
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
  const websiteUrl = websiteAddress(
    await prompter.input({
      message: 'Website of the service (shown to the reviewers)',
      help: 'The public page of the service or your organisation: reviewers look at it. A host name alone is taken as https://<host>.',
      ...defaultOf(saved?.websiteUrl ?? previous?.websiteUrl ?? website),
      validate: (value) => urlProblem(websiteAddress(value)) ?? true,
    }),
  );
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
    websiteUrl,
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
export function requestFromSaved(
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

/**
 * What was typed as the website, a bare host name ("opensarlab.example.edu", as the domain question was
 * answered) taken as its https:// address: refusing it made the operator type what was meant.
 */
function websiteAddress(typed: string): string {
  const value = typed.trim();
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?(\/\S*)?$/i.test(value) ? `https://${value}` : value;
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
    return `The description is ${value.length} characters long; AWS takes at most ${MAX_USE_CASE}`;
  if (value.length < MIN_USE_CASE)
    return `The description is ${value.length} characters long: reviewers deny short descriptions; give at least ${MIN_USE_CASE} characters on what you send, to whom, how often, and how bounces, complaints and opt-outs are handled`;
  return undefined;
}

function contactsProblem(contacts: readonly string[]): string | undefined {
  if (contacts.length > MAX_CONTACTS)
    return `${contacts.length} addresses given; AWS takes at most ${MAX_CONTACTS}`;
  const bad = contacts.filter((value) => !/^[^@\s,]+@[^@\s,]+\.[^@\s,]+$/.test(value));
  if (bad.length === 0) return undefined;
  return `${bad.map((value) => JSON.stringify(value)).join(', ')} ${bad.length === 1 ? 'is not an email address' : 'are not email addresses'}`;
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}
