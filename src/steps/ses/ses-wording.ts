import type { SesAccount } from '../../aws/sesv2-port.ts';
import type { CheckResult, StepContext } from '../step.ts';
import { type RegionAccount, willSubmit } from './account-access.ts';
import type { SesInputs } from './request.ts';
import type { SesConfig } from './ses-config.ts';

/**
 * What the SES step tells the operator about each region, built from what GetAccount said: no calls
 * here, so the words can be read (and tested) apart from them.
 */

export function checkRegion(
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
      // The request is what install submits: its plan lists it, with AWS's 24-48 h review.
      ...(willSubmit(entry, inputs) ? { plannedByInstall: true } : {}),
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

export function statusLine(entry: RegionAccount, inputs: SesInputs): string {
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

/**
 * What a region out of production waits for once the step has done its part, as a phrase after
 * "waiting for": the step is pending on it, not done.
 */
export function waitingFor(entry: RegionAccount): string {
  const theCase = entry.caseId ? ` (case ${entry.caseId})` : '';
  switch (entry.state) {
    case 'pending':
      return `AWS's review of SES production access in ${entry.region}${theCase}, usually 24-48 hours`;
    case 'granted':
      return `SES production access in ${entry.region} to take effect: granted${theCase}, a few minutes`;
    case 'denied':
      return `your answer in the AWS Support case${theCase}: AWS denied SES production access in ${entry.region}`;
    case 'failed':
      return `a new SES production-access request in ${entry.region}: AWS did not receive the last one`;
    default:
      return `a request for SES production access in ${entry.region}: none was given`;
  }
}

export function regionList(entries: readonly RegionAccount[]): string {
  return entries.map((entry) => entry.region).join(', ');
}

export function caseNote(entries: readonly RegionAccount[]): string {
  const cases = entries.flatMap((entry) => (entry.caseId ? [entry.caseId] : []));
  return cases.length > 0 ? ` (case ${cases.join(', ')})` : '';
}
