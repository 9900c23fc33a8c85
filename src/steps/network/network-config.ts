import { z } from 'zod';
import { defineStepConfig } from '../step-config.ts';

const configSchema = z
  .object({
    vpcIdFrom: z
      .string()
      .optional()
      .describe(
        'The existing VPC id, usually a reference: "{{answers.vpcId}}". Empty or unanswered means the ' +
          'deployment creates its own VPC, and only the DHCP options are checked.',
      ),
    resolvers: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'DNS servers besides the Amazon DNS server known to resolve AWS names (a forwarding resolver).',
      ),
    minPrivateSubnets: z.number().int().min(1).default(2).describe('Private subnets the platform needs.'),
    minSubnetAddresses: z
      .number()
      .int()
      .min(16)
      .default(256)
      .describe('Addresses each of them must have at least (256 is a /24).'),
  })
  .strict();

/** What a blueprint may say to a `network` step (zod only); what the step does is in network-step.ts. */
export const networkConfig = defineStepConfig({
  kind: 'network',
  description:
    'DHCP options resolve AWS names; an existing VPC has private subnets, a NAT gateway and DNS on',
  configSchema,
  outputs: [],
});

export type NetworkConfig = z.output<typeof networkConfig.configSchema>;
