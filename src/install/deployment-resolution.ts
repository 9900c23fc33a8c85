import { type AwsContext, preloadPort } from '../aws/aws-context.ts';
import type { CallerIdentity } from '../aws/identity-port.ts';
import { ssmPort } from '../aws/ssm-port.ts';
import { assertKnownAnswerKeys } from '../blueprint/answer-keys.ts';
import type { Blueprint } from '../blueprint/load-blueprint.ts';
import type { AnswerValue } from '../blueprint/references.ts';
import { StackguideError } from '../errors.ts';
import type { EventBus } from '../events.ts';
import type { Clock } from '../runtime/clock.ts';
import type { Settings } from '../settings.ts';
import { type StepBase, validateSteps } from '../steps/run-steps.ts';
import { type AnswersFile, checkAnswersBlueprint, readAnswersFile } from './answers-file.ts';
import { deployedAnswers } from './deployed-answers.ts';
import { nameAvailability } from './deployment-name-check.ts';
import type { Prompter } from './prompter.ts';
import { askDeploymentName, askQuestions, askRegion, presetAnswers } from './questionnaire.ts';

/**
 * Which deployment a command acts on, and its answers, for install, preflight and upgrade: checked
 * locally first (validate), then resolved with the operator and AWS (ask).
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
  /** How a set id was given when not as `--set id` (an `install` argument), for messages. */
  setPaths?: Readonly<Record<string, string>>;
  yes: boolean;
  env: Readonly<Record<string, string | undefined>>;
  /** Read once by the composition root; handed to every step. */
  settings: Settings;
}

export interface CheckedDeployment {
  request: DeploymentRequest;
  saved: AnswersFile | undefined;
  /** Unattended only: region, name and answers, all checked. */
  preset?: { region: string; deployment: string; answers: Record<string, AnswerValue> };
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
  /**
   * Called once the region is known with a deployment name given up front (--name, the answers file),
   * before the name's questions: install refuses a locked deployment there. A typed name is checked
   * as it is typed instead (NameAvailability).
   */
  named?: (deployment: string, aws: AwsContext) => Promise<void>;
}

export interface ResolvedDeployment {
  saved: AnswersFile | undefined;
  region: string;
  aws: AwsContext;
  identity: CallerIdentity;
  deployment: string;
  answers: Record<string, AnswerValue>;
}

/**
 * Validate: the answers file read and matched to the blueprint and, when nothing may prompt, every
 * given answer checked, all before the first AWS call: a bad answers file fails in a second and
 * touches nothing.
 */
export async function checkDeploymentRequest(
  request: DeploymentRequest,
  { interactive, clock }: { interactive: boolean; clock: Clock },
): Promise<CheckedDeployment> {
  const { blueprint } = request;
  const saved = request.configPath ? await readAnswersFile(request.configPath) : undefined;
  if (saved) checkAnswersBlueprint(saved, blueprint.product.id);

  assertKnownAnswerKeys(blueprint, {
    answers: saved?.answers,
    steps: saved?.steps,
    sets: request.sets,
    setPaths: request.setPaths,
  });
  // Guided, a region given with --region or in the answers file is checked here too, so an unsupported
  // one is refused before the identity question and the first AWS call, not after them.
  if (interactive && (request.region ?? saved?.region) !== undefined)
    await askRegion(request, saved, undefined);
  const preset = interactive ? undefined : await presetAnswers(request, saved);
  // So are the steps' own inputs that can be checked locally (the files of a certificate to import).
  if (preset) await validateSteps(blueprint.steps, { ...preset, clock }, saved?.steps);
  return { request, saved, ...(preset ? { preset } : {}) };
}

/**
 * Ask: who the operator is (confirmed in a terminal), then region, deployment name and the answers,
 * each asked or taken from what validate checked.
 */
export async function resolveDeployment(
  checked: CheckedDeployment,
  environment: DeploymentEnvironment,
): Promise<ResolvedDeployment> {
  const { request, saved, preset } = checked;
  const { blueprint } = request;
  const { prompter, events, signal } = environment;
  // Guided, the operator first sees who they are, then picks the region. STS answers in any region,
  // so the identity check uses the region already known, or the blueprint's first.
  const identityRegion =
    preset?.region ?? request.region ?? saved?.region ?? blueprint.regions[0] ?? 'us-east-1';
  const knownDeployment = preset?.deployment ?? request.deployment ?? saved?.deployment;
  events.emit({
    type: 'run.started',
    command: request.command,
    blueprint: blueprint.product.id,
    ...(knownDeployment ? { deployment: knownDeployment } : {}),
    region: identityRegion,
  });
  // The deployment name is checked against AWS as it is typed (CloudFormation, and SSM for the lock):
  // their SDK clients load now, while the operator reads the first questions, not when the name is
  // entered. The module is loaded once, whatever region the name is checked in.
  if (prompter && preset === undefined && (request.deployment ?? saved?.deployment) === undefined) {
    const early = environment.connect(identityRegion);
    preloadPort(early.cloudFormation);
    preloadPort(early.use(ssmPort));
  }
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
      throw new StackguideError('You chose not to use this account.', {
        code: 'cancelled',
        kind: 'cancelled',
        nextSteps: ['Pick other credentials with --profile or AWS_PROFILE, then run install again.'],
      });
  }
  signal.throwIfAborted();

  const region = preset?.region ?? (await askRegion(request, saved, prompter));
  const aws = environment.connect(region);
  const given = preset?.deployment ?? request.deployment ?? saved?.deployment;
  const deployment =
    preset?.deployment ??
    (await askDeploymentName(
      request,
      saved,
      prompter,
      nameAvailability(blueprint, { region, account: identity.account }, aws),
    ));
  if (given !== undefined) await environment.named?.(deployment, aws);
  // Guided without an answers file, a deployment that exists offers what it runs, not the blueprint's
  // defaults: Enter keeps the deployed value (trial finding 51). With --yes nothing is asked.
  const offered =
    prompter && !request.yes && !preset && !saved
      ? await deployedAnswers(blueprint, { deployment, region, account: identity.account }, aws)
      : {};
  const answers = preset?.answers ?? (await askQuestions(request, saved, prompter, offered));
  return { saved, region, aws, identity, deployment, answers };
}

/** What every preparation step is given for this deployment (install, preflight and upgrade alike). */
export function stepBaseFor(
  resolved: ResolvedDeployment,
  request: Pick<DeploymentRequest, 'env' | 'settings'>,
  host: { events: EventBus; clock: Clock; signal: AbortSignal },
): StepBase {
  return {
    region: resolved.region,
    account: resolved.identity.account,
    deployment: resolved.deployment,
    answers: resolved.answers,
    aws: resolved.aws,
    clock: host.clock,
    signal: host.signal,
    emit: (event) => host.events.emit(event),
    env: request.env,
    settings: request.settings,
  };
}
