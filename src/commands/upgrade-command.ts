import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { rdsPort } from '../aws/rds-adapter.ts';
import { loadBlueprint } from '../blueprint/load-blueprint.ts';
import { ExitCode, StackguideError } from '../errors.ts';
import { answersChanged, writeAnswersFile } from '../install/answers-file.ts';
import { resolveDeployment } from '../install/install-flow.ts';
import { buildInstallPlan, type InstallPlan, resolveParameters } from '../install/install-plan.ts';
import type { Prompter } from '../install/prompter.ts';
import { beginRun, Journal, readDeploymentState } from '../journal/journal.ts';
import { systemClock } from '../runtime/clock.ts';
import { parseTemplate } from '../stacks/cloudformation-template.ts';
import { OperationTracker } from '../stacks/operation-tracker.ts';
import {
  applyStep,
  askSteps,
  blockingFailures,
  checkSteps,
  preflightError,
  type StepBase,
} from '../steps/run-steps.ts';
import { runLiveChecks } from '../upgrade/live-checks.ts';
import { awsSessionFor, openOutput, settingsOf } from './command-context.ts';
import { type CommonOptions, connectionFlags, parseSets } from './common-options.ts';
import { runWithLiveView } from './run-with-live-view.ts';

export interface UpgradeOptions extends CommonOptions {
  /** A new template for one stack: a file, or an https:// or s3:// URL. */
  template?: string;
  /** Which stack --template is for (a blueprint stack id); needed when the blueprint has several. */
  stack?: string;
}

/**
 * `stackguide upgrade` (seed 002): a newer blueprint version or a new template, the blueprint's
 * pre-upgrade steps first, every parameter kept unless changed (new questions only are asked), the
 * live-resource checks, then each stack through a reviewed change set in order, watched to the end.
 */
export async function upgradeCommand(options: UpgradeOptions): Promise<number> {
  const controller = new AbortController();
  const signal = controller.signal;
  const tracker = new OperationTracker();
  options.signal?.addEventListener('abort', () => controller.abort(options.signal?.reason));
  const { mode, events, close } = openOutput(options);
  const screens = mode.interactive ? await import('../../screens/mount-screens.tsx') : undefined;
  const prompter: Prompter | undefined = mode.interactive
    ? (await import('../../screens/inquirer-prompter.ts')).createInquirerPrompter(signal)
    : undefined;

  try {
    if (!options.config) {
      throw new StackguideError('upgrade needs the answers file of the deployment it upgrades', {
        code: 'answers.missing',
        kind: 'user',
        details: [
          { path: '--config', message: 'not given', fix: 'Pass --config <the answers file install wrote>.' },
        ],
      });
    }
    const blueprint = await loadBlueprint(options.blueprint ?? '.');
    const session = awsSessionFor(options);
    // Answers already given are kept; only questions new in this blueprint version are asked.
    const resolved = await resolveDeployment(
      {
        command: 'upgrade',
        blueprint,
        configPath: options.config,
        ...(options.region ? { region: options.region } : {}),
        ...(options.name ? { deployment: options.name } : {}),
        sets: parseSets(options.set ?? []),
        yes: options.yes === true,
        env: process.env,
        settings: settingsOf(options),
      },
      { ...(prompter ? { prompter } : {}), connect: (region) => session.forRegion(region), events, signal },
    );
    const { aws, deployment, region, identity } = resolved;
    const answers = { ...resolved.answers };
    const fromVersion = resolved.saved?.blueprintVersion ?? 'unknown';
    events.emit({ type: 'upgrade.started', deployment, from: fromVersion, to: blueprint.product.version });

    const current = await Promise.all(
      blueprint.stacks.map(async (stack) => {
        const planName =
          buildInstallPlan(blueprint, { deployment, region, account: identity.account, answers }).stacks.find(
            (s) => s.id === stack.id,
          )?.name ?? stack.name;
        return {
          id: stack.id,
          name: planName,
          description: await aws.cloudFormation.describeStack(planName),
        };
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

    const stepBase: StepBase = {
      region,
      account: identity.account,
      deployment,
      answers,
      aws,
      clock: systemClock,
      signal,
      emit: (event) => events.emit(event),
      env: process.env,
      settings: settingsOf(options),
    };
    // Pre-upgrade steps (a backup stack, a least-privilege role, maintenance mode) go first, in order.
    const before = blueprint.upgrade.before;
    const { inputs } = await askSteps(
      before,
      { ...stepBase, ...(prompter ? { prompter } : {}) },
      resolved.saved?.steps,
    );
    const failures = blockingFailures(await checkSteps(before, stepBase, inputs));
    if (failures.length > 0) throw preflightError(failures);
    // What the install's steps made (hosted zone id, certificate ARN, ...) stays referable by the stacks.
    const stepOutputs: Record<string, Record<string, string>> = {};
    const installed = await readDeploymentState(resolve(options.stateDir ?? '.stackguide'), deployment);
    for (const [id, record] of Object.entries(installed?.steps ?? {}))
      if (record.outputs) stepOutputs[id] = record.outputs;
    for (const entry of before)
      stepOutputs[entry.id] = await applyStep(entry, stepBase, inputs[entry.id] ?? {}, { ...stepOutputs });

    let plan = buildInstallPlan(blueprint, { deployment, region, account: identity.account, answers });
    plan = await withTemplateOverride(plan, options);
    plan = orderForUpgrade(plan, blueprint.upgrade.order);

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
      if (useLive) {
        plan = {
          ...plan,
          stacks: plan.stacks.map((stack) =>
            stack.id === finding.stackId
              ? {
                  ...stack,
                  parameterSources: { ...stack.parameterSources, [finding.parameter]: finding.live },
                }
              : stack,
          ),
        };
        if (!prompter)
          events.emit({
            type: 'warning',
            code: 'upgrade.live-value-used',
            message: `${finding.stackName}: using the live value ${finding.live} for ${finding.parameter}`,
          });
      }
    }

    const answersFile = {
      ...(resolved.saved ?? { blueprint: blueprint.product.id, answers: {} }),
      blueprint: blueprint.product.id,
      blueprintVersion: blueprint.product.version,
      deployment,
      region,
      answers,
    };
    // Rewritten only when an answer changed (a --set, a new question), and then said.
    if (answersChanged(resolved.saved, answersFile, blueprint.questions)) {
      await writeAnswersFile(options.config, blueprint, answersFile);
      events.emit({ type: 'answers.saved', path: options.config });
    }

    const journal = await Journal.open(resolve(options.stateDir ?? '.stackguide'), {
      blueprint: { id: blueprint.product.id, version: blueprint.product.version },
      deployment,
      region,
      account: identity.account,
    });
    const unsubscribe = events.subscribe((event) => void journal.appendEvent(event));
    await beginRun(journal, 'upgrade', (event) => events.emit(event));
    let outcome: 'completed' | 'failed' = 'failed';
    try {
      const { runInstallTasks } = await import('../../tasks/install-tasks.ts');
      const deps = {
        plan,
        aws,
        journal,
        tracker,
        clock: systemClock,
        emit: stepBase.emit,
        signal,
        steps: [],
        stepBase,
        stepInputs: {},
        earlierStepOutputs: stepOutputs,
      };
      await runWithLiveView(
        {
          title: `Upgrading ${deployment} (${blueprint.product.id} ${fromVersion} → ${blueprint.product.version}) in ${region}`,
          screens,
          events,
          cloudFormation: aws.cloudFormation,
          tracker,
          abort: (reason) => controller.abort(reason),
          watchCommand: (stack) =>
            ['stackguide watch', stack, `--config ${options.config}`, ...connectionFlags(options)].join(' '),
          reviewChangeSets: options.yes !== true,
        },
        (renderer, rendererOptions, { review }) =>
          runInstallTasks({ ...deps, ...(review ? { review } : {}) }, renderer, rendererOptions),
      );
      outcome = 'completed';
    } finally {
      unsubscribe();
      await journal.finish(outcome);
      await journal.flush();
    }
    events.emit({ type: 'run.completed', outcome: 'succeeded', exitCode: ExitCode.ok });
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof StackguideError) {
      events.emit({
        type: 'run.completed',
        outcome: error.kind === 'cancelled' ? 'cancelled' : 'failed',
        exitCode: error.exitCode,
      });
    }
    throw error;
  } finally {
    close();
  }
}

/** `--template` replaces one stack's template: a local file (read and checked) or a URL (S3 or HTTPS). */
async function withTemplateOverride(plan: InstallPlan, options: UpgradeOptions): Promise<InstallPlan> {
  if (!options.template) return plan;
  const target = options.stack ?? (plan.stacks.length === 1 ? plan.stacks[0]?.id : undefined);
  if (!target || !plan.stacks.some((stack) => stack.id === target)) {
    throw new StackguideError('--template needs --stack <id> to say which stack it is for', {
      code: 'usage.template',
      kind: 'user',
      details: [
        {
          path: '--stack',
          message: options.stack ? `"${options.stack}" is not a stack id` : 'not given',
          fix: `Use one of: ${plan.stacks.map((s) => s.id).join(', ')}.`,
        },
      ],
    });
  }
  const url = toTemplateUrl(options.template);
  let replacement: Partial<InstallPlan['stacks'][number]>;
  if (url) replacement = { templateUrl: url };
  else {
    const body = await readFile(options.template, 'utf8').catch((cause: unknown) => {
      throw new StackguideError(`Cannot read the template ${options.template}`, {
        code: 'usage.template',
        kind: 'user',
        cause,
      });
    });
    const summary = parseTemplate(body);
    replacement = {
      templateBody: body,
      resourceCount: Object.keys(summary.resources).length,
      templateParameters: Object.keys(summary.parameters),
    };
  }
  return {
    ...plan,
    stacks: plan.stacks.map((stack) => {
      if (stack.id !== target) return stack;
      const { templateBody: _body, templateUrl: _url, resourceCount: _count, ...rest } = stack;
      return { ...rest, ...replacement };
    }),
  };
}

/** `s3://bucket/key` as the HTTPS URL CloudFormation takes; https URLs as they are; else a file path. */
function toTemplateUrl(location: string): string | undefined {
  if (location.startsWith('https://')) return location;
  const s3 = /^s3:\/\/([^/]+)\/(.+)$/.exec(location);
  return s3 ? `https://${s3[1]}.s3.amazonaws.com/${s3[2]}` : undefined;
}

function orderForUpgrade(plan: InstallPlan, order: readonly string[] | undefined): InstallPlan {
  if (!order) return plan;
  const rank = (id: string): number => (order.includes(id) ? order.indexOf(id) : order.length);
  return { ...plan, stacks: [...plan.stacks].sort((a, b) => rank(a.id) - rank(b.id)) };
}

/** Parameters as the upgrade would send them, with earlier stacks' current outputs and the steps' outputs; unresolvable ones left out. */
function safeParameters(
  plan: InstallPlan,
  stack: InstallPlan['stacks'][number],
  stackOutputs: Record<string, Record<string, string>>,
  stepOutputs: Record<string, Record<string, string>>,
): Record<string, string> {
  // One by one: a parameter built from an output the emulator did not return must not hide the others.
  const parameters: Record<string, string> = {};
  for (const [key, source] of Object.entries(stack.parameterSources)) {
    try {
      const one = { ...stack, parameterSources: { [key]: source } };
      Object.assign(parameters, resolveParameters(plan, one, { stackOutputs, stepOutputs }));
    } catch {
      // Left out: the live checks compare only what is known.
    }
  }
  return parameters;
}
