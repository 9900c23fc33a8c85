import type { AwsContext } from '../aws/aws-context.ts';
import { ssmPort } from '../aws/ssm-port.ts';
import type { EventBus } from '../events.ts';
import { isCancellation } from '../graph/run-branches.ts';
import type { Prompter } from '../install/prompter.ts';
import { beginRun, type Journal, type OperationCommand } from '../journal/journal.ts';
import { acquireDeploymentLock, type LockRequest } from '../lock/deployment-lock.ts';
import type { Clock } from '../runtime/clock.ts';

/**
 * Every command's core is a flow with the same three phases, as copilot-cli's commands are
 * (Validate → Ask → Execute), so a newcomer who has read one flow has read them all:
 *
 * - `validate`: local only (options, blueprint, answers file); no AWS call, no prompt. Bad input fails
 *   here with exit 2 before anything is asked or touched.
 * - `ask`: questions through the prompter host, or their defaults and the answers file when nothing may
 *   prompt; reads AWS as the questions need (identity, the plan), changes nothing.
 * - `execute`: the changes, as tasks and events; the one phase that writes to AWS.
 *
 * The flows live together in src/flows/ so the shape is seen side by side; what they orchestrate stays
 * in its domain folder (install/, upgrade/, decommission/, stacks/, steps/, status/, support/, policy/).
 * A flow never imports a UI or a task list: the command root (src/commands/) hands it a host with the
 * renderer-specific parts.
 */
export interface Flow<Request, Validated, Asked, Outcome> {
  validate(request: Request): Promise<Validated>;
  ask(validated: Validated): Promise<Asked>;
  execute(asked: Asked): Promise<Outcome>;
}

/** Validate, then ask, then execute: each phase finished before the next starts. */
export async function runFlow<Request, Validated, Asked, Outcome>(
  flow: Flow<Request, Validated, Asked, Outcome>,
  request: Request,
): Promise<Outcome> {
  const validated = await flow.validate(request);
  const asked = await flow.ask(validated);
  return flow.execute(asked);
}

/** What every flow is given by its command root. */
export interface FlowHost {
  events: EventBus;
  /** Absent when nothing may prompt (no TTY, CI, --no-input, --output json). */
  prompter?: Prompter;
  signal: AbortSignal;
  clock: Clock;
  /** AWS for a region; every region shares the run's one set of credentials. */
  connect(region: string): AwsContext;
}

/**
 * Runs `work` holding the deployment lock: taken before it (so before the run's first change to AWS),
 * released after it, whatever its outcome. A flow wraps its whole execute phase in it.
 */
export async function withDeploymentLock<T>(
  events: EventBus,
  command: OperationCommand,
  lock: LockRequest,
  work: () => Promise<T>,
): Promise<T> {
  const held = await acquireDeploymentLock({ ...lock, command, emit: (event) => events.emit(event) });
  try {
    return await work();
  } finally {
    await held.release();
  }
}

/**
 * Runs `work` as one run of the deployment's journal: every event also written to its event log, the
 * run begun (a re-run says which run it found interrupted) and finished as completed or failed.
 */
export async function withJournalRun<T>(
  events: EventBus,
  journal: Journal,
  /** `told`: the line about the run before that this run said already, in its ask phase (`lastRunLine`). */
  run: OperationCommand | { command: OperationCommand; told: string | undefined },
  work: () => Promise<T>,
): Promise<T> {
  const { command, told } = typeof run === 'string' ? { command: run, told: undefined } : run;
  // A failed or stopped run says its error and run.completed after this returns (the top-level handler
  // does, knowing the exit code); the event log keeps listening until then, and main waits for the
  // writes (EventBus.drained) before the process exits.
  let unsubscribe = () => {};
  unsubscribe = events.subscribe((event) => {
    if (event.type === 'run.completed') unsubscribe();
    return journal.appendEvent(event);
  });
  let outcome: 'completed' | 'failed' | 'stopped' = 'failed';
  try {
    await beginRun(journal, command, (event) => events.emit(event), told);
    const result = await work();
    outcome = 'completed';
    return result;
  } catch (error) {
    // Ctrl+C, SIGTERM, --timeout or a declined change set: stopped, which the next run tells.
    if (isCancellation(error)) outcome = 'stopped';
    throw error;
  } finally {
    await journal.finish(outcome);
    await journal.flush();
  }
}

/** The lock request of a run that changes the deployment, from its flow's host and request. */
export function lockRequest(
  aws: AwsContext,
  host: Pick<FlowHost, 'clock' | 'prompter'>,
  run: {
    deployment: string;
    principal: string;
    yes: boolean;
    forceUnlock: string | undefined;
    rerunCommand: string;
  },
): LockRequest {
  return {
    ssm: aws.use(ssmPort),
    clock: host.clock,
    deployment: run.deployment,
    principal: run.principal,
    yes: run.yes,
    rerunCommand: run.rerunCommand,
    ...(run.forceUnlock !== undefined ? { forceUnlock: run.forceUnlock } : {}),
    ...(host.prompter ? { prompter: host.prompter } : {}),
  };
}
