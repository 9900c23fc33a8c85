import type { AcmPort } from '../aws/acm-port.ts';
import type { CodeCommitPort } from '../aws/codecommit-port.ts';
import type { EbsPort } from '../aws/ebs-port.ts';
import type { EcrPort } from '../aws/ecr-port.ts';
import type { Route53Port } from '../aws/route53-port.ts';
import type { S3Port } from '../aws/s3-port.ts';
import { StackguideError } from '../errors.ts';
import type { StackguideEvent } from '../events.ts';
import type { Chooser } from '../install/prompter.ts';
import type { Journal } from '../journal/journal.ts';
import type { Clock } from '../runtime/clock.ts';
import { type DeleteStackDeps, deleteStack } from '../stacks/delete-stack.ts';
import { emptyBucket } from './bucket-contents.ts';
import { afterDeleteFailed, deleteFailedQuestion } from './delete-failed-policy.ts';
import type { StackToDelete } from './destroy-plan.ts';
import { deleteStepResources, type StepResource } from './step-resources.ts';
import {
  deleteTaggedVolumesAndSnapshots,
  emptyRepositories,
  type TaggedEbsResource,
} from './tagged-resources.ts';

/**
 * The actions of a destroy, one function per task of the teardown list (tasks/destroy-tasks.ts): each
 * acts on exactly what the confirmed plan named, and says what it did as `step.progress` events.
 */
type Emit = (event: StackguideEvent) => void;

/** Empties every version of the planned buckets; CloudFormation then deletes them with their stacks. */
export async function emptyPlannedBuckets(
  s3: S3Port,
  buckets: readonly string[],
  deps: { clock: Clock; signal?: AbortSignal; emit: Emit },
): Promise<void> {
  await Promise.all(
    buckets.map(async (bucket) => {
      const deleted = await emptyBucket(s3, bucket, {
        clock: deps.clock,
        ...(deps.signal ? { signal: deps.signal } : {}),
      });
      deps.emit({
        type: 'step.progress',
        step: 'empty-buckets',
        message: `${bucket}: ${deleted} versions and markers deleted; CloudFormation deletes the bucket`,
      });
    }),
  );
}

/** Deletes the images of the planned ECR repositories; the repositories go with their stacks. */
export async function emptyPlannedRepositories(
  ecr: EcrPort,
  names: readonly string[],
  emit: Emit,
): Promise<void> {
  for (const result of await emptyRepositories(ecr, names)) {
    emit({
      type: 'step.progress',
      step: 'ecr-repositories',
      message: `${result.name}: ${result.status === 'emptied' ? `${result.images} images deleted; CloudFormation deletes the repository` : result.status}${result.reason ? ` (${result.reason})` : ''}`,
    });
  }
}

export interface DeletePlannedStackDeps extends DeleteStackDeps {
  journal: Pick<Journal, 'recordStack'>;
  /** Asks what to do on DELETE_FAILED; absent when nobody can be asked (then destroy stops). */
  choose?: Chooser;
  /** Runs before an empty-and-retry (a bucket refilled meanwhile is the usual cause). */
  emptyAgain?: () => Promise<void>;
}

/**
 * Deletes one stack of the plan, journaled before and after, until DELETE_COMPLETE read back by stack
 * id; on DELETE_FAILED the policy (delete-failed-policy.ts) decides between retrying and stopping.
 */
export async function deletePlannedStack(stack: StackToDelete, deps: DeletePlannedStackDeps): Promise<void> {
  await deps.journal.recordStack(stack.name, {
    name: stack.name,
    stackId: stack.stackId,
    operation: 'delete',
  });
  let retained: string[] = [];
  for (let attempt = 1; ; attempt++) {
    const outcome = await deleteStack(stack, deps, retained);
    if (outcome.status === 'DELETE_COMPLETE') break;
    const question = deleteFailedQuestion(stack.name, outcome.failures);
    const choice = deps.choose ? await deps.choose(question.message, question.choices, 'stop') : undefined;
    const next = afterDeleteFailed(attempt, choice, outcome.failures);
    if (next.action === 'stop') {
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
    if (next.emptyFirst) await deps.emptyAgain?.();
    retained = next.retain;
  }
  await deps.journal.recordStack(stack.name, {
    name: stack.name,
    status: 'DELETE_COMPLETE',
    operation: undefined,
  });
}

/** The hosted zone and certificate the preparation steps made, each only if still tagged for this deployment. */
export async function deletePreparationResources(
  resources: readonly StepResource[],
  deployment: string,
  ports: { route53: Route53Port; acm: AcmPort },
  emit: Emit,
): Promise<void> {
  for (const outcome of await deleteStepResources(resources, deployment, ports)) {
    emit({
      type: 'step.progress',
      step: 'preparation',
      message: `${outcome.resource}: ${outcome.status}${outcome.reason ? ` (${outcome.reason})` : ''}`,
    });
    if (outcome.followUp)
      emit({ type: 'warning', code: 'destroy.dangling-delegation', message: outcome.followUp });
  }
}

/**
 * The opted-in CodeCommit repositories (they hold code: only on --delete-codecommit or a yes). Returns
 * what it did, so the row says "already gone" rather than "deleted" for repositories that never were.
 */
export async function deleteCodeCommitRepositories(
  codeCommit: CodeCommitPort,
  names: readonly string[],
  emit: Emit,
): Promise<{ deleted: number; gone: number }> {
  let deleted = 0;
  for (const name of names) {
    const removed = await codeCommit.deleteRepository(name);
    if (removed) deleted++;
    emit({
      type: 'step.progress',
      step: 'codecommit',
      message: `${name}: ${removed ? 'deleted' : 'already gone'}`,
    });
  }
  return { deleted, gone: names.length - deleted };
}

/** The finished row of the CodeCommit deletion, true to what happened. */
export function codeCommitOutcomeTitle({ deleted, gone }: { deleted: number; gone: number }): string {
  if (gone === 0) return 'Deleted the CodeCommit repositories';
  if (deleted === 0) return 'The CodeCommit repositories were already gone';
  return `Deleted ${deleted} CodeCommit repositor${deleted === 1 ? 'y' : 'ies'} (${gone} already gone)`;
}

/**
 * The volumes and snapshots tagged with the deployment, each re-checked before deletion. Every
 * outcome is journaled as it happens (`record`), so an interrupted run leaves a trace of what went.
 */
export async function deleteTaggedEbs(
  ebs: EbsPort,
  deployment: string,
  tagged: readonly TaggedEbsResource[],
  deps: { signal?: AbortSignal; emit: Emit; record: (event: StackguideEvent) => void },
): Promise<void> {
  const results = await deleteTaggedVolumesAndSnapshots(ebs, deployment, tagged, {
    ...(deps.signal ? { signal: deps.signal } : {}),
    onProgress: (progress) => {
      if (progress.status !== 'deleting')
        deps.record({
          type: 'step.progress',
          step: 'ebs',
          message: `${progress.kind} ${progress.id}: ${progress.status}`,
        });
    },
  });
  for (const result of results) {
    deps.emit({
      type: 'step.progress',
      step: 'ebs',
      message: `${result.kind} ${result.id}: ${result.status}${result.reason ? ` (${result.reason})` : ''}`,
    });
  }
}

/** What the confirmed plan tears down, in the order the task list runs it. */
export interface Teardown {
  deployment: string;
  /** Emptied before the stacks go (empty when the blueprint's rules say not to). */
  buckets: string[];
  /** Emptied of their images before the stacks go: those that exist now. */
  repositories: string[];
  /** In deletion order. */
  stacks: StackToDelete[];
  stepResources: StepResource[];
  /** Opted in only. */
  codeCommitRepositories: string[];
  tagged: TaggedEbsResource[];
}

export interface TeardownPorts {
  s3: S3Port;
  ecr: EcrPort;
  route53: Route53Port;
  acm: AcmPort;
  codeCommit: CodeCommitPort;
  ebs: EbsPort;
}

/** Everything the teardown's tasks need; `choose` comes from whoever owns the terminal while it runs. */
export interface TeardownDeps extends Omit<DeletePlannedStackDeps, 'emptyAgain'> {
  ports: TeardownPorts;
  journal: Pick<Journal, 'recordStack' | 'appendEvent'>;
}
