import { Listr, type ListrRendererValue, type ListrTask } from 'listr2';
import type { StackToDelete } from '../src/decommission/destroy-plan.ts';
import {
  codeCommitOutcomeTitle,
  type DeletePlannedStackDeps,
  deleteCodeCommitRepositories,
  deletePlannedStack,
  deletePreparationResources,
  deleteTaggedEbs,
  emptyPlannedBuckets,
  emptyPlannedRepositories,
  type Teardown,
  type TeardownDeps,
} from '../src/decommission/teardown.ts';

/** Empties every version of the planned buckets (CloudFormation deletes the buckets with their stacks). */
export function emptyBucketsTask(deps: TeardownDeps, buckets: readonly string[]): ListrTask {
  return {
    title: 'Empty the buckets',
    task: async (_context, task) => {
      await emptyPlannedBuckets(deps.ports.s3, buckets, deps);
      task.title = 'Emptied the buckets';
    },
  };
}

/** Deletes the images of the planned ECR repositories (the repositories go with their stacks). */
export function emptyRepositoriesTask(deps: TeardownDeps, repositories: readonly string[]): ListrTask {
  return {
    title: 'Empty the ECR repositories',
    task: async (_context, task) => {
      await emptyPlannedRepositories(deps.ports.ecr, repositories, deps.emit);
      task.title = 'Emptied the ECR repositories';
    },
  };
}

/** One stack, until DELETE_COMPLETE read back by stack id; DELETE_FAILED goes to the retry policy. */
export function deleteStackTask(deps: DeletePlannedStackDeps, stack: StackToDelete): ListrTask {
  return {
    title: `Delete stack ${stack.name}`,
    task: async (_context, task) => {
      await deletePlannedStack(stack, deps);
      task.title = `Deleted stack ${stack.name}`;
    },
  };
}

/** The hosted zone and certificate the preparation steps made, each only if still tagged for this deployment. */
export function deleteStepResourcesTask(deps: TeardownDeps, teardown: Teardown): ListrTask {
  return {
    title: 'Delete what the preparation steps made',
    task: async (_context, task) => {
      const { route53, acm } = deps.ports;
      await deletePreparationResources(
        teardown.stepResources,
        teardown.deployment,
        { route53, acm },
        deps.emit,
      );
      task.title = 'Deleted what the preparation steps made';
    },
  };
}

/** The opted-in CodeCommit repositories. */
export function deleteCodeCommitTask(deps: TeardownDeps, names: readonly string[]): ListrTask {
  return {
    title: 'Delete the CodeCommit repositories',
    task: async (_context, task) => {
      task.title = codeCommitOutcomeTitle(
        await deleteCodeCommitRepositories(deps.ports.codeCommit, names, deps.emit),
      );
    },
  };
}

/** The volumes and snapshots tagged with the deployment, each re-checked before deletion. */
export function deleteTaggedVolumesTask(deps: TeardownDeps, teardown: Teardown): ListrTask {
  return {
    title: 'Delete the tagged volumes and snapshots',
    task: async (_context, task) => {
      await deleteTaggedEbs(deps.ports.ebs, teardown.deployment, teardown.tagged, {
        ...(deps.signal ? { signal: deps.signal } : {}),
        emit: deps.emit,
        record: (event) => void deps.journal.appendEvent(event),
      });
      task.title = 'Deleted the tagged volumes and snapshots';
    },
  };
}

/**
 * The teardown as one listr2 list: what must be emptied first, each stack in the plan's order, then
 * what outlives stacks. The renderer is the caller's (the Ink bridge in a terminal, silent otherwise).
 */
export function destroyTasks(teardown: Teardown, deps: TeardownDeps): ListrTask[] {
  const emptyBuckets = teardown.buckets.length > 0 ? [emptyBucketsTask(deps, teardown.buckets)] : [];
  // A DELETE_FAILED on a bucket is most often new objects written since it was emptied.
  const stackDeps: DeletePlannedStackDeps = {
    ...deps,
    emptyAgain: () => emptyPlannedBuckets(deps.ports.s3, teardown.buckets, deps),
  };
  return [
    ...emptyBuckets,
    ...(teardown.repositories.length > 0 ? [emptyRepositoriesTask(deps, teardown.repositories)] : []),
    ...teardown.stacks.map((stack) => deleteStackTask(stackDeps, stack)),
    ...(teardown.stepResources.length > 0 ? [deleteStepResourcesTask(deps, teardown)] : []),
    ...(teardown.codeCommitRepositories.length > 0
      ? [deleteCodeCommitTask(deps, teardown.codeCommitRepositories)]
      : []),
    ...(teardown.tagged.length > 0 ? [deleteTaggedVolumesTask(deps, teardown)] : []),
  ];
}

export async function runDestroyTasks(
  teardown: Teardown,
  deps: TeardownDeps,
  renderer: ListrRendererValue,
  rendererOptions: Record<string, unknown> = {},
): Promise<void> {
  const list = new Listr(destroyTasks(teardown, deps), {
    concurrent: false,
    exitOnError: true,
    // One SIGINT owner: the AbortController at the top of the CLI.
    registerSignalListeners: false,
    renderer,
    rendererOptions,
  } as ConstructorParameters<typeof Listr>[1]);
  await list.run();
  // Stopped between two tasks (one that made no AWS call to be cut short): the stop is the outcome.
  deps.signal?.throwIfAborted();
}
