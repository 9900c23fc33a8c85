import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { AwsContext } from '../aws/aws-context.ts';
import type { CallerIdentity } from '../aws/identity-port.ts';
import { s3Port } from '../aws/s3-port.ts';
import type { StepEntry } from '../blueprint/blueprint-schema.ts';
import { type Blueprint, loadBlueprint } from '../blueprint/load-blueprint.ts';
import type { AnswerValue } from '../blueprint/references.ts';
import { StackguideError } from '../errors.ts';
import {
  type AfterInstallItem,
  afterInstallChecklist,
  saveAfterInstallFile,
} from '../install/after-install-file.ts';
import { type AnswersFile, answersChanged, writeAnswersFile } from '../install/answers-file.ts';
import { readDeploymentRecord, refuseRevert } from '../install/deployed-version.ts';
import { checkDeploymentName, nameAvailability } from '../install/deployment-name-check.ts';
import {
  type CheckedDeployment,
  checkDeploymentRequest,
  type DeploymentRequest,
  type ResolvedDeployment,
  resolveDeployment,
  stepBaseFor,
} from '../install/deployment-resolution.ts';
import {
  buildInstallPlan,
  type InstallPlan,
  NO_ECHO_VALUE,
  type ReviewDecision,
  secretValues,
  takesSecret,
} from '../install/install-plan.ts';
import { writePlatformFiles } from '../install/platform-files.ts';
import type { Prompter } from '../install/prompter.ts';
import { askDeploymentName, askRegion, changeAnswer } from '../install/questionnaire.ts';
import { Journal, lastRunLine } from '../journal/journal.ts';
import { refuseIfLockedOnceNamed } from '../lock/deployment-lock.ts';
import { mask } from '../output/format.ts';
import { packageTemplates } from '../packaging/package-templates.ts';
import type { DeployedStack } from '../stacks/deploy-stack.ts';
import {
  askStep,
  askSteps,
  blockingFailures,
  checkSteps,
  knownStepOutputs,
  planSteps,
  preflightError,
  type StepBase,
  type StepInputs,
  stepAsks,
  stepTitle,
} from '../steps/run-steps.ts';
import type { CheckResult, SavedStepInputs } from '../steps/step.ts';
import { type Flow, type FlowHost, lockRequest, withDeploymentLock, withJournalRun } from './flow.ts';
import { rerunCommand } from './rerun-command.ts';

/**
 * `stackguide install`: validate the answers given, ask (identity, region, name, questions, the steps'
 * questions), save the answers, check everything, review; then execute the preparation steps and the
 * stacks. How things are shown and how the task list runs are the composition root's (the host).
 */
export interface InstallRequest extends Omit<DeploymentRequest, 'blueprint'> {
  blueprintPath: string;
  stateDir: string;
  /** Where the guided flow writes answers when no --config was given. */
  defaultAnswersPath: (deployment: string) => string;
  /** `--overwrite`: replace a rendered file the operator edited by hand without asking. */
  overwrite?: boolean;
  /** Flags to repeat in the equivalent non-interactive command. */
  connectionFlags: string[];
  /** `--force-unlock <id>`: break that stale deployment lock (after a confirmation) first. */
  forceUnlock?: string;
}

export interface InstallHost extends FlowHost {
  /** The caller's identity, when the composition root already asked for it (it may start early). */
  whoAmI?: () => Promise<CallerIdentity>;
  /**
   * Shows the plan and asks to go ahead (true), stop (false) or change one answer (its question id);
   * only called with a prompter and without --yes.
   */
  review(plan: InstallPlan): Promise<ReviewDecision>;
  /** Applies the preparation steps, then the stacks by the dependency graph (independent ones at once); resolves with each stack's outcome. */
  execute(plan: InstallPlan, context: ExecuteContext): Promise<Record<string, DeployedStack>>;
}

export interface ExecuteContext {
  aws: AwsContext;
  /** The preparation steps to apply before the stacks (none in an upgrade). */
  steps: readonly StepEntry[];
  journal: Journal;
  stepBase: StepBase;
  /** In memory only: may hold secrets (a registry password) that no file or event ever sees. */
  stepInputs: Record<string, StepInputs>;
}

export interface InstallOutcome {
  plan: InstallPlan;
  stacks: Record<string, DeployedStack>;
  answersPath: string;
  /** Whether this run wrote the answers file (a given one that nothing changed is left as it was). */
  answersSaved: boolean;
  nextCommand: string;
  eventLogPath: string;
  /** The blueprint's after-install checklist, references filled in. */
  afterInstall: AfterInstallItem[];
  /** Where the checklist was written (`<state-dir>/<deployment>/after-install.md`), when it was. */
  afterInstallPath?: string;
}

interface Validated {
  request: InstallRequest;
  checked: CheckedDeployment;
}

/** The answers as they stand, checked and planned. */
interface Prepared {
  current: ResolvedDeployment;
  base: StepBase;
  plan: InstallPlan;
}

interface Asked {
  request: InstallRequest;
  blueprint: Blueprint;
  resolved: ResolvedDeployment;
  plan: InstallPlan;
  stepBase: StepBase;
  stepInputs: Record<string, StepInputs>;
  answersPath: string;
  answersSaved: boolean;
  nextCommand: string;
  /** What the run before was doing when it was killed or stopped, said already in the ask phase. */
  lastRun?: string;
}

export function installFlow(host: InstallHost): Flow<InstallRequest, Validated, Asked, InstallOutcome> {
  const { prompter, events } = host;
  /**
   * Who asks the questions: nobody with --yes, even in a terminal (README, `--yes`): the answers come
   * from the answers file, --set and the environment, and a missing one is an error naming its key,
   * as without a terminal. The review and the change sets are gone ahead with as before.
   */
  const askerFor = (request: Pick<InstallRequest, 'yes'>): Prompter | undefined =>
    request.yes ? undefined : prompter;
  return {
    async validate(request) {
      const { blueprintPath, ...rest } = request;
      const blueprint = await loadBlueprint(blueprintPath);
      const checked = await checkDeploymentRequest(
        { ...rest, blueprint },
        { interactive: askerFor(request) !== undefined, clock: host.clock },
      );
      // Unattended without --yes there is no review to go ahead from: refused before any AWS call.
      if (!prompter && !request.yes)
        throw new StackguideError(
          'Nothing was changed: an unattended install needs --yes to go ahead without the review',
          {
            code: 'confirmation.required',
            kind: 'user',
            nextSteps: [
              'Review the plan in a terminal, see the checks with stackguide preflight, or run it with --yes:',
              rerunCommand({
                command: 'install',
                blueprint,
                configPath: request.configPath,
                deployment: request.deployment,
                sets: request.sets,
                flags: ['--yes'],
                connectionFlags: request.connectionFlags,
              }),
            ],
          },
        );
      return { request, checked };
    },

    async ask({ request, checked }) {
      const { blueprint } = checked.request;
      const asker = askerFor(request);
      const { prompter: _host, ...unprompted } = host;
      const resolved = await resolveDeployment(checked, {
        ...(asker ? host : unprompted),
        // A deployment another run is changing is refused before its questions and its review (the
        // lock is taken later, before the first change): README, "as it is typed".
        named: refuseIfLockedOnceNamed({
          yes: request.yes,
          prompter: host.prompter,
          forceUnlock: request.forceUnlock,
          rerunCommand: (deployment) =>
            equivalentCommand(
              blueprint,
              request,
              request.configPath ?? request.defaultAnswersPath(deployment),
              request.yes,
            ),
        }),
      });
      const { saved, identity, answers } = resolved;
      // The review may change the name and the region: everything below reads these.
      let { region, aws, deployment } = resolved;
      // A re-run says first, once the deployment is known and before its review, what the run before
      // was doing when it was killed or stopped (the journal is only read here; execute begins the run).
      let lastRun: string | undefined;
      const tellLastRun = async (): Promise<void> => {
        lastRun = await lastRunLine(request.stateDir, deployment);
        if (lastRun) events.emit({ type: 'warning', code: 'run.interrupted', message: lastRun });
      };
      await tellLastRun();
      /**
       * Where this deployment's answers go: the file given, unless it names another deployment (--name
       * or the review chose a new one), whose file is kept as it is: then `<name>.answers.yaml` beside it.
       */
      const answersPathFor = (name: string): string => {
        if (!request.configPath) return request.defaultAnswersPath(name);
        if (saved?.deployment === undefined || saved.deployment === name) return request.configPath;
        return join(dirname(request.configPath), basename(request.defaultAnswersPath(name)));
      };
      // Saved before the first call that changes anything, so an interrupted run is one --config away.
      let answersPath = answersPathFor(deployment);
      // A file this run creates under the first name is its own to move when the name changes.
      let createdAnswers = answersPath !== request.configPath && !existsSync(answersPath);
      // What the file says for steps install does not run (the upgrade's pre-upgrade steps) is kept;
      // each step's inputs join it as the step is asked.
      const asked = new Set(blueprint.steps.map((entry) => entry.id));
      const steps: Record<string, SavedStepInputs> = Object.fromEntries(
        Object.entries(saved?.steps ?? {}).filter(([id]) => !asked.has(id)),
      );
      let answersSaved = false;
      /** Writes the answers file when this run has something it does not hold yet (never a secret). */
      const saveAnswers = async (answers: ResolvedDeployment['answers']) => {
        const answersFile: AnswersFile = {
          blueprint: blueprint.product.id,
          blueprintVersion: blueprint.product.version,
          deployment,
          region,
          ...(saved?.account ? { account: saved.account } : {}),
          answers,
          ...(Object.keys(steps).length > 0 ? { steps } : {}),
        };
        // A given answers file is rewritten only when an answer changed; the event says so when it is.
        if (
          (answersPath !== request.configPath && !answersSaved) ||
          answersChanged(answersSaved ? undefined : saved, answersFile, blueprint.questions)
        ) {
          await writeAnswersFile(answersPath, blueprint, answersFile);
          answersSaved = true;
          events.emit({ type: 'answers.saved', path: answersPath });
        }
      };
      const { inputs: stepInputs } = await askSteps(
        blueprint.steps,
        { ...stepBaseFor(resolved, request, host), ...(asker ? { prompter: asker } : {}) },
        saved?.steps,
        (id, kept) => {
          steps[id] = kept;
        },
      ).catch(async (error: unknown) => {
        // A guided run that stops in the steps' questions keeps what was typed: the answers file is
        // written (secrets never are) and the error says how to go on from it. Later failures find the
        // file written already, and their own next step names the command with it.
        if (!asker || !(error instanceof StackguideError) || error.kind === 'bug') throw error;
        await saveAnswers(answers);
        throw withNextStep(
          error,
          `Your answers are saved in ${answersPath} (secrets never are): to go on from them, run ${equivalentCommand(blueprint, request, answersPath, false)}`,
        );
      });

      /**
       * Saves the answers (when they changed), checks everything and plans. The first time the answers
       * are saved before the checks (a failed check ends the run, and the file is how it goes on); a
       * change from the review is checked first and kept only when every required check passes:
       * otherwise nothing is written and the review comes back with the failures (trial finding 20).
       */
      const prepare = async (
        answers: ResolvedDeployment['answers'],
        fromReview = false,
      ): Promise<Prepared | { refused: CheckResult[] }> => {
        const current = { ...resolved, region, aws, deployment, answers };
        const base = stepBaseFor(current, request, host);
        const write = async () => {
          await saveAnswers(answers);
          await writePlatformFiles(
            blueprint,
            answersPath,
            { deployment, region, account: identity.account, answers },
            { overwrite: request.overwrite === true, prompter: asker, emit: (event) => events.emit(event) },
          );
        };
        if (!fromReview) await write();

        // Preflight: every check before anything is created; a failed required check stops here.
        const nameCheck = await checkDeploymentName(
          blueprint,
          { deployment, region, account: identity.account, answers },
          aws,
        );
        events.emit({ type: 'check.result', result: nameCheck });
        const checks = [nameCheck, ...(await checkSteps(blueprint.steps, base, stepInputs))];
        const failures = blockingFailures(checks);
        if (failures.length > 0) {
          if (fromReview) return { refused: failures };
          throw preflightError(failures, equivalentCommand(blueprint, request, answersPath, request.yes));
        }
        if (fromReview) await write();
        const changes = await planSteps(blueprint.steps, base, stepInputs);
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
        const described = await refuseRevert(plan.stacks, aws.cloudFormation, {
          command: 'install',
          blueprintVersion: blueprint.product.version,
          recorded: await readDeploymentRecord(request.stateDir, {
            deployment,
            region,
            account: identity.account,
          }),
          upgradeCommand: [
            'stackguide upgrade --blueprint <blueprint>',
            `--config ${answersPath}`,
            ...request.connectionFlags,
          ].join(' '),
        });
        // A stack that exists shows on the review what this run changes in it: deployed → new. One left
        // in REVIEW_IN_PROGRESS by a create never executed was never created: this run creates it.
        const stacks = plan.stacks.map((stack) => {
          const description = described.find((read) => read.id === stack.id)?.description;
          return description &&
            description.status !== 'DELETE_COMPLETE' &&
            description.status !== 'REVIEW_IN_PROGRESS'
            ? {
                ...stack,
                // Only what may be shown: never a NoEcho value (****) or one a secret answer filled.
                deployedParameters: Object.fromEntries(
                  Object.entries(description.parameters).filter(
                    ([key, value]) =>
                      value !== NO_ECHO_VALUE && !takesSecret(plan, stack.parameterSources[key] ?? ''),
                  ),
                ),
              }
            : stack;
        });
        return {
          current,
          base,
          plan: {
            ...plan,
            stacks,
            fixed: fixedSettings(nameCheck, stepInputs, region),
            stepOutputs: knownStepOutputs(blueprint.steps, stepInputs),
            ...(lastRun ? { lastRun } : {}),
          },
        };
      };

      let prepared = (await prepare(answers)) as Prepared;
      // The request as it stands after the review: a name or region changed there is the one repeated.
      const asGiven = (): InstallRequest => ({
        ...request,
        ...(request.deployment !== undefined ? { deployment } : {}),
        connectionFlags: request.connectionFlags.map((flag) =>
          flag.startsWith('--region ') ? `--region ${region}` : flag,
        ),
      });
      let nextCommand = equivalentCommand(blueprint, request, answersPath);
      // Without --yes there is a terminal (validate refused the unattended case): the review decides.
      if (!request.yes && prompter) {
        // The last change from the review that a required check refused: shown on the review, undone.
        let refused: InstallPlan['refusedChange'];
        /** Checks and plans with a change; true when kept, else `undo` puts the previous values back. */
        const tryChange = async (
          label: string,
          value: string,
          answers: ResolvedDeployment['answers'],
          undo: () => void = () => undefined,
        ): Promise<boolean> => {
          const next = await prepare(answers, true);
          if ('refused' in next) {
            undo();
            refused = { label, value, failures: next.refused };
            return false;
          }
          prepared = next;
          refused = undefined;
          return true;
        };
        // The review may send the operator back to one answer; then everything is checked and planned
        // again with it, and the review shown anew.
        for (;;) {
          const decision = await host.review({
            ...prepared.plan,
            ...(refused ? { refusedChange: refused } : {}),
            stepInputs: blueprint.steps
              .filter((entry) => stepAsks(entry))
              .map((entry) => ({
                id: entry.id,
                title: stepTitle(entry),
                value: inputsText(steps[entry.id]),
              })),
          });
          if (decision === true) break;
          if (decision === false)
            throw new StackguideError('Nothing was created: you declined the plan.', {
              code: 'cancelled',
              kind: 'cancelled',
              nextSteps: [
                `Your answers are saved in ${answersPath}. To see the review again and change any answer there, run: ${equivalentCommand(blueprint, asGiven(), answersPath, false)}`,
              ],
            });
          if ('step' in decision) {
            // The step's questions again, what it holds offered; kept only when every check passes.
            const entry = blueprint.steps.find((each) => each.id === decision.step);
            if (!entry)
              throw new StackguideError(
                `The review offered the step "${decision.step}", which the blueprint lacks`,
                {
                  code: 'bug.review-step',
                  kind: 'bug',
                },
              );
            const before = { inputs: stepInputs[entry.id], kept: steps[entry.id] };
            const { inputs, kept } = await askStep(
              entry,
              { ...prepared.base, prompter, reask: true },
              steps[entry.id],
            );
            const put = (inputs: StepInputs | undefined, kept: SavedStepInputs | undefined) => {
              if (inputs === undefined) delete stepInputs[entry.id];
              else stepInputs[entry.id] = inputs;
              if (kept === undefined || Object.keys(kept).length === 0) delete steps[entry.id];
              else steps[entry.id] = kept;
            };
            put(inputs, kept);
            await tryChange(stepTitle(entry), inputsText(kept), prepared.current.answers, () =>
              put(before.inputs, before.kept),
            );
            continue;
          }
          if ('setting' in decision) {
            // Asked as when first asked: the name checked against AWS as it is typed, a region of the
            // blueprint's list; the current value offered first.
            if (decision.setting === 'deployment') {
              const before = { deployment, answersPath, createdAnswers, answersSaved, lastRun };
              const { deployment: _named, ...unnamed } = checked.request;
              deployment = await askDeploymentName(
                unnamed,
                undefined,
                prompter,
                nameAvailability(blueprint, { region, account: identity.account }, aws),
                deployment,
              );
              await tellLastRun();
              answersPath = answersPathFor(deployment);
              const moved = before.answersPath !== answersPath;
              if (moved) {
                createdAnswers = !existsSync(answersPath);
                answersSaved = false;
              }
              const kept = await tryChange('deployment name', deployment, prepared.current.answers, () => {
                ({ deployment, answersPath, createdAnswers, answersSaved, lastRun } = before);
              });
              // The file this run wrote under the first name goes with the name, once the new one is saved.
              if (kept && moved && before.createdAnswers) await rm(before.answersPath, { force: true });
            } else {
              const before = { region, aws };
              const { region: _placed, ...unplaced } = checked.request;
              region = await askRegion(
                { ...unplaced, defaultRegion: { value: region, source: 'review' } },
                undefined,
                prompter,
              );
              aws = host.connect(region);
              await tryChange('region', region, prepared.current.answers, () => {
                ({ region, aws } = before);
              });
            }
            nextCommand = equivalentCommand(blueprint, asGiven(), answersPath);
            continue;
          }
          const changed = await changeAnswer(
            prompter,
            blueprint.questions,
            prepared.current.answers,
            decision.change,
          );
          const value = changed[decision.change];
          const secret = blueprint.questions.some(
            (question) => question.id === decision.change && question.type === 'secret',
          );
          await tryChange(
            decision.change,
            value === undefined ? '(not set)' : secret ? mask(String(value)) : answerText(value),
            changed,
          );
        }
      }
      const { current, base: stepBase, plan } = prepared;
      return {
        request: asGiven(),
        blueprint,
        resolved: current,
        plan,
        stepBase,
        stepInputs,
        answersPath,
        answersSaved,
        nextCommand,
        ...(lastRun ? { lastRun } : {}),
      };
    },

    async execute(asked) {
      const { request, blueprint, resolved, plan, stepBase, stepInputs, answersPath, nextCommand } = asked;
      const { aws, identity, deployment, region } = resolved;
      const lock = lockRequest(aws, host, {
        deployment,
        principal: identity.arn,
        yes: request.yes,
        forceUnlock: request.forceUnlock,
        // As the operator gave it: a terminal run is asked again, not sent past its review.
        rerunCommand: equivalentCommand(blueprint, request, answersPath, request.yes),
      });
      // The lock before anything is changed (the journal file, then the artifacts bucket), released last.
      return withDeploymentLock(events, 'install', lock, async () => {
        const journal = await Journal.open(request.stateDir, {
          blueprint: { id: blueprint.product.id, version: blueprint.product.version },
          deployment,
          region,
          account: identity.account,
          answersFile: resolve(answersPath),
        });
        return withJournalRun(events, journal, { command: 'install', told: asked.lastRun }, async () => {
          const packaged = await packageTemplates(plan, blueprint, {
            s3: aws.use(s3Port),
            deployment,
            account: identity.account,
            region,
            emit: (event) => events.emit(event),
          });
          const stacks = await host.execute(packaged.plan, {
            aws,
            steps: blueprint.steps,
            journal,
            stepBase,
            stepInputs,
          });
          const afterInstall = afterInstallChecklist(
            blueprint.afterInstall,
            { deployment, region, account: identity.account, answers: resolved.answers },
            stacks,
            secretValues(plan),
          );
          const afterInstallPath = await saveAfterInstallFile(
            (event) => events.emit(event),
            journal.dir,
            afterInstall,
            {
              deployment,
              blueprint: `${blueprint.product.id} ${blueprint.product.version}`,
              region,
              account: identity.account,
              writtenAt: new Date(host.clock.now()),
            },
          );
          events.emit({ type: 'run.completed', outcome: 'succeeded', exitCode: 0, nextCommand });
          return {
            plan,
            stacks,
            answersPath,
            answersSaved: asked.answersSaved,
            nextCommand,
            eventLogPath: journal.eventLogPath,
            afterInstall,
            ...(afterInstallPath ? { afterInstallPath } : {}),
          };
        });
      });
    },
  };
}

/** A step's saved inputs as the review lists them: `key: value`, never a secret (none is saved). */
function inputsText(inputs: SavedStepInputs | undefined): string {
  const entries = Object.entries(inputs ?? {});
  if (entries.length === 0) return '(nothing given)';
  return entries
    .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(', ') : String(value)}`)
    .join('; ');
}

/** An answer as the review lists it. */
function answerText(value: AnswerValue): string {
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/** The same error, with one more thing the operator can do. */
function withNextStep(error: StackguideError, step: string): StackguideError {
  return new StackguideError(error.message, {
    code: error.code,
    kind: error.kind,
    details: error.details,
    exitCode: error.exitCode,
    ...(error.cause !== undefined ? { cause: error.cause } : {}),
    nextSteps: [...error.nextSteps, step],
  });
}

/**
 * Why the review cannot change the name or the region, when a rule forbids it: stacks of this
 * deployment exist (this run updates them; another name or region would be another deployment), or
 * the preparation steps' answers were given for this region.
 */
function fixedSettings(
  nameCheck: CheckResult,
  stepInputs: Record<string, StepInputs>,
  region: string,
): NonNullable<InstallPlan['fixed']> {
  const existing = (nameCheck.facts?.existing as string[] | undefined) ?? [];
  if (existing.length > 0) {
    const reason = `its stacks exist (${existing.join(', ')}) and this run updates them; for another deployment, run install again`;
    return { deployment: reason, region: reason };
  }
  const asked = Object.entries(stepInputs)
    .filter(([, inputs]) => Object.keys(inputs).length > 0)
    .map(([id]) => id);
  return asked.length > 0
    ? {
        region: `the answers of ${asked.join(', ')} were given for ${region}; for another region, run install again with --region`,
      }
    : {};
}

/** The unattended command that repeats this install; flags that overrode the answers file are repeated. */
function equivalentCommand(
  blueprint: Blueprint,
  request: InstallRequest,
  answersPath: string,
  unattended = true,
): string {
  return rerunCommand({
    command: 'install',
    blueprint,
    configPath: answersPath,
    // Without a given answers file, the one saved holds the name and every answer already.
    ...(request.configPath ? { deployment: request.deployment, sets: request.sets } : {}),
    flags: unattended ? ['--yes'] : [],
    connectionFlags: request.connectionFlags,
  });
}
