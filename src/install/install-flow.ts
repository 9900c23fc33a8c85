import { dirname, join } from 'node:path';
import type { AwsContext } from '../aws/aws-context.ts';
import type { CallerIdentity } from '../aws/identity-port.ts';
import { assertKnownAnswerKeys } from '../blueprint/answer-keys.ts';
import { deploymentNameProblem, relationProblems, validateAnswer } from '../blueprint/answer-validation.ts';
import type { Question } from '../blueprint/blueprint-schema.ts';
import type { Blueprint } from '../blueprint/load-blueprint.ts';
import type { AnswerValue } from '../blueprint/references.ts';
import { resolveValue } from '../blueprint/references.ts';
import { type ErrorDetail, StackguideError } from '../errors.ts';
import type { EventBus } from '../events.ts';
import { beginRun, Journal } from '../journal/journal.ts';
import { type Clock, systemClock } from '../runtime/clock.ts';
import type { Settings } from '../settings.ts';
import type { DeployedStack } from '../stacks/deploy-stack.ts';
import {
  askSteps,
  blockingFailures,
  checkSteps,
  planSteps,
  preflightError,
  type StepBase,
  type StepInputs,
  stepTitle,
  validateSteps,
} from '../steps/run-steps.ts';
import { type AnswersFile, answersChanged, readAnswersFile, writeAnswersFile } from './answers-file.ts';
import { checkDeploymentName } from './deployment-name-check.ts';
import { buildInstallPlan, type InstallPlan, planAnswers } from './install-plan.ts';
import type { Prompter } from './prompter.ts';
import { writeRenderedFile } from './render-file.ts';

/**
 * The install, phase by phase: ask (identity, region, name, questions), save the answers, review, then
 * execute. Every phase finishes before the next starts, so exactly one thing owns the terminal at a
 * time. The flow decides what to ask and checks every answer; how things are shown and how stacks run
 * are injected by the composition root (commands/install-command.ts).
 */
/** What identifies a deployment and its answers; shared by install and preflight. */
export interface DeploymentRequest {
  /** For the run.started event: `install`, `preflight`. */
  command: string;
  blueprint: Blueprint;
  /** `--config`: answers to start from. */
  configPath?: string;
  region?: string;
  deployment?: string;
  /** `--set id=value`, over the answers file. */
  sets: Record<string, string>;
  yes: boolean;
  env: Readonly<Record<string, string | undefined>>;
  /** Read once by the composition root; handed to every step. */
  settings: Settings;
}

export interface InstallRequest extends DeploymentRequest {
  stateDir: string;
  /** Where the guided flow writes answers when no --config was given. */
  defaultAnswersPath: (deployment: string) => string;
  /** `--overwrite`: replace a rendered file the operator edited by hand without asking. */
  overwrite?: boolean;
  /** Flags to repeat in the equivalent non-interactive command. */
  connectionFlags: string[];
}

export interface DeploymentEnvironment {
  /** Absent when nothing may prompt (no TTY, CI, --no-input, --output json). */
  prompter?: Prompter;
  /** AWS for a region; every region shares the run's one set of credentials. */
  connect(region: string): AwsContext;
  /** The caller's identity, when the composition root already asked for it (it may start early). */
  whoAmI?: () => Promise<CallerIdentity>;
  events: EventBus;
  signal: AbortSignal;
  /** For the steps' local checks (is a certificate expired); default: the system clock. */
  clock?: Clock;
}

export interface ResolvedDeployment {
  saved: AnswersFile | undefined;
  region: string;
  aws: AwsContext;
  identity: CallerIdentity;
  deployment: string;
  answers: Record<string, AnswerValue>;
}

export interface InstallEnvironment extends DeploymentEnvironment {
  /** Shows the plan and asks to go ahead; only called with a prompter and without --yes. */
  review(plan: InstallPlan): Promise<boolean>;
  /** Applies the preparation steps, then runs the stacks in order; resolves with each stack's outcome. */
  execute(plan: InstallPlan, context: ExecuteContext): Promise<Record<string, DeployedStack>>;
  clock: Clock;
}

export interface ExecuteContext {
  aws: AwsContext;
  journal: Journal;
  stepBase: StepBase;
  /** In memory only: may hold secrets (a registry password) that no file or event ever sees. */
  stepInputs: Record<string, StepInputs>;
}

export interface InstallOutcome {
  plan: InstallPlan;
  stacks: Record<string, DeployedStack>;
  answersPath: string;
  nextCommand: string;
  eventLogPath: string;
  /** The blueprint's after-install checklist, references filled in. */
  afterInstall: Array<{ title: string; details: string[] }>;
}

export async function resolveDeployment(
  request: DeploymentRequest,
  environment: DeploymentEnvironment,
): Promise<ResolvedDeployment> {
  const { blueprint } = request;
  const { prompter, events, signal } = environment;
  const saved = request.configPath ? await readAnswersFile(request.configPath) : undefined;
  if (saved && saved.blueprint !== blueprint.product.id) {
    throw new StackguideError(
      `The answers file is for blueprint "${saved.blueprint}", not "${blueprint.product.id}"`,
      {
        code: 'answers.wrong-blueprint',
        kind: 'user',
        details: [
          {
            path: 'blueprint',
            message: `is "${saved.blueprint}"`,
            fix: `Use the answers file of ${blueprint.product.id}, or --blueprint for ${saved.blueprint}.`,
          },
        ],
      },
    );
  }

  assertKnownAnswerKeys(blueprint, { answers: saved?.answers, steps: saved?.steps, sets: request.sets });
  // Unattended, every given answer is checked before the first AWS call: a bad answers file fails in
  // a second and touches nothing.
  const preset = prompter ? undefined : await presetAnswers(request, saved);
  // So are the steps' own inputs that can be checked locally (the files of a certificate to import).
  if (preset) {
    const clock = environment.clock ?? systemClock;
    await validateSteps(blueprint.steps, { ...preset, clock }, saved?.steps);
  }

  // Guided, the operator first sees who they are, then picks the region. STS answers in any region,
  // so the identity check uses the region already known, or the blueprint's first.
  const identityRegion =
    preset?.region ?? request.region ?? saved?.region ?? blueprint.regions[0] ?? 'us-east-1';
  events.emit({
    type: 'run.started',
    command: request.command,
    blueprint: blueprint.product.id,
    region: identityRegion,
  });
  const identity = await (environment.whoAmI?.() ?? environment.connect(identityRegion).identity.whoAmI());
  events.emit({
    type: 'identity.resolved',
    account: identity.account,
    arn: identity.arn,
    region: identityRegion,
  });
  if (saved?.account && saved.account !== identity.account) {
    throw new StackguideError(
      `These credentials are for account ${identity.account}, but the answers file pins ${saved.account}`,
      {
        code: 'identity.wrong-account',
        kind: 'user',
        details: [
          {
            path: 'account',
            message: `is ${saved.account}`,
            fix: 'Use credentials for that account (--profile), or remove account: from the answers file.',
          },
        ],
      },
    );
  }
  if (prompter && !request.yes) {
    const proceed = await prompter.confirm({
      message:
        request.command === 'install'
          ? `Install into account ${identity.account} as ${identity.arn}?`
          : `${request.command[0]?.toUpperCase()}${request.command.slice(1)} in account ${identity.account} as ${identity.arn}?`,
      default: true,
    });
    if (!proceed)
      throw cancelled('You chose not to use this account.', [
        'Pick other credentials with --profile or AWS_PROFILE, then run install again.',
      ]);
  }
  signal.throwIfAborted();

  const region = preset?.region ?? (await askRegion(request, saved, prompter));
  const aws = environment.connect(region);
  const deployment = preset?.deployment ?? (await askDeploymentName(request, saved, prompter));
  const answers = preset?.answers ?? (await askQuestions(request, saved, prompter));
  return { saved, region, aws, identity, deployment, answers };
}

export async function runInstall(
  request: InstallRequest,
  environment: InstallEnvironment,
): Promise<InstallOutcome> {
  const { blueprint } = request;
  const { prompter, events, signal } = environment;
  const { saved, region, aws, identity, deployment, answers } = await resolveDeployment(request, environment);

  const stepBase: StepBase = {
    region,
    account: identity.account,
    deployment,
    answers,
    aws,
    clock: environment.clock,
    signal,
    emit: (event) => events.emit(event),
    env: request.env,
    settings: request.settings,
  };
  const { inputs: stepInputs, saveable: stepAnswers } = await askSteps(
    blueprint.steps,
    { ...stepBase, ...(prompter ? { prompter } : {}) },
    saved?.steps,
  );

  // Saved before the first call that changes anything, so an interrupted run is one --config away.
  const answersPath = request.configPath ?? request.defaultAnswersPath(deployment);
  const answersFile: AnswersFile = {
    blueprint: blueprint.product.id,
    blueprintVersion: blueprint.product.version,
    deployment,
    region,
    ...(saved?.account ? { account: saved.account } : {}),
    answers,
    ...(Object.keys(stepAnswers).length > 0 ? { steps: stepAnswers } : {}),
  };
  // A given answers file is rewritten only when an answer changed; the event says so when it is.
  if (!request.configPath || answersChanged(saved, answersFile, blueprint.questions)) {
    await writeAnswersFile(answersPath, blueprint, answersFile);
    events.emit({ type: 'answers.saved', path: answersPath });
  }
  // Files the platform reads itself (QHub's configuration) go beside the answers file.
  for (const file of blueprint.files) {
    const target = join(dirname(answersPath), file.path);
    const outcome = await writeRenderedFile(
      join(blueprint.dir, file.template),
      target,
      {
        questions: blueprint.questions,
        scope: {
          deployment,
          region,
          account: identity.account,
          answers: planAnswers(blueprint, answers),
          stackOutputs: {},
        },
      },
      {
        overwrite: request.overwrite === true,
        ...(prompter
          ? {
              confirm: (path: string, difference: string) =>
                prompter.confirm({
                  message: `${path} was edited by hand. This install would change it:\n${difference}\nReplace it?`,
                  default: false,
                }),
            }
          : {}),
      },
    );
    if (outcome === 'kept')
      events.emit({
        type: 'warning',
        code: 'file.kept',
        message: `${target} was edited by hand and is kept as it is; it no longer matches the answers`,
      });
    else if (outcome !== 'unchanged')
      events.emit({
        type: 'file.written',
        path: target,
        ...(file.description ? { description: file.description } : {}),
      });
  }

  // Preflight: every check before anything is created; a failed required check stops here.
  const nameCheck = await checkDeploymentName(
    blueprint,
    { deployment, region, account: identity.account, answers },
    aws,
  );
  events.emit({ type: 'check.result', result: nameCheck });
  const checks = [nameCheck, ...(await checkSteps(blueprint.steps, stepBase, stepInputs))];
  const failures = blockingFailures(checks);
  if (failures.length > 0) throw preflightError(failures);
  const changes = await planSteps(blueprint.steps, stepBase, stepInputs);
  const plannedSteps = blueprint.steps.map((entry) => ({
    id: entry.id,
    kind: entry.kind,
    title: stepTitle(entry),
    changes: changes.filter((change) => change.step === entry.id),
  }));
  const plan = buildInstallPlan(
    blueprint,
    { deployment, region, account: identity.account, answers },
    { steps: plannedSteps, checks },
  );

  // Flags that overrode the answers file are repeated, so the command really is equivalent.
  const overrides = request.configPath
    ? [
        ...(request.deployment ? [`--name ${request.deployment}`] : []),
        ...Object.entries(request.sets)
          .filter(([id]) => !blueprint.questions.some((q) => q.id === id && q.type === 'secret'))
          .map(([id, value]) => `--set ${id}=${value}`),
      ]
    : [];
  const nextCommand = [
    'stackguide install',
    `--blueprint ${blueprint.source}`,
    `--config ${answersPath}`,
    ...overrides,
    '--yes',
    ...request.connectionFlags,
  ].join(' ');
  if (!request.yes) {
    if (!prompter) {
      throw new StackguideError(
        'Nothing was changed: an unattended install needs --yes to go ahead without the review',
        {
          code: 'confirmation.required',
          kind: 'user',
          nextSteps: [`Review the plan interactively, or run: ${nextCommand}`],
        },
      );
    }
    if (!(await environment.review(plan)))
      throw cancelled('Nothing was created: you declined the plan.', [
        `Change the answers in ${answersPath} and run: ${nextCommand}`,
      ]);
  }

  const journal = await Journal.open(request.stateDir, {
    blueprint: { id: blueprint.product.id, version: blueprint.product.version },
    deployment,
    region,
    account: identity.account,
  });
  const unsubscribe = events.subscribe((event) => void journal.appendEvent(event));
  await beginRun(journal, 'install', (event) => events.emit(event));
  let outcome: 'completed' | 'failed' = 'failed';
  try {
    const stacks = await environment.execute(plan, { aws, journal, stepBase, stepInputs });
    outcome = 'completed';
    events.emit({ type: 'run.completed', outcome: 'succeeded', exitCode: 0, nextCommand });
    const scope = {
      deployment,
      region,
      account: identity.account,
      answers,
      stackOutputs: Object.fromEntries(Object.entries(stacks).map(([id, stack]) => [id, stack.outputs])),
    };
    // A reference that cannot be filled in (an output the emulator did not return) stays as written.
    const fill = (text: string): string => {
      try {
        return resolveValue(text, scope, 'afterInstall');
      } catch {
        return text;
      }
    };
    const afterInstall = blueprint.afterInstall.map((item) => ({
      title: fill(item.title),
      details: item.details.map(fill),
    }));
    return { plan, stacks, answersPath, nextCommand, eventLogPath: journal.eventLogPath, afterInstall };
  } finally {
    unsubscribe();
    await journal.finish(outcome);
    await journal.flush();
  }
}

/** Unattended: region, name and answers all at once, so one run reports every problem. */
async function presetAnswers(
  request: DeploymentRequest,
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

async function askRegion(
  request: DeploymentRequest,
  saved: AnswersFile | undefined,
  prompter: Prompter | undefined,
): Promise<string> {
  const { regions } = request.blueprint;
  const given = request.region ?? saved?.region;
  if (given !== undefined) {
    if (!regions.includes(given)) {
      throw new StackguideError(`${request.blueprint.product.title} cannot be installed in ${given}`, {
        code: 'region.unsupported',
        kind: 'user',
        details: [
          {
            path: request.region ? '--region' : 'region',
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
  const fromEnvironment = request.env.AWS_REGION ?? request.env.AWS_DEFAULT_REGION;
  return prompter.select({
    message: 'Which AWS region?',
    choices: regions.map((region) => ({ value: region })),
    ...(fromEnvironment && regions.includes(fromEnvironment) ? { default: fromEnvironment } : {}),
  });
}

async function askDeploymentName(
  request: DeploymentRequest,
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

async function askQuestions(
  request: DeploymentRequest,
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
  request: DeploymentRequest,
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

function cancelled(message: string, nextSteps: string[]): StackguideError {
  return new StackguideError(message, { code: 'cancelled', kind: 'cancelled', nextSteps });
}
