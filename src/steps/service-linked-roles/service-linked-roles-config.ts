import { z } from 'zod';
import { defineStepConfig } from '../step-config.ts';

const configSchema = z
  .object({
    services: z
      .array(
        z
          .string()
          .regex(
            /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com$/,
            'must be a service principal such as batch.amazonaws.com',
          ),
      )
      .min(1)
      .describe('Service principals whose service-linked role must exist: "batch.amazonaws.com", ...'),
  })
  .strict();

/** What a blueprint may say to a `serviceLinkedRoles` step (zod only); what the step does is in service-linked-roles-step.ts. */
export const serviceLinkedRolesConfig = defineStepConfig({
  kind: 'serviceLinkedRoles',
  description: 'Service-linked roles for the AWS services the platform uses',
  configSchema,
  outputs: [],
});

export type ServiceLinkedRolesConfig = z.output<typeof serviceLinkedRolesConfig.configSchema>;
