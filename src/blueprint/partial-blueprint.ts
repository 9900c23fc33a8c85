import type { z } from 'zod';
import type { CheckProblem } from './checks/blueprint-check.ts';
import { allowedKeys, misspeltKey, valueAt } from './schema-problems.ts';

/**
 * A blueprint with schema problems, made whole enough for the other checks to read: a misspelt key
 * takes the name it was meant to have, a value of the wrong kind is left out (its default applies),
 * and an item of a list that still does not fit (a question without a prompt) is set aside. Without
 * this, `validate` would report in rounds: the schema's problems first, and a `dependsOn` naming no
 * stack only once those were fixed.
 *
 * What was set aside is remembered, so a problem that only exists because of it (a reference to the
 * question set aside) is not reported as one of the vendor's.
 */
export interface PartialBlueprint<T> {
  data: T;
  /** A path in `data` as the same path in the file (list items set aside shift the indexes). */
  toFile(path: readonly PropertyKey[]): PropertyKey[];
  /** True when a problem found in `data` may only be an echo of what was set aside. */
  echoes(problem: CheckProblem): boolean;
}

const SET_ASIDE = Symbol('set aside');
/** Each round fixes at least one thing; a blueprint needing more is reported by its schema alone. */
const MAX_ROUNDS = 50;

interface Aside {
  /** Where, in the file's paths. */
  path: PropertyKey[];
  /** The id of the item set aside, or the key left out: what an echo names. */
  name: string | undefined;
  /** An item with an id: other parts refer to it anywhere in the file. */
  referable: boolean;
}

export function partialBlueprint<T>(schema: z.ZodType<T>, raw: unknown): PartialBlueprint<T> | undefined {
  const work: unknown = structuredClone(raw);
  const aside: Aside[] = [];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const kept = new Map<string, number[]>();
    const candidate = withoutSetAside(work, [], kept);
    const toFile = (path: readonly PropertyKey[]): PropertyKey[] => {
      const out: PropertyKey[] = [];
      for (const segment of path) {
        const indexes = kept.get(JSON.stringify(out));
        out.push(typeof segment === 'number' && indexes ? (indexes[segment] ?? segment) : segment);
      }
      return out;
    };
    const parsed = schema.safeParse(candidate);
    if (parsed.success)
      return { data: parsed.data, toFile, echoes: (problem) => isEcho(problem, aside, toFile) };
    let changed = false;
    for (const issue of parsed.error.issues)
      changed = repair(schema, work, toFile(issue.path), issue, aside) || changed;
    if (!changed) return undefined;
  }
  return undefined;
}

/** One repair for one issue; false when there is nothing left to set aside for it. */
function repair(
  schema: z.ZodType,
  work: unknown,
  path: PropertyKey[],
  issue: z.core.$ZodIssue,
  aside: Aside[],
): boolean {
  if (issue.code === 'unrecognized_keys') {
    const holder = valueAt(work, path) as Record<string, unknown>;
    for (const key of issue.keys) {
      const meant = misspeltKey(key, allowedKeys(schema, work, path) ?? [], holder);
      if (meant) holder[meant] = holder[key];
      delete holder[key];
    }
    return true;
  }
  const key = path.at(-1);
  const holder = valueAt(work, path.slice(0, -1));
  if (typeof key === 'string' && isMapping(holder) && holder[key] !== undefined) {
    delete holder[key];
    aside.push({ path, name: key, referable: false });
    return true;
  }
  for (let depth = path.length; depth > 0; depth--) {
    const index = path[depth - 1];
    const list = valueAt(work, path.slice(0, depth - 1));
    if (typeof index !== 'number' || !Array.isArray(list) || list[index] === SET_ASIDE) continue;
    const id = (list[index] as { id?: unknown } | undefined)?.id;
    list[index] = SET_ASIDE;
    aside.push({
      path: path.slice(0, depth),
      name: typeof id === 'string' ? id : undefined,
      referable: true,
    });
    return true;
  }
  // A required value outside any list (product.title): a stand-in, so the rest can still be read.
  const standIn = standInFor(issue);
  if (typeof key === 'string' && isMapping(holder) && standIn !== undefined) {
    holder[key] = standIn;
    aside.push({ path, name: key, referable: false });
    return true;
  }
  return false;
}

/** A value of the kind the schema asked for; anything reported inside it is an echo. */
function standInFor(issue: z.core.$ZodIssue): unknown {
  if (issue.code === 'invalid_value') return issue.values[0];
  if (issue.code !== 'invalid_type') return undefined;
  return { string: 'x', number: 1, boolean: false }[issue.expected as string];
}

/** The data with every set-aside item dropped, and for each list the file indexes of what it kept. */
function withoutSetAside(value: unknown, path: PropertyKey[], kept: Map<string, number[]>): unknown {
  if (Array.isArray(value)) {
    const indexes: number[] = [];
    const items: unknown[] = [];
    value.forEach((item, index) => {
      if (item === SET_ASIDE) return;
      indexes.push(index);
      items.push(withoutSetAside(item, [...path, index], kept));
    });
    kept.set(JSON.stringify(path), indexes);
    return items;
  }
  if (isMapping(value))
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, withoutSetAside(item, [...path, key], kept)]),
    );
  return value;
}

/**
 * A problem that names something set aside: inside it, or (for an item with an id) anywhere it is
 * named, or (for a key left out) on the way to it and naming it ("template parameter X is not set"
 * when X was left out for its type). It is the same mistake seen again, and the report says it once.
 */
function isEcho(
  problem: CheckProblem,
  aside: readonly Aside[],
  toFile: (path: readonly PropertyKey[]) => PropertyKey[],
): boolean {
  if (problem.file !== undefined) return false;
  const where = toFile(problem.segments);
  return aside.some((item) => {
    if (startsWith(where, item.path)) return true;
    if (item.name === undefined || !names(problem.message, item.name)) return false;
    return item.referable || startsWith(item.path, where);
  });
}

function startsWith(path: readonly PropertyKey[], prefix: readonly PropertyKey[]): boolean {
  return prefix.length <= path.length && prefix.every((segment, index) => path[index] === segment);
}

function names(text: string, name: string): boolean {
  return new RegExp(`(^|[^A-Za-z0-9_])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^A-Za-z0-9_]|$)`).test(
    text,
  );
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
