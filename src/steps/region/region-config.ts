import { z } from 'zod';
import { defineStepConfig } from '../step-config.ts';

const instanceTypeList = z.array(z.string().min(1)).default([]);

const configSchema = z
  .object({
    instanceTypes: instanceTypeList.describe(
      'EC2 instance types the platform launches ("m5.large", or a reference such as ' +
        '"{{answers.workerInstanceType}}"): each must be offered in enough zones.',
    ),
    openSearchInstanceTypes: instanceTypeList.describe(
      'OpenSearch instance types ("t3.small.search"): warned about, with how to check them.',
    ),
    elastiCacheNodeTypes: instanceTypeList.describe(
      'ElastiCache node types ("cache.t3.micro"): warned about, with how to check them.',
    ),
    minAvailabilityZones: z
      .number()
      .int()
      .min(1)
      .default(2)
      .describe('Zones that must offer every EC2 type: as many as the templates spread subnets over.'),
    maxAvailabilityZones: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('At most this many zones go into the availabilityZones output (Code Ocean supports six).'),
  })
  .strict();

/** What a blueprint may say to a `region` step (zod only); what the step does is in region-step.ts. */
export const regionConfig = defineStepConfig({
  kind: 'region',
  description: 'The region and its availability zones offer every instance type the platform needs',
  configSchema,
  outputs: ['availabilityZones'],
});

export type RegionConfig = z.output<typeof regionConfig.configSchema>;
