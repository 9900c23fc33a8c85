import { certificateConfig } from './certificate/certificate-config.ts';
import { costTagConfig } from './cost-tag/cost-tag-config.ts';
import { hostedZoneConfig } from './hosted-zone/hosted-zone-config.ts';
import { manualConfig } from './manual/manual-config.ts';
import { networkConfig } from './network/network-config.ts';
import { quotasConfig } from './quotas/quotas-config.ts';
import { regionConfig } from './region/region-config.ts';
import { registrySecretConfig } from './registry-secret/registry-secret-config.ts';
import { serviceLinkedRolesConfig } from './service-linked-roles/service-linked-roles-config.ts';
import { sesConfig } from './ses/ses-config.ts';
import { sharedAmiConfig } from './shared-ami/shared-ami-config.ts';
import type { AnyStepConfig } from './step-config.ts';

/**
 * The vocabulary of every step kind a blueprint can use (kind, description, configuration schema,
 * outputs), in the order the docs list them. The blueprint schema, the loader's reference check and
 * docs/step-kinds.md are built from this list, which imports only zod: validating a blueprint never loads
 * a step or an AWS client. `step-kinds.ts` lists the implementations in the same order (a test checks).
 */
export const stepConfigs: readonly AnyStepConfig[] = [
  manualConfig,
  regionConfig,
  serviceLinkedRolesConfig,
  quotasConfig,
  sharedAmiConfig,
  networkConfig,
  hostedZoneConfig,
  certificateConfig,
  sesConfig,
  registrySecretConfig,
  costTagConfig,
];

export function findStepConfig(kind: string): AnyStepConfig | undefined {
  return stepConfigs.find((config) => config.kind === kind);
}
