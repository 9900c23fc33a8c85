import { join } from 'node:path';
import { parse } from 'yaml';
import { StackguideError } from '../../errors.ts';
import { checkYamlNesting, INPUT_LIMITS, readLimitedFile } from '../../input-limits.ts';
import type { BlueprintDocument, Question } from '../blueprint-schema.ts';
import { oneOf } from '../did-you-mean.ts';
import { DIRECTIVE_KEYS, MERGE_KEY, whenConditionSchema } from '../file-template-schema.ts';
import type { CheckProblem } from './blueprint-check.ts';

/**
 * Every file template (`files[].template`) can be read and uses only directives the renderer knows,
 * naming questions that exist: a misspelt `$when` would otherwise leave a key out of the platform's
 * configuration without a word, and the operator would learn of it from the platform.
 */
export async function fileTemplateProblems(
  blueprint: BlueprintDocument,
  dir: string,
): Promise<CheckProblem[]> {
  const problems: CheckProblem[] = [];
  const questions = new Map(blueprint.questions.map((question) => [question.id, question]));
  for (const [index, file] of blueprint.files.entries()) {
    let template: unknown;
    try {
      const text = await readLimitedFile(
        join(dir, file.template),
        INPUT_LIMITS.yamlBytes,
        'the file template',
      );
      checkYamlNesting(text, `the file template ${file.template}`);
      template = parse(text, { maxAliasCount: INPUT_LIMITS.aliases });
    } catch (cause) {
      problems.push({
        segments: ['files', index, 'template'],
        message:
          cause instanceof StackguideError
            ? cause.message
            : `the file template ${file.template} cannot be read as YAML: ${(cause as Error).message.split('\n')[0]}`,
        fix: 'Give the path of a YAML file in the blueprint folder, and fix its syntax.',
      });
      continue;
    }
    walk(
      template,
      [],
      (segments, message, fix) => problems.push({ file: file.template, segments, message, fix }),
      questions,
    );
  }
  return problems;
}

type Report = (segments: PropertyKey[], message: string, fix: string) => void;

function walk(
  node: unknown,
  at: PropertyKey[],
  report: Report,
  questions: ReadonlyMap<string, Question>,
): void {
  if (typeof node === 'string') {
    for (const match of node.matchAll(/\{\{\s*answers\.(\w+)\s*\}\}/g)) {
      const id = match[1] ?? '';
      if (!questions.has(id))
        report(at, `{{answers.${id}}} refers to no question`, oneOf(id, [...questions.keys()]));
    }
    return;
  }
  if (Array.isArray(node)) {
    for (const [index, entry] of node.entries()) walk(entry, [...at, index], report, questions);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const map = node as Record<string, unknown>;
  const directive = '$forEach' in map ? '$forEach' : '$when' in map ? '$when' : undefined;
  if (directive) {
    const allowed: readonly string[] = DIRECTIVE_KEYS[directive];
    for (const key of Object.keys(map).filter((key) => !allowed.includes(key)))
      report(
        [...at, key],
        `"${key}" does not belong in a ${directive} mapping`,
        `A ${directive} mapping holds only ${allowed.join(', ')}.`,
      );
    if (directive === '$forEach') checkForEach(map.$forEach, [...at, '$forEach'], report, questions);
    else checkWhen(map.$when, [...at, '$when'], report, questions);
    if ('$key' in map) walk(map.$key, [...at, '$key'], report, questions);
    walk(map.$value, [...at, '$value'], report, questions);
    return;
  }
  for (const [key, value] of Object.entries(map)) {
    if (key.startsWith('$') && key !== MERGE_KEY)
      report(
        [...at, key],
        `"${key}" is not a directive the renderer knows`,
        `Use ${MERGE_KEY}, $forEach or $when.`,
      );
    walk(value, [...at, key], report, questions);
  }
}

function checkForEach(
  source: unknown,
  at: PropertyKey[],
  report: Report,
  questions: ReadonlyMap<string, Question>,
): void {
  const id = typeof source === 'string' ? source.replace(/^answers\./, '') : '';
  const question = questions.get(id);
  if (!question)
    report(at, `$forEach: ${String(source)} names no question`, oneOf(id, [...questions.keys()]));
  else if (question.type !== 'list')
    report(
      at,
      `$forEach: ${String(source)} is a ${question.type} question, not a list`,
      'Repeat over a list question.',
    );
}

function checkWhen(
  condition: unknown,
  at: PropertyKey[],
  report: Report,
  questions: ReadonlyMap<string, Question>,
): void {
  const parsed = whenConditionSchema.safeParse(condition);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    report(
      [...at, ...(issue?.path ?? [])],
      `$when ${issue?.message ?? 'is not a condition'}`,
      'Write $when: { <answer id>: <value> } to test a value, or { <answer id>: { given: true } } to test that it was given.',
    );
    return;
  }
  for (const [key, expected] of Object.entries(parsed.data)) {
    const id = key.replace(/^answers\./, '');
    const question = questions.get(id);
    if (!question) {
      report([...at, key], `$when names no question "${id}"`, oneOf(id, [...questions.keys()]));
      continue;
    }
    if (question.type !== 'choice' || typeof expected === 'object') continue;
    const values = question.choices.map((choice) => (typeof choice === 'string' ? choice : choice.value));
    if (!values.includes(String(expected)))
      report(
        [...at, key],
        `$when tests "${id}" for "${String(expected)}", which is not one of its choices`,
        oneOf(String(expected), values),
      );
  }
}
