import { z } from 'zod';
import { defineStepConfig } from '../step-config.ts';

const configSchema = z
  .object({
    tagKey: z.string().min(1).max(128).describe("The cost allocation tag key: the blueprint's costTag.key."),
  })
  .strict();

/** What a blueprint may say to a `costTag` step (zod only); what the step does is in cost-tag-step.ts. */
export const costTagConfig = defineStepConfig({
  kind: 'costTag',
  description: 'The cost allocation tag key activated in Billing (management account only)',
  configSchema,
  outputs: ['tagKey', 'activation'],
});

export type CostTagConfig = z.output<typeof costTagConfig.configSchema>;
