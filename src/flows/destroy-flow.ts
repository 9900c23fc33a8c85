import { acmPort } from '../aws/acm-port.ts';
import type { AwsContext } from '../aws/aws-context.ts';
import { codeCommitPort } from '../aws/codecommit-port.ts';
import { ebsPort } from '../aws/ebs-port.ts';
import { ecrPort } from '../aws/ecr-port.ts';
import type { CallerIdentity } from '../aws/identity-port.ts';
import { route53Port } from '../aws/route53-port.ts';
import { s3Port } from '../aws/s3-port.ts';
import { taggingPort } from '../aws/tagging-port.ts';
import { loadBlueprint } from '../blueprint/load-blueprint.ts';
import { resolveValue } from '../blueprint/references.ts';
import { buildDestroyPlan, type DestroyPlan } from '../decommission/destroy-plan.ts';
import {
  type DestroySurvey,
  destroyPlanDetails,
  keepOnlyWhatWasPlanned,
  leftoversAfterDestroy,
  surveyDestroy,
} from '../decommission/destroy-survey.ts';
import { checkExportOrder } from '../decommission/export-order.ts';
import type { ZoneStep } from '../decommission/step-resources.ts';
import type { Teardown, TeardownDeps } from '../decommission/teardown.ts';
import { normalizeDnsName } from '../dns/compare-delegation.ts';
import { ExitCode, StackguideError } from '../errors.ts';
import { removeAfterInstallFile } from '../install/after-install-file.ts';
import { type ExistingDeployment, findExistingDeployment } from '../install/existing-deployment.ts';
import type { Prompter } from '../install/prompter.ts';
import { newStacksSince } from '../journal/generation.ts';
import {
  type DeploymentState,
  type DestroyRecord,
  Journal,
  readDeploymentState,
} from '../journal/journal.ts';
import { refuseIfLockedOnceNamed } from '../lock/deployment-lock.ts';
import { destroyPlanCount, destroyPlanText, fittedDestroyPlanText } from '../output/destroy-plan-text.ts';
import { wrapToWidth } from '../output/terminal-text.ts';
import { deleteArtifactsBucket } from '../packaging/delete-artifacts-bucket.ts';
import { lastDeployment } from '../status/last-deployment.ts';
import { type Flow, type FlowHost, lockRequest, withDeploymentLock, withJournalRun } from './flow.ts';
import { rerunCommand } from './rerun-command.ts';

/**
 * `stackguide destroy`: plan, show, confirm by typing the deployment name, then tear down in order, and
 * finish with the leftovers report. Exit 0 when everything of the deployment is gone (but what it keeps
 * on purpose), 1 when something unexpected remains or a stack failed.
 */
export interface DestroyRequest {
  blueprintPath: string;
  configPath?: string;
  deployment?: string;
  region?: string;
  /** AWS_REGION or the profile's region: used when neither --region nor the answers file names one. */
  defaultRegion?: { value: string; source: string };
  stateDir: string;
  dryRun: boolean;
  /** `--delete-codecommit`: also delete the blueprint's CodeCommit repositories (they hold code). */
  deleteCodeCommit: boolean;
  /** Unattended confirmation: must equal the deployment name. */
  confirm?: string;
  /** `--yes`: lift termination protection unattended. */
  yes: boolean;
  /** `--skip-export-check`: go on, knowingly, when ListExports/ListImports cannot be read. */
  skipExportCheck: boolean;
  /** `--force-unlock <id>`: break that stale deployment lock (after a confirmation) first. */
  forceUnlock?: string;
  /** Flags to repeat in a command printed for the next run (connectionFlags in common-options.ts). */
  connectionFlags: string[];
}

export interface DestroyHost extends FlowHost {
  /**
   * Shows the plan text, before the confirmation; `fitted` is the same plan wrapped and compacted to a
   * terminal's window, for a host that shows it to a person at one.
   */
  show(text: string, fitted: (window: { width: number; height: number }) => string): void;
  /** Runs the teardown's task list with whoever owns the terminal. */
  teardown(title: string, teardown: Teardown, deps: TeardownDeps): Promise<void>;
}

interface Validated extends ExistingDeployment {
  request: DestroyRequest;
}

/** The confirmed destroy, or `done` when there is nothing to do (a dry run, no stacks). */
type Asked =
  | { done: number }
  | {
      done?: undefined;
      validated: Validated;
      aws: AwsContext;
      identity: CallerIdentity;
      plan: DestroyPlan;
      survey: DestroySurvey;
      journaled: DeploymentState | undefined;
      resuming: DestroyRecord | undefined;
      deleteCodeCommit: boolean;
    };

export function destroyFlow(host: DestroyHost): Flow<DestroyRequest, Validated, Asked, number> {
  const { events, prompter } = host;
  return {
    async validate(request) {
      // Never picked for the operator (status shows the state folder's last deployment): what destroy
      // deletes is named on the command line, and the refusal says the name to give (trial finding 65).
      if (!request.deployment && !request.configPath) throw await unnamedDeployment(request);
      const found = await findExistingDeployment(
        {
          blueprintPath: request.blueprintPath,
          ...(request.configPath ? { configPath: request.configPath } : {}),
          ...(request.deployment ? { deployment: request.deployment } : {}),
          ...(request.region ? { region: request.region } : {}),
          ...(request.defaultRegion ? { defaultRegion: request.defaultRegion } : {}),
        },
        'destroy',
      );
      return { ...found, request };
    },

    async ask(validated) {
      const { blueprint, saved, deployment, region, request } = validated;
      const aws = host.connect(region);
      events.emit({
        type: 'run.started',
        command: 'destroy',
        blueprint: blueprint.product.id,
        deployment,
        region,
      });
      const identity = await aws.identity.whoAmI();
      events.emit({ type: 'identity.resolved', account: identity.account, arn: identity.arn, region });
      // A deployment another run is changing is refused before its plan is shown and anything is
      // asked, as install does (trial finding 25); the lock itself is taken before the first deletion.
      // A dry run changes nothing and still shows the plan.
      if (!request.dryRun)
        await refuseIfLockedOnceNamed({
          yes: request.yes,
          prompter,
          forceUnlock: request.forceUnlock,
          rerunCommand: () => sameDestroy(validated),
        })(deployment, aws);
      if (saved?.account && saved.account !== identity.account) {
        throw new StackguideError(
          `These credentials are for account ${identity.account}, but the answers file pins ${saved.account}`,
          { code: 'identity.wrong-account', kind: 'user' },
        );
      }
      const plan = await buildDestroyPlan({
        blueprint,
        deployment,
        region,
        answers: saved?.answers ?? {},
        cloudFormation: aws.cloudFormation,
      });
      // An interrupted destroy resumes from the plan it showed: nothing outside that plan is acted on.
      const journaled = await readDeploymentState(request.stateDir, deployment);
      const interrupted = journaled?.destroy?.status === 'in-progress' ? journaled.destroy : undefined;
      // A plan from an earlier generation of the deployment (installed again since) is never applied.
      const newStacks = interrupted ? newStacksSince(interrupted.plan.stackIds, plan.stacks) : [];
      const resuming = interrupted && newStacks.length === 0 ? interrupted : undefined;
      if (interrupted && !resuming)
        events.emit({
          type: 'warning',
          code: 'destroy.earlier-generation',
          message: `The destroy started at ${interrupted.startedAt} was interrupted, but the deployment was installed again since (${newStacks.join(', ')} ${newStacks.length === 1 ? 'is a new stack' : 'are new stacks'}): its plan is not applied; this plan is built from what AWS holds now`,
        });
      if (resuming) keepOnlyWhatWasPlanned(plan, resuming.plan);
      // Fails closed: exports or imports that cannot be read stop here, unless the operator said to go on.
      const orderProblems = request.skipExportCheck ? [] : await checkExportOrder(plan, aws.cloudFormation);
      const survey = await surveyDestroy(
        plan,
        blueprint.decommission,
        journaled,
        {
          s3: aws.use(s3Port),
          ecr: aws.use(ecrPort),
          ebs: aws.use(ebsPort),
          acm: aws.use(acmPort),
          route53: aws.use(route53Port),
        },
        {
          certificates: blueprint.steps.some((entry) => entry.kind === 'certificate'),
          zones: zoneSteps(validated),
        },
      );
      let deleteCodeCommit = request.deleteCodeCommit && plan.codeCommitRepositories.length > 0;
      events.emit({ type: 'destroy.plan', plan });
      for (const unread of plan.unreadableTemplates)
        events.emit({
          type: 'warning',
          code: 'destroy.template-unreadable',
          message: `${unread.stack}: ${unread.message}. ${unread.fix}`,
        });
      // The questions asked under the plan, so that a terminal fits the plan and them on one screen.
      const asking = prompter !== undefined && !request.dryRun && request.confirm === undefined;
      const codeCommitQuestion = `Also delete the CodeCommit repositories ${plan.codeCommitRepositories.join(', ')}? They hold code: only if you have a copy`;
      const typedQuestion = (counted: string) =>
        `Type the deployment name (${plan.deployment}) to delete ${counted} listed above`;
      const counted = (withCodeCommit: boolean) =>
        destroyPlanCount(plan, {
          stepResources: survey.stepResources.length,
          tagged: survey.tagged.length,
          deleteCodeCommit: withCodeCommit,
        });
      const asksCodeCommit = asking && !deleteCodeCommit && plan.codeCommitRepositories.length > 0;
      const details = destroyPlanDetails(survey, {
        deleteCodeCommit,
        askCodeCommit: asksCodeCommit,
        ...(resuming ? { resumedFrom: resuming.startedAt } : {}),
        ...(request.dryRun ? { dryRun: true } : {}),
      });
      // Nothing at all to do: no stack, nothing a step made or the platform tagged, and no destroy to
      // finish (one killed after its last stack still holds the lock and the artifacts bucket).
      const nothingLeft =
        plan.stacks.length === 0 && survey.stepResources.length === 0 && survey.tagged.length === 0;
      // Said last, under the plan: a dry run that ended "succeeded" read as if it had deleted (trial
      // finding 72). The command that deletes is the one given, without --dry-run.
      const dryRunEnding =
        request.dryRun && !nothingLeft
          ? `Dry run: nothing was deleted. To delete: ${sameDestroy(validated)}`
          : undefined;
      const questions = asking
        ? [...(asksCodeCommit ? [codeCommitQuestion] : []), typedQuestion(counted(true))]
        : [];
      host.show(destroyPlanText(plan, details), (window) =>
        fittedDestroyPlanText(plan, details, {
          ...window,
          questions,
          ...(dryRunEnding ? { ending: dryRunEnding } : {}),
        }),
      );
      if (request.skipExportCheck)
        events.emit({
          type: 'warning',
          code: 'destroy.export-check-skipped',
          message:
            'The order was not checked against exports and imports (--skip-export-check): a stack whose export is still imported will end DELETE_FAILED.',
        });
      if (orderProblems.length > 0) {
        throw new StackguideError('Nothing was deleted: the order would fail on exports still in use', {
          code: 'destroy.order',
          kind: 'user',
          details: orderProblems.map((problem) => ({
            path: `${problem.exporter} → ${problem.importer}`,
            message: problem.message,
            fix: problem.fix,
          })),
        });
      }
      if (request.dryRun) {
        if (dryRunEnding) host.show(dryRunEnding, (window) => wrapToWidth(dryRunEnding, window.width));
        return { done: ExitCode.ok };
      }
      // Asked only where the name is typed too: `--confirm` is the unattended form, and an unattended
      // destroy with a terminal attached must not stop on a question (trial finding 54); the
      // repositories, which hold code, are then kept unless --delete-codecommit says otherwise.
      if (asksCodeCommit && prompter)
        deleteCodeCommit = await prompter.confirm({ message: codeCommitQuestion, default: false });
      if (nothingLeft && !interrupted) {
        events.emit({ type: 'run.completed', outcome: 'succeeded', exitCode: ExitCode.ok });
        return { done: ExitCode.ok };
      }
      await confirmDestruction(
        request.confirm,
        prompter,
        plan.deployment,
        typedQuestion(counted(deleteCodeCommit)),
      );
      await agreeToLiftTerminationProtection(plan, request.yes, prompter);
      return { validated, aws, identity, plan, survey, journaled, resuming, deleteCodeCommit };
    },

    async execute(asked) {
      if (asked.done !== undefined) return asked.done;
      const { validated, aws, identity, plan, survey, journaled, resuming, deleteCodeCommit } = asked;
      const { blueprint, deployment, region, request } = validated;
      const rules = blueprint.decommission;
      // One writer per deployment: taken before the first change, released after the last one (the
      // lock parameter carries the deployment tag, so it goes before the leftovers report looks).
      const lock = lockRequest(aws, host, {
        deployment,
        principal: identity.arn,
        yes: request.yes,
        forceUnlock: request.forceUnlock,
        rerunCommand: sameDestroy(validated),
      });
      await withDeploymentLock(events, 'destroy', lock, async () => {
        for (const stack of plan.stacks.filter((s) => plan.terminationProtected.includes(s.name)))
          await aws.cloudFormation.setTerminationProtection(stack.stackId, false);
        const journal = await Journal.open(request.stateDir, {
          blueprint: { id: blueprint.product.id, version: blueprint.product.version },
          deployment,
          region,
          account: identity.account,
        });
        // Journaled before the first deletion, so a destroy interrupted from here on resumes from this plan.
        const destroyRecord: Omit<DestroyRecord, 'updatedAt'> = resuming ?? {
          status: 'in-progress',
          startedAt: new Date(host.clock.now()).toISOString(),
          plan: {
            stackIds: plan.stacks.map((stack) => stack.stackId),
            buckets: plan.buckets.map((bucket) => bucket.bucket),
            repositories: plan.repositories.map((repository) => repository.repository),
            codeCommitRepositories: deleteCodeCommit ? plan.codeCommitRepositories : [],
          },
        };
        await withJournalRun(events, journal, 'destroy', async () => {
          await journal.recordDestroy(destroyRecord);
          await host.teardown(
            `Destroying ${deployment} (${blueprint.product.id}) in ${identity.account} ${region}`,
            {
              deployment,
              buckets: rules.emptyBuckets ? plan.buckets.map((b) => b.bucket) : [],
              repositories: survey.repositories.filter((r) => r.exists).map((r) => r.name),
              stacks: plan.stacks,
              stepResources: survey.stepResources,
              codeCommitRepositories: deleteCodeCommit ? plan.codeCommitRepositories : [],
              tagged: survey.tagged,
            },
            {
              ports: {
                s3: aws.use(s3Port),
                ecr: aws.use(ecrPort),
                route53: aws.use(route53Port),
                acm: aws.use(acmPort),
                codeCommit: aws.use(codeCommitPort),
                ebs: aws.use(ebsPort),
              },
              cloudFormation: aws.cloudFormation,
              journal,
              clock: host.clock,
              signal: host.signal,
              emit: (event) => events.emit(event),
            },
          );
          // Last: the packaged templates, once no stack refers to them.
          const artifacts = await deleteArtifactsBucket(aws.use(s3Port), {
            deployment,
            account: identity.account,
            region,
            clock: host.clock,
            signal: host.signal,
          });
          if (artifacts) events.emit({ type: 'artifacts.deleted', bucket: artifacts });
          await journal.recordDestroy({ ...destroyRecord, status: 'complete' });
          await removeAfterInstallFile(journal.dir);
        });
      });

      const report = await leftoversAfterDestroy(plan, rules, journaled, deleteCodeCommit, {
        cloudFormation: aws.cloudFormation,
        tagging: aws.use(taggingPort),
        codeCommit: aws.use(codeCommitPort),
      });
      events.emit({ type: 'destroy.leftovers', ...report });
      const exitCode = report.unexpected.length > 0 ? ExitCode.failed : ExitCode.ok;
      events.emit({
        type: 'run.completed',
        outcome: exitCode === ExitCode.ok ? 'succeeded' : 'failed',
        exitCode,
      });
      return exitCode;
    },
  };
}

/** Neither --name nor --config: the refusal names the state folder's last deployment of this blueprint, as a flag to give. */
async function unnamedDeployment(request: DestroyRequest): Promise<StackguideError> {
  const blueprint = await loadBlueprint(request.blueprintPath);
  const known = await lastDeployment(request.stateDir, blueprint.product.id).catch(() => undefined);
  return new StackguideError('destroy needs to know which deployment: it never picks one for you', {
    code: 'answers.missing',
    kind: 'user',
    details: [
      {
        path: '--name (or deployment: in --config)',
        message: known
          ? `no deployment name; the last deployment of ${blueprint.product.id} in ${request.stateDir} is ${known.deployment} (${known.region})`
          : 'no deployment name',
        fix: known
          ? `Add --name ${known.deployment} --region ${known.region} to destroy it, or --config <its answers file>.`
          : 'Add --name <deployment> (and --region unless AWS_REGION is set), or --config <its answers file>.',
      },
    ],
  });
}

/** The blueprint's hosted-zone steps, each with its parent domain when the answers at hand resolve it. */
function zoneSteps({ blueprint, saved, deployment, region }: Validated): ZoneStep[] {
  const scope = { deployment, region, answers: saved?.answers ?? {}, stackOutputs: {} };
  return blueprint.steps
    .filter((entry) => entry.kind === 'hostedZone')
    .map((entry) => {
      try {
        const parent = resolveValue(String(entry.parentDomain), scope, `steps.${entry.id}.parentDomain`);
        return { step: entry.id, parentDomain: normalizeDnsName(parent) };
      } catch {
        // An answer it names is not at hand (destroy --name without the answers file).
        return { step: entry.id };
      }
    });
}

/** The destroy command line as the operator gave it, to run it again (a lock refusal). */
function sameDestroy({ blueprint, request }: Validated): string {
  return rerunCommand({
    command: 'destroy',
    blueprint,
    configPath: request.configPath,
    deployment: request.deployment,
    flags: [
      ...(request.confirm !== undefined ? [`--confirm ${request.confirm}`] : []),
      ...(request.yes ? ['--yes'] : []),
      ...(request.deleteCodeCommit ? ['--delete-codecommit'] : []),
      ...(request.skipExportCheck ? ['--skip-export-check'] : []),
    ],
    connectionFlags: request.connectionFlags,
  });
}

/** The deployment's name, typed or passed as --confirm; anything else stops before anything is deleted. */
async function confirmDestruction(
  confirm: string | undefined,
  prompter: Prompter | undefined,
  deployment: string,
  /** Says what is deleted, counted ("3 stacks and 1 bucket"): the top of a long plan may have scrolled off. */
  question: string,
): Promise<void> {
  if (confirm !== undefined) {
    if (confirm === deployment) return;
    throw new StackguideError(
      `--confirm ${confirm} does not match the deployment ${deployment}: nothing was deleted`,
      {
        code: 'confirmation.mismatch',
        kind: 'user',
        details: [{ path: '--confirm', message: `"${confirm}"`, fix: `Pass --confirm ${deployment}.` }],
      },
    );
  }
  if (!prompter) {
    throw new StackguideError(
      'Nothing was deleted: an unattended destroy needs --confirm <deployment name>',
      {
        code: 'confirmation.required',
        kind: 'user',
        nextSteps: [`Read the plan above, then run again with --confirm ${deployment}.`],
      },
    );
  }
  // A typo asks again, saying what differs; the plan above stays valid. A few misses in a row end the
  // run: someone typing names that are not this deployment should read the plan again.
  let misses = 0;
  const typed = await prompter.input({
    message: question,
    escapeCancels: true,
    clearRefused: true,
    validate: (value) => {
      if (value === deployment) return true;
      misses += 1;
      if (misses >= CONFIRMATION_TRIES) return true;
      const left = CONFIRMATION_TRIES - misses;
      return `${mismatch(value, deployment)} Type ${deployment} to delete, or press Esc or Ctrl+C to cancel (${left} ${left === 1 ? 'try' : 'tries'} left).`;
    },
  });
  if (typed !== deployment) {
    throw new StackguideError(
      `Nothing was deleted: the name typed did not match ${deployment} in ${CONFIRMATION_TRIES} tries`,
      {
        code: 'cancelled',
        kind: 'cancelled',
        nextSteps: [`Read the plan again, then run destroy again and type ${deployment}.`],
      },
    );
  }
}

/** How many times the typed confirmation is asked before the run ends with nothing deleted. */
const CONFIRMATION_TRIES = 3;

/** What is wrong with a typed name, in words: the operator sees why it was refused, not only that. */
function mismatch(typed: string, expected: string): string {
  if (typed === '') return 'Nothing was typed.';
  const shown = JSON.stringify(typed);
  if (typed.trim() === expected) return `${shown} has spaces around the name.`;
  if (typed.toLowerCase() === expected.toLowerCase())
    return `${shown} differs in capitals: the name is ${expected}.`;
  let at = 0;
  while (at < typed.length && typed[at] === expected[at]) at++;
  if (at === typed.length) return `${shown} is only the start of ${expected}.`;
  return `${shown} is not ${expected}: they differ from character ${at + 1} on.`;
}

/** Asked (or --yes) before anything is deleted; the protection is lifted as the first change. */
async function agreeToLiftTerminationProtection(
  plan: DestroyPlan,
  yes: boolean,
  prompter: Prompter | undefined,
): Promise<void> {
  if (plan.terminationProtected.length === 0) return;
  const names = plan.terminationProtected.join(', ');
  const lift = prompter
    ? await prompter.confirm({
        message: `Termination protection is on for ${names}. Lift it so they can be deleted?`,
        default: false,
      })
    : yes;
  if (!lift) {
    throw new StackguideError(`Nothing was deleted: termination protection is on for ${names}`, {
      code: 'destroy.termination-protection',
      kind: 'user',
      nextSteps: ['Run destroy in a terminal and agree to lift it, or add --yes to lift it unattended.'],
    });
  }
}
