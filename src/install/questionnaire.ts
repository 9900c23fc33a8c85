import { deploymentNameProblem, relationProblems, validateAnswer } from '../blueprint/answer-validation.ts';
import type { Question } from '../blueprint/blueprint-schema.ts';
import type { Blueprint } from '../blueprint/load-blueprint.ts';
import type { AnswerValue } from '../blueprint/references.ts';
import { type ErrorDetail, StackguideError } from '../errors.ts';
import type { AnswersFile } from './answers-file.ts';
import type { Prompter } from './prompter.ts';

/**
 * The questionnaire: region, deployment name and the blueprint's questions, each asked through the
 * prompter (live validation) or, when nothing may prompt, taken from --set, the answers file, secrets'
 * variables and defaults, every answer checked. Knows nothing of AWS.
 */
export interface QuestionnaireRequest {
  blueprint: Blueprint;
  region?: string;
  /** AWS_REGION, AWS_DEFAULT_REGION or the profile's region (src/aws/aws-settings.ts): after --region
   * and the answers file. */
  defaultRegion?: { value: string; source: string };
  deployment?: string;
  /** `--set id=value`, over the answers file. */
  sets: Record<string, string>;
  env: Readonly<Record<string, string | undefined>>;
}

/** Unattended: region, name and answers all at once, so one run reports every problem. */
export async function presetAnswers(
  request: QuestionnaireRequest,
  saved: AnswersFile | undefined,
): Promise<{ region: string; deployment: string; answers: Record<string, AnswerValue> }> {
  const settled = await Promise.allSettled([
    askRegion(request, saved, undefined),
    askDeploymentName(request, saved, undefined),
    askQuestions(request, saved, undefined),
  ] as const);
  const failures = settled.flatMap((result) =>
    result.status === 'rejected' ? [result.reason as unknown] : [],
  );
  if (failures.length > 0) {
    const errors = failures.filter(
      (failure): failure is StackguideError => failure instanceof StackguideError,
    );
    if (errors.length !== failures.length) throw failures[0];
    const details = errors.flatMap((error) => [...error.details]);
    // Invalid answers are reported before missing ones: they are what the operator typed wrong.
    throw errors.some((error) => error.code === 'answers.invalid' || error.code === 'region.unsupported')
      ? invalidAnswers(details)
      : missing(details);
  }
  const [region, deployment, answers] = settled.map(
    (result) => (result as PromiseFulfilledResult<unknown>).value,
  ) as [string, string, Record<string, AnswerValue>];
  return { region, deployment, answers };
}

export async function askRegion(
  request: QuestionnaireRequest,
  saved: AnswersFile | undefined,
  prompter: Prompter | undefined,
): Promise<string> {
  const { regions } = request.blueprint;
  // Unattended, the environment's or profile's region is used as the AWS CLI would use it; in a
  // terminal it is the region offered first.
  const given = request.region ?? saved?.region ?? (prompter ? undefined : request.defaultRegion?.value);
  if (given !== undefined) {
    if (!regions.includes(given)) {
      throw new StackguideError(`${request.blueprint.product.title} cannot be installed in ${given}`, {
        code: 'region.unsupported',
        kind: 'user',
        details: [
          {
            path: request.region
              ? '--region'
              : saved?.region
                ? 'region'
                : `${request.defaultRegion?.source ?? 'region'} (give --region to choose another)`,
            message: `"${given}" is not supported`,
            fix: `Use one of: ${regions.join(', ')}.`,
          },
        ],
      });
    }
    return given;
  }
  if (!prompter)
    throw missing([
      {
        path: '--region (or region: in the answers file)',
        message: 'no region given',
        fix: `Use one of: ${regions.join(', ')}.`,
      },
    ]);
  const fromEnvironment = request.defaultRegion?.value;
  return prompter.select({
    message: 'Which AWS region?',
    choices: regions.map((region) => ({ value: region })),
    ...(fromEnvironment && regions.includes(fromEnvironment) ? { default: fromEnvironment } : {}),
  });
}

export async function askDeploymentName(
  request: QuestionnaireRequest,
  saved: AnswersFile | undefined,
  prompter: Prompter | undefined,
): Promise<string> {
  const rules = request.blueprint.deployment;
  const given = request.deployment ?? saved?.deployment;
  if (given !== undefined) {
    const problem = deploymentNameProblem(rules, given);
    if (problem)
      throw invalidAnswers([
        { path: request.deployment ? '--name' : 'deployment', message: problem.message, fix: problem.fix },
      ]);
    return given;
  }
  if (!prompter)
    throw missing([
      {
        path: '--name (or deployment: in the answers file)',
        message: 'no deployment name given',
        fix: `Use ${rules.patternHint}.`,
      },
    ]);
  return prompter.input({
    message: 'Deployment name',
    help: `Names this installation's stacks and tags. ${rules.patternHint}, at most ${rules.maxLength} characters.`,
    ...(rules.default ? { default: rules.default } : {}),
    validate: (value) => {
      const problem = deploymentNameProblem(rules, value);
      return problem ? `${problem.message}. ${problem.fix}` : true;
    },
  });
}

export async function askQuestions(
  request: QuestionnaireRequest,
  saved: AnswersFile | undefined,
  prompter: Prompter | undefined,
): Promise<Record<string, AnswerValue>> {
  const answers: Record<string, AnswerValue> = {};
  const problems: ErrorDetail[] = [];
  const absent: ErrorDetail[] = [];
  let section: string | undefined;

  for (const question of request.blueprint.questions) {
    const source = answerSource(question, request, saved);
    if (source) {
      const check = validateAnswer(question, source.value);
      if (check.ok) answers[question.id] = check.value;
      else
        problems.push({
          path: source.path,
          message: `${question.type === 'secret' ? '(secret value)' : JSON.stringify(source.value)} ${check.message}`,
          fix: check.fix,
        });
      continue;
    }
    if (prompter) {
      if (question.section && question.section !== section) prompter.section(question.section);
      section = question.section;
      const answer = await ask(prompter, question);
      // An optional question left empty has no answer, exactly as when it is absent unattended.
      if (answer !== undefined) answers[question.id] = answer;
      continue;
    }
    if ('default' in question && question.default !== undefined) {
      answers[question.id] = question.default;
      continue;
    }
    if (question.required) {
      absent.push({
        path:
          question.type === 'secret'
            ? `STACKGUIDE_SECRET_${question.id.toUpperCase()}`
            : `answers.${question.id} (or --set ${question.id}=...)`,
        message: `"${question.prompt}" has no answer`,
        fix: hintFor(question),
      });
    }
  }
  if (problems.length > 0) throw invalidAnswers(problems);
  if (absent.length > 0) throw missing(absent);
  const relations = relationProblems(request.blueprint.questions, answers);
  if (relations.length > 0)
    throw invalidAnswers(
      relations.map((r) => ({ path: `answers.${r.questionId}`, message: r.message, fix: r.fix })),
    );
  return answers;
}

function answerSource(
  question: Question,
  request: QuestionnaireRequest,
  saved: AnswersFile | undefined,
): { value: unknown; path: string } | undefined {
  if (question.type === 'secret') {
    const variable = `STACKGUIDE_SECRET_${question.id.toUpperCase()}`;
    const value = request.env[variable];
    return value !== undefined ? { value, path: variable } : undefined;
  }
  if (request.sets[question.id] !== undefined)
    return { value: request.sets[question.id], path: `--set ${question.id}` };
  if (saved?.answers[question.id] !== undefined)
    return { value: saved.answers[question.id], path: `answers.${question.id}` };
  return undefined;
}

async function ask(prompter: Prompter, question: Question): Promise<AnswerValue | undefined> {
  const help = question.description;
  const live = (raw: string): string | true => {
    if (raw.trim() === '') return 'An answer is needed.';
    const check = validateAnswer(question, raw);
    return check.ok ? true : `${check.message}. ${check.fix}`;
  };
  const settle = (raw: unknown): AnswerValue => {
    const check = validateAnswer(question, raw);
    if (!check.ok)
      throw new StackguideError(`${question.id}: ${check.message}`, { code: 'bug.validation', kind: 'bug' });
    return check.value;
  };
  switch (question.type) {
    case 'boolean':
      return prompter.confirm({
        message: question.prompt,
        ...(question.default !== undefined ? { default: question.default } : {}),
      });
    case 'choice':
      return prompter.select({
        message: question.prompt,
        choices: question.choices.map((choice) =>
          typeof choice === 'string'
            ? { value: choice }
            : {
                value: choice.value,
                ...(choice.label ? { name: choice.label } : {}),
                ...(choice.description ? { description: choice.description } : {}),
              },
        ),
        ...(question.default !== undefined ? { default: question.default } : {}),
      });
    case 'secret': {
      const secret = await prompter.password({
        message: question.prompt,
        ...(help ? { help } : {}),
        validate: (value) => (value === '' && !question.required ? true : live(value)),
      });
      return secret === '' && !question.required ? undefined : settle(secret);
    }
    default: {
      const fallback =
        question.default === undefined
          ? undefined
          : Array.isArray(question.default)
            ? question.default.join(', ')
            : String(question.default);
      const raw = await prompter.input({
        message: question.prompt,
        ...(help ? { help } : {}),
        ...(fallback !== undefined ? { default: fallback } : {}),
        validate: (value) => (value === '' && !question.required ? true : live(value)),
      });
      return raw === '' && !question.required ? undefined : settle(raw);
    }
  }
}

function hintFor(question: Question): string {
  switch (question.type) {
    case 'choice':
      return `Use one of: ${question.choices.map((c) => (typeof c === 'string' ? c : c.value)).join(', ')}.`;
    case 'secret':
      return `Set the environment variable STACKGUIDE_SECRET_${question.id.toUpperCase()}; secrets are never read from files.`;
    case 'number':
      return `Give a number${question.min !== undefined ? ` from ${question.min}` : ''}${question.max !== undefined ? ` to ${question.max}` : ''}.`;
    case 'cidr':
      return 'Give an IPv4 network in CIDR form, such as 10.0.0.0/16.';
    case 'boolean':
      return 'Give true or false.';
    case 'cron':
      return 'Give five cron fields in UTC, such as "0 18 * * 5".';
    case 'list':
      return 'Give a list (YAML list, or comma-separated with --set).';
    case 'string':
      return question.patternHint ? `Give ${question.patternHint}.` : 'Give a text value.';
  }
}

function missing(details: ErrorDetail[]): StackguideError {
  return new StackguideError(
    `Nothing was changed: ${details.length} answer${details.length === 1 ? ' is' : 's are'} missing and nothing may prompt here`,
    {
      code: 'answers.missing',
      kind: 'user',
      details,
      nextSteps: [
        'Add them to the answers file (--config), pass them as flags, or run in a terminal to be asked.',
      ],
    },
  );
}

function invalidAnswers(details: ErrorDetail[]): StackguideError {
  return new StackguideError(
    `Nothing was changed: ${details.length} answer${details.length === 1 ? ' is' : 's are'} not valid`,
    {
      code: 'answers.invalid',
      kind: 'user',
      details,
    },
  );
}
