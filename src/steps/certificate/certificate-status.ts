import type { CertificateDetail } from '../../aws/acm-port.ts';
import type { CheckResult, StepContext } from '../step.ts';
import { certificateNames } from './certificate-lookup.ts';
import { dayText } from './certificate-wording.ts';
import { coveredBy } from './domain-coverage.ts';

/**
 * What `status` and preflight say about a certificate that exists: its status, expiry, renewal and what
 * uses it. Read-only; the facts are plain JSON for `--output json`.
 */

/** Below this many days an expiry is worth a warning: ACM starts managed renewal at 60 days. */
const EXPIRY_WARNING_DAYS = 30;

export interface StatusOptions {
  /**
   * The blueprint relies on this very certificate (arn): anything but ISSUED fails, and stops the install.
   * Otherwise install requests or completes it, so a pending one is only a warning.
   */
  required: boolean;
  /** Names it must cover; empty when the domain is not known yet. */
  names: readonly string[];
  /** Shown for a pending certificate: the validation facts. */
  pendingFacts?: Record<string, unknown>;
  pendingSummary?: string;
  /** Shown for a pending certificate: what is awaited and what the operator can do about it. */
  pendingFix?: string;
}

export function certificateResults(
  context: StepContext,
  detail: CertificateDetail,
  options: StatusOptions,
): CheckResult[] {
  const id = (what: string): string => `${context.stepId}.${what}`;
  const step = context.stepId;
  const now = context.clock.now();
  const results: CheckResult[] = [];
  const names = certificateNames(detail);
  const base = {
    arn: detail.arn,
    type: detail.type,
    domainName: detail.domainName,
    names,
  };

  const issued = detail.status === 'ISSUED';
  const pending = detail.status === 'PENDING_VALIDATION';
  results.push({
    id: id('certificate'),
    step,
    title: `Certificate for ${detail.domainName}`,
    // A pending certificate is on its way when the step requested it, but an ARN given as ready must be.
    status: issued ? 'pass' : pending && !options.required ? 'warn' : 'fail',
    summary: issued
      ? `ISSUED (${detail.type === 'IMPORTED' ? 'imported' : detail.type === 'AMAZON_ISSUED' ? 'issued by Amazon' : detail.type}): ${detail.arn}`
      : pending
        ? (options.pendingSummary ?? `PENDING_VALIDATION: ${detail.arn}`)
        : `${detail.status}${detail.failureReason ? ` (${detail.failureReason})` : ''}: ${detail.arn}`,
    required: options.required,
    facts: { ...base, status: detail.status, failureReason: detail.failureReason, ...options.pendingFacts },
    ...(issued
      ? {}
      : {
          fix: pending
            ? (options.pendingFix ?? 'Run stackguide install: it completes the validation and waits for it.')
            : 'Run stackguide install again: it requests a new certificate (or give a valid ARN).',
        }),
  });

  const uncovered = options.names.filter((name) => !coveredBy(name, names));
  if (options.names.length > 0) {
    results.push({
      id: id('covers'),
      step,
      title: `Certificate covers ${options.names.join(' and ')}`,
      status: uncovered.length === 0 ? 'pass' : 'fail',
      summary:
        uncovered.length === 0
          ? `it is for ${names.join(', ')}`
          : `it is for ${names.join(', ')}, not for ${uncovered.join(', ')}`,
      required: options.required,
      facts: { ...base, required: [...options.names], uncovered },
      ...(uncovered.length > 0
        ? { fix: `Use a certificate whose names include ${uncovered.join(' and ')}.` }
        : {}),
    });
  }

  if (detail.notAfter) {
    const days = Math.floor((detail.notAfter.getTime() - now) / 86_400_000);
    const renews = detail.type === 'AMAZON_ISSUED' && detail.renewalEligibility === 'ELIGIBLE';
    const expired = days < 0;
    results.push({
      id: id('expiry'),
      step,
      title: 'Certificate expiry',
      status: expired ? 'fail' : days < EXPIRY_WARNING_DAYS && !renews ? 'warn' : 'pass',
      summary: expired
        ? `expired on ${dayText(detail.notAfter)}`
        : `valid until ${dayText(detail.notAfter)} (${days} days)`,
      required: options.required && expired,
      facts: {
        ...base,
        notBefore: detail.notBefore?.toISOString() ?? null,
        notAfter: detail.notAfter.toISOString(),
        daysLeft: days,
      },
      ...(expired || (days < EXPIRY_WARNING_DAYS && !renews)
        ? {
            fix:
              detail.type === 'IMPORTED'
                ? 'Get a renewed certificate from your CA and run stackguide install with it: it is re-imported under the same ARN.'
                : 'Request a new certificate: run stackguide install again.',
          }
        : {}),
    });
  }

  const renewal = renewalResult(detail);
  results.push({
    id: id('renewal'),
    step,
    title: 'Certificate renewal',
    status: renewal.status,
    summary: renewal.summary,
    required: false,
    facts: {
      ...base,
      renewalEligibility: detail.renewalEligibility,
      renewalStatus: detail.renewalStatus,
    },
    ...(renewal.fix ? { fix: renewal.fix } : {}),
  });

  results.push({
    id: id('in-use'),
    step,
    title: 'What uses the certificate',
    status: 'pass',
    summary:
      detail.inUseBy.length > 0
        ? `used by ${detail.inUseBy.length}: ${detail.inUseBy.join(', ')}`
        : 'not in use yet',
    required: false,
    facts: { ...base, inUseBy: detail.inUseBy },
  });
  return results;
}

function renewalResult(detail: CertificateDetail): {
  status: CheckResult['status'];
  summary: string;
  fix?: string;
} {
  if (detail.type === 'IMPORTED') {
    return {
      status: 'warn',
      summary: 'imported: ACM never renews it',
      fix: 'Import a renewed certificate before it expires (stackguide install with the new files keeps the ARN).',
    };
  }
  if (detail.renewalStatus === 'FAILED' || detail.renewalStatus === 'PENDING_VALIDATION') {
    return {
      status: 'warn',
      summary: `managed renewal is ${detail.renewalStatus}`,
      fix: 'Keep the validation CNAMEs in the zone (DNS validation) or approve the renewal mail (email validation).',
    };
  }
  if (detail.renewalEligibility === 'ELIGIBLE') {
    return {
      status: 'pass',
      summary: `eligible for managed renewal${detail.renewalStatus ? ` (${detail.renewalStatus})` : ''}`,
    };
  }
  return {
    status: 'pass',
    summary: 'not eligible for managed renewal yet: ACM renews a certificate once something uses it',
  };
}
