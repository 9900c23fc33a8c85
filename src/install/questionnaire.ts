import {
  answerRule,
  deploymentNameProblem,
  relationProblems,
  validateAnswer,
} from '../blueprint/answer-validation.ts';
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
  /** How a set id was given when not as `--set id` (an `install` argument): named so in messages. */
  setPaths?: Readonly<Record<string, string>>;
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

/**
 * Asks AWS whether a deployment name can be used here (stacks of that name owned by something else, a
 * run holding its lock): the reason it cannot, or undefined. Called as the name is typed.
 */
export type NameAvailability = (name: string) => Promise<string | undefined>;

export async function askDeploymentName(
  request: QuestionnaireRequest,
  saved: AnswersFile | undefined,
  prompter: Prompter | undefined,
  availability?: NameAvailability,
  /** The name it has now, offered first when it is asked again from the review. */
  current?: string,
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
    help: `Names this installation's stacks and tags. Use ${rules.patternHint}, at most ${rules.maxLength} characters.`,
    ...(current ? { default: current } : rules.default ? { default: rules.default } : {}),
    // A refusal names what it refuses (trial finding 95: "is empty." was shown without a subject).
    validate: (value) => {
      const problem = deploymentNameProblem(rules, value);
      return problem ? `The deployment name ${problem.message}. ${problem.fix}` : true;
    },
    // Told now, not after every other question: the name is the one answer AWS can refuse up front.
    ...(availability ? { verify: async (value: string) => (await availability(value)) ?? true } : {}),
  });
}

export async function askQuestions(
  request: QuestionnaireRequest,
  saved: AnswersFile | undefined,
  prompter: Prompter | undefined,
  /** Offered in place of the blueprint's defaults when asked: what a deployment that exists runs. */
  offered: Readonly<Record<string, AnswerValue>> = {},
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
          message: naming(question, source.value, check.message),
          fix: check.fix,
        });
      continue;
    }
    // With an answers file, a question it does not hold that may stay empty (or has a default) is
    // taken as the file leaves it, as unattended: the guided run that wrote the file left it so, and
    // the review can still change it. Only a required question with no default is asked.
    const settled =
      saved !== undefined &&
      (!question.required || ('default' in question && question.default !== undefined));
    if (prompter && !settled) {
      if (question.section && question.section !== section) prompter.section(question.section);
      section = question.section;
      const deployed = offered[question.id];
      const answer = await ask(
        prompter,
        deployed === undefined || question.type === 'secret'
          ? question
          : { ...question, default: deployed as never },
      );
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
    return {
      value: request.sets[question.id],
      path: request.setPaths?.[question.id] ?? `--set ${question.id}`,
    };
  if (saved?.answers[question.id] !== undefined)
    return { value: saved.answers[question.id], path: `answers.${question.id}` };
  return undefined;
}

/**
 * Asks one question again from the review, its current answer offered as the default; the other
 * answers are checked with it (a `requires` or `excludes` between them), so the review never gets an
 * answer set that would fail later. Returns the new answers.
 */
export async function changeAnswer(
  prompter: Prompter,
  questions: readonly Question[],
  answers: Readonly<Record<string, AnswerValue>>,
  id: string,
): Promise<Record<string, AnswerValue>> {
  const question = questions.find((each) => each.id === id);
  if (!question)
    throw new StackguideError(`The review offered "${id}", which is not a question of the blueprint`, {
      code: 'bug.review-answer',
      kind: 'bug',
    });
  const current = answers[id];
  const others = Object.fromEntries(Object.entries(answers).filter(([key]) => key !== id));
  const related = (value: AnswerValue | undefined): string | undefined => {
    const problem = relationProblems(questions, value === undefined ? others : { ...others, [id]: value })[0];
    return problem ? `${problem.questionId} ${problem.message}. ${problem.fix}` : undefined;
  };
  const answer = await ask(
    prompter,
    question.type === 'secret' || current === undefined
      ? question
      : { ...question, default: current as never },
    (value) => related(value),
  );
  const problem = related(answer);
  if (problem)
    throw invalidAnswers([
      { path: `answers.${id}`, message: problem, fix: 'Change the other answer first.' },
    ]);
  const next: Record<string, AnswerValue> = answer === undefined ? others : { ...others, [id]: answer };
  // In the blueprint's order, as first asked: the review, its picker and the answers file list them
  // so, and a changed answer stays where the operator saw it.
  const order = new Map(questions.map((each, index) => [each.id, index]));
  const rank = (key: string) => order.get(key) ?? questions.length;
  return Object.fromEntries(Object.entries(next).sort(([a], [b]) => rank(a) - rank(b)));
}

/**
 * The message for an answer refused, naming what was refused (`"abc" is not a whole number`) where
 * the check's own words have no subject. A secret is named as such, never shown.
 */
function naming(question: Question, raw: unknown, message: string): string {
  if (!/^(is|has|does) /.test(message)) return message;
  const subject =
    question.type === 'secret'
      ? 'The secret given'
      : typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean'
        ? JSON.stringify(String(raw))
        : JSON.stringify(raw);
  return `${subject} ${message}`;
}

async function ask(
  prompter: Prompter,
  question: Question,
  related: (value: AnswerValue) => string | undefined = () => undefined,
): Promise<AnswerValue | undefined> {
  // What the question is for, then what it accepts: both before the first answer.
  const help = [question.description, answerRule(question)].filter(Boolean).join('\n') || undefined;
  const live = (raw: string): string | true => {
    if (raw.trim() === '') return emptyRefusal(question);
    const check = validateAnswer(question, raw);
    if (!check.ok) return `${naming(question, raw, check.message)}. ${check.fix}`;
    return related(check.value) ?? true;
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
        ...(help ? { help } : {}),
        ...(question.default !== undefined ? { default: question.default } : {}),
      });
    case 'choice':
      return prompter.select({
        message: question.prompt,
        ...(help ? { help } : {}),
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

/**
 * What an empty answer to a question that needs one is told under the prompt: the value refused named
 * (trial finding 95), then what to give, in the words of the question's help where it has them.
 */
function emptyRefusal(question: Question): string {
  const fix =
    answerRule(question) ??
    (question.type === 'secret'
      ? 'Type it; it is not shown.'
      : question.type === 'list'
        ? 'Give at least one, separated by commas.'
        : hintFor(question));
  return `${question.type === 'secret' ? 'The secret typed' : 'The answer'} is empty: this question needs one. ${fix}`;
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
        'Add them to the answers file (--config), pass them as flags, or run in a terminal to be asked (without CI, TERM=dumb, --no-input or --output json).',
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
