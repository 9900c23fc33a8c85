import { z } from 'zod';
import { defineStepConfig } from '../step-config.ts';

export const MAIL_TYPES = ['TRANSACTIONAL', 'MARKETING'] as const;
export const CONTACT_LANGUAGES = ['EN', 'JA'] as const;
/** The API takes one to four additional contacts. */
export const MAX_CONTACTS = 4;
/** The API's limit on the use case description. */
export const MAX_USE_CASE = 5000;
/** Below this, reviewers have too little to go on; the seed: "provide a detailed explanation". */
export const MIN_USE_CASE = 100;

const configSchema = z
  .object({
    regions: z
      .array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region code such as us-east-1'))
      .min(1)
      .optional()
      .describe(
        "Regions whose SES must be out of the sandbox; default: the deployment's region. Add the region " +
          'Cognito sends from when it is another one.',
      ),
    required: z
      .boolean()
      .default(false)
      .describe(
        'Fail (rather than warn) while SES is in the sandbox, so the install stops until access is granted.',
      ),
    mailType: z
      .enum(MAIL_TYPES)
      .default('TRANSACTIONAL')
      .describe('The mail type offered first: TRANSACTIONAL for sign-up, password and notice mail.'),
    useCase: z
      .string()
      .max(MAX_USE_CASE)
      .optional()
      .describe(
        "The vendor's draft of the use case (what the platform sends, to whom, why), offered for the " +
          'operator to complete with their own volumes and email policies.',
      ),
    website: z
      .string()
      .optional()
      .describe(
        "The service's website offered to the reviewers; may use answers, e.g. 'https://{{answers.domain}}'.",
      ),
    minDailyQuota: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('Emails per 24 hours the platform needs once in production; a lower quota is reported.'),
  })
  .strict();

/** What a blueprint may say to a `ses` step (zod only); what the step does is in ses-step.ts. */
export const sesConfig = defineStepConfig({
  kind: 'ses',
  description: 'SES out of the sandbox: production access requested, reviewed and granted',
  configSchema,
  outputs: ['productionAccess', 'reviewStatus'],
});

export type SesConfig = z.output<typeof sesConfig.configSchema>;
