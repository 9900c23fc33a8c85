import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import type { Question } from '../blueprint/blueprint-schema.ts';
import { oneOf } from '../blueprint/did-you-mean.ts';
import type { Blueprint } from '../blueprint/load-blueprint.ts';
import type { AnswerValue } from '../blueprint/references.ts';
import { StackguideError } from '../errors.ts';
import { checkYamlNesting, INPUT_LIMITS, readLimitedFile } from '../input-limits.ts';
import type { SavedStepInputs } from '../steps/step.ts';

/**
 * The answers file: everything an unattended re-run needs, and nothing secret, so it is safe to commit.
 * Secret answers are never written; unattended runs read them from STACKGUIDE_SECRET_<ID>.
 */
export interface AnswersFile {
  blueprint: string;
  blueprintVersion?: string;
  deployment?: string;
  region?: string;
  /** When set, the run refuses any other account: a guard against the wrong credentials. */
  account?: string;
  answers: Record<string, AnswerValue>;
  /** What preparation steps asked for (never a secret), by step id. */
  steps?: Record<string, SavedStepInputs>;
}

// Lists of numbers are taken as text: whether an answer fits its question (a number, a list) is the
// question's check, which names the type it expects.
const answerValue = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.array(z.union([z.string(), z.number(), z.boolean()]).transform(String)),
]);

const answersFileSchema = z
  .object({
    blueprint: z.string(),
    blueprintVersion: z.string().optional(),
    deployment: z.string().optional(),
    region: z.string().optional(),
    account: z.union([z.string(), z.number()]).transform(String).optional(),
    answers: z.record(z.string(), answerValue).default({}),
    steps: z.record(z.string(), z.record(z.string(), answerValue)).optional(),
  })
  .strict();

export async function readAnswersFile(path: string): Promise<AnswersFile> {
  const text = await readLimitedFile(path, INPUT_LIMITS.yamlBytes, 'the answers file').catch(
    (cause: unknown) => {
      if (cause instanceof StackguideError) throw cause;
      throw new StackguideError(`Cannot read the answers file ${path}`, {
        code: 'answers.unreadable',
        kind: 'user',
        cause,
        nextSteps: ['Check the path given to --config.'],
      });
    },
  );
  checkYamlNesting(text, `the answers file ${path}`);
  let document: unknown;
  try {
    document = parse(text, { maxAliasCount: INPUT_LIMITS.aliases });
  } catch (cause) {
    throw new StackguideError(
      `The answers file ${path} is not valid YAML: ${(cause as Error).message.split('\n')[0]}`,
      {
        code: 'answers.invalid',
        kind: 'user',
        cause,
      },
    );
  }
  const parsed = answersFileSchema.safeParse(document ?? {}, { reportInput: true });
  if (!parsed.success) {
    throw new StackguideError(`The answers file ${path} has ${parsed.error.issues.length} problem(s)`, {
      code: 'answers.invalid',
      kind: 'user',
      details: parsed.error.issues.map((issue) => ({
        path: issue.path.join('.') || '(top level)',
        ...answersFileIssue(issue),
      })),
    });
  }
  const { blueprintVersion, deployment, region, account, steps, ...rest } = parsed.data;
  return {
    ...rest,
    ...(steps !== undefined ? { steps } : {}),
    ...(blueprintVersion !== undefined ? { blueprintVersion } : {}),
    ...(deployment !== undefined ? { deployment } : {}),
    ...(region !== undefined ? { region } : {}),
    ...(account !== undefined ? { account } : {}),
  };
}

/** An answers file is for one blueprint: another blueprint's is refused before anything is asked. */
export function checkAnswersBlueprint(saved: AnswersFile, blueprintId: string): void {
  if (saved.blueprint === blueprintId) return;
  throw new StackguideError(`The answers file is for blueprint "${saved.blueprint}", not "${blueprintId}"`, {
    code: 'answers.wrong-blueprint',
    kind: 'user',
    details: [
      {
        path: 'blueprint',
        message: `is "${saved.blueprint}"`,
        fix: `Use the answers file of ${blueprintId}, or --blueprint for ${saved.blueprint}.`,
      },
    ],
  });
}

/** Writes atomically (temp file, then rename) so a crash never leaves half a file. */
export async function writeAnswersFile(path: string, blueprint: Blueprint, file: AnswersFile): Promise<void> {
  const secretIds = new Set(blueprint.questions.filter((q) => q.type === 'secret').map((q) => q.id));
  const answers = Object.fromEntries(Object.entries(file.answers).filter(([id]) => !secretIds.has(id)));
  const header = [
    '# stackguide answers file: safe to commit, it never holds a secret.',
    `# Re-run unattended: stackguide install --blueprint ${blueprint.source} --config ${path} --yes`,
    ...[...secretIds].map(
      (id) =>
        `# Secret "${id}" is not stored: set STACKGUIDE_SECRET_${id.toUpperCase()} for unattended runs.`,
    ),
  ].join('\n');
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  // Always the same key order, whatever the caller spread together: diffs of the file stay readable.
  const ordered = {
    blueprint: file.blueprint,
    ...(file.blueprintVersion !== undefined ? { blueprintVersion: file.blueprintVersion } : {}),
    ...(file.deployment !== undefined ? { deployment: file.deployment } : {}),
    ...(file.region !== undefined ? { region: file.region } : {}),
    ...(file.account !== undefined ? { account: file.account } : {}),
    answers,
    ...(file.steps !== undefined && Object.keys(file.steps).length > 0 ? { steps: file.steps } : {}),
  };
  await writeFile(temporary, `${header}\n${stringify(ordered)}`, 'utf8');
  await rename(temporary, path);
}

const TOP_LEVEL_KEYS = [
  'blueprint',
  'blueprintVersion',
  'deployment',
  'region',
  'account',
  'answers',
  'steps',
];

/** The message and fix of a shape problem, naming the expected type and, for a typo, the right key. */
function answersFileIssue(issue: z.core.$ZodIssue): { message: string; fix: string } {
  switch (issue.code) {
    case 'unrecognized_keys':
      return {
        message: `unknown key${issue.keys.length === 1 ? '' : 's'} ${issue.keys.join(', ')}`,
        fix: `${issue.keys.map((key) => oneOf(key, TOP_LEVEL_KEYS)).join(' ')} Answers go under answers:.`,
      };
    case 'invalid_type':
      return {
        message: `is ${describe(issue.input)}, not ${issue.expected === 'record' ? 'a map' : `a ${issue.expected}`}`,
        fix: `Make it ${issue.expected === 'record' ? 'a map of key: value' : `a ${issue.expected}`}.`,
      };
    case 'invalid_union':
      return {
        message: `is ${describe(issue.input)}`,
        fix: 'Give a text, a number, true or false, or a list of texts.',
      };
    default:
      return {
        message: issue.message,
        fix: 'See the answers file written by `stackguide install` for the shape.',
      };
  }
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a map' : `the ${typeof value} ${JSON.stringify(value)}`;
}

/**
 * Whether writing `next` over the file `saved` was read from would change what it says: a deployment,
 * region, step input or answer that differs. An answer the file leaves out and that takes the
 * question's default is no change (a re-run would take the default again), and neither is the
 * blueprint version alone, so running a committed answers file leaves it as it is, comments and all.
 */
export function answersChanged(
  saved: AnswersFile | undefined,
  next: AnswersFile,
  questions: readonly Question[],
): boolean {
  if (!saved) return true;
  if (saved.deployment !== next.deployment || saved.region !== next.region) return true;
  if (!sameValue(saved.steps ?? {}, next.steps ?? {})) return true;
  return changedAnswerIds(saved.answers, next.answers, questions).length > 0;
}

/**
 * The ids of the answers whose value differs between two sets, in the blueprint's order of questions
 * (an answer the first set leaves out counts as its question's default). Secrets never reach a file,
 * so they are not compared.
 */
export function changedAnswerIds(
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
  questions: readonly Question[],
): string[] {
  const secrets = new Set(questions.filter((q) => q.type === 'secret').map((q) => q.id));
  const order = questions.map((q) => q.id);
  const ids = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(
    (a, b) => (order.indexOf(a) + 1 || order.length + 1) - (order.indexOf(b) + 1 || order.length + 1),
  );
  return ids.filter((id) => {
    if (secrets.has(id)) return false;
    const question = questions.find((q) => q.id === id);
    const fallback = question && 'default' in question ? question.default : undefined;
    return !sameValue(normalize(before[id] ?? fallback), normalize(after[id]));
  });
}

/** Numbers and switches compare as the text a file may hold them as ("300" and 300 are one answer). */
function normalize(value: unknown): unknown {
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
}

/** Equal as data: the order of a map's keys is how a file happens to be written, not an answer. */
function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, entry]) => [key, canonical(entry)]),
  );
}
