import { z } from 'zod';
import { defineStepConfig } from '../step-config.ts';

const collectSchema = z
  .object({
    key: z
      .string()
      .regex(/^[a-zA-Z][a-zA-Z0-9_]*$/)
      .describe('Name of the answer: output {{steps.<id>.<key>}} and answers-file key.'),
    prompt: z.string().min(1),
    type: z.enum(['url', 'email', 'string']).default('string'),
    pattern: z
      .string()
      .refine(compiles, 'must be a valid regular expression')
      .optional()
      .describe('A regular expression the whole answer must match (anchor it with ^ and $).'),
    patternHint: z.string().optional(),
  })
  .strict();

const configSchema = z
  .object({
    instructions: z.string().min(1).describe('What to do, in the words of the guide.'),
    collect: collectSchema.optional().describe('An answer the operator brings back from doing it.'),
    confirm: z.string().optional().describe('What the operator confirms is done: "Maintenance mode is on".'),
  })
  .strict();

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

export type ManualCollect = z.output<typeof collectSchema>;

/** What a blueprint may say to a `manual` step (zod only); what the step does is in manual-step.ts. */
export const manualConfig = defineStepConfig({
  kind: 'manual',
  description:
    'A step only the operator can do, with its instructions, an answer to bring back and a confirmation',
  configSchema,
  outputs: (config) => (config.collect ? [config.collect.key] : []),
});

export type ManualConfig = z.output<typeof manualConfig.configSchema>;
