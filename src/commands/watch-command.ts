import type { CloudFormationPort } from '../aws/cloudformation-port.ts';
import { loadBlueprint } from '../blueprint/load-blueprint.ts';
import { resolveValue } from '../blueprint/references.ts';
import { ExitCode, StackguideError } from '../errors.ts';
import type { EventBus } from '../events.ts';
import { readAnswersFile } from '../install/answers-file.ts';
import { ProgressStore } from '../progress/progress-store.ts';
import { systemClock } from '../runtime/clock.ts';
import { followOperation } from '../stacks/follow-operation.ts';
import { findOperationStart } from '../stacks/operation-start.ts';
import { classifyStackStatus, isInProgress } from '../stacks/stack-status.ts';
import { awsSessionFor, openOutput } from './command-context.ts';
import type { CommonOptions } from './common-options.ts';

/**
 * `stackguide watch [stack]`: attach to whatever operation is in flight on the deployment's stacks (or
 * on the named stack), wherever it was started, show it from its first event, and exit with its
 * outcome: 0 when it succeeded (or nothing was running), 1 when it failed.
 */
export async function watchCommand(options: CommonOptions & { stack?: string }): Promise<number> {
  const signal = options.signal ?? new AbortController().signal;
  const { mode, events, close } = openOutput(options);
  const saved = options.config ? await readAnswersFile(options.config) : undefined;
  const region = options.region ?? saved?.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new StackguideError('watch needs a region', {
      code: 'answers.missing',
      kind: 'user',
      details: [{ path: '--region (or region: in --config)', message: 'no region given' }],
    });
  }
  const names = options.stack
    ? [options.stack]
    : await deploymentStackNames(options, saved?.deployment, region, saved?.answers ?? {});
  const aws = awsSessionFor(options).forRegion(region);

  const screens = mode.interactive ? await import('../../screens/mount-screens.tsx') : undefined;
  const store = screens ? new ProgressStore(`Watching ${names.join(', ')} in ${region}`) : undefined;
  const stopFeeding = store ? events.subscribe((event) => store.apply(event)) : undefined;
  const view =
    screens && store ? screens.mountProgress(store, () => process.kill(process.pid, 'SIGINT')) : undefined;

  try {
    const described = await Promise.all(
      names.map(async (name) => ({ name, stack: await aws.cloudFormation.describeStack(name) })),
    );
    const running = described.filter((entry) => entry.stack && isInProgress(entry.stack.status));
    if (running.length === 0) {
      for (const { name, stack } of described) {
        if (stack && classifyStackStatus(stack.status) === 'not-created') {
          events.emit({
            type: 'warning',
            code: 'stack.not-created',
            message: `${name} is ${stack.status}: a change set was created and never executed, so the stack does not exist yet and nothing is running on it`,
          });
        }
        events.emit({
          type: 'stack.status',
          stack: name,
          status: stack?.status ?? 'NOT_CREATED',
          outputs: stack?.outputs ?? {},
        });
      }
      process.stderr.write('Nothing is in flight on these stacks.\n');
      return ExitCode.ok;
    }
    const outcomes = await Promise.all(
      running.map(({ name, stack }) =>
        follow(aws.cloudFormation, name, stack?.stackId ?? name, stack?.status, events, signal),
      ),
    );
    const failed = outcomes.filter((ok) => !ok).length;
    events.emit({
      type: 'run.completed',
      outcome: failed > 0 ? 'failed' : 'succeeded',
      exitCode: failed > 0 ? ExitCode.failed : ExitCode.ok,
    });
    return failed > 0 ? ExitCode.failed : ExitCode.ok;
  } finally {
    await view?.unmount();
    stopFeeding?.();
    close();
  }
}

/** Follows one stack's current operation from its start; resolves true when it ended well. */
async function follow(
  cloudFormation: CloudFormationPort,
  name: string,
  stackId: string,
  statusNow: string | undefined,
  events: EventBus,
  signal: AbortSignal,
): Promise<boolean> {
  const start = await findOperationStart(cloudFormation, stackId, name);
  const outcome = await followOperation(
    {
      stack: name,
      stackId,
      operation: 'attach',
      ...(statusNow ? { status: statusNow } : {}),
      since: start.since,
      ...(start.previousEventId ? { afterEventId: start.previousEventId } : {}),
    },
    { cloudFormation, clock: systemClock, emit: (event) => events.emit(event), signal },
  );
  return outcome.ok;
}

async function deploymentStackNames(
  options: CommonOptions,
  deployment: string | undefined,
  region: string,
  answers: Record<string, string | number | boolean | readonly string[]>,
): Promise<string[]> {
  const name = options.name ?? deployment;
  if (!name) {
    throw new StackguideError('watch needs a stack name, or the deployment to watch', {
      code: 'answers.missing',
      kind: 'user',
      details: [{ path: '[stack] or --name (or --config)', message: 'nothing to watch given' }],
    });
  }
  const blueprint = await loadBlueprint(options.blueprint ?? '.');
  const scope = { deployment: name, region, answers, stackOutputs: {} };
  return blueprint.stacks.map((stack, index) => resolveValue(stack.name, scope, `stacks[${index}].name`));
}
