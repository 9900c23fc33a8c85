import { z } from 'zod';
import { defineStepConfig } from '../step-config.ts';

const configSchema = z
  .object({
    namePattern: z
      .string()
      .min(1)
      .describe('Image name, with * and ? wildcards as EC2 filters take them: "codeocean-vpc-amzn2-*".'),
    owners: z
      .array(z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id'))
      .optional()
      .describe(
        "The vendor's account ids: when given, images with the same name from anyone else never count.",
      ),
    requestFrom: z
      .string()
      .min(1)
      .describe('Whom the operator asks to share the image: "support@codeocean.com".'),
  })
  .strict();

/** What a blueprint may say to a `sharedAmi` step (zod only); what the step does is in shared-ami-step.ts. */
export const sharedAmiConfig = defineStepConfig({
  kind: 'sharedAmi',
  description: "The vendor's machine image is shared with this account in this region",
  configSchema,
  outputs: ['amiId'],
});

export type SharedAmiConfig = z.output<typeof sharedAmiConfig.configSchema>;
