import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { Question } from '../blueprint/blueprint-schema.ts';
import { type AnswerValue, type ReferenceScope, resolveValue } from '../blueprint/references.ts';
import { StackguideError } from '../errors.ts';
import { checkYamlNesting, INPUT_LIMITS, readLimitedFile } from '../input-limits.ts';
import { lineDiff } from './line-diff.ts';

/**
 * Configuration files a platform reads itself (QHub's config, say), rendered from the blueprint's
 * YAML templates with the operator's answers and written beside the answers file. In a template:
 * - a string that is one reference (`'{{answers.users}}'`) keeps the answer's type: list, number, flag;
 * - other strings interpolate references: `https://jupyter.{{answers.domain}}/hub/oauth_callback`;
 * - a mapping with `$forEach: answers.<id>` repeats its `$value` for every item of a list answer, as a
 *   list, or as a mapping when `$key` is given; `$split: ':'` splits each item into `{{item.0}}`,
 *   `{{item.1}}`, ... (the whole item is `{{item}}`; `{{item.first}}` is true for the first only);
 * - a mapping with `$when: { <answer id>: <value> }` renders its `$value` only when every named answer
 *   has that value, and is left out otherwise; `<answer id>: { given: true }` holds when the answer was
 *   given (not empty, not an empty list), `{ given: false }` when it was left empty, so an optional
 *   answer's key can be left out of the file and the platform picks its own default;
 * - a `$merge` key in a mapping renders its value (a mapping, a `$forEach` with `$key`, or a `$when`)
 *   and merges the entries into the surrounding mapping: fixed node groups and the operator's extra
 *   ones under one `node_groups`, say.
 * Secret answers are never written: their place holds a note saying where the value must come from.
 */
export interface RenderContext {
  scope: ReferenceScope;
  questions: readonly Question[];
}

type Item = { whole: string; parts: string[]; first: boolean };

/** What a `$when` that does not hold renders to: the entry or list item holding it is left out. */
const OMITTED = Symbol('omitted');

export function renderTemplate(template: unknown, context: RenderContext, item?: Item): unknown {
  const rendered = renderNode(template, context, item);
  return rendered === OMITTED ? undefined : rendered;
}

function renderNode(template: unknown, context: RenderContext, item: Item | undefined): unknown {
  if (typeof template === 'string') return renderString(template, context, item);
  if (Array.isArray(template))
    return template.map((entry) => renderNode(entry, context, item)).filter((entry) => entry !== OMITTED);
  if (template === null || typeof template !== 'object') return template;
  const map = template as Record<string, unknown>;
  if ('$forEach' in map) return renderEach(map, context);
  if ('$when' in map) return whenHolds(map.$when, context) ? renderNode(map.$value, context, item) : OMITTED;
  const entries: Array<[string, unknown]> = [];
  for (const [key, value] of Object.entries(map)) {
    if (key === '$merge') {
      const merged = renderNode(value, context, item);
      if (merged !== OMITTED && merged !== null && typeof merged === 'object' && !Array.isArray(merged))
        entries.push(...Object.entries(merged));
      continue;
    }
    const rendered = renderNode(value, context, item);
    if (rendered !== OMITTED) entries.push([String(renderString(key, context, item)), rendered]);
  }
  return Object.fromEntries(entries);
}

/**
 * `$when: { auth_type: Auth0 }`: every named answer has the given value; `{ zones: { given: true } }`:
 * the answer was given. The load-time check (file-template-directives.ts) has already refused any
 * other form, so an unexpected one here simply does not hold.
 */
function whenHolds(condition: unknown, context: RenderContext): boolean {
  if (condition === null || typeof condition !== 'object') return false;
  return Object.entries(condition as Record<string, unknown>).every(([id, expected]) => {
    const answer = context.scope.answers[id.replace(/^answers\./, '')];
    if (expected !== null && typeof expected === 'object') {
      const wanted = (expected as { given?: unknown }).given;
      return typeof wanted === 'boolean' && isGiven(answer) === wanted;
    }
    return answer === expected;
  });
}

/** An optional question left empty holds '' (or an empty list); anything else was given. */
function isGiven(answer: AnswerValue | undefined): boolean {
  if (answer === undefined) return false;
  if (Array.isArray(answer)) return answer.length > 0;
  return typeof answer !== 'string' || answer.trim() !== '';
}

function renderEach(map: Record<string, unknown>, context: RenderContext): unknown {
  const source = String(map.$forEach).replace(/^answers\./, '');
  const raw = context.scope.answers[source];
  const items = Array.isArray(raw) ? raw.map(String) : raw === undefined || raw === '' ? [] : [String(raw)];
  const split = typeof map.$split === 'string' ? map.$split : undefined;
  const each = items.map((whole, index) => ({
    whole,
    parts: split ? whole.split(split) : [whole],
    first: index === 0,
  }));
  if (map.$key === undefined) return each.map((entry) => renderNode(map.$value, context, entry));
  return Object.fromEntries(
    each.map((entry) => [
      String(renderString(String(map.$key), context, entry)),
      renderNode(map.$value, context, entry),
    ]),
  );
}

const WHOLE = /^\{\{\s*([^}]+?)\s*\}\}$/;

function renderString(text: string, context: RenderContext, item: Item | undefined): unknown {
  const whole = WHOLE.exec(text);
  if (whole?.[1]) return lookup(whole[1], context, item);
  return text.replace(/\{\{\s*([^}]+?)\s*\}\}/g, (_match, reference: string) => {
    const value = lookup(reference, context, item);
    return Array.isArray(value) ? value.join(',') : String(value);
  });
}

function lookup(reference: string, context: RenderContext, item: Item | undefined): unknown {
  if (reference === 'item') return item?.whole ?? '';
  if (reference === 'item.first') return item?.first ?? false;
  const part = /^item\.(\d+)$/.exec(reference);
  if (part?.[1]) return typed(item?.parts[Number(part[1])] ?? '');
  const answer = /^answers\.(\w+)$/.exec(reference)?.[1];
  if (answer) {
    const question = context.questions.find((q) => q.id === answer);
    if (question?.type === 'secret')
      return `<secret ${answer}: not written here; give it as STACKGUIDE_SECRET_${answer.toUpperCase()}>`;
    const value: AnswerValue | undefined = context.scope.answers[answer];
    if (value !== undefined) return value;
  }
  return resolveValue(`{{${reference}}}`, context.scope, `file template {{${reference}}}`);
}

/** Numbers written into an item stay numbers in the YAML (uid 10000001, not "10000001"). */
function typed(text: string): string | number {
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

/**
 * How a re-run treats a rendered file the operator edited by hand since stackguide wrote it (the
 * checksum in its header no longer matches): never silently replaced.
 */
export interface HandEditPolicy {
  /** `--overwrite`: replace it without asking. */
  overwrite: boolean;
  /** In a terminal: shown the difference, answers whether to replace it. Absent (unattended): refuse. */
  confirm?: (path: string, difference: string) => Promise<boolean>;
}

/** `kept`: the operator's edited file was left as it was, at their word. */
export type RenderedFileOutcome = 'created' | 'updated' | 'unchanged' | 'kept';

const HEADER =
  '# Written by stackguide from your answers; edit the answers file and install again to change it.';
const CHECKSUM = /^# stackguide-sha256: ([0-9a-f]{64})\n/m;

/**
 * Renders one blueprint file template and writes it (atomically) next to the answers file. The header
 * carries the checksum of what was written, so a later run can tell a file the operator edited from one
 * only stackguide touched, and never overwrites their edits without showing them first.
 */
export async function writeRenderedFile(
  templatePath: string,
  target: string,
  context: RenderContext,
  policy: HandEditPolicy = { overwrite: false },
): Promise<RenderedFileOutcome> {
  let template: unknown;
  try {
    const text = await readLimitedFile(templatePath, INPUT_LIMITS.yamlBytes, 'the file template');
    checkYamlNesting(text, `the file template ${templatePath}`);
    template = parse(text, { maxAliasCount: INPUT_LIMITS.aliases });
  } catch (cause) {
    if (cause instanceof StackguideError) throw cause;
    throw new StackguideError(`The file template ${templatePath} cannot be read as YAML`, {
      code: 'blueprint.file-template',
      kind: 'user',
      cause,
    });
  }
  const body = stringify(renderTemplate(template, context));
  const content = `${HEADER}\n# stackguide-sha256: ${sha256(body)}\n${body}`;
  const existing = await readFile(target, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new StackguideError(`${target} cannot be read`, {
      code: 'file.unreadable',
      kind: 'user',
      cause: error,
    });
  });
  if (existing === content) return 'unchanged';
  if (existing !== undefined && editedByHand(existing) && !policy.overwrite) {
    const difference = lineDiff(withoutHeader(existing), body);
    if (!policy.confirm) {
      throw new StackguideError(`${target} was edited by hand, and this install would change it`, {
        code: 'file.edited',
        kind: 'user',
        details: [{ path: target, message: `what the install would write instead:\n${difference}` }],
        nextSteps: [
          'Move your edits into the answers file (or the blueprint), so every install writes them, then run again.',
          'Or run again with --overwrite to replace the edited file.',
        ],
      });
    }
    if (!(await policy.confirm(target, difference))) return 'kept';
  }
  await mkdir(dirname(target), { recursive: true });
  const temporary = join(dirname(target), `.${process.pid}.tmp`);
  await writeFile(temporary, content, 'utf8');
  await rename(temporary, target);
  return existing === undefined ? 'created' : 'updated';
}

/** The file as the operator sees it, without the two lines stackguide writes above it. */
function withoutHeader(text: string): string {
  return text
    .split('\n')
    .filter((line, index) => !(index < 2 && (line === HEADER || CHECKSUM.test(`${line}\n`))))
    .join('\n');
}

/** A file whose checksum line is missing or does not match its body was changed by someone else. */
function editedByHand(text: string): boolean {
  const checksum = CHECKSUM.exec(text);
  if (!checksum) return true;
  return sha256(text.slice(checksum.index + checksum[0].length)) !== checksum[1];
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
