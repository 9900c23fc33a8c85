import { route53Port } from '../../../aws/route53-port.ts';
import { findParentZone, parentListsZone } from '../../hosted-zone/zone-lookup.ts';
import type { StepContext } from '../../step.ts';
import type { Target } from '../certificate-target.ts';
import { delegationOf, progress } from '../certificate-validation.ts';
import { type CertificateMethod, plannedCertificate } from './certificate-method.ts';
import { byDns } from './dns.ts';
import { askResend, byEmail } from './email.ts';
import { checkOwnCertificate, issuedAlready } from './requested.ts';

/**
 * `auto`: DNS when the hosted zone is delegated and in this account (as Code Ocean's guide decides),
 * email otherwise, decided at apply time from what Route53 and public DNS say then.
 */
export const autoMethod: CertificateMethod = {
  ask: askResend,
  check: checkOwnCertificate,

  async plan(context, request) {
    if (await issuedAlready(context, request, ['DNS', 'EMAIL'])) return [];
    return plannedCertificate(
      context,
      request,
      'request',
      'ACM, validated by DNS when the hosted zone is delegated and in this account, else by email',
    );
  },

  async apply(context, { config, target, names, inputs }) {
    const choice = await chooseMethod(context, target);
    progress(
      context,
      `Validating the certificate by ${choice.method === 'DNS' ? 'DNS' : 'email'}: ${choice.reason}`,
      {
        method: choice.method,
        reason: choice.reason,
      },
    );
    return choice.method === 'DNS'
      ? byDns(context, config, target, names)
      : byEmail(context, config, target, names, inputs);
  },
};

async function chooseMethod(
  context: StepContext,
  target: Target,
): Promise<{ method: 'DNS' | 'EMAIL'; reason: string }> {
  const zone = target.zone;
  if (!zone) {
    return { method: 'EMAIL', reason: 'there is no hosted zone step to write the validation records into' };
  }
  if (zone.parentDomain) {
    const parent = await findParentZone(context.aws.use(route53Port), zone.parentDomain, zone.domain);
    if (parentListsZone(parent, zone.nameServers)) {
      return {
        method: 'DNS',
        reason: `the hosted zone ${zone.domain} is in this account, and its parent zone ${zone.parentDomain} in this account delegates to it`,
      };
    }
  }
  const delegation = await delegationOf(context, zone);
  if (delegation.status === 'delegated') {
    return {
      method: 'DNS',
      reason: `the hosted zone ${zone.domain} is in this account and delegated: ${delegation.explanation}`,
    };
  }
  return {
    method: 'EMAIL',
    reason: `the hosted zone ${zone.domain} is not delegated (${delegation.explanation}), so ACM could not see validation records in it`,
  };
}
