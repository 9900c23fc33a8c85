import { stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { type Document, isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { type ErrorDetail, StackguideError } from '../errors.ts';
import { creationOrder } from '../graph/deployment-graph.ts';
import { checkYamlNesting, INPUT_LIMITS, readLimitedFile, yamlData } from '../input-limits.ts';
import { parseTemplateDocument, summarizeTemplate } from '../stacks/cloudformation-template.ts';
import { findStepConfig } from '../steps/step-configs.ts';
import { deploymentNameProblem, validateAnswer } from './answer-validation.ts';
import { type BlueprintDocument, blueprintSchema, type StackDefinition } from './blueprint-schema.ts';
import type { CheckProblem, LoadedTemplate, NestedTemplate } from './checks/blueprint-check.ts';
import { runBlueprintChecks } from './checks/run-blueprint-checks.ts';
import { oneOf } from './did-you-mean.ts';
import { partialBlueprint } from './partial-blueprint.ts';
import { parseReferences, REFERENCE_FORMS } from './references.ts';
import { schemaHint, schemaProblems } from './schema-problems.ts';

/** A blueprint that passed every check, with its templates read and summarised. */
export interface Blueprint extends BlueprintDocument {
  /** Absolute path of the blueprint folder. */
  readonly dir: string;
  /** The file as given on the command line, for messages and the equivalent command. */
  readonly source: string;
  /** Template bodies and summaries by stack id; stacks with a templateUrl have none. */
  readonly templates: Readonly<Record<string, LoadedTemplate>>;
  /** Nested templates given as files in the folder, by the id of the stack that holds them. */
  readonly nested: Readonly<Record<string, readonly NestedTemplate[]>>;
}

const BLUEPRINT_FILE = 'blueprint.yaml';

/**
 * Loads and checks a blueprint: the schema first, then everything a schema cannot say (references,
 * template files and their parameters, dependency cycles, defaults that fail their own validation).
 * Every problem is collected and reported at once, each by its path and line, with the fix.
 */
export async function loadBlueprint(location: string): Promise<Blueprint> {
  const file = await blueprintFile(location);
  const text = await readLimitedFile(file, INPUT_LIMITS.yamlBytes, 'the blueprint').catch(
    (cause: unknown) => {
      if (cause instanceof StackguideError) throw cause;
      throw new StackguideError(`Cannot read the blueprint ${file}`, {
        code: 'blueprint.unreadable',
        kind: 'user',
        cause,
        nextSteps: ['Pass --blueprint <folder> pointing at a folder with a blueprint.yaml.'],
      });
    },
  );
  const lines = new LineCounter();
  checkYamlNesting(text, `the blueprint ${file}`);
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const where = (path: PropertyKey[]): string => `${basename(file)}:${lineOf(document, lines, path)}`;

  if (document.errors.length > 0) {
    const details = document.errors.map((error) => ({
      path: `${basename(file)}:${lines.linePos(error.pos[0]).line}`,
      message: error.message.split('\n')[0] ?? error.message,
      fix: 'Fix the YAML syntax at that line.',
    }));
    throw invalid(file, location, details);
  }

  const raw = yamlData(document, `the blueprint ${file}`);
  // reportInput: the problems say what the file holds where it is wrong ("the number 300, where text is expected").
  const parsed = blueprintSchema.safeParse(raw, { reportInput: true });
  const readable = parsed.success ? undefined : partialBlueprint(blueprintSchema, raw);
  const fromSchema = parsed.success
    ? []
    : schemaProblems(parsed.error.issues, raw, blueprintSchema, schemaHint(text, raw, dirname(file)));
  const data = parsed.success ? parsed.data : readable?.data;
  // Nothing left to read past the schema's problems (no stacks at all): they are the whole report.
  if (data === undefined)
    throw invalid(
      file,
      location,
      fromSchema.map((problem) => shown(problem, where)),
    );

  const blueprintDir = dirname(file);
  const templates: Record<string, LoadedTemplate> = {};
  const details = await semanticProblems(data, blueprintDir, templates);
  // The cross checks need every template loaded; with one missing they would report noise.
  const checked = details.length === 0 ? await runBlueprintChecks(data, blueprintDir, templates) : undefined;
  // Found in a blueprint with parts set aside: said at the file's own paths, and echoes of what was set
  // aside (a reference to the question whose prompt is misspelt) left out, it being reported already.
  const later = [...details, ...(checked?.problems ?? [])].flatMap((problem: CheckProblem) =>
    readable === undefined
      ? [problem]
      : readable.echoes(problem)
        ? []
        : [
            {
              ...problem,
              segments: problem.file === undefined ? readable.toFile(problem.segments) : problem.segments,
            },
          ],
  );
  const problems: CheckProblem[] = [...fromSchema, ...later];
  if (problems.length > 0 || !parsed.success) {
    throw invalid(
      file,
      location,
      problems.map((problem) => shown(problem, where)),
    );
  }
  return {
    ...parsed.data,
    // Dependencies first, whatever order the file lists them in: every consumer of the stack list
    // (the review, the default destroy and upgrade orders) may read it as a creation order.
    stacks: creationOrder(parsed.data, templates),
    dir: blueprintDir,
    source: location,
    templates,
    nested: checked?.nested ?? {},
  };
}

async function blueprintFile(location: string): Promise<string> {
  const absolute = resolve(location);
  const info = await stat(absolute).catch(() => undefined);
  if (info === undefined) {
    throw new StackguideError(`No blueprint at ${location}`, {
      code: 'blueprint.not-found',
      kind: 'user',
      nextSteps: [
        'Pass --blueprint <folder> pointing at a folder with a blueprint.yaml (try blueprints/demo).',
      ],
    });
  }
  return info.isDirectory() ? join(absolute, BLUEPRINT_FILE) : absolute;
}

function invalid(file: string, location: string, details: ErrorDetail[]): StackguideError {
  return new StackguideError(
    `The blueprint ${file} has ${details.length} problem${details.length === 1 ? '' : 's'}`,
    {
      code: 'blueprint.invalid',
      kind: 'user',
      details,
      nextSteps: [
        `Fix each problem above, then run \`stackguide validate ${shellWord(location)}\` until it reports none.`,
      ],
    },
  );
}

/** A problem as the error lists it: the line and path in blueprint.yaml, or the template file's path. */
function shown(
  { segments, message, fix, file: inTemplate }: CheckProblem,
  where: (path: PropertyKey[]) => string,
): ErrorDetail {
  return {
    path:
      inTemplate === undefined
        ? `${where(segments)} ${formatPath(segments)}`
        : `${inTemplate}${segments.length > 0 ? ` ${formatPath(segments)}` : ''}`,
    message,
    fix,
  };
}

/** The folder as typed, quoted when the shell would split it. */
function shellWord(text: string): string {
  return /^[\w./~@%+=:,-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}

interface SemanticProblem {
  segments: PropertyKey[];
  message: string;
  fix: string;
}

async function semanticProblems(
  blueprint: BlueprintDocument,
  dir: string,
  templates: Record<string, LoadedTemplate>,
): Promise<SemanticProblem[]> {
  const problems: SemanticProblem[] = [];
  const add = (segments: PropertyKey[], message: string, fix: string): void => {
    problems.push({ segments, message, fix });
  };

  const nameRules = blueprint.deployment;
  for (const [key, pattern] of [['pattern', nameRules.pattern]] as const) {
    if (!compiles(pattern))
      add(
        ['deployment', key],
        `"${pattern}" is not a valid regular expression`,
        'Write a JavaScript regular expression.',
      );
  }
  if (nameRules.default !== undefined && compiles(nameRules.pattern)) {
    const problem = deploymentNameProblem(nameRules, nameRules.default);
    if (problem) add(['deployment', 'default'], problem.message, problem.fix);
  }

  const questionIds = new Set<string>();
  blueprint.questions.forEach((question, index) => {
    if (questionIds.has(question.id))
      add(['questions', index, 'id'], `"${question.id}" is used twice`, 'Give every question its own id.');
    questionIds.add(question.id);
    for (const key of ['pattern', 'itemPattern'] as const) {
      const pattern = (question as Record<string, unknown>)[key];
      if (typeof pattern === 'string' && !compiles(pattern))
        add(
          ['questions', index, key],
          `"${pattern}" is not a valid regular expression`,
          'Write a JavaScript regular expression.',
        );
    }
    if ('default' in question && question.default !== undefined) {
      const check = safeValidate(question, question.default);
      if (!check.ok) add(['questions', index, 'default'], `the default ${check.message}`, check.fix);
    }
  });
  blueprint.questions.forEach((question, index) => {
    for (const key of ['requires', 'excludes'] as const) {
      (question[key] ?? []).forEach((other, position) => {
        if (!questionIds.has(other))
          add(
            ['questions', index, key, position],
            `"${other}" is not a question id`,
            oneOf(other, [...questionIds]),
          );
      });
    }
  });

  const stepIds = new Set<string>();
  blueprint.steps.forEach((step, index) => {
    if (stepIds.has(step.id))
      add(['steps', index, 'id'], `"${step.id}" is used twice`, 'Give every step its own id.');
    stepIds.add(step.id);
  });

  const stackIds = new Map<string, number>();
  blueprint.stacks.forEach((stack, index) => {
    if (stackIds.has(stack.id))
      add(['stacks', index, 'id'], `"${stack.id}" is used twice`, 'Give every stack its own id.');
    stackIds.set(stack.id, index);
  });

  for (const [index, stack] of blueprint.stacks.entries()) {
    const at = (...rest: PropertyKey[]): PropertyKey[] => ['stacks', index, ...rest];
    if ((stack.template === undefined) === (stack.templateUrl === undefined)) {
      add(
        at(),
        'needs exactly one of template and templateUrl',
        'Set template: <file in the blueprint folder>, or templateUrl: <https URL>.',
      );
    }
    if (
      stack.templateUrl !== undefined &&
      !/^https:\/\//.test(stack.templateUrl) &&
      !stack.templateUrl.includes('{{')
    ) {
      add(
        at('templateUrl'),
        `"${stack.templateUrl}" is not an https URL`,
        'Use the S3 https URL of the template.',
      );
    }
    for (const [position, dependency] of stack.dependsOn.entries()) {
      const target = stackIds.get(dependency);
      if (target === undefined)
        add(
          at('dependsOn', position),
          `"${dependency}" is not a stack id`,
          oneOf(dependency, [...stackIds.keys()]),
        );
    }

    const ancestors = dependencyClosure(blueprint.stacks, stack);
    const checkValue = (value: unknown, segments: PropertyKey[]): void => {
      if (typeof value !== 'string') return;
      for (const { source, reference } of parseReferences(value)) {
        if (!reference)
          add(
            segments,
            `{{${source}}} is not a reference stackguide knows`,
            `Use one of ${REFERENCE_FORMS}.`,
          );
        else if (reference.kind === 'answer' && !questionIds.has(reference.questionId))
          add(
            segments,
            `{{${source}}} refers to no question`,
            `Add a question with id "${reference.questionId}", or use one of: ${[...questionIds].join(', ') || '(none)'}.`,
          );
        else if (reference.kind === 'stepOutput') {
          const step = blueprint.steps.find((candidate) => candidate.id === reference.stepId);
          const declared = step ? findStepConfig(step.kind)?.outputs : undefined;
          const outputs = typeof declared === 'function' ? declared(step) : (declared ?? []);
          if (!step)
            add(
              segments,
              `{{${source}}} refers to no step`,
              `Use one of the step ids: ${blueprint.steps.map((x) => x.id).join(', ') || '(none)'}.`,
            );
          else if (!outputs.includes(reference.key))
            add(
              segments,
              `{{${source}}}: a ${step.kind} step has no output ${reference.key}`,
              `Use one of: ${outputs.join(', ') || '(it has none)'}.`,
            );
        } else if (reference.kind === 'stackOutput') {
          if (!ancestors.has(reference.stackId))
            add(
              segments,
              `{{${source}}} refers to a stack this one does not depend on`,
              `Add "${reference.stackId}" to dependsOn of stack "${stack.id}".`,
            );
          else if (
            templates[reference.stackId] &&
            !templates[reference.stackId]?.summary.outputs.includes(reference.outputKey)
          )
            add(
              segments,
              `{{${source}}}: the template of "${reference.stackId}" has no output ${reference.outputKey}`,
              `Use one of its outputs: ${templates[reference.stackId]?.summary.outputs.join(', ') || '(none)'}.`,
            );
        }
      }
    };
    checkValue(stack.name, at('name'));
    if (stack.templateUrl !== undefined) checkValue(stack.templateUrl, at('templateUrl'));
    for (const [key, value] of Object.entries(stack.tags)) checkValue(value, at('tags', key));
    for (const [key, value] of Object.entries(stack.parameters)) checkValue(value, at('parameters', key));

    if (stack.template !== undefined) {
      const loaded = await loadTemplate(join(dir, stack.template));
      if ('problem' in loaded) {
        add(at('template'), loaded.problem, loaded.fix);
        continue;
      }
      templates[stack.id] = loaded;
      const declared = loaded.summary.parameters;
      for (const key of Object.keys(stack.parameters)) {
        if (!(key in declared))
          add(
            at('parameters', key),
            `the template has no parameter ${key}`,
            `Use one of its parameters: ${Object.keys(declared).join(', ') || '(none)'}.`,
          );
      }
      for (const [name, parameter] of Object.entries(declared)) {
        if (parameter.default === undefined && !(name in stack.parameters))
          add(
            at('parameters'),
            `template parameter ${name} has no default and is not set`,
            `Map it, e.g. ${name}: "{{answers.<id>}}".`,
          );
      }
    }
  }
  return problems;
}

async function loadTemplate(path: string): Promise<LoadedTemplate | { problem: string; fix: string }> {
  let body: string;
  try {
    body = await readLimitedFile(path, INPUT_LIMITS.templateBytes, 'the template');
  } catch (cause) {
    if (cause instanceof StackguideError)
      return {
        problem: cause.message,
        fix: 'Split it into nested stacks (AWS::CloudFormation::Stack with TemplateURL: <file in the folder>).',
      };
    return {
      problem: `the template file ${path} cannot be read`,
      fix: 'Give a path relative to the blueprint folder.',
    };
  }
  try {
    const document = parseTemplateDocument(body);
    return { path, body, summary: summarizeTemplate(document), document };
  } catch (cause) {
    return {
      problem: `the template ${path} is not valid YAML or JSON: ${(cause as Error).message.split('\n')[0]}`,
      fix: 'Fix the template syntax.',
    };
  }
}

/** Every stack id that `stack` depends on, directly or through others. */
function dependencyClosure(stacks: readonly StackDefinition[], stack: StackDefinition): Set<string> {
  const byId = new Map(stacks.map((s) => [s.id, s]));
  const seen = new Set<string>();
  const pending = [...stack.dependsOn];
  while (pending.length > 0) {
    const id = pending.pop() as string;
    if (seen.has(id) || id === stack.id) continue;
    seen.add(id);
    pending.push(...(byId.get(id)?.dependsOn ?? []));
  }
  return seen;
}

function safeValidate(
  question: Parameters<typeof validateAnswer>[0],
  value: unknown,
): ReturnType<typeof validateAnswer> {
  try {
    return validateAnswer(question, value);
  } catch {
    return { ok: false, message: 'cannot be checked because a pattern is invalid', fix: 'Fix the pattern.' };
  }
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

/** `['stacks', 1, 'parameters', 'VpcCidr']` → `stacks[1].parameters.VpcCidr`. */
function formatPath(path: readonly PropertyKey[]): string {
  return (
    path
      .map((segment, index) =>
        typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${String(segment)}`,
      )
      .join('') || '(top level)'
  );
}

/** The line of the deepest node of `path` that exists in the document. */
function lineOf(document: Document, lines: LineCounter, path: PropertyKey[]): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = document.getIn(path.slice(0, depth) as unknown[], true) as
      | { range?: [number, number, number] }
      | undefined;
    if (node?.range) return lines.linePos(node.range[0]).line;
    if (depth === 0 && (isMap(document.contents) || isSeq(document.contents))) return 1;
  }
  return 1;
}
