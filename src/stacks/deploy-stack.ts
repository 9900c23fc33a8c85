import { randomUUID } from 'node:crypto';
import type { CloudFormationPort, StackDescription } from '../aws/cloudformation-port.ts';
import { StackguideError } from '../errors.ts';
import type { ParameterChange, StackguideEvent } from '../events.ts';
import type { Journal } from '../journal/journal.ts';
import type { Clock } from '../runtime/clock.ts';
import {
  type ChangeSetSummary,
  createChangeSet,
  discardChangeSet,
  executeOwnChangeSet,
} from './change-set.ts';
import { type FollowedOperation, followOperation } from './follow-operation.ts';
import type { OperationTracker } from './operation-tracker.ts';
import { isInProgress, isNotCreated } from './stack-status.ts';
import { CHANGE_SET_PREFIX, deleteUnexecutedChangeSets } from './stale-change-sets.ts';

export interface StackDeployment {
  /** Blueprint stack id, the journal's key. */
  id: string;
  name: string;
  templateBody?: string;
  templateUrl?: string;
  /** What templateUrl holds, when stackguide uploaded it (packaged): compared like a body. */
  packagedBody?: string;
  parameters: Record<string, string>;
  capabilities: string[];
  tags: Record<string, string>;
  terminationProtection: boolean;
  resourceCount?: number;
  /** Every parameter the template declares: on an update, those the blueprint does not set keep the
   * stack's current value (as the console's "use existing value") instead of reverting to the default. */
  templateParameters?: string[];
  /** The parameters this run changes, deployed → new, as planned (never a secret): the review lists them. */
  parameterChanges?: ParameterChange[];
}

/** What the operator decided about a change set. */
export type ChangeSetDecision = 'execute' | 'decline';

export interface DeployStackDeps {
  cloudFormation: CloudFormationPort;
  clock: Clock;
  journal: Journal;
  emit: (event: StackguideEvent) => void;
  signal?: AbortSignal;
  /** Shows a change set and waits for the decision; absent means execute (unattended --yes). */
  review?: (summary: ChangeSetSummary) => Promise<ChangeSetDecision>;
  /** Poll timing; tests shorten it. */
  pollIntervalMs?: { min: number; max: number };
  /** Records the running operation for the Ctrl+C menu. */
  tracker?: OperationTracker;
  /** `--role-arn`: the CloudFormation service role every change set is made with (kept on the stack). */
  roleArn?: string;
  /** `--disable-rollback`: a failed create or update stays CREATE_FAILED / UPDATE_FAILED for debugging. */
  disableRollback?: boolean;
}

export interface DeployedStack {
  stackId: string;
  status: string;
  outputs: Record<string, string>;
}

/**
 * Brings one stack to the state its blueprint describes, always through a change set: created,
 * reviewed (when someone is there to review), executed and followed to a terminal status. When an
 * operation is already in flight (a resumed install) it follows that one instead. Idempotent: a stack
 * already right is left alone, and an empty change set is deleted and reported as "no changes".
 * Throws with the root cause when the operation fails.
 */
export async function deployStack(stack: StackDeployment, deps: DeployStackDeps): Promise<DeployedStack> {
  const { cloudFormation, journal, emit } = deps;
  const found = await cloudFormation.describeStack(stack.name);

  if (found && isInProgress(found.status)) {
    // Someone (an earlier run, the console) is already changing it: follow that operation to its end.
    return follow(
      stack,
      {
        stackId: found.stackId,
        since: new Date(deps.clock.now()),
        operation: 'attach',
        status: found.status,
      },
      deps,
    );
  }
  if (found?.status === 'ROLLBACK_COMPLETE' || found?.status === 'ROLLBACK_FAILED') {
    throw new StackguideError(
      `Stack ${stack.name} is ${found.status}: its first creation failed and it cannot be updated`,
      {
        code: 'stack.needs-delete',
        kind: 'user',
        nextSteps: [
          `Delete it, then run the install again: aws cloudformation delete-stack --stack-name ${stack.name}`,
          'The failure that caused it is in the stack events (stackguide status).',
        ],
      },
    );
  }
  const existing = found ? await discardStaleChangeSets(stack, found, deps) : undefined;
  // A stack a --disable-rollback run left failed keeps what it made: resumed by an update in place that
  // retries what failed, with rollback still off, or a failure would now throw that work away.
  const resuming = existing !== undefined && isPausedFailure(existing.status);
  if (resuming)
    emit({
      type: 'warning',
      code: 'stack.resume-failed',
      message: `${stack.name} is ${existing.status}, kept as it was by --disable-rollback: updating it in place, retrying what failed (rollback stays off for this stack)`,
    });
  // A stack left in REVIEW_IN_PROGRESS by a declined or interrupted create has never been created.
  const created = existing !== undefined && !isNotCreated(existing.status);
  if (created && (await isUnchanged(cloudFormation, existing, stack))) {
    await journal.recordStack(stack.id, {
      name: stack.name,
      stackId: existing.stackId,
      status: existing.status,
    });
    emit({ type: 'stack.skipped', stack: stack.name, reason: 'already up to date: no changes' });
    return {
      stackId: existing.stackId,
      status: existing.status,
      outputs: existing.outputs,
    };
  }

  // The change set is named after its token, so a run killed before executing it finds it again.
  const token = `${CHANGE_SET_PREFIX}${randomUUID()}`;
  const type = created ? 'UPDATE' : 'CREATE';
  await journal.recordStack(stack.id, {
    name: stack.name,
    operation: created ? 'update' : 'create',
    pendingToken: token,
    ...(existing ? { stackId: existing.stackId } : {}),
  });
  const madeChangeSet = await createChangeSet(
    {
      stackName: stack.name,
      changeSetName: token,
      changeSetType: type,
      parameters: stack.parameters,
      ...(created ? { usePreviousValues: keptParameters(existing, stack) } : {}),
      capabilities: stack.capabilities,
      tags: stack.tags,
      clientRequestToken: token,
      ...(deps.roleArn ? { roleArn: deps.roleArn } : {}),
      ...(stack.templateBody !== undefined ? { templateBody: stack.templateBody } : {}),
      ...(stack.templateUrl !== undefined ? { templateUrl: stack.templateUrl } : {}),
    },
    deps,
  );
  // Said whatever the change set's rows say: a parameter-only update may have none, or rows that do
  // not name the parameter (trial finding 53: "0 changes" for a changed JobTimeoutSeconds).
  const summary: ChangeSetSummary =
    type === 'UPDATE' && stack.parameterChanges && stack.parameterChanges.length > 0
      ? { ...madeChangeSet, parameterChanges: stack.parameterChanges }
      : madeChangeSet;
  await journal.recordStack(stack.id, { name: stack.name, stackId: summary.stackId });
  emit({ type: 'changeset.created', stack: stack.name, summary: summaryEvent(summary) });

  if (summary.empty && resuming) {
    await cloudFormation.deleteChangeSet(summary.changeSetId);
    await journal.recordStack(stack.id, { name: stack.name, pendingToken: undefined, operation: undefined });
    throw new StackguideError(
      `${stack.name} is ${existing?.status} and nothing changed since it failed: there is nothing to retry it with`,
      {
        code: 'stack.failed-unchanged',
        kind: 'user',
        nextSteps: [
          'Fix the cause named in its failed events (stackguide status shows them): an answer (--set), the template or the account, then run the install again.',
          'Or remove it with stackguide destroy and install afresh.',
        ],
      },
    );
  }
  if (summary.empty) {
    await cloudFormation.deleteChangeSet(summary.changeSetId);
    await journal.recordStack(stack.id, { name: stack.name, pendingToken: undefined, operation: undefined });
    emit({
      type: 'stack.skipped',
      stack: stack.name,
      reason: "already up to date: the change set didn't contain changes",
    });
    return {
      stackId: existing?.stackId ?? summary.stackId,
      status: existing?.status ?? 'UNKNOWN',
      outputs: existing?.outputs ?? {},
    };
  }

  const decision = deps.review ? await deps.review(summary) : 'execute';
  if (decision === 'decline') {
    await discardChangeSet(summary, cloudFormation, token);
    await journal.recordStack(stack.id, { name: stack.name, pendingToken: undefined, operation: undefined });
    throw new StackguideError(
      `You declined the changes to ${stack.name}: the change set was deleted${type === 'CREATE' ? ', and so was the empty stack' : ''}`,
      {
        code: 'changeset.declined',
        kind: 'cancelled',
        nextSteps: [
          // A declined create leaves no stack at all: "left as it was" would say it is there (trial finding 101).
          `${type === 'CREATE' ? `${stack.name} was not created` : `${stack.name} was left as it was`}; what this run completed before stays. Adjust the answers or the blueprint if needed, then run the same command again.`,
        ],
      },
    );
  }

  // The newest event before execution marks where this operation's events begin.
  const newest = (await cloudFormation.describeStackEvents(summary.stackId)).events[0]?.eventId;
  const since = new Date(deps.clock.now());
  // What this run has said so far (the change set it made) is on disk before the call that changes AWS.
  await journal.flush();
  const disableRollback = deps.disableRollback === true || resuming;
  await executeOwnChangeSet(cloudFormation, summary.changeSetId, token, disableRollback);
  return follow(
    stack,
    {
      stackId: summary.stackId,
      since,
      token,
      operation: created ? 'update' : 'create',
      ...(newest ? { afterEventId: newest } : {}),
      // The progress count is out of what this change set touches, not the whole template.
      resourceCount: summary.changes.length,
    },
    deps,
  );
}

/**
 * Deletes the change sets an earlier, interrupted run made for this stack and never executed (found by
 * the token it journaled before creating them), and says so. When that leaves a stack that was never
 * created (REVIEW_IN_PROGRESS) with no change set at all, the empty stack goes too, as when a create is
 * declined, and the create starts afresh. Returns the stack as it now stands (undefined once deleted).
 */
async function discardStaleChangeSets(
  stack: StackDeployment,
  existing: StackDescription,
  deps: DeployStackDeps,
): Promise<StackDescription | undefined> {
  const token = deps.journal.stack(stack.name)?.pendingToken;
  if (!token) return existing;
  const deleted = await deleteUnexecutedChangeSets(deps.cloudFormation, existing.stackId, new Set([token]));
  if (deleted.length === 0) return existing;
  const neverCreated = isNotCreated(existing.status);
  for (const changeSet of deleted) {
    deps.emit({
      type: 'warning',
      code: 'changeset.unexecuted-deleted',
      message: `${stack.name}: an earlier run created change set ${changeSet.changeSetName} and stopped before executing it; deleted it${neverCreated ? ' (the stack was never created)' : ''}`,
    });
  }
  if (!neverCreated || (await deps.cloudFormation.listChangeSets(existing.stackId)).length > 0)
    return existing;
  await deps.cloudFormation.deleteStack(existing.stackId, token);
  for (let attempt = 0; attempt < 60; attempt++) {
    const now = await deps.cloudFormation.describeStack(existing.stackId);
    if (!now || now.status === 'DELETE_COMPLETE') return undefined;
    await deps.clock.sleep(1_000, deps.signal);
  }
  return deps.cloudFormation.describeStack(stack.name);
}

/** Follows the operation to its end; the journal hears the final status before anyone else. */
async function follow(
  stack: StackDeployment,
  followed: Omit<FollowedOperation, 'stack'>,
  deps: DeployStackDeps,
): Promise<DeployedStack> {
  // Events an earlier, interrupted run already logged are not handed on twice.
  const followDeps = { ...deps, seenEventIds: deps.journal.loggedEventIds };
  const outcome = await followOperation({ ...count(stack), ...followed, stack: stack.name }, followDeps, {
    settle: async (_final, status) => {
      await deps.journal.recordStack(stack.id, {
        name: stack.name,
        stackId: followed.stackId,
        status,
        pendingToken: undefined,
        operation: undefined,
      });
      const interruption = deps.tracker?.takeInterruption(followed.stackId);
      if (interruption) {
        // The operator chose this in the Ctrl+C menu; CloudFormation has now finished carrying it out.
        throw new StackguideError(
          interruption === 'delete'
            ? `Stopped at your request: ${stack.name} was deleted (${status})`
            : `Stopped at your request: the update of ${stack.name} was cancelled and rolled back (${status})`,
          {
            code: `operation.${interruption}`,
            kind: 'cancelled',
            nextSteps: ['Run the same command again when you are ready.'],
          },
        );
      }
    },
  });
  if (outcome.ok) return { stackId: followed.stackId, status: outcome.status, outputs: outcome.outputs };
  throw new StackguideError(`Stack ${stack.name} ended ${outcome.status}: ${outcome.message}`, {
    code: 'stack.failed',
    kind: 'aws',
    nextSteps: failureSteps(outcome.final, stack.name),
  });
}

/** Parameters the stack has, the new template still declares, and the blueprint leaves alone. */
function keptParameters(existing: StackDescription, stack: StackDeployment): string[] {
  const declared = new Set(stack.templateParameters ?? []);
  return Object.keys(existing.parameters).filter(
    (key) => declared.has(key) && stack.parameters[key] === undefined,
  );
}

/**
 * True when the stack already runs this template with these parameters and tags, so there is nothing
 * to update and no change set to make. With NoEcho parameters (read back masked) or a template by URL
 * we cannot tell, and let the change set decide.
 */
async function isUnchanged(
  cloudFormation: CloudFormationPort,
  existing: StackDescription,
  stack: StackDeployment,
): Promise<boolean> {
  const body = stack.templateBody ?? stack.packagedBody;
  if (body === undefined || !existing.status.endsWith('_COMPLETE') || existing.status.includes('ROLLBACK'))
    return false;
  if (Object.values(existing.parameters).some((value) => value === '****')) return false;
  const sameParameters = Object.entries(stack.parameters).every(
    ([key, value]) => existing.parameters[key] === value,
  );
  const sameTags =
    Object.keys(stack.tags).length === Object.keys(existing.tags).length &&
    Object.entries(stack.tags).every(([key, value]) => existing.tags[key] === value);
  if (!sameParameters || !sameTags) return false;
  const deployed = await cloudFormation.getTemplateBody(existing.stackId);
  return deployed?.trim() === body.trim();
}

/** The change set as the NDJSON `changeset.created` event carries it. */
function summaryEvent(
  summary: ChangeSetSummary,
): Extract<StackguideEvent, { type: 'changeset.created' }>['summary'] {
  return {
    changeSetId: summary.changeSetId,
    stackId: summary.stackId,
    type: summary.type,
    empty: summary.empty,
    changes: summary.changes,
    ...(summary.parameterChanges ? { parameterChanges: summary.parameterChanges } : {}),
    iamResources: summary.iamResources,
    statefulReplacements: summary.statefulReplacements,
  };
}

/**
 * CREATE_FAILED and UPDATE_FAILED are where CloudFormation stops when rollback is off (DisableRollback,
 * user guide "stack-failure-options"); with rollback on, a failure always ends in a *ROLLBACK* status.
 */
function isPausedFailure(status: string): boolean {
  return status === 'CREATE_FAILED' || status === 'UPDATE_FAILED';
}

function failureSteps(final: StackDescription | undefined, name: string): string[] {
  if (final && isPausedFailure(final.status))
    return [
      `${name} stays ${final.status} as --disable-rollback asked: what was made is kept, for debugging (its failed events are above; stackguide status shows them again).`,
      `Fix the cause, then run the same command again: it updates ${name} in place, retrying only what failed, with rollback still off.`,
      'Or remove what was made with stackguide destroy.',
    ];
  if (final?.status === 'ROLLBACK_COMPLETE')
    return [
      `Fix the cause above, delete the rolled-back stack (aws cloudformation delete-stack --stack-name ${name}), then run install again.`,
    ];
  return ['Fix the cause above, then run the same install command again: it resumes where it stopped.'];
}

function count(stack: StackDeployment): { resourceCount?: number } {
  return stack.resourceCount !== undefined ? { resourceCount: stack.resourceCount } : {};
}
