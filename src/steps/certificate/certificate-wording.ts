import { StackguideError } from '../../errors.ts';
import type { CheckResult, StepContext } from '../step.ts';
import type { ValidationFacts } from './certificate-validation.ts';
import { parseCertificateArn } from './domain-coverage.ts';
import type { PemCheck, PemFiles } from './pem-check.ts';

/**
 * What the certificate step tells the operator, built from facts already gathered: no AWS calls here, so
 * the words can be read (and tested) apart from the calls. Results about an ACM certificate itself
 * (status, names, expiry) are in certificate-status.ts.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A certificate's date as the operator reads it, `3 Mar 2027` (UTC, as ACM keeps it): the check's
 * words are printed as they are by preflight, where an ISO time read as raw (trial finding 84); the
 * facts keep the ISO time for JSON.
 */
export function dayText(at: Date | string): string {
  const date = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(date.getTime())) return String(at);
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/** Nothing of this step in ACM yet: install requests or imports it. */
export function notYetResult(context: StepContext, method: string): CheckResult {
  return {
    id: `${context.stepId}.certificate`,
    step: context.stepId,
    title: 'Certificate',
    status: 'warn',
    summary:
      method === 'import'
        ? 'not imported yet: stackguide install imports it'
        : 'not requested yet: stackguide install requests it and completes its validation',
    fix: 'Run stackguide install.',
    plannedByInstall: true,
    required: false,
    facts: { method },
  };
}

export type ArnProblem = Omit<CheckResult, 'required'> & { code: string };

/** What is wrong with a given ARN before asking ACM: its form, its region, its account. */
export function arnProblem(context: StepContext, arn: string): ArnProblem | undefined {
  const base = {
    id: `${context.stepId}.certificate`,
    step: context.stepId,
    title: 'Certificate',
    status: 'fail' as const,
  };
  const parts = parseCertificateArn(arn);
  if (!parts) {
    return {
      ...base,
      code: 'certificate.invalid-arn',
      summary: `"${arn}" is not an ACM certificate ARN`,
      fix: `Set steps.${context.stepId}.certificateArn to an ARN such as arn:aws:acm:${context.region}:${context.account}:certificate/…`,
      facts: { arn },
    };
  }
  if (parts.region !== context.region) {
    return {
      ...base,
      code: 'certificate.wrong-region',
      id: `${context.stepId}.region`,
      title: 'Certificate region',
      summary: `${arn} is in ${parts.region}, but the platform is deployed in ${context.region}: load balancers use only certificates of their own region`,
      fix: `Request or import a certificate in ${context.region} and give its ARN.`,
      facts: { arn, region: parts.region, expectedRegion: context.region },
    };
  }
  if (parts.account !== context.account) {
    return {
      ...base,
      code: 'certificate.wrong-account',
      id: `${context.stepId}.account`,
      title: 'Certificate account',
      summary: `${arn} belongs to the account ${parts.account}, not to ${context.account}: ACM certificates cannot be shared between accounts`,
      fix: `Request or import a certificate in the account ${context.account} and give its ARN.`,
      facts: { arn, account: parts.account, expectedAccount: context.account },
    };
  }
  return undefined;
}

/** The ARN the operator gave is not in ACM in this region. */
export function arnNotFoundResult(context: StepContext, arn: string): CheckResult {
  return {
    id: `${context.stepId}.certificate`,
    step: context.stepId,
    title: 'Certificate',
    status: 'fail',
    summary: `${arn} does not exist in ${context.region}`,
    fix: `Check the ARN (aws acm list-certificates --region ${context.region}), then set steps.${context.stepId}.certificateArn.`,
    required: true,
    facts: { arn },
  };
}

/** The certificate behind a given ARN fails a check it must pass: why, as one error. */
export function unusableCertificate(arn: string, failed: readonly CheckResult[]): StackguideError {
  const [first] = failed;
  return new StackguideError(
    `The certificate ${arn} cannot be used: ${failed.map((result) => `${result.title}: ${result.summary}`).join('; ')}`,
    {
      code: first?.id.endsWith('.covers')
        ? 'certificate.not-covering'
        : first?.id.endsWith('.expiry')
          ? 'certificate.expired'
          : 'certificate.not-issued',
      kind: 'user',
      nextSteps: failed.flatMap((result) => (result.fix ? [result.fix] : [])),
    },
  );
}

/** The local check of the PEM files to import, as one result. */
export function pemResult(context: StepContext, check: PemCheck, paths: PemFiles['paths']): CheckResult {
  const ok = check.problems.length === 0;
  return {
    id: `${context.stepId}.pem`,
    step: context.stepId,
    title: `Certificate files to import (${paths.certificate || 'not given'})`,
    status: ok ? 'pass' : 'fail',
    summary: ok
      ? `the key matches, valid until ${check.facts?.notAfter ? dayText(check.facts.notAfter) : '?'}, for ${check.facts?.names.join(', ') ?? '?'}`
      : check.problems.map((problem) => `${problem.path} ${problem.message}`).join('; '),
    required: true,
    facts: { paths: { ...paths }, certificate: check.facts, problems: check.problems },
    ...(ok
      ? {}
      : {
          fix: check.problems
            .map((problem) => problem.fix ?? '')
            .filter(Boolean)
            .join(' '),
        }),
  };
}

export function missingInput(context: StepContext, key: string, what: string): StackguideError {
  return new StackguideError(`The certificate step ${context.stepId} needs ${what}.`, {
    code: 'answers.missing',
    kind: 'user',
    details: [
      {
        path: `steps.${context.stepId}.${key}`,
        message: `${what} is not set`,
        fix: `Set steps.${context.stepId}.${key} in the answers file, or run stackguide install in a terminal to be asked.`,
      },
    ],
  });
}

export function refusal(message: string, code: string, fix: string | undefined): StackguideError {
  return new StackguideError(message, { code, kind: 'user', nextSteps: fix ? [fix] : [] });
}

const APPROVERS = ['admin', 'administrator', 'hostmaster', 'postmaster', 'webmaster'];

/** The five addresses ACM mails at the validation domain. */
export function approverAddresses(validationDomain: string): string[] {
  return APPROVERS.map((name) => `${name}@${validationDomain}`);
}

/**
 * ACM gives up on a request that is not validated within 72 hours (the certificate becomes
 * VALIDATION_TIMED_OUT); the operator should know the clock is running.
 */
const ACM_VALIDATION_HOURS = 72;

/**
 * The one next action for a certificate pending validation, from what is awaited: the delegation the
 * records hide behind, the CNAMEs public DNS does not answer yet, the approval mail, or only ACM itself.
 * `status` shows it instead of sending the operator back to install, which would wait for the same thing.
 */
export function pendingFix(facts: ValidationFacts): string {
  const deadline = `ACM gives up ${ACM_VALIDATION_HOURS} hours after the request.`;
  if (facts.method === 'EMAIL') {
    const approvers = [
      ...new Set(facts.approvers ?? facts.domains.flatMap((domain) => domain.validationEmails)),
    ];
    return approvers.length > 0
      ? `Approve the validation mail ACM sent to ${approvers.join(', ')}; ${deadline}`
      : `Approve the validation mail ACM sent to the domain's administrative addresses; ${deadline}`;
  }
  const delegation = facts.delegation;
  if (delegation && delegation.status !== 'delegated') {
    const fix = delegation.fix
      ? `. ${[
          delegation.fix.summary,
          ...delegation.fix.add,
          ...(delegation.fix.remove.length > 0 ? ['Remove:', ...delegation.fix.remove] : []),
        ].join(' ')}`
      : '';
    return `ACM cannot see the validation records until the zone is delegated: ${delegation.explanation}${fix}`;
  }
  const unanswered = facts.domains.filter((domain) => domain.record && domain.answeredByPublicDns === false);
  if (unanswered.length > 0) {
    const records = [...new Set(unanswered.map(({ record }) => `${record?.name}. CNAME ${record?.value}.`))];
    const them = records.length === 1 ? 'it' : 'them';
    return `Public DNS does not answer the validation record${records.length === 1 ? '' : 's'} ${records.join('; ')} yet: make sure the zone holds ${them}; ${deadline}`;
  }
  const unknown = facts.domains.some((domain) => domain.record && domain.answeredByPublicDns === null);
  return unknown
    ? `No resolver could be asked whether the validation records answer (set STACKGUIDE_DNS_RESOLVERS to one you can reach). ACM validates once they do; ${deadline}`
    : `The validation records answer in public DNS: ACM validates them on its own, usually within minutes. Run stackguide status again later; ${deadline}`;
}
