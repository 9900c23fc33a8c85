import type { AcmPort, CertificateDetail } from '../../../aws/acm-port.ts';
import { acmPort } from '../../../aws/acm-port.ts';
import { StackguideError } from '../../../errors.ts';
import { type CheckResult, resourceCreated, type StepContext } from '../../step.ts';
import {
  findOwnCertificates,
  idempotencyToken,
  type OwnCertificate,
  ownTags,
  reusable,
} from '../certificate-lookup.ts';
import { certificateResults } from '../certificate-status.ts';
import type { Target } from '../certificate-target.ts';
import { describeFacts, progress, validationFacts } from '../certificate-validation.ts';
import { notYetResult, pendingFix } from '../certificate-wording.ts';
import type { CertificateRequest } from './certificate-method.ts';

/**
 * What the methods that leave a certificate of this step in ACM share (dns, email, auto, import): the
 * check of the newest one, whether one is ISSUED already, and a request that reuses a pending one.
 */

/** The newest certificate this step made: its status, or that there is none yet. */
export async function checkOwnCertificate(
  context: StepContext,
  request: CertificateRequest,
): Promise<CheckResult[]> {
  const { config, target, names } = request;
  const own = await findOwnCertificates(context.aws.use(acmPort), context, target?.domain);
  const current = own[0];
  if (!current) return [notYetResult(context, config.method)];
  let pendingFacts: Record<string, unknown> | undefined;
  let pendingSummary: string | undefined;
  let pendingAction: string | undefined;
  if (current.detail.status === 'PENDING_VALIDATION') {
    const method = current.origin === 'EMAIL' ? 'EMAIL' : 'DNS';
    const facts = await validationFacts(context, current.detail, method, target?.zone ?? null, null);
    pendingFacts = { ...facts };
    pendingSummary = describeFacts(facts);
    pendingAction = pendingFix(facts);
  }
  return certificateResults(context, current.detail, {
    required: false,
    names,
    ...(pendingFacts ? { pendingFacts } : {}),
    ...(pendingSummary ? { pendingSummary } : {}),
    ...(pendingAction ? { pendingFix: pendingAction } : {}),
  });
}

/** True when this step already has an ISSUED certificate for the names, made one of these ways. */
export async function issuedAlready(
  context: StepContext,
  request: CertificateRequest,
  origins: readonly ('DNS' | 'EMAIL')[],
): Promise<boolean> {
  if (!request.target) return false;
  const own = await findOwnCertificates(context.aws.use(acmPort), context, request.target.domain);
  return origins.some((origin) => reusable(own, request.names, origin)?.status === 'ISSUED');
}

/** A certificate of this step for the names that can still become ISSUED, else a new request. */
export async function requestOrReuse(
  acm: AcmPort,
  context: StepContext,
  target: Target,
  names: readonly string[],
  origin: 'DNS' | 'EMAIL',
): Promise<{ detail: CertificateDetail; own: OwnCertificate[] }> {
  const own = await findOwnCertificates(acm, context, target.domain);
  const existing = reusable(own, names, origin);
  if (existing) {
    progress(context, `Going on with the certificate ${existing.arn} (${existing.status})`, {
      certificateArn: existing.arn,
      status: existing.status,
    });
    return { detail: existing, own };
  }
  const [domainName, ...alternatives] = names;
  progress(
    context,
    `Requesting a certificate for ${names.join(' and ')}, validated by ${origin === 'DNS' ? 'DNS' : 'email'}`,
    {
      names: [...names],
      method: origin,
    },
  );
  const arn = await acm.requestCertificate({
    domainName: domainName ?? target.domain,
    subjectAlternativeNames: alternatives,
    validationMethod: origin,
    ...(origin === 'EMAIL' ? { validationDomain: target.validationDomain } : {}),
    idempotencyToken: idempotencyToken(context, names, origin),
    tags: ownTags(context, origin),
  });
  // Asked for again with the same token, ACM returns the same certificate: it is still this step's.
  resourceCreated(context, { kind: 'certificate', id: arn, name: names.join(', ') });
  const detail = await acm.describeCertificate(arn);
  if (!detail) {
    throw new StackguideError(`ACM returned ${arn} but does not describe it.`, {
      code: 'certificate.not-found',
      kind: 'aws',
    });
  }
  return { detail, own };
}
