import { resolve } from 'node:path';
import { loadBlueprint } from '../blueprint/load-blueprint.ts';
import { ExitCode, StackguideError } from '../errors.ts';
import type { StackguideEvent } from '../events.ts';
import { runInstall } from '../install/install-flow.ts';
import type { Prompter } from '../install/prompter.ts';
import { systemClock } from '../runtime/clock.ts';
import { detachedError } from '../stacks/interrupt-menu.ts';
import { OperationTracker } from '../stacks/operation-tracker.ts';
import { awsSessionFor, openOutput, settingsOf } from './command-context.ts';
import { type CommonOptions, connectionFlags, parseSets } from './common-options.ts';
import { runWithLiveView } from './run-with-live-view.ts';

/**
 * Composition root of `stackguide install`: picks the mode, builds the adapters, wires renderers to the
 * event bus, and hands the flow its environment. UI modules are imported only in interactive mode.
 */
export async function installCommand(options: CommonOptions): Promise<number> {
  // One Ctrl+C owner: main's SIGINT handler (plain mode) or the Ink screen (raw mode) stop the run
  // through this controller; during a stack operation a plain Ctrl+C detaches, saying how to re-attach.
  const tracker = new OperationTracker();
  const controller = new AbortController();
  const signal = controller.signal;
  const watchCommand = (stack: string): string =>
    [
      'stackguide watch',
      stack,
      ...(options.config ? [`--config ${options.config}`] : []),
      ...(options.blueprint ? [`--blueprint ${options.blueprint}`] : []),
      ...connectionFlags(options),
    ].join(' ');
  options.signal?.addEventListener('abort', () => {
    const active = tracker.active;
    controller.abort(active ? detachedError(active, watchCommand(active.stack)) : options.signal?.reason);
  });
  const { mode, events, close } = openOutput(options);

  // Everything the first question needs starts at once: the blueprint, the UI modules and the identity
  // call (STS answers in any region), so the operator sees the first frame sooner.
  const prompterReady: Promise<Prompter> | undefined = mode.interactive
    ? import('../../screens/inquirer-prompter.ts').then((module) => module.createInquirerPrompter(signal))
    : undefined;
  const session = awsSessionFor(options, {
    // Asked once, during the identity check, before any renderer has the terminal.
    ...(prompterReady
      ? {
          mfaCodeProvider: async (serial: string) =>
            (await prompterReady).input({
              message: `MFA code for ${serial}`,
              validate: (v) => (/^\d{6}$/.test(v) ? true : 'Six digits'),
            }),
        }
      : {}),
  });
  const identityRegion =
    options.region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1';
  // Early only when someone waits for the first frame: unattended, the answers file and the steps' local
  // checks come first, so bad input is exit 2 with no AWS call at all (the flow asks for it then).
  const identity = mode.interactive ? session.forRegion(identityRegion).identity.whoAmI() : undefined;
  // Awaited by the flow; until then a failure must not count as unhandled.
  identity?.catch(() => undefined);
  const [blueprint, prompter] = await Promise.all([loadBlueprint(options.blueprint ?? '.'), prompterReady]);
  // Ink is loaded when the review needs it, not before the first question.
  const screens = mode.interactive ? () => import('../../screens/mount-screens.tsx') : undefined;

  try {
    const outcome = await runInstall(
      {
        command: 'install',
        blueprint,
        ...(options.config ? { configPath: options.config } : {}),
        ...(options.region ? { region: options.region } : {}),
        ...(options.name ? { deployment: options.name } : {}),
        sets: parseSets(options.set ?? []),
        yes: options.yes === true,
        overwrite: options.overwrite === true,
        stateDir: resolve(options.stateDir ?? '.stackguide'),
        defaultAnswersPath: (deployment) => `${deployment}.answers.yaml`,
        connectionFlags: connectionFlags(options),
        env: process.env,
        settings: settingsOf(options),
      },
      {
        ...(prompter ? { prompter } : {}),
        events,
        signal,
        clock: systemClock,
        connect: (region) => session.forRegion(region),
        ...(identity ? { whoAmI: () => identity } : {}),
        review: async (plan) => (screens ? (await screens()).showReview(plan) : true),
        execute: async (plan, { aws, journal, stepBase, stepInputs }) => {
          const { runInstallTasks } = await import('../../tasks/install-tasks.ts');
          const deps = {
            plan,
            aws,
            journal,
            tracker,
            clock: systemClock,
            emit: (event: StackguideEvent) => events.emit(event),
            signal,
            steps: blueprint.steps,
            stepBase,
            stepInputs,
          };
          return runWithLiveView(
            {
              title: `Installing ${plan.deployment} (${plan.blueprintId} ${plan.blueprintVersion}) into ${plan.account} ${plan.region}`,
              screens: screens ? await screens() : undefined,
              events,
              cloudFormation: aws.cloudFormation,
              tracker,
              abort: (reason) => controller.abort(reason),
              watchCommand,
              reviewChangeSets: options.yes !== true,
            },
            (renderer, rendererOptions, { review }) =>
              runInstallTasks({ ...deps, ...(review ? { review } : {}) }, renderer, rendererOptions),
          );
        },
      },
    );
    const stacks = outcome.plan.stacks.map((stack) => ({
      name: stack.name,
      status: outcome.stacks[stack.id]?.status ?? 'UNKNOWN',
      outputs: outcome.stacks[stack.id]?.outputs ?? {},
    }));
    if (screens) {
      await (await screens()).showSummary({
        deployment: outcome.plan.deployment,
        stacks,
        answersPath: outcome.answersPath,
        nextCommand: outcome.nextCommand,
        eventLogPath: outcome.eventLogPath,
        afterInstall: outcome.afterInstall,
      });
    } else if (!mode.json) {
      // Results go to stdout; progress went to stderr.
      for (const stack of stacks) {
        process.stdout.write(`${stack.name} ${stack.status}\n`);
        for (const [key, value] of Object.entries(stack.outputs))
          process.stdout.write(`  ${key}: ${value}\n`);
      }
      if (outcome.afterInstall.length > 0) process.stdout.write('\nStill to do by hand:\n');
      for (const item of outcome.afterInstall) {
        process.stdout.write(`  ☐ ${item.title}\n`);
        for (const line of item.details) process.stdout.write(`      ${line}\n`);
      }
    }
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
