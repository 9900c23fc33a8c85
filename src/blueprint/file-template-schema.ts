import { z } from 'zod';

/**
 * The directives of a file template (`files[].template`, rendered by src/install/render-file.ts), as a
 * vocabulary the load-time check validates against: the template is its own YAML file, so the
 * blueprint's JSON Schema can only describe it, and a typo in a `$when` must still fail `validate`
 * rather than silently drop a key from the platform's configuration.
 */

/** `{ given: true }`: the answer was given; `{ given: false }`: it was left empty. */
const givenConditionSchema = z
  .object({ given: z.boolean().describe('true: the answer is not empty; false: it was left empty.') })
  .strict();

/** `$when: { auth_type: Auth0, availability_zones: { given: true } }`: every entry must hold. */
export const whenConditionSchema = z
  .record(
    z.string().regex(/^(answers\.)?[a-zA-Z][a-zA-Z0-9_]*$/, 'must name a question: <id> or answers.<id>'),
    z.union([z.string(), z.number(), z.boolean(), givenConditionSchema], {
      error: 'must hold a value to compare the answer with, or { given: true } or { given: false }',
    }),
  )
  .refine((condition) => Object.keys(condition).length > 0, 'must name at least one answer');

/** The keys each directive mapping may hold; any other `$` key is a typo. */
export const DIRECTIVE_KEYS = {
  $forEach: ['$forEach', '$split', '$key', '$value'],
  $when: ['$when', '$value'],
} as const;

/** `$merge` sits beside ordinary keys; the two directives above own their whole mapping. */
export const MERGE_KEY = '$merge';
