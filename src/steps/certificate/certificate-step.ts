import { StackguideError } from '../../errors.ts';
import { defineStep, type SavedStepInputs, type StepContext } from '../step.ts';
import { type CertificateConfig, certificateConfig } from './certificate-config.ts';
import { targetOf } from './certificate-target.ts';
import { requiredNames } from './domain-coverage.ts';
import { arnMethod } from './methods/arn.ts';
import { autoMethod } from './methods/auto.ts';
import type {
  CertificateInputs,
  CertificateMethod,
  CertificateRequest,
} from './methods/certificate-method.ts';
import { dnsMethod } from './methods/dns.ts';
import { emailMethod } from './methods/email.ts';
import { importMethod } from './methods/import.ts';

/**
 * The TLS certificate for the hosting domain, in the four ways seeds 000 and 001 describe, each in
 * `methods/` with its own ask, check, plan and apply:
 * - `dns`: request it, write ACM's validation CNAMEs into the hosted zone, wait for ISSUED;
 * - `email`: request it, show the five approver addresses, offer a resend (within 72 h), wait;
 * - `import`: PEM files from the operator, checked locally (key matches, dates, names) before any AWS
 *   call, then imported; the private key is read, handed to ACM and forgotten;
 * - `arn`: a certificate the operator already has, checked: ISSUED, covers the domain, this region.
 * `auto` is DNS when the hosted zone is delegated and in this account (as Code Ocean's guide decides),
 * email otherwise. The certificate lives in the deployment's region, where the platform's load
 * balancers use it. This file only picks the method and works out what the certificate is for.
 */
const METHODS: Record<CertificateConfig['method'], CertificateMethod> = {
  arn: arnMethod,
  import: importMethod,
  dns: dnsMethod,
  email: emailMethod,
  auto: autoMethod,
};

export const certificateStep = defineStep<typeof certificateConfig.configSchema, CertificateInputs>({
  ...certificateConfig,

  // Files to import are checked where they are named, before any AWS call (issue 16).
  validate: async (context, config, saved) => METHODS[config.method].validate?.(context, config, saved),

  ask: (context, config, saved) => METHODS[config.method].ask(context, config, saved),

  saveable(inputs): SavedStepInputs {
    const saved: SavedStepInputs = {};
    if (inputs.certificateArn) saved.certificateArn = inputs.certificateArn;
    if (inputs.certificatePath) saved.certificatePath = inputs.certificatePath;
    if (inputs.privateKeyPath) saved.privateKeyPath = inputs.privateKeyPath;
    if (inputs.chainPath) saved.chainPath = inputs.chainPath;
    return saved;
  },

  check: (context, config, inputs) =>
    METHODS[config.method].check(context, requestOf(context, config, inputs)),

  plan: (context, config, inputs) => METHODS[config.method].plan(context, requestOf(context, config, inputs)),

  async apply(context, config, inputs) {
    const request = requestOf(context, config, inputs, 'apply');
    const { target } = request;
    if (!target) {
      throw new StackguideError(`The certificate step ${context.stepId} has no domain to apply to.`, {
        code: 'step.certificate.no-domain',
        kind: 'bug',
      });
    }
    return { certificateArn: await METHODS[config.method].apply(context, { ...request, target }) };
  },
});

function requestOf(
  context: StepContext,
  config: CertificateConfig,
  inputs: CertificateInputs,
  phase: 'check' | 'apply' = 'check',
): CertificateRequest {
  const target = targetOf(context, config, phase);
  return {
    config,
    inputs,
    target,
    names: target ? requiredNames(target.domain, config.includeWildcard) : [],
  };
}
