import { createHash } from 'node:crypto';
import type { AcmPort, CertificateDetail } from '../../aws/acm-port.ts';
import { DEPLOYMENT_TAG, STEP_TAG } from '../../deployment-tags.ts';
import { normalizeDnsName } from '../../dns/compare-delegation.ts';
import type { StepContext } from '../step.ts';

/** How a certificate is validated (our own record of it); STEP_TAG says which step made it. */
const VALIDATION_TAG = 'stackguide:validation';

export type Origin = 'DNS' | 'EMAIL' | 'IMPORT';

export function ownTags(context: StepContext, origin: Origin): Record<string, string> {
  return { [DEPLOYMENT_TAG]: context.deployment, [STEP_TAG]: context.stepId, [VALIDATION_TAG]: origin };
}

/** Statuses in which a certificate is, or can still become, usable. */
const LIVE = new Set(['ISSUED', 'PENDING_VALIDATION']);

export interface OwnCertificate {
  detail: CertificateDetail;
  origin: Origin | null;
}

/**
 * The certificates this step of this deployment made, newest first. ACM keeps failed and timed-out
 * requests for a while, so they are listed too (status shows them); `reusable` picks the live one.
 * `domain` narrows the search when it is known (a check run before the hosted zone step has none).
 */
export async function findOwnCertificates(
  acm: AcmPort,
  context: StepContext,
  domain?: string,
): Promise<OwnCertificate[]> {
  const summaries = (await acm.listCertificates()).filter(
    (summary) => domain === undefined || normalizeDnsName(summary.domainName) === normalizeDnsName(domain),
  );
  const own: OwnCertificate[] = [];
  for (const summary of summaries) {
    const tags = await acm.listTagsForCertificate(summary.arn);
    if (tags[DEPLOYMENT_TAG] !== context.deployment || tags[STEP_TAG] !== context.stepId) continue;
    const detail = await acm.describeCertificate(summary.arn);
    if (!detail) continue;
    const origin = tags[VALIDATION_TAG];
    own.push({
      detail,
      origin: origin === 'DNS' || origin === 'EMAIL' || origin === 'IMPORT' ? origin : null,
    });
  }
  return own.sort((a, b) => issuedOrCreated(b.detail) - issuedOrCreated(a.detail));
}

/** The live certificate for exactly these names made the same way, when there is one. */
export function reusable(
  own: readonly OwnCertificate[],
  names: readonly string[],
  origin: Origin,
): CertificateDetail | undefined {
  const wanted = [...new Set(names.map(normalizeDnsName))].sort().join(' ');
  return own.find(
    (candidate) =>
      candidate.origin === origin &&
      LIVE.has(candidate.detail.status) &&
      certificateNames(candidate.detail).join(' ') === wanted,
  )?.detail;
}

/** The names on a certificate: its domain and its SANs (ACM repeats the domain among the SANs). */
export function certificateNames(detail: CertificateDetail): string[] {
  return [...new Set([detail.domainName, ...detail.subjectAlternativeNames].map(normalizeDnsName))].sort();
}

/**
 * RequestCertificate's idempotency token (letters and digits, at most 32): the same request made again
 * within the hour, after a dropped connection, returns the same certificate instead of a second one.
 */
export function idempotencyToken(context: StepContext, names: readonly string[], origin: Origin): string {
  return createHash('sha256')
    .update(
      [context.account, context.region, context.deployment, context.stepId, origin, ...names].join('\n'),
    )
    .digest('hex')
    .slice(0, 32);
}

function issuedOrCreated(detail: CertificateDetail): number {
  return (detail.createdAt ?? detail.importedAt ?? new Date(0)).getTime();
}
