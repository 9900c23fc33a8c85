import { resolve } from 'node:path';
import type { StackDescription } from '../aws/cloudformation-port.ts';
import { rdsPort } from '../aws/rds-port.ts';
import { s3Port } from '../aws/s3-port.ts';
import { type Blueprint, loadBlueprint } from '../blueprint/load-blueprint.ts';
import { BLUEPRINT_VERSION_TAG } from '../deployment-tags.ts';
import { ExitCode, StackguideError } from '../errors.ts';
import type { ParameterChange } from '../events.ts';
import { answersChanged, changedAnswerIds, writeAnswersFile } from '../install/answers-file.ts';
import { readDeploymentRecord, refuseRevert } from '../install/deployed-version.ts';
import {
  type CheckedDeployment,
  checkDeploymentRequest,
  type DeploymentRequest,
  type ResolvedDeployment,
  resolveDeployment,
  stepBaseFor,
} from '../install/deployment-resolution.ts';
import { buildInstallPlan, type InstallPlan } from '../install/install-plan.ts';
import type { Prompter } from '../install/prompter.ts';
import { Journal, readDeploymentState } from '../journal/journal.ts';
import { refuseIfLockedOnceNamed } from '../lock/deployment-lock.ts';
import { upgradeChangeText } from '../output/upgrade-text.ts';
import { packageTemplates } from '../packaging/package-templates.ts';
import type { RunTitle } from '../progress/progress-store.ts';
import type { DeployedStack } from '../stacks/deploy-stack.ts';
import {
  compareDeployedParameters,
  comparePlannedParameters,
  type ParameterComparison,
} from '../status/parameter-comparison.ts';
import {
  applyStep,
  askSteps,
  blockingFailures,
  checkSteps,
  preflightError,
  type StepBase,
  type StepInputs,
} from '../steps/run-steps.ts';
import { answersFileToUpgrade } from '../upgrade/answers-file-to-upgrade.ts';
import { runLiveChecks } from '../upgrade/live-checks.ts';
import {
  orderForUpgrade,
  readTemplateOverride,
  safeParameters,
  type TemplateOverride,
  withLiveValue,
  withTemplateOverride,
} from '../upgrade/upgrade-plan.ts';
import { type Flow, type FlowHost, lockRequest, withDeploymentLock, withJournalRun } from './flow.ts';
import type { ExecuteContext } from './install-flow.ts';
import { rerunCommand } from './rerun-command.ts';

/**
 * `stackguide upgrade` (seed 002): a newer blueprint version or a new template, the blueprint's
 * pre-upgrade steps first, every parameter kept unless changed (new questions only are asked), the
 * live-resource checks, then each stack through a reviewed change set in order, watched to the end.
 */
export interface UpgradeRequest extends Omit<DeploymentRequest, 'blueprint' | 'command' | 'configPath'> {
  blueprintPath: string;
  /** `--config`; without it, the answers file the deployment was last installed or upgraded from. */
  configPath: string | undefined;
  stateDir: string;
  /** A new template for one stack: a file, or an https:// or s3:// URL. */
  template?: string;
  /** Which stack --template is for (a blueprint stack id); needed when the blueprint has several. */
  stack?: string;
  /** `--force-unlock <id>`: break that stale deployment lock (after a confirmation) first. */
  forceUnlock?: string;
  /** Flags to repeat in a command printed for the next run (connectionFlags in common-options.ts). */
  connectionFlags: string[];
}

export interface UpgradeHost extends FlowHost {
  /** Runs the stacks of the plan by the dependency graph and upgrade.order (the install's task list without its steps). */
  execute(
    title: RunTitle,
    plan: InstallPlan,
    context: ExecuteContext & { earlierStepOutputs: Record<string, Record<string, string>> },
  ): Promise<Record<string, DeployedStack>>;
}

/** What an upgrade that succeeded leaves: the plan it ran and every stack as it ended (`--outputs-file`). */
export interface UpgradeOutcome {
  plan: InstallPlan;
  stacks: Record<string, DeployedStack>;
}

interface Validated {
  request: UpgradeRequest;
  checked: CheckedDeployment;
  configPath: string;
  /** The answers file upgrade took itself (no --config): said before anything is asked or changed. */
  chosen: { path: string; from: 'journal' | 'beside' } | undefined;
  override: TemplateOverride | undefined;
}

interface Asked extends Validated {
  resolved: ResolvedDeployment;
  fromVersion: string;
  /** The answers this upgrade changes, for its header. */
  changedAnswers: string[];
  current: Array<{ id: string; name: string; description: StackDescription | undefined }>;
  /** The outputs the install's preparation steps recorded in the journal, by step id. */
  earlierStepOutputs: Record<string, Record<string, string>>;
  stepBase: StepBase;
  inputs: Record<string, StepInputs>;
  /** Who asks in execute (the live checks): nobody with --yes. */
  prompter: Prompter | undefined;
}

export function upgradeFlow(host: UpgradeHost): Flow<UpgradeRequest, Validated, Asked, UpgradeOutcome> {
  const { events } = host;
  /**
   * Who asks: nobody with --yes, even in a terminal (README, `upgrade --yes`), as install: a question
   * the answers file leaves open is an error naming its key, and live values are used.
   */
  const askerFor = (request: Pick<UpgradeRequest, 'yes'>): Prompter | undefined =>
    request.yes ? undefined : host.prompter;
  return {
    async validate(request) {
      const { path: configPath, chosen } = await answersFileToUpgrade(request);
      const { blueprintPath, template, stack, stateDir: _stateDir, ...rest } = request;
      const blueprint = await loadBlueprint(blueprintPath);
      // Answers already given are kept; only questions new in this blueprint version are asked.
      const checked = await checkDeploymentRequest(
        {
          ...rest,
          // The deployment the file was found for, whether or not the file names it.
          ...(chosen ? { deployment: chosen.deployment } : {}),
          blueprint,
          command: 'upgrade',
          configPath,
        },
        { interactive: askerFor(request) !== undefined, clock: host.clock },
      );
      return {
        request,
        checked,
        configPath,
        chosen: chosen && { path: configPath, from: chosen.from },
        override: await readTemplateOverride(blueprint, template, stack),
      };
    },

    async ask(validated) {
      const { blueprint } = validated.checked.request;
      const { request } = validated;
      const prompter = askerFor(request);
      const { prompter: _host, ...unprompted } = host;
      // A deployment another run is changing is refused before the questions, the pre-upgrade steps
      // and the live checks, as install does (trial finding 25); the lock itself is taken later,
      // before the first change.
      const refuseIfLocked = refuseIfLockedOnceNamed({
        yes: request.yes,
        prompter: host.prompter,
        forceUnlock: request.forceUnlock,
        rerunCommand: () => sameUpgrade(blueprint, request, validated.configPath),
      });
      const resolved = await resolveDeployment(validated.checked, {
        ...(prompter ? host : unprompted),
        named: async (deployment, aws) => {
          // The answers file upgrade took itself is named once the run has said what it upgrades,
          // before a question or a change: an upgrade changes AWS from what that file holds.
          if (validated.chosen) events.emit({ type: 'answers.chosen', ...validated.chosen });
          await refuseIfLocked(deployment, aws);
        },
      });
      const { aws, deployment, region, identity, answers } = resolved;
      const changedAnswers = changedAnswerIds(resolved.saved?.answers ?? {}, answers, blueprint.questions);
      const installed = buildInstallPlan(blueprint, {
        deployment,
        region,
        account: identity.account,
        answers,
      });
      const current = await Promise.all(
        blueprint.stacks.map(async (stack) => {
          const name = installed.stacks.find((s) => s.id === stack.id)?.name ?? stack.name;
          return { id: stack.id, name, description: await aws.cloudFormation.describeStack(name) };
        }),
      );
      const missing = current.filter((entry) => !entry.description);
      if (missing.length > 0) {
        throw new StackguideError(`Not installed: ${missing.map((m) => m.name).join(', ')}`, {
          code: 'upgrade.not-installed',
          kind: 'user',
          nextSteps: ['Run stackguide install first; upgrade changes stacks that exist.'],
        });
      }
      const fromVersion = deployedVersion(current) ?? resolved.saved?.blueprintVersion ?? 'unknown';
      // What the install's steps made (hosted zone id, certificate ARN, ...): parameters refer to it.
      const earlierStepOutputs: Record<string, Record<string, string>> = {};
      const state = await readDeploymentState(validated.request.stateDir, deployment);
      for (const [id, record] of Object.entries(state?.steps ?? {}))
        if (record.outputs) earlierStepOutputs[id] = record.outputs;
      // What changes is read from the stacks, not from the answers file: a file edited since the last
      // run (or a change that never reached AWS) holds no changed answer and still changes the stacks
      // (trial finding 53). The same comparison as status's.
      const compared = compareDeployedParameters(
        blueprint,
        { deployment, region, account: identity.account, answers },
        current,
        earlierStepOutputs,
      );
      events.emit({
        type: 'upgrade.started',
        deployment,
        from: fromVersion,
        to: blueprint.product.version,
        answersChanged: changedAnswers,
        parametersChanged: current.flatMap(({ id, name }) =>
          parameterChanges(compared[id]).map((change) => ({ stack: name, ...change })),
        ),
      });
      await refuseRevert(current, aws.cloudFormation, {
        command: 'upgrade',
        blueprintVersion: blueprint.product.version,
        recorded: await readDeploymentRecord(validated.request.stateDir, {
          deployment,
          region,
          account: identity.account,
        }),
        upgradeCommand: `stackguide upgrade --blueprint <blueprint> --config ${validated.configPath}`,
      });
      const stepBase = stepBaseFor(resolved, validated.request, host);
      // Pre-upgrade steps (a backup stack, a least-privilege role, maintenance mode) go first, in order.
      const before = blueprint.upgrade.before;
      const { inputs } = await askSteps(
        before,
        { ...stepBase, ...(prompter ? { prompter } : {}) },
        resolved.saved?.steps,
      );
      const failures = blockingFailures(await checkSteps(before, stepBase, inputs));
      if (failures.length > 0)
        throw preflightError(failures, sameUpgrade(blueprint, validated.request, validated.configPath));
      return {
        ...validated,
        resolved,
        fromVersion,
        changedAnswers,
        current,
        earlierStepOutputs,
        stepBase,
        inputs,
        prompter,
      };
    },

    // The pre-upgrade steps are the first change (a manual one asks its confirmation as it applies);
    // the live checks read what those left, and are asked before the stacks' live view starts.
    async execute({
      request,
      checked,
      configPath,
      override,
      resolved,
      fromVersion,
      changedAnswers,
      current,
      earlierStepOutputs,
      stepBase,
      inputs,
      prompter,
    }) {
      const { blueprint } = checked.request;
      const { aws, deployment, region, identity, answers } = resolved;
      const lock = lockRequest(aws, host, {
        deployment,
        principal: identity.arn,
        yes: request.yes,
        forceUnlock: request.forceUnlock,
        rerunCommand: sameUpgrade(blueprint, request, configPath),
      });
      // Held from before the pre-upgrade steps (the first change) until after the last stack.
      const outcome = await withDeploymentLock(events, 'upgrade', lock, async () => {
        // What the install's steps made (hosted zone id, certificate ARN, ...) stays referable by the stacks.
        const stepOutputs: Record<string, Record<string, string>> = { ...earlierStepOutputs };
        for (const entry of blueprint.upgrade.before)
          stepOutputs[entry.id] = await applyStep(entry, stepBase, inputs[entry.id] ?? {}, {
            ...stepOutputs,
          });

        let plan = buildInstallPlan(blueprint, { deployment, region, account: identity.account, answers });
        plan = orderForUpgrade(withTemplateOverride(plan, override), blueprint.upgrade.order);

        // Live checks: compare what would be sent with what the resources hold now.
        const currentOutputs = Object.fromEntries(
          current.map((entry) => [entry.id, entry.description?.outputs ?? {}]),
        );
        const planned = plan.stacks.map((stack) => ({
          id: stack.id,
          name: stack.name,
          parameters: safeParameters(plan, stack, currentOutputs, stepOutputs),
        }));
        const findings = await runLiveChecks(blueprint.upgrade.liveChecks, planned, {
          cloudFormation: aws.cloudFormation,
          rds: aws.use(rdsPort),
        });
        for (const finding of findings) {
          events.emit({ type: 'warning', code: 'upgrade.live-value', message: finding.message });
          const useLive = prompter
            ? await prompter.confirm({
                message: `Use the live value ${finding.live} for ${finding.parameter}?`,
                default: true,
              })
            : true;
          if (!useLive) continue;
          plan = withLiveValue(plan, finding);
          if (!prompter)
            events.emit({
              type: 'warning',
              code: 'upgrade.live-value-used',
              message: `${finding.stackName}: using the live value ${finding.live} for ${finding.parameter}`,
            });
        }

        // Each change set's review lists the parameters it changes, as finally planned (a live value taken).
        const sent = comparePlannedParameters(blueprint, plan, current, stepOutputs);
        plan = {
          ...plan,
          stacks: plan.stacks.map((stack) => {
            const changes = parameterChanges(sent[stack.id]);
            return changes.length > 0 ? { ...stack, parameterChanges: changes } : stack;
          }),
        };

        const answersFile = {
          ...(resolved.saved ?? { blueprint: blueprint.product.id, answers: {} }),
          blueprint: blueprint.product.id,
          blueprintVersion: blueprint.product.version,
          deployment,
          region,
          answers,
        };
        // Rewritten only when an answer changed (a --set, a new question), and then said; only once the
        // stacks hold the change: a declined change set or a cancelled update leaves the file as it was,
        // or the next status would report as drift a change the operator turned down.
        const rewrite = answersChanged(resolved.saved, answersFile, blueprint.questions);

        const journal = await Journal.open(request.stateDir, {
          blueprint: {
            id: blueprint.product.id,
            version: blueprint.product.version,
            // What upgrade --template put in place of the blueprint's template (also tagged on the stack).
            ...(override ? { templateOverrides: { [override.stackId]: override.label } } : {}),
          },
          deployment,
          region,
          account: identity.account,
          answersFile: resolve(configPath),
        });
        const stacks = await withJournalRun(events, journal, 'upgrade', async () => {
          const packaged = await packageTemplates(plan, blueprint, {
            s3: aws.use(s3Port),
            deployment,
            account: identity.account,
            region,
            emit: (event) => events.emit(event),
          });
          const change = {
            from: fromVersion,
            to: blueprint.product.version,
            answersChanged: changedAnswers,
            parametersChanged: parametersOf(plan),
            ...(override ? { template: override.stackId } : {}),
          };
          // The account and region whole, as install's header: with --yes no other row names them.
          // What changed is said in fewer words first (trial finding 97), then left to the lines above.
          const title = (what: string) =>
            `Upgrading ${deployment} (${blueprint.product.id} ${what}) in ${identity.account} ${region}`;
          return host.execute(
            [
              title(upgradeChangeText(change)),
              title(upgradeChangeText(change, true)),
              title(change.from === change.to ? change.to : `${change.from} → ${change.to}`),
            ],
            packaged.plan,
            { aws, steps: [], journal, stepBase, stepInputs: {}, earlierStepOutputs: stepOutputs },
          );
        }).catch((error: unknown) => {
          throw stoppedUpgrade(error, {
            configPath,
            heldBack: rewrite ? changedAnswers : [],
            command: sameUpgrade(blueprint, request, configPath),
          });
        });
        if (rewrite) {
          await writeAnswersFile(configPath, blueprint, answersFile);
          events.emit({ type: 'answers.saved', path: configPath });
        }
        return { plan, stacks };
      });
      events.emit({ type: 'run.completed', outcome: 'succeeded', exitCode: ExitCode.ok });
      return outcome;
    },
  };
}

/**
 * An upgrade the operator stopped (a declined change set, a cancelled update): its Next names the
 * upgrade to run again, not an install, and says the answers file was left as it was.
 */
function stoppedUpgrade(
  error: unknown,
  context: { configPath: string; heldBack: readonly string[]; command: string },
): unknown {
  if (!(error instanceof StackguideError) || error.kind !== 'cancelled') return error;
  const kept =
    context.heldBack.length > 0
      ? `${context.configPath} was left as it was: it does not hold the new ${context.heldBack.join(', ')} this upgrade was to apply.`
      : undefined;
  return new StackguideError(error.message, {
    code: error.code,
    kind: error.kind,
    exitCode: error.exitCode,
    details: error.details,
    cause: error,
    nextSteps: [
      ...error.nextSteps.filter((step) => !GENERIC_AGAIN.test(step)),
      ...(kept ? [kept] : []),
      `To upgrade when you are ready: ${context.command}`,
    ],
  });
}

/** deploy-stack's "run it again" steps, said for install and upgrade alike: replaced by the upgrade command. */
const GENERIC_AGAIN = /^Run the (install|same command) again when you are ready\.$/;

/** The upgrade command line as the operator gave it, to run it again (a lock refusal, a failed check). */
function sameUpgrade(blueprint: Blueprint, request: UpgradeRequest, configPath: string): string {
  return rerunCommand({
    command: 'upgrade',
    blueprint,
    configPath,
    deployment: request.deployment,
    sets: request.sets,
    flags: [
      ...(request.template ? [`--template ${request.template}`] : []),
      ...(request.stack ? [`--stack ${request.stack}`] : []),
      ...(request.yes ? ['--yes'] : []),
    ],
    connectionFlags: request.connectionFlags,
  });
}

/** A stack's comparison as the parameters that change, deployed → new. */
function parameterChanges(comparison: ParameterComparison | undefined): ParameterChange[] {
  return (comparison?.differ ?? []).map(({ name, deployed, answers }) => ({ name, deployed, next: answers }));
}

/** Every parameter the plan changes, with its stack's name. */
export function parametersOf(plan: InstallPlan): Array<ParameterChange & { stack: string }> {
  return plan.stacks.flatMap((stack) =>
    (stack.parameterChanges ?? []).map((change) => ({ stack: stack.name, ...change })),
  );
}

/**
 * The blueprint version the stacks say they run (their stackguide:blueprint-version tag): what AWS holds
 * comes before what an answers file remembers. Stacks at different versions are all named.
 */
function deployedVersion(
  stacks: ReadonlyArray<{ description: StackDescription | undefined }>,
): string | undefined {
  const versions = [
    ...new Set(stacks.flatMap(({ description }) => description?.tags[BLUEPRINT_VERSION_TAG] ?? [])),
  ];
  return versions.length > 0 ? versions.join(' and ') : undefined;
}
