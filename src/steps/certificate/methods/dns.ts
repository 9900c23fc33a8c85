import { acmPort } from '../../../aws/acm-port.ts';
import { route53Port } from '../../../aws/route53-port.ts';
import { StackguideError } from '../../../errors.ts';
import type { StepContext } from '../../step.ts';
import type { CertificateConfig } from '../certificate-config.ts';
import type { Target } from '../certificate-target.ts';
import {
  formatValidationRecord,
  validationRecords,
  waitForIssued,
  waitForValidationRecords,
  writeValidationRecords,
} from '../certificate-validation.ts';
import { type CertificateMethod, plannedCertificate } from './certificate-method.ts';
import { askResend } from './email.ts';
import { checkOwnCertificate, issuedAlready, requestOrReuse } from './requested.ts';

/** `dns`: request it, write ACM's validation CNAMEs into the hosted zone, wait for ISSUED. */
export const dnsMethod: CertificateMethod = {
  ask: askResend,
  check: checkOwnCertificate,

  async plan(context, request) {
    if (await issuedAlready(context, request, ['DNS'])) return [];
    return plannedCertificate(
      context,
      request,
      'request',
      'ACM, validated by DNS: the CNAMEs go into the hosted zone',
    );
  },

  apply: (context, { config, target, names }) => byDns(context, config, target, names),
};

export async function byDns(
  context: StepContext,
  config: CertificateConfig,
  target: Target,
  names: readonly string[],
): Promise<string> {
  const zone = target.zone;
  if (!zone) {
    throw new StackguideError('DNS validation needs the hosted zone the validation records go into.', {
      code: 'step.certificate.no-zone',
      kind: 'user',
      details: [
        {
          path: `steps.${context.stepId}.hostedZoneStep`,
          message: config.hostedZoneStep
            ? `the step "${config.hostedZoneStep}" has no hostedZoneId output (is it a hostedZone step that runs before this one?)`
            : 'is not set',
          fix: 'Set hostedZoneStep to the id of the hostedZone step listed before this step, or use method: email.',
        },
      ],
    });
  }
  const acm = context.aws.use(acmPort);
  const { detail: requested } = await requestOrReuse(acm, context, target, names, 'DNS');
  const detail = await waitForValidationRecords(acm, context, requested.arn);
  const records = validationRecords(detail);
  // Kept in the zone even once ISSUED: ACM's managed renewal looks for the same CNAMEs.
  if (records.length > 0) await writeValidationRecords(context.aws.use(route53Port), context, zone, records);
  if (detail.status === 'ISSUED') return detail.arn;
  await waitForIssued(acm, context, detail.arn, {
    method: 'DNS',
    zone,
    timeoutMs: config.waitForIssued * 1_000,
    nextSteps: (facts) => [
      ...records.map((record) => `The zone ${zone.domain} must hold: ${formatValidationRecord(record)}`),
      ...(facts.delegation && facts.delegation.status !== 'delegated'
        ? [
            `The zone is not delegated, so ACM cannot see these records: ${facts.delegation.explanation}`,
            ...(facts.delegation.fix ? [facts.delegation.fix.summary, ...facts.delegation.fix.add] : []),
          ]
        : []),
    ],
  });
  return detail.arn;
}
