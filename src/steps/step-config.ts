import type { z } from 'zod';

/**
 * What a blueprint may say about one step kind, apart from what the step does: its `kind:` value, its
 * one-line description, its configuration schema and its output keys. Each kind's `<kind>-config.ts`
 * imports only zod (and this file), so the blueprint schema, the loader, `stackguide validate` and the
 * generated docs see the vocabulary without loading a step, a port adapter or the AWS SDK.
 */
export interface StepConfig<Schema extends z.ZodObject<z.ZodRawShape> = z.ZodObject<z.ZodRawShape>> {
  /** The `kind:` value in blueprint.yaml. */
  readonly kind: string;
  /** One line for the step list and the JSON Schema: "Public hosted zone for the hosting domain". */
  readonly description: string;
  /** Validates the blueprint's configuration of the step (every key but `id`, `kind`, `title`). */
  readonly configSchema: Schema;
  /** Keys `apply` returns (for a configuration), so the loader can check `{{steps.<id>.<key>}}`. */
  readonly outputs?: readonly string[] | ((config: z.output<Schema>) => readonly string[]);
}

/** States a kind's vocabulary once, with `outputs` typed by the kind's own schema. */
export function defineStepConfig<Schema extends z.ZodObject<z.ZodRawShape>>(
  config: StepConfig<Schema>,
): StepConfig<Schema> {
  return config;
}

// biome-ignore lint/suspicious/noExplicitAny: the list holds kinds of every configuration type.
export type AnyStepConfig = StepConfig<any>;
