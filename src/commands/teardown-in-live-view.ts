import type { Teardown, TeardownDeps } from '../decommission/teardown.ts';
import type { CommandContext } from './command-context.ts';

/**
 * destroy's execute phase: the teardown's task list in the live view in a terminal, silently otherwise
 * (plain lines and NDJSON come from the bus). In the view, a stack left DELETE_FAILED is asked about
 * through its picker (without a terminal nobody is asked and destroy stops there), and the tracker lets
 * the Ctrl+C menu name the stack being deleted. The task list loads when the run gets this far.
 */
export function teardownInLiveView(
  context: CommandContext,
  title: string,
  teardown: Teardown,
  deps: TeardownDeps,
): Promise<void> {
  return context.live(title, deps.cloudFormation, async (renderer, rendererOptions, { choose }) => {
    const { runDestroyTasks } = await import('../../tasks/destroy-tasks.ts');
    await runDestroyTasks(
      teardown,
      { ...deps, tracker: context.tracker, ...(choose ? { choose } : {}) },
      renderer,
      rendererOptions,
    );
  });
}
