import { randomUUID } from 'node:crypto';
import type { CloudFormationPort, StackDescription } from '../aws/cloudformation-port.ts';
import { StackguideError } from '../errors.ts';
import type { StackEventRecord, StackguideEvent } from '../events.ts';
import type { Journal } from '../journal/journal.ts';
import type { Clock } from '../runtime/clock.ts';
import { findRootCause } from './root-cause.ts';
import { streamStackEvents } from './stack-event-streamer.ts';
import { isInProgress, isSuccess } from './stack-status.ts';

export interface StackDeployment {
  /** Blueprint stack id, the journal's key. */
  id: string;
  name: string;
  templateBody?: string;
  templateUrl?: string;
  parameters: Record<string, string>;
  capabilities: string[];
  tags: Record<string, string>;
  terminationProtection: boolean;
  resourceCount?: number;
}

export interface DeployStackDeps {
  cloudFormation: CloudFormationPort;
  clock: Clock;
  journal: Journal;
  emit: (event: StackguideEvent) => void;
  signal?: AbortSignal;
  /** Poll timing; tests shorten it. */
  pollIntervalMs?: { min: number; max: number };
}

export interface DeployedStack {
  stackId: string;
  status: string;
  outputs: Record<string, string>;
}

/**
 * Brings one stack to the state its blueprint describes: creates it, updates it, or, when an operation
 * is already in flight (a resumed install), waits for it. Idempotent: a stack that is already right is
 * left alone. Resolves only when CloudFormation reports a terminal status; throws with the root cause
 * when that status is a failure.
 */
export async function deployStack(stack: StackDeployment, deps: DeployStackDeps): Promise<DeployedStack> {
  const { cloudFormation, journal, emit } = deps;
  const existing = await cloudFormation.describeStack(stack.name);

  if (existing && isInProgress(existing.status)) {
    // Someone (an earlier run, the console) is already changing it: follow that operation to its end.
    emit({
      type: 'stack.started',
      stack: stack.name,
      stackId: existing.stackId,
      operation: 'attach',
      ...count(stack),
    });
    return follow(stack, existing.stackId, new Date(deps.clock.now()), undefined, deps);
  }
  if (existing?.status === 'ROLLBACK_COMPLETE' || existing?.status === 'ROLLBACK_FAILED') {
    throw new StackguideError(
      `Stack ${stack.name} is ${existing.status}: its first creation failed and it cannot be updated`,
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

  const token = `stackguide-${randomUUID()}`;
  const request = {
    stackName: stack.name,
    parameters: stack.parameters,
    capabilities: stack.capabilities,
    tags: stack.tags,
    clientRequestToken: token,
    terminationProtection: stack.terminationProtection,
    ...(stack.templateBody !== undefined ? { templateBody: stack.templateBody } : {}),
    ...(stack.templateUrl !== undefined ? { templateUrl: stack.templateUrl } : {}),
  };
  const since = new Date(deps.clock.now());

  if (!existing) {
    await journal.recordStack(stack.id, { name: stack.name, operation: 'create', pendingToken: token });
    const { stackId } = await cloudFormation.createStack(request);
    await journal.recordStack(stack.id, { name: stack.name, stackId });
    emit({ type: 'stack.started', stack: stack.name, stackId, operation: 'create', ...count(stack) });
    return follow(stack, stackId, since, token, deps);
  }

  if (await isUnchanged(cloudFormation, existing, stack)) {
    await journal.recordStack(stack.id, {
      name: stack.name,
      stackId: existing.stackId,
      status: existing.status,
    });
    emit({ type: 'stack.skipped', stack: stack.name, reason: 'already up to date: no changes' });
    return { stackId: existing.stackId, status: existing.status, outputs: existing.outputs };
  }
  // The newest event before our call marks where this operation's events begin.
  const newest = (await cloudFormation.describeStackEvents(existing.stackId)).events[0]?.eventId;
  await journal.recordStack(stack.id, {
    name: stack.name,
    stackId: existing.stackId,
    operation: 'update',
    pendingToken: token,
  });
  const { noChanges } = await cloudFormation.updateStack(request);
  if (noChanges) {
    await journal.recordStack(stack.id, {
      name: stack.name,
      status: existing.status,
      pendingToken: undefined,
      operation: undefined,
    });
    emit({ type: 'stack.skipped', stack: stack.name, reason: 'already up to date: no changes' });
    return { stackId: existing.stackId, status: existing.status, outputs: existing.outputs };
  }
  emit({
    type: 'stack.started',
    stack: stack.name,
    stackId: existing.stackId,
    operation: 'update',
    ...count(stack),
  });
  return follow(stack, existing.stackId, since, token, deps, newest);
}

async function follow(
  stack: StackDeployment,
  stackId: string,
  since: Date,
  token: string | undefined,
  deps: DeployStackDeps,
  afterEventId?: string,
): Promise<DeployedStack> {
  const seen: StackEventRecord[] = [];
  await streamStackEvents({
    cloudFormation: deps.cloudFormation,
    clock: deps.clock,
    stackId,
    stackName: stack.name,
    since,
    ...(token ? { clientRequestToken: token } : {}),
    ...(afterEventId ? { afterEventId } : {}),
    ...(deps.signal ? { signal: deps.signal } : {}),
    ...(deps.pollIntervalMs
      ? { minIntervalMs: deps.pollIntervalMs.min, maxIntervalMs: deps.pollIntervalMs.max }
      : {}),
    onEvent: (event) => {
      seen.push(event);
      deps.emit({ type: 'stack.event', stack: stack.name, event });
    },
  });
  // The final word is DescribeStacks by id, not the last event we happened to see.
  const final = await deps.cloudFormation.describeStack(stackId);
  const status = final?.status ?? 'UNKNOWN';
  await deps.journal.recordStack(stack.id, {
    name: stack.name,
    stackId,
    status,
    pendingToken: undefined,
    operation: undefined,
  });
  if (final && isSuccess(status)) {
    deps.emit({ type: 'stack.completed', stack: stack.name, stackId, status, outputs: final.outputs });
    return { stackId, status, outputs: final.outputs };
  }
  const rootCause = findRootCause(seen);
  const message = rootCause
    ? `${rootCause.logicalResourceId} (${rootCause.resourceType}) in ${rootCause.stackName}: ${rootCause.reason}`
    : (final?.statusReason ?? `stack ended ${status}`);
  deps.emit({
    type: 'stack.failed',
    stack: stack.name,
    stackId,
    status,
    message,
    ...(rootCause ? { rootCause } : {}),
  });
  throw new StackguideError(`Stack ${stack.name} ended ${status}: ${message}`, {
    code: 'stack.failed',
    kind: 'aws',
    nextSteps: failureSteps(final, stack.name),
  });
}

/**
 * True when the stack already runs this template with these parameters and tags, so there is nothing
 * to update. Checked here rather than left to UpdateStack because emulators update regardless; with
 * NoEcho parameters (read back masked) or a template by URL we cannot tell, and let CloudFormation decide.
 */
async function isUnchanged(
  cloudFormation: CloudFormationPort,
  existing: StackDescription,
  stack: StackDeployment,
): Promise<boolean> {
  if (
    stack.templateBody === undefined ||
    !existing.status.endsWith('_COMPLETE') ||
    existing.status.includes('ROLLBACK')
  )
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
  return deployed?.trim() === stack.templateBody.trim();
}

function failureSteps(final: StackDescription | undefined, name: string): string[] {
  if (final?.status === 'ROLLBACK_COMPLETE')
    return [
      `Fix the cause above, delete the rolled-back stack (aws cloudformation delete-stack --stack-name ${name}), then run install again.`,
    ];
  return ['Fix the cause above, then run the same install command again: it resumes where it stopped.'];
}

function count(stack: StackDeployment): { resourceCount?: number } {
  return stack.resourceCount !== undefined ? { resourceCount: stack.resourceCount } : {};
}
