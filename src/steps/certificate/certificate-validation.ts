import type { AcmPort, CertificateDetail } from '../../aws/acm-port.ts';
import type { RecordSet, Route53Port } from '../../aws/route53-port.ts';
import { normalizeDnsName } from '../../dns/compare-delegation.ts';
import { checkDelegation } from '../../dns/delegation-check.ts';
import type { DelegationCheckResult } from '../../dns/delegation-check-result.ts';
import { StackguideError } from '../../errors.ts';
import { delegationDeps, delegationOptions } from '../hosted-zone/dns-settings.ts';
import { lookupPublic } from '../hosted-zone/public-records.ts';
import type { StepContext } from '../step.ts';

/**
 * Waiting for ACM, with the facts an operator needs while it takes: the certificate's status, each
 * name's validation status, the CNAME it needs and whether public DNS answers it yet, and the
 * delegation check, because a zone that was never delegated is why a DNS-validated certificate stays
 * pending for days (copilot handles validation client-side for the same reason).
 */

/** The hosted zone the hostedZone step made, from its outputs. */
export interface ZoneOutputs {
  hostedZoneId: string;
  domain: string;
  parentDomain: string | null;
  nameServers: string[];
}

export interface ValidationRecord {
  name: string;
  type: string;
  value: string;
  /** The certificate names it validates (apex and wildcard share one). */
  domains: string[];
}

/** ACM's validation CNAMEs, one per record name: the apex and its wildcard share one. */
export function validationRecords(detail: CertificateDetail): ValidationRecord[] {
  const byName = new Map<string, ValidationRecord>();
  for (const validation of detail.domainValidations) {
    const record = validation.resourceRecord;
    if (!record) continue;
    const name = normalizeDnsName(record.name);
    const existing = byName.get(name);
    if (existing) existing.domains.push(validation.domainName);
    else
      byName.set(name, {
        name,
        type: record.type,
        value: normalizeDnsName(record.value),
        domains: [validation.domainName],
      });
  }
  return [...byName.values()];
}

/** `_x.codeocean.example.com. 300 IN CNAME _y.acm-validations.aws.`, ready to copy. */
export function formatValidationRecord(record: ValidationRecord): string {
  return `${record.name}. ${VALIDATION_TTL} IN ${record.type} ${record.value}.`;
}

const VALIDATION_TTL = 300;
const RECORDS_POLL_MS = 2_000;
const RECORDS_TIMEOUT_MS = 5 * 60_000;
const STATUS_POLL_MS = 15_000;
/** A line at least this often while waiting, even when nothing changed, so a wait never looks hung. */
const HEARTBEAT_MS = 60_000;
/** ACM resends approval mail only while the request is younger than this; after it, it times out. */
export const EMAIL_WINDOW_MS = 72 * 3_600_000;

/** ACM makes the validation CNAMEs up a few seconds after the request: wait until every name has one. */
export async function waitForValidationRecords(
  acm: AcmPort,
  context: StepContext,
  arn: string,
): Promise<CertificateDetail> {
  const deadline = context.clock.now() + RECORDS_TIMEOUT_MS;
  for (;;) {
    const detail = await describe(acm, arn);
    const pending = detail.domainValidations.filter((validation) => !validation.resourceRecord);
    if (detail.domainValidations.length > 0 && pending.length === 0) return detail;
    if (detail.status !== 'PENDING_VALIDATION') return detail;
    if (context.clock.now() >= deadline) {
      throw new StackguideError(`ACM has not given the validation records of ${arn} after 5 minutes.`, {
        code: 'certificate.no-validation-records',
        kind: 'aws',
        nextSteps: [
          `Look at the certificate: aws acm describe-certificate --certificate-arn ${arn}`,
          'Then run the same stackguide command again: it goes on with the same certificate.',
        ],
      });
    }
    waiting(context, RECORDS_POLL_MS, deadline);
    await sleep(context, RECORDS_POLL_MS);
  }
}

/** UPSERTs the CNAMEs the zone does not hold yet; the change is shown before it is made. */
export async function writeValidationRecords(
  route53: Route53Port,
  context: StepContext,
  zone: ZoneOutputs,
  records: readonly ValidationRecord[],
): Promise<void> {
  const outside = records.filter(
    (record) => record.name !== zone.domain && !record.name.endsWith(`.${zone.domain}`),
  );
  if (outside.length > 0) {
    throw new StackguideError(
      `The validation records ${outside.map((record) => record.name).join(', ')} do not belong in the zone ${zone.domain}.`,
      {
        code: 'certificate.records-outside-zone',
        kind: 'user',
        nextSteps: ['Add these CNAMEs in the zone that holds them:', ...outside.map(formatValidationRecord)],
      },
    );
  }
  const missing: ValidationRecord[] = [];
  for (const record of records) {
    const held = await route53.listRecordSets(zone.hostedZoneId, record.name, 'CNAME');
    const right = held.some((set) => set.values.some((value) => normalizeDnsName(value) === record.value));
    if (!right) missing.push(record);
  }
  if (missing.length === 0) {
    progress(context, `The zone ${zone.domain} holds the validation records already`, {
      hostedZoneId: zone.hostedZoneId,
      records: records.map(formatValidationRecord),
    });
    return;
  }
  const sets: RecordSet[] = missing.map((record) => ({
    name: record.name,
    type: record.type,
    ttl: VALIDATION_TTL,
    values: [`${record.value}.`],
  }));
  progress(
    context,
    `Adding ${missing.length} validation record${missing.length === 1 ? '' : 's'} to the zone ${zone.domain} (${zone.hostedZoneId}):\n${missing.map(formatValidationRecord).join('\n')}`,
    { hostedZoneId: zone.hostedZoneId, action: 'UPSERT', records: sets },
  );
  await route53.upsertRecordSets(
    zone.hostedZoneId,
    sets,
    `stackguide ${context.deployment}: ACM validation of ${zone.domain}`,
  );
}

export interface DomainFacts {
  domain: string;
  validationStatus: string | null;
  /** The CNAME ACM looks for, for DNS validation. */
  record: { name: string; type: string; value: string } | null;
  /** Whether the resolvers answer that CNAME with the right value; null when none could be asked. */
  answeredByPublicDns: boolean | null;
  validationEmails: string[];
}

export interface ValidationFacts {
  certificateArn: string;
  status: string;
  method: 'DNS' | 'EMAIL';
  domains: DomainFacts[];
  /** The delegation check of the hosted zone, for DNS validation; null without a zone. */
  delegation: Pick<DelegationCheckResult, 'status' | 'explanation' | 'fix'> | null;
  /** Email validation: where the approval mail goes. */
  approvers?: string[];
}

/** Reads everything the waiting screen shows, without changing anything. */
export async function validationFacts(
  context: StepContext,
  detail: CertificateDetail,
  method: 'DNS' | 'EMAIL',
  zone: ZoneOutputs | null,
  delegation: DelegationCheckResult | null,
): Promise<ValidationFacts> {
  const answers = new Map<string, boolean | null>();
  if (method === 'DNS') {
    await Promise.all(
      validationRecords(detail).map(async (record) => {
        const answer = await lookupPublic(context, record.name, 'CNAME');
        answers.set(
          record.name,
          answer.resolver === null
            ? null
            : answer.records.some(
                (found) => found.type === 'CNAME' && normalizeDnsName(found.data) === record.value,
              ),
        );
      }),
    );
  }
  const checked = method === 'DNS' && zone ? (delegation ?? (await delegationOf(context, zone))) : null;
  return {
    certificateArn: detail.arn,
    status: detail.status,
    method,
    domains: detail.domainValidations.map((validation) => {
      const record = validation.resourceRecord;
      return {
        domain: validation.domainName,
        validationStatus: validation.validationStatus,
        record: record
          ? { name: normalizeDnsName(record.name), type: record.type, value: normalizeDnsName(record.value) }
          : null,
        answeredByPublicDns: record ? (answers.get(normalizeDnsName(record.name)) ?? null) : null,
        validationEmails: validation.validationEmails,
      };
    }),
    delegation: checked
      ? { status: checked.status, explanation: checked.explanation, fix: checked.fix }
      : null,
  };
}

export async function delegationOf(context: StepContext, zone: ZoneOutputs): Promise<DelegationCheckResult> {
  const parentZone = zone.parentDomain ?? zone.domain.split('.').slice(1).join('.');
  return checkDelegation(
    delegationDeps(context),
    delegationOptions(context, zone.domain, parentZone, zone.nameServers),
  );
}

/** A one-line account of the facts, for plain output. */
export function describeFacts(facts: ValidationFacts): string {
  const domains = facts.domains
    .map((domain) => {
      const dns =
        facts.method === 'DNS' && domain.record
          ? `, CNAME ${domain.record.name} ${domain.answeredByPublicDns === true ? 'answers in public DNS' : domain.answeredByPublicDns === false ? 'not in public DNS yet' : 'unknown in public DNS'}`
          : '';
      return `${domain.domain}: ${domain.validationStatus ?? 'unknown'}${dns}`;
    })
    .join('; ');
  const delegation =
    facts.delegation && facts.delegation.status !== 'delegated'
      ? ` Delegation: ${facts.delegation.explanation}`
      : '';
  return `Certificate ${facts.status}. ${domains}.${delegation}`;
}

export interface WaitOptions {
  method: 'DNS' | 'EMAIL';
  zone: ZoneOutputs | null;
  timeoutMs: number;
  /** Extra facts for every progress event (email: the approvers). */
  extra?: Partial<ValidationFacts>;
  /** What the operator should do when the wait times out. */
  nextSteps: (facts: ValidationFacts) => string[];
}

/** Polls until ISSUED; emits the facts when they change (and at least every minute). */
export async function waitForIssued(
  acm: AcmPort,
  context: StepContext,
  arn: string,
  options: WaitOptions,
): Promise<CertificateDetail> {
  const started = context.clock.now();
  const deadline = started + options.timeoutMs;
  let lastShown = '';
  let lastAt = Number.NEGATIVE_INFINITY;
  // Once the parent delegates the zone it stays so; until then, every poll checks it again.
  let delegated: DelegationCheckResult | null = null;
  for (;;) {
    const detail = await describe(acm, arn);
    if (detail.status === 'ISSUED') {
      progress(context, `Certificate issued: ${arn}`, { certificateArn: arn, status: detail.status });
      return detail;
    }
    if (detail.status !== 'PENDING_VALIDATION') throw failedError(detail);
    const checked: DelegationCheckResult | null =
      options.method === 'DNS' && options.zone
        ? (delegated ?? (await delegationOf(context, options.zone)))
        : null;
    if (checked?.status === 'delegated') delegated = checked;
    const facts = {
      ...(await validationFacts(context, detail, options.method, options.zone, checked)),
      ...options.extra,
    };
    const shown = JSON.stringify(facts);
    const now = context.clock.now();
    if (shown !== lastShown || now - lastAt >= HEARTBEAT_MS) {
      progress(context, describeFacts(facts), {
        ...facts,
        elapsedSeconds: Math.round((now - started) / 1_000),
      });
      lastShown = shown;
      lastAt = now;
    }
    if (now >= deadline) {
      throw new StackguideError(
        `The certificate for ${detail.domainName} is still pending validation after ${Math.round(options.timeoutMs / 1_000)} s.`,
        {
          code: 'certificate.validation-timeout',
          kind: 'user',
          nextSteps: [
            ...options.nextSteps(facts),
            'Then run the same stackguide command again: it waits for the same certificate.',
          ],
        },
      );
    }
    const pause = Math.min(STATUS_POLL_MS, Math.max(1, deadline - now));
    waiting(context, pause, deadline);
    await sleep(context, pause);
  }
}

function failedError(detail: CertificateDetail): StackguideError {
  const reason = detail.failureReason ? ` (${detail.failureReason})` : '';
  const nextSteps =
    detail.failureReason === 'CAA_ERROR'
      ? [
          `A CAA record forbids Amazon to issue for ${detail.domainName}: add "0 issue \\"amazon.com\\"" to the CAA records of the domain (or its parent), then run the command again.`,
        ]
      : [
          `Look at it: aws acm describe-certificate --certificate-arn ${detail.arn}`,
          'Run the same stackguide command again: it requests a new certificate.',
        ];
  return new StackguideError(`The certificate for ${detail.domainName} is ${detail.status}${reason}.`, {
    code: 'certificate.failed',
    kind: 'aws',
    nextSteps,
  });
}

async function describe(acm: AcmPort, arn: string): Promise<CertificateDetail> {
  const detail = await acm.describeCertificate(arn);
  if (!detail) {
    throw new StackguideError(`The certificate ${arn} disappeared while stackguide waited for it.`, {
      code: 'certificate.not-found',
      kind: 'aws',
      nextSteps: ['Run the same stackguide command again: it requests a new certificate.'],
    });
  }
  return detail;
}

async function sleep(context: StepContext, ms: number): Promise<void> {
  try {
    await context.clock.sleep(ms, context.signal);
  } catch (error) {
    throw new StackguideError('Stopped waiting for the certificate.', {
      code: 'certificate.cancelled',
      kind: 'cancelled',
      cause: error,
      nextSteps: ['Run the same stackguide command again: it goes on with the same certificate.'],
    });
  }
}

/** Tells the screen the wait's real schedule: the next check after `pause`, and the deadline. */
function waiting(context: StepContext, pause: number, deadline: number): void {
  context.emit({
    type: 'step.waiting',
    step: context.stepId,
    nextCheckAt: new Date(context.clock.now() + pause).toISOString(),
    givesUpAt: new Date(deadline).toISOString(),
  });
}

export function progress(context: StepContext, message: string, facts: Record<string, unknown>): void {
  context.emit({ type: 'step.progress', step: context.stepId, message, facts });
}
