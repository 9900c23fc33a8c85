import { certificateStep } from './certificate/certificate-step.ts';
import { costTagStep } from './cost-tag/cost-tag-step.ts';
import { hostedZoneStep } from './hosted-zone/hosted-zone-step.ts';
import { manualStep } from './manual/manual-step.ts';
import { networkStep } from './network/network-step.ts';
import { quotasStep } from './quotas/quotas-step.ts';
import { regionStep } from './region/region-step.ts';
import { registrySecretStep } from './registry-secret/registry-secret-step.ts';
import { serviceLinkedRolesStep } from './service-linked-roles/service-linked-roles-step.ts';
import { sesStep } from './ses/ses-step.ts';
import { sharedAmiStep } from './shared-ami/shared-ami-step.ts';
import type { AnyStepDefinition } from './step.ts';

/**
 * Every step kind's implementation, in the order of `step-configs.ts` (their vocabulary, which the
 * blueprint schema is built from); install, preflight, status and upgrade look kinds up here. Add a kind
 * with its `<kind>-config.ts` in that list and its step here.
 */
export const stepKinds: readonly AnyStepDefinition[] = [
  manualStep,
  regionStep,
  serviceLinkedRolesStep,
  quotasStep,
  sharedAmiStep,
  networkStep,
  hostedZoneStep,
  certificateStep,
  sesStep,
  registrySecretStep,
  costTagStep,
];

export function findStepKind(kind: string): AnyStepDefinition | undefined {
  return stepKinds.find((step) => step.kind === kind);
}
