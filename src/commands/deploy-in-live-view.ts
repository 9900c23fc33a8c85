import type { ExecuteContext } from '../flows/install-flow.ts';
import type { InstallPlan } from '../install/install-plan.ts';
import type { RunTitle } from '../progress/progress-store.ts';
import { systemClock } from '../runtime/clock.ts';
import type { DeployedStack } from '../stacks/deploy-stack.ts';
import type { CommandContext } from './command-context.ts';
import type { DeployChoices } from './deploy-options.ts';

/**
 * The execute phase install and upgrade share: the install task list (the preparation steps, none in an
 * upgrade, then the stacks by the dependency graph) in the live view in a terminal, silently otherwise
 * (plain lines and NDJSON come from the bus). The task list loads when the run gets this far.
 */
export function deployInLiveView(
  context: CommandContext,
  title: RunTitle,
  plan: InstallPlan,
  run: ExecuteContext & { earlierStepOutputs?: Record<string, Record<string, string>> },
  choices: { deploy: DeployChoices; concurrency: number },
): Promise<Record<string, DeployedStack>> {
  return context.live(title, run.aws.cloudFormation, async (renderer, rendererOptions, { review }) => {
    const { runInstallTasks } = await import('../../tasks/install-tasks.ts');
    return runInstallTasks(
      {
        ...run,
        ...choices.deploy,
        plan,
        concurrency: choices.concurrency,
        tracker: context.tracker,
        clock: systemClock,
        signal: context.signal,
        emit: (event) => context.events.emit(event),
        ...(review ? { review } : {}),
      },
      renderer,
      rendererOptions,
    );
  });
}
