import { Listr, type ListrRendererValue, type ListrTask } from 'listr2';
import type { DestroyPlan } from '../src/decommission/destroy-plan.ts';
import { StackguideError } from '../src/errors.ts';
import type { Journal } from '../src/journal/journal.ts';
import { type DeleteOutcome, type DeleteStackDeps, deleteStack } from '../src/stacks/delete-stack.ts';

/** What to do when CloudFormation could not delete some of a stack's resources. */
export type DeleteFailedChoice = 'retry' | 'retain' | 'stop';

export interface DestroyTasksDeps extends DeleteStackDeps {
  plan: DestroyPlan;
  journal: Journal;
  /** Work before the stacks go (emptying buckets, deleting repositories), as listr2 tasks. */
  before: ListrTask[];
  /** Work after the stacks are gone (tagged volumes and snapshots, opted-in repositories). */
  after: ListrTask[];
  /** Asked on DELETE_FAILED; absent (unattended) means stop. */
  onDeleteFailed?: (
    stack: string,
    failures: Extract<DeleteOutcome, { status: 'DELETE_FAILED' }>['failures'],
  ) => Promise<DeleteFailedChoice>;
  /** Called before a retry, so the cause (a bucket refilled meanwhile) can be dealt with. */
  beforeRetry?: (stack: string) => Promise<void>;
}

/**
 * The teardown as one listr2 list: the preparation work, then each stack in the plan's order, then the
 * clean-up of what outlives stacks. A stack is reported deleted only on DELETE_COMPLETE read back by
 * stack id; every deletion is journaled before and after.
 */
export async function runDestroyTasks(
  deps: DestroyTasksDeps,
  renderer: ListrRendererValue,
  rendererOptions: Record<string, unknown> = {},
): Promise<void> {
  const stackTasks: ListrTask[] = deps.plan.stacks.map((stack) => ({
    title: `Delete stack ${stack.name}`,
    task: async (_context, task) => {
      await deps.journal.recordStack(stack.name, {
        name: stack.name,
        stackId: stack.stackId,
        operation: 'delete',
      });
      let retained: string[] = [];
      for (let attempt = 1; ; attempt++) {
        const outcome = await deleteStack(stack, deps, retained);
        if (outcome.status === 'DELETE_COMPLETE') break;
        const choice = deps.onDeleteFailed ? await deps.onDeleteFailed(stack.name, outcome.failures) : 'stop';
        if (choice === 'stop' || attempt >= 3) {
          await deps.journal.recordStack(stack.name, {
            name: stack.name,
            status: 'DELETE_FAILED',
            operation: undefined,
          });
          throw new StackguideError(
            `${stack.name} could not be deleted: ${outcome.failures.map((f) => `${f.logicalResourceId}: ${f.reason}`).join('; ')}`,
            {
              code: 'stack.delete-failed',
              kind: 'aws',
              nextSteps: [
                'Fix what the reasons name (often: a bucket that is not empty, or a resource in use elsewhere), then run destroy again: it resumes.',
                'Or run destroy in a terminal to empty and retry, or retain those resources.',
              ],
            },
          );
        }
        if (choice === 'retry') await deps.beforeRetry?.(stack.name);
        retained = choice === 'retain' ? outcome.failures.map((failure) => failure.logicalResourceId) : [];
      }
      await deps.journal.recordStack(stack.name, {
        name: stack.name,
        status: 'DELETE_COMPLETE',
        operation: undefined,
      });
      task.title = `Deleted stack ${stack.name}`;
    },
  }));
  const list = new Listr([...deps.before, ...stackTasks, ...deps.after], {
    concurrent: false,
    exitOnError: true,
    registerSignalListeners: false,
    renderer,
    rendererOptions,
  } as ConstructorParameters<typeof Listr>[1]);
  await list.run();
}
