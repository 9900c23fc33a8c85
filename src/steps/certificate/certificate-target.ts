import { resolveValue } from '../../blueprint/references.ts';
import { normalizeDnsName } from '../../dns/compare-delegation.ts';
import { StackguideError } from '../../errors.ts';
import type { StepContext } from '../step.ts';
import type { CertificateConfig } from './certificate-config.ts';
import type { ZoneOutputs } from './certificate-validation.ts';

/** What the certificate is for: the domain, the hosted zone that holds it, where approval mail goes. */
export interface Target {
  domain: string;
  zone: ZoneOutputs | null;
  validationDomain: string;
}

/**
 * The domain and the hosted zone, from the configuration and the hosted zone step's outputs. A check run
 * before the hosted zone step has applied knows neither: it gets undefined and checks what it can.
 */
export function targetOf(
  context: StepContext,
  config: CertificateConfig,
  phase: 'check' | 'apply',
): Target | undefined {
  const scope = {
    deployment: context.deployment,
    region: context.region,
    account: context.account,
    answers: context.answers,
    stackOutputs: {},
    stepOutputs: context.stepOutputs,
  };
  const source =
    config.domain ?? (config.hostedZoneStep ? `{{steps.${config.hostedZoneStep}.domain}}` : undefined);
  if (source === undefined) {
    throw new StackguideError(`The certificate step ${context.stepId} does not say which domain it is for.`, {
      code: 'step.certificate.no-domain',
      kind: 'user',
      details: [
        {
          path: `steps.${context.stepId}`,
          message: 'has neither domain nor hostedZoneStep',
          fix: 'Set hostedZoneStep: <id of the hostedZone step>, or domain: "{{answers.domain}}".',
        },
      ],
    });
  }
  let domain: string;
  try {
    domain = normalizeDnsName(resolveValue(source, scope, `steps.${context.stepId}.domain`));
  } catch (error) {
    if (phase === 'check' && error instanceof StackguideError && error.code === 'reference.unresolved') {
      return undefined;
    }
    throw error;
  }
  const outputs = config.hostedZoneStep ? context.stepOutputs[config.hostedZoneStep] : undefined;
  const zone: ZoneOutputs | null =
    outputs?.hostedZoneId && outputs.domain
      ? {
          hostedZoneId: outputs.hostedZoneId,
          domain: normalizeDnsName(outputs.domain),
          parentDomain: outputs.parentDomain ? normalizeDnsName(outputs.parentDomain) : null,
          nameServers: (outputs.nameServers ?? '').split(',').filter((name) => name !== ''),
        }
      : null;
  const validationDomain = normalizeDnsName(
    config.validationDomain
      ? resolveValue(config.validationDomain, scope, `steps.${context.stepId}.validationDomain`)
      : (zone?.parentDomain ?? domain),
  );
  return { domain, zone, validationDomain };
}
