import { z } from 'zod';
import { defineStepConfig } from '../step-config.ts';

const configSchema = z
  .object({
    method: z
      .enum(['auto', 'dns', 'email', 'import', 'arn'])
      .default('auto')
      .describe(
        'How the certificate is obtained: "dns" or "email" validation of a new ACM certificate, "import" ' +
          'from PEM files, "arn" of an existing certificate, or "auto": DNS validation when the hosted ' +
          'zone is delegated and in this account, else email.',
      ),
    hostedZoneStep: z
      .string()
      .regex(/^[a-zA-Z][a-zA-Z0-9_]*$/)
      .optional()
      .describe(
        'The id of the hostedZone step whose zone holds the validation records and whose domain the ' +
          'certificate is for. Needed for DNS validation.',
      ),
    domain: z
      .string()
      .min(1)
      .optional()
      .describe(
        'The domain the certificate is for: literal or a reference such as "{{answers.domain}}". ' +
          'Default: the domain of the hosted zone step.',
      ),
    includeWildcard: z
      .boolean()
      .default(false)
      .describe('Also cover *.<domain> (one certificate for the platform and its per-user hosts).'),
    validationDomain: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Email validation: the domain whose admin@, administrator@, hostmaster@, postmaster@ and ' +
          'webmaster@ get the approval mail. Default: the parent domain of the hosted zone step.',
      ),
    waitForIssued: z
      .number()
      .int()
      .min(0)
      .default(3600)
      .describe('Seconds to wait for validation before giving up with what is missing.'),
  })
  .strict();

/** What a blueprint may say to a `certificate` step (zod only); what the step does is in certificate-step.ts. */
export const certificateConfig = defineStepConfig({
  kind: 'certificate',
  description:
    'TLS certificate for the hosting domain: DNS or email validation, imported, or an existing ARN',
  configSchema,
  outputs: ['certificateArn'],
});

export type CertificateConfig = z.output<typeof certificateConfig.configSchema>;
