import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { Question } from '../blueprint/blueprint-schema.ts';
import { type AnswerValue, type ReferenceScope, resolveValue } from '../blueprint/references.ts';
import { StackguideError } from '../errors.ts';

/**
 * Configuration files a platform reads itself (QHub's config, say), rendered from the blueprint's
 * YAML templates with the operator's answers and written beside the answers file. In a template:
 * - a string that is one reference (`'{{answers.users}}'`) keeps the answer's type: list, number, flag;
 * - other strings interpolate references: `https://jupyter.{{answers.domain}}/hub/oauth_callback`;
 * - a mapping with `$forEach: answers.<id>` repeats its `$value` for every item of a list answer, as a
 *   list, or as a mapping when `$key` is given; `$split: ':'` splits each item into `{{item.0}}`,
 *   `{{item.1}}`, ... (the whole item is `{{item}}`).
 * Secret answers are never written: their place holds a note saying where the value must come from.
 */
export interface RenderContext {
  scope: ReferenceScope;
  questions: readonly Question[];
}

type Item = { whole: string; parts: string[] };

export function renderTemplate(template: unknown, context: RenderContext, item?: Item): unknown {
  if (typeof template === 'string') return renderString(template, context, item);
  if (Array.isArray(template)) return template.map((entry) => renderTemplate(entry, context, item));
  if (template === null || typeof template !== 'object') return template;
  const map = template as Record<string, unknown>;
  if ('$forEach' in map) return renderEach(map, context);
  return Object.fromEntries(
    Object.entries(map).map(([key, value]) => [
      String(renderString(key, context, item)),
      renderTemplate(value, context, item),
    ]),
  );
}

function renderEach(map: Record<string, unknown>, context: RenderContext): unknown {
  const source = String(map.$forEach).replace(/^answers\./, '');
  const raw = context.scope.answers[source];
  const items = Array.isArray(raw) ? raw.map(String) : raw === undefined || raw === '' ? [] : [String(raw)];
  const split = typeof map.$split === 'string' ? map.$split : undefined;
  const each = items.map((whole) => ({ whole, parts: split ? whole.split(split) : [whole] }));
  if (map.$key === undefined) return each.map((entry) => renderTemplate(map.$value, context, entry));
  return Object.fromEntries(
    each.map((entry) => [
      String(renderString(String(map.$key), context, entry)),
      renderTemplate(map.$value, context, entry),
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

/** Renders one blueprint file template and writes it (atomically) next to the answers file. */
export async function writeRenderedFile(
  templatePath: string,
  target: string,
  context: RenderContext,
): Promise<void> {
  let template: unknown;
  try {
    template = parse(await readFile(templatePath, 'utf8'));
  } catch (cause) {
    throw new StackguideError(`The file template ${templatePath} cannot be read as YAML`, {
      code: 'blueprint.file-template',
      kind: 'user',
      cause,
    });
  }
  const rendered = renderTemplate(template, context);
  await mkdir(dirname(target), { recursive: true });
  const temporary = join(dirname(target), `.${process.pid}.tmp`);
  await writeFile(
    temporary,
    `# Written by stackguide from your answers; edit the answers file and install again to change it.\n${stringify(rendered)}`,
    'utf8',
  );
  await rename(temporary, target);
}
