import { resolveValue } from '../../blueprint/references.ts';
import { StackguideError } from '../../errors.ts';
import {
  type AskContext,
  type CheckResult,
  defineStep,
  type PlannedChange,
  type SavedStepInputs,
  type StepContext,
} from '../step.ts';
import {
  type AccessState,
  outputStatus,
  portIn,
  type RegionAccount,
  readAccounts,
  regionsOf,
  toRegionAccount,
  willSubmit,
} from './account-access.ts';
import { askRequest, requestFromSaved, type SesInputs } from './request.ts';
import { type SesConfig, sesConfig } from './ses-config.ts';
import { caseNote, checkRegion, regionList, statusLine, waitingFor } from './ses-wording.ts';

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
 *
 * This file is the step's phases; account-access.ts reads where each region stands, request.ts asks for
 * and checks the request, ses-wording.ts words the check results.
 */

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
    // A request the answers file holds is the one to send where SES is in the sandbox, as unattended
    // (asked again only from the review). Preflight sends nothing, so it asks for none: its check says
    // what install will ask. A denial is news the file cannot answer: what to do about it is asked.
    if (context.readOnly === true || (toSubmit.length > 0 && fromSaved && context.reask !== true))
      return fromSaved ? { request: fromSaved } : {};
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
    const request = await askRequest(prompter, config, fromSaved, previous, websiteOf(context, config));
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
    // Regions left out of production (under AWS's review, or with nothing to submit): the step is
    // pending on them, not done.
    const waiting: string[] = [];
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
      if (entry.state !== 'production') waiting.push(waitingFor(entry));
    }
    if (waiting.length > 0) context.pending?.(waiting.join('; '));
    return {
      productionAccess: String(states.every((state) => state === 'production')),
      reviewStatus: outputStatus(states[0] ?? 'sandbox'),
    };
  },
});

function progress(context: StepContext, entry: RegionAccount, message: string): void {
  context.emit({
    type: 'step.progress',
    step: context.stepId,
    message,
    facts: { region: entry.region, state: entry.state, ...(entry.caseId ? { caseId: entry.caseId } : {}) },
  });
}

/**
 * The blueprint's `website` with its references filled from the answers, offered as the default; none
 * when it refers to something not known while asking.
 */
function websiteOf(context: AskContext, config: SesConfig): string | undefined {
  if (config.website === undefined) return undefined;
  const scope = {
    deployment: context.deployment,
    region: context.region,
    account: context.account,
    answers: context.answers,
    stackOutputs: {},
  };
  try {
    return resolveValue(config.website, scope, `steps.${context.stepId}.website`);
  } catch (error) {
    if (error instanceof StackguideError && error.code === 'reference.unresolved') return undefined;
    throw error;
  }
}
