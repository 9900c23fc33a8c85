import type { AcmPort, CertificateDetail } from '../../../aws/acm-port.ts';
import { acmPort } from '../../../aws/acm-port.ts';
import type { AskContext, StepContext } from '../../step.ts';
import type { CertificateConfig } from '../certificate-config.ts';
import { findOwnCertificates } from '../certificate-lookup.ts';
import type { Target } from '../certificate-target.ts';
import { EMAIL_WINDOW_MS, progress, waitForIssued } from '../certificate-validation.ts';
import { approverAddresses } from '../certificate-wording.ts';
import { type CertificateInputs, type CertificateMethod, plannedCertificate } from './certificate-method.ts';
import { checkOwnCertificate, issuedAlready, requestOrReuse } from './requested.ts';

/** `email`: request it, show the five approver addresses, offer a resend (within 72 h), wait. */
export const emailMethod: CertificateMethod = {
  ask: askResend,
  check: checkOwnCertificate,

  async plan(context, request) {
    if (await issuedAlready(context, request, ['EMAIL'])) return [];
    return plannedCertificate(
      context,
      request,
      'request',
      'ACM, validated by email: someone must approve the mail',
    );
  },

  apply: (context, { config, target, names, inputs }) => byEmail(context, config, target, names, inputs),
};

/**
 * Offers to send the approval mail again when a request of this step is pending by email, within 72 h.
 * Asked whatever the method, since `auto` (or an earlier configuration) may have chosen email.
 */
export async function askResend(context: AskContext): Promise<CertificateInputs> {
  if (!context.prompter) return {};
  const own = await findOwnCertificates(context.aws.use(acmPort), context);
  const pending = own.find(
    (certificate) => certificate.origin === 'EMAIL' && certificate.detail.status === 'PENDING_VALIDATION',
  );
  if (!pending || !withinResendWindow(context, pending.detail)) return {};
  const again = await context.prompter.confirm({
    message: `The certificate for ${pending.detail.domainName} still waits for approval by email. Send the approval mail again?`,
    default: false,
  });
  return again ? { resendEmail: true } : {};
}

export async function byEmail(
  context: StepContext,
  config: CertificateConfig,
  target: Target,
  names: readonly string[],
  inputs: CertificateInputs,
): Promise<string> {
  const acm = context.aws.use(acmPort);
  const { detail, own } = await requestOrReuse(acm, context, target, names, 'EMAIL');
  if (detail.status === 'ISSUED') return detail.arn;
  const approvers = approverAddresses(target.validationDomain);
  const expired = own.find(
    (certificate) => certificate.origin === 'EMAIL' && certificate.detail.status === 'VALIDATION_TIMED_OUT',
  );
  progress(
    context,
    `ACM sent the approval mail for ${names.join(' and ')} to:\n${approvers.join('\n')}\nSomeone who reads one of them must open it and approve.${expired ? ` (The earlier request ${expired.detail.arn} was not approved within 72 hours; this is a new one.)` : ''}`,
    { certificateArn: detail.arn, approvers, validationDomain: target.validationDomain },
  );
  if (inputs.resendEmail) await resend(acm, context, detail, target.validationDomain);
  await waitForIssued(acm, context, detail.arn, {
    method: 'EMAIL',
    zone: null,
    timeoutMs: config.waitForIssued * 1_000,
    extra: { approvers },
    nextSteps: () => [
      `Approve the mail ACM sent to one of: ${approvers.join(', ')}.`,
      `To get it again within 72 hours of the request: aws acm resend-validation-email --certificate-arn ${detail.arn} --domain ${detail.domainName} --validation-domain ${target.validationDomain} (or run stackguide install in a terminal, which offers it).`,
    ],
  });
  return detail.arn;
}

async function resend(
  acm: AcmPort,
  context: StepContext,
  detail: CertificateDetail,
  validationDomain: string,
): Promise<void> {
  if (!withinResendWindow(context, detail)) {
    context.emit({
      type: 'warning',
      code: 'certificate.resend-too-late',
      message: `The request ${detail.arn} is older than 72 hours: ACM no longer resends its mail. Run stackguide install again once it has timed out, to request a new certificate.`,
    });
    return;
  }
  const pending = detail.domainValidations.filter((validation) => validation.validationStatus !== 'SUCCESS');
  const domains =
    pending.length > 0 ? pending.map((validation) => validation.domainName) : [detail.domainName];
  for (const domain of [...new Set(domains)]) {
    try {
      await acm.resendValidationEmail({ arn: detail.arn, domain, validationDomain });
      progress(context, `Sent the approval mail for ${domain} again`, { certificateArn: detail.arn, domain });
    } catch (error) {
      // One name's resend failing (ACM sends one mail for a wildcard and its apex) must not stop the wait.
      context.emit({
        type: 'warning',
        code: 'certificate.resend-failed',
        message: `Could not send the approval mail for ${domain} again: ${(error as Error).message}`,
      });
    }
  }
}

function withinResendWindow(context: StepContext, detail: CertificateDetail): boolean {
  return detail.createdAt !== null && context.clock.now() - detail.createdAt.getTime() < EMAIL_WINDOW_MS;
}
