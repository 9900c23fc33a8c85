import { z } from 'zod';
import { blueprintSchema } from './blueprint-schema.ts';

/** The published JSON Schema of blueprint.yaml, derived from the zod schema so the two never drift. */
export function blueprintJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(blueprintSchema, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://stackguide.dev/schema/blueprint-v1.json',
    title: 'stackguide blueprint (format v1)',
  };
}
