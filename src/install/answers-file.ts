import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import type { Blueprint } from '../blueprint/load-blueprint.ts';
import type { AnswerValue } from '../blueprint/references.ts';
import { StackguideError } from '../errors.ts';
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

const answerValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);

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
  const text = await readFile(path, 'utf8').catch((cause: unknown) => {
    throw new StackguideError(`Cannot read the answers file ${path}`, {
      code: 'answers.unreadable',
      kind: 'user',
      cause,
      nextSteps: ['Check the path given to --config.'],
    });
  });
  let document: unknown;
  try {
    document = parse(text);
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
  const parsed = answersFileSchema.safeParse(document ?? {});
  if (!parsed.success) {
    throw new StackguideError(`The answers file ${path} has ${parsed.error.issues.length} problem(s)`, {
      code: 'answers.invalid',
      kind: 'user',
      details: parsed.error.issues.map((issue) => ({
        path: issue.path.join('.') || '(top level)',
        message: issue.message,
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
