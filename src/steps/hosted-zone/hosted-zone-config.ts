import { z } from 'zod';
import { defineStepConfig } from '../step-config.ts';

const configSchema = z
  .object({
    subdomain: z
      .string()
      .min(1)
      .describe(
        'The label(s) before the parent domain: "codeocean", or a reference such as "{{answers.subdomain}}".',
      ),
    parentDomain: z
      .string()
      .min(1)
      .describe(
        'The domain the hosting domain sits under, whose zone holds the delegation: "example.com", or ' +
          '"{{answers.parentDomain}}".',
      ),
    delegation: z
      .enum(['auto', 'route53', 'manual'])
      .default('auto')
      .describe(
        'How the parent zone gets the NS records: "route53" writes them into the parent\'s Route53 zone ' +
          'in this account, "manual" shows them for the registrar and waits, "auto" does the first when ' +
          'the parent zone is in this account and the second otherwise.',
      ),
    waitForDelegation: z
      .number()
      .int()
      .min(0)
      .default(1800)
      .describe(
        'Seconds to wait for NS records added by hand at the registrar before giving up with the ' +
          'records to add; 0 shows them and goes on without waiting.',
      ),
  })
  .strict();

/** What a blueprint may say to a `hostedZone` step (zod only); what the step does is in hosted-zone-step.ts. */
export const hostedZoneConfig = defineStepConfig({
  kind: 'hostedZone',
  description: 'Public hosted zone for the hosting domain, delegated from its parent',
  configSchema,
  outputs: ['hostedZoneId', 'domain', 'parentDomain', 'nameServers'],
});

export type HostedZoneConfig = z.output<typeof hostedZoneConfig.configSchema>;
