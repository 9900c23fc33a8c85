import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { asRecord, type CheckProblem } from './checks/blueprint-check.ts';
import { didYouMean, oneOf } from './did-you-mean.ts';

/**
 * The schema's findings in a vendor's words: zod's own texts ("Invalid input: expected string, received
 * undefined", "Unrecognized key: promt") name its internals, not the file. Each problem is one key of
 * blueprint.yaml, named by its path, with what to write there; a misspelt key is named with the key it
 * was probably meant to be, and the "missing" that spelling causes is not reported a second time.
 */

/** Enough of zod's schema objects to walk them: every zod schema has `_zod.def`. */
interface SchemaNode {
  _zod: { def: SchemaDef };
}
interface SchemaDef {
  type: string;
  innerType?: SchemaNode;
  in?: SchemaNode;
  shape?: Record<string, SchemaNode>;
  element?: SchemaNode;
  options?: readonly SchemaNode[];
  discriminator?: string;
  valueType?: SchemaNode;
  values?: readonly unknown[];
}

const WRAPPERS = new Set(['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch', 'nonoptional']);

/** The schema under its wrappers (optional, default, ...), and a union's branch that the data takes. */
function settle(schema: SchemaNode, data: unknown): SchemaNode | undefined {
  let current = schema;
  for (;;) {
    const def = current._zod.def;
    if (WRAPPERS.has(def.type) && def.innerType) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else break;
  }
  const def = current._zod.def;
  if (def.type !== 'union') return current;
  if (def.discriminator === undefined)
    return def.options?.find((option) => option._zod.def.type === jsonKind(data));
  const tag = asRecord(data)[def.discriminator];
  return def.options?.find((option) =>
    option._zod.def.shape?.[def.discriminator as string]?._zod.def.values?.includes(tag),
  );
}

/** A value's kind in zod's names: what a union of plain types picks its branch by. */
function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  return value === null ? 'null' : typeof value === 'object' ? 'object' : typeof value;
}

/** The keys the schema allows in the mapping at `path` of `data`; undefined when it cannot say. */
export function allowedKeys(
  root: z.ZodType,
  data: unknown,
  path: readonly PropertyKey[],
): string[] | undefined {
  let schema: SchemaNode | undefined = root as unknown as SchemaNode;
  let value = data;
  for (const segment of path) {
    const here: SchemaNode | undefined = schema && settle(schema, value);
    const def: SchemaDef | undefined = here?._zod.def;
    if (def?.type === 'object') schema = def.shape?.[String(segment)];
    else if (def?.type === 'array') schema = def.element;
    else if (def?.type === 'record') schema = def.valueType;
    else return undefined;
    value = Array.isArray(value) ? value[segment as number] : asRecord(value)[String(segment)];
  }
  const shape = schema && settle(schema, value)?._zod.def.shape;
  return shape ? Object.keys(shape) : undefined;
}

/** What zod calls a type, as a vendor reads it in YAML. */
const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping (key: value lines)',
  record: 'a mapping (key: value lines)',
};

function typeWords(expected: string): string {
  return TYPE_WORDS[expected] ?? expected;
}

/** What the file holds there, in the same words. */
function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the text ${JSON.stringify(value)}`;
  if (typeof value === 'boolean') return `${value}`;
  return `the number ${String(value)}`;
}

/**
 * Every issue zod found, as problems by path. `raw` is the data as read from the file (for the keys
 * allowed where an unknown one stands, and for what a wrong value is); `schemaHint` says where the
 * vendor finds the JSON Schema, for the few problems whose fix is "see what is allowed here".
 */
export function schemaProblems(
  issues: readonly z.core.$ZodIssue[],
  raw: unknown,
  schema: z.ZodType,
  schemaHint: string,
): CheckProblem[] {
  // A key misspelt is also a key missing: name the spelling, not the absence as well.
  const renamed = new Set<string>();
  const problems: CheckProblem[] = [];
  const flat = issues.flatMap((issue) => expanded(issue));
  for (const issue of flat) {
    if (issue.code !== 'unrecognized_keys') continue;
    const allowed = allowedKeys(schema, raw, issue.path) ?? [];
    const present = asRecord(valueAt(raw, issue.path));
    for (const key of issue.keys) {
      const guess = didYouMean(key, allowed);
      const taken = guess !== undefined && misspeltKey(key, allowed, present) === undefined;
      if (guess && !taken) renamed.add(JSON.stringify([...issue.path, guess]));
      problems.push({
        segments: [...issue.path, key],
        message: `unknown key "${key}"${guess ? ` (did you mean "${guess}"?${taken ? ' It is set here already.' : ''})` : ''}`,
        fix:
          guess && !taken
            ? `Rename "${key}" to "${guess}".`
            : guess
              ? `Remove "${key}", or merge what it holds into "${guess}".`
              : allowed.length > 0
                ? `Remove it, or use one of the keys allowed here: ${allowed.join(', ')}.`
                : `Remove it; ${schemaHint} lists the keys allowed here.`,
      });
    }
  }
  for (const issue of flat) {
    if (issue.code === 'unrecognized_keys') continue;
    if (renamed.has(JSON.stringify(issue.path)) && valueAt(raw, issue.path) === undefined) continue;
    problems.push({ segments: [...issue.path], ...described(issue, schemaHint) });
  }
  return problems;
}

/**
 * A union of a plain value and a mapping (a choice: "dev" or { value: dev, label: ... }) given a
 * mapping: the mapping branch's own issues, at their full paths, say more than "none of the forms".
 */
function expanded(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'invalid_union' || (issue as { discriminator?: string }).discriminator !== undefined)
    return [issue];
  const fitting = issue.errors.filter(
    (branch) => !branch.some((inner) => inner.code === 'invalid_type' && inner.path.length === 0),
  );
  const [branch] = fitting;
  if (fitting.length !== 1 || branch === undefined || branch.length === 0) return [issue];
  return branch.flatMap((inner) =>
    expanded({ ...inner, path: [...issue.path, ...inner.path] } as z.core.$ZodIssue),
  );
}

/** The allowed key an unknown one was probably meant to be, when that key is not set already. */
export function misspeltKey(
  key: string,
  allowed: readonly string[],
  present: Readonly<Record<string, unknown>>,
): string | undefined {
  const guess = didYouMean(key, allowed);
  return guess !== undefined && !(guess in present) ? guess : undefined;
}

function described(issue: z.core.$ZodIssue, schemaHint: string): { message: string; fix: string } {
  const key = issue.path.at(-1);
  const name = typeof key === 'string' ? `"${key}"` : 'this item';
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined)
        return {
          message: `${name} is missing`,
          fix: `Add ${typeof key === 'string' ? `${key}: ` : ''}<${typeWords(issue.expected)}> here: it is required.`,
        };
      return {
        message: `is ${kindOf(issue.input)}, where ${typeWords(issue.expected)} is expected`,
        fix: typeFix(issue.expected, issue.input),
      };
    case 'invalid_value': {
      const allowed = issue.values.map((value) => String(value));
      return {
        message: `${kindOf(issue.input)} is not allowed here`,
        fix: allowed.length === 1 ? `Use ${allowed[0]}.` : oneOf(String(issue.input), allowed),
      };
    }
    case 'invalid_union': {
      const discriminator = (issue as { discriminator?: string }).discriminator;
      const options = (issue as { options?: readonly unknown[] }).options;
      if (discriminator !== undefined && Array.isArray(options)) {
        const given = asRecord(issue.input)[discriminator];
        const known = options.map((option) => String(option));
        return given === undefined
          ? {
              message: `"${discriminator}" is missing`,
              fix: `Add ${discriminator}: one of ${known.join(', ')}.`,
            }
          : {
              message: `${discriminator} ${JSON.stringify(given)} is not one stackguide knows`,
              fix: oneOf(String(given), known),
            };
      }
      // A union of plain types (a parameter value): name them.
      const types = issue.errors.map((branch) =>
        branch.length === 1 && branch[0]?.code === 'invalid_type' && branch[0].path.length === 0
          ? branch[0].expected
          : undefined,
      );
      if (types.length > 0 && types.every((type) => type !== undefined)) {
        const words = types.map((type) => typeWords(type));
        return {
          message: `is ${kindOf(issue.input)}, where ${words.join(' or ')} is expected`,
          fix: `Make it ${words.join(' or ')}.`,
        };
      }
      return {
        message: 'is not one of the forms allowed here',
        fix: `See ${schemaHint} for what is allowed here.`,
      };
    }
    case 'too_small':
      return issue.origin === 'array'
        ? {
            message: `needs at least ${String(issue.minimum)} item(s)`,
            fix: `Give at least ${String(issue.minimum)}.`,
          }
        : issue.origin === 'string'
          ? { message: 'is empty', fix: 'Write a value here.' }
          : { message: `is below ${String(issue.minimum)}`, fix: `Give at least ${String(issue.minimum)}.` };
    case 'too_big':
      return {
        message:
          issue.origin === 'array'
            ? `has more than ${String(issue.maximum)} items`
            : issue.origin === 'string'
              ? `is longer than ${String(issue.maximum)} characters`
              : `is above ${String(issue.maximum)}`,
        fix: `Give at most ${String(issue.maximum)}.`,
      };
    case 'invalid_key': {
      const [inner] = issue.issues;
      const what = inner ? described(inner, schemaHint) : { message: 'is not allowed', fix: 'Rename it.' };
      return { message: `the key ${what.message}`, fix: what.fix };
    }
    default:
      // Our own refinements (a regex's "must be lowercase letters ...") already speak the vendor's words.
      return {
        message: issue.message.startsWith('Invalid') ? 'is not allowed here' : issue.message,
        fix:
          issue.code === 'invalid_format' || issue.code === 'custom'
            ? 'Change the value as the message says.'
            : `See ${schemaHint} for what is allowed here.`,
      };
  }
}

/** A YAML value of the wrong kind: the usual slips are a number or true/false where text is wanted. */
function typeFix(expected: string, input: unknown): string {
  if (expected === 'string' && (typeof input === 'number' || typeof input === 'boolean'))
    return `Quote it: "${String(input)}" (YAML reads it as a ${typeof input} otherwise).`;
  if (expected === 'array' && typeof input === 'string') return `Make it a list: [${input}].`;
  return `Make it ${typeWords(expected)}.`;
}

export function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const segment of path)
    value = Array.isArray(value) ? value[segment as number] : asRecord(value)[String(segment)];
  return value;
}

/**
 * Where the vendor finds the JSON Schema: the one their blueprint names (the yaml-language-server line
 * or `$schema`), else the one in the installed stackguide package. Never a path inside this repository:
 * a vendor's blueprint lives elsewhere.
 */
export function schemaHint(text: string, raw: unknown, dir: string): string {
  const named =
    /yaml-language-server:\s*\$schema=(\S+)/.exec(text)?.[1] ??
    ((raw as { $schema?: unknown } | null)?.$schema as string | undefined);
  // A copied blueprint can keep a relative line that points nowhere on this machine.
  if (typeof named === 'string' && (named.includes('://') || existsSync(resolve(dir, named))))
    return `the JSON Schema your blueprint names (${named})`;
  const installed = installedSchema();
  return installed
    ? `the blueprint JSON Schema (${installed})`
    : 'the blueprint JSON Schema in the stackguide package (blueprints/blueprint.schema.json)';
}

/** The package's blueprints/blueprint.schema.json, found from this module (dist/ when built, src/blueprint/ in tests). */
function installedSchema(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 4; up++) {
    const candidate = join(dir, 'blueprints', 'blueprint.schema.json');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return undefined;
}
