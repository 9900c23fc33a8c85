import { dirname } from 'node:path';
import { Listr, type ListrRendererValue, type ListrTask } from 'listr2';
import type { StepEntry } from '../src/blueprint/blueprint-schema.ts';
import type { CreatedResource, StackguideEvent } from '../src/events.ts';
import { DEFAULT_CONCURRENCY, GraphScheduler, type ScheduledNode } from '../src/graph/graph-scheduler.ts';
import { branchFailure, isCancellation, oneAtATime, stoppedRun } from '../src/graph/run-branches.ts';
import { EtaTracker } from '../src/progress/eta.ts';
import { loadDurationHistory } from '../src/progress/eta-history.ts';
import { WAITING_FOR } from '../src/progress/progress-store.ts';
import type { DeployedStack } from '../src/stacks/deploy-stack.ts';
import { type StepBase, type StepInputs, stepTitle } from '../src/steps/run-steps.ts';
import { applyStepTask } from './apply-step-task.ts';
import { type DeployStackTaskDeps, deployStackTask } from './deploy-stack-task.ts';

export interface InstallTasksDeps extends Omit<DeployStackTaskDeps, 'results' | 'stepOutputs'> {
  steps: readonly StepEntry[];
  stepBase: StepBase;
  stepInputs: Readonly<Record<string, StepInputs>>;
  /** Outputs of steps applied by an earlier run (from the journal): an upgrade's stacks still refer to them. */
  earlierStepOutputs?: Readonly<Record<string, Record<string, string>>>;
  /** `--concurrency`: how many stacks may change at once. */
  concurrency?: number;
}

/**
 * The execute phase of an install (or an upgrade, without steps) as one listr2 list: the preparation
 * steps one after another in blueprint order, then every stack as soon as the stacks it waits for are
 * complete (the plan's `after`, from the dependency graph), up to `concurrency` at once. A failure
 * starts nothing new, lets the stacks already changing finish, and is thrown with every branch's
 * outcome. The renderer is the caller's: the Ink bridge in a terminal, silent otherwise (plain and
 * NDJSON output come from the event bus).
 */
export async function runInstallTasks(
  deps: InstallTasksDeps,
  renderer: ListrRendererValue,
  rendererOptions: Record<string, unknown> = {},
): Promise<Record<string, DeployedStack>> {
  const results: Record<string, DeployedStack> = {};
  const stepOutputs: Record<string, Record<string, string>> = { ...deps.earlierStepOutputs };
  const stepIds = deps.steps.map((entry) => `steps.${entry.id}`);
  const lastStep = stepIds.at(-1);
  const nodes: ScheduledNode[] = [
    ...stepIds.map((id, index) => ({ id, after: index > 0 ? [stepIds[index - 1] as string] : [] })),
    ...deps.plan.stacks.map((stack) => ({
      id: `stacks.${stack.id}`,
      after: [
        ...(lastStep ? [lastStep] : []),
        ...(stack.after ?? stack.dependsOn).map((id) => `stacks.${id}`),
      ],
    })),
  ];
  // Steps are named by their titles everywhere the operator reads them ("SSL certificate waiting for
  // Hosting domain", a stop's list of what completed), never by their ids (trial findings 89, 90).
  const names = new Map<string, string>([
    ...deps.steps.map((entry): [string, string] => [`steps.${entry.id}`, stepTitle(entry)]),
    ...deps.plan.stacks.map((stack): [string, string] => [`stacks.${stack.id}`, stack.name]),
  ]);
  const concurrency = deps.concurrency ?? DEFAULT_CONCURRENCY;
  const scheduler = new GraphScheduler(nodes, concurrency, (id) => names.get(id) ?? id);
  const stop = (): void => scheduler.stop('the run was stopped');
  // Stopped already (while the ETA history loaded, say): nothing starts at all.
  if (deps.signal.aborted) stop();
  else deps.signal.addEventListener('abort', stop, { once: true });
  // The ETA hears every event of the run and says how long is left (src/progress/eta.ts).
  const nameOf = new Map(deps.plan.stacks.map((stack) => [stack.id, stack.name]));
  const eta = new EtaTracker({
    stacks: deps.plan.stacks.map((stack) => ({
      name: stack.name,
      after: (stack.after ?? stack.dependsOn).map((id) => nameOf.get(id) ?? id),
      types: stack.resourceTypes ?? [],
    })),
    history: await loadDurationHistory(
      dirname(deps.journal.dir),
      deps.aws.cloudFormation,
      deps.plan.stacks.map((stack) => stack.name),
    ),
    concurrency,
    now: () => deps.clock.now(),
    emit: (event) => deps.emit(event),
  });
  const emit = (event: StackguideEvent): void => {
    deps.emit(event);
    eta.observe(event);
  };
  eta.start();
  // Two change sets ready at once are still reviewed one after the other.
  const review = deps.review ? oneAtATime(deps.review) : undefined;
  const failures: Array<{ id: string; error: unknown }> = [];
  // What each waiting node waits for is said again whenever a node ends: its row never names a step
  // or a stack that is done.
  const waiting = new Set<() => void>();
  const ended = (id: string, ok: boolean): void => {
    scheduler.finish(id, ok);
    for (const tell of waiting) tell();
  };
  const scheduled = (node: ScheduledNode, inner: ListrTask): ListrTask => ({
    title: inner.title ?? node.id,
    task: async (context, task) => {
      const tell = (): void => {
        // Started (its turn came with this end) or never starting: the task says what it does next.
        if (scheduler.state(node.id) !== 'waiting') return;
        const waitingFor = node.after.filter((id) => scheduler.state(id) !== 'completed');
        task.output =
          waitingFor.length > 0
            ? `${WAITING_FOR}${waitingFor.map((id) => names.get(id) ?? id).join(', ')}`
            : `waiting for a free slot (--concurrency ${concurrency})`;
      };
      tell();
      waiting.add(tell);
      const go = await scheduler.turn(node.id);
      waiting.delete(tell);
      if (!go) {
        const reason = scheduler.notStarted().find((each) => each.id === node.id)?.reason ?? 'not started';
        if (node.id.startsWith('stacks.'))
          emit({ type: 'stack.not-started', stack: names.get(node.id) ?? node.id, reason });
        task.skip(`${inner.title}: ${reason}`);
        return;
      }
      task.output = node.id.startsWith('stacks.') ? 'creating its change set' : '';
      try {
        await (inner.task as (c: typeof context, t: typeof task) => Promise<void>)(context, task);
        ended(node.id, true);
      } catch (error) {
        // A declined change set stops the run as Ctrl+C does: the others are not started because of it.
        if (isCancellation(error)) scheduler.stop(`${names.get(node.id) ?? node.id} was declined`);
        failures.push({ id: node.id, error });
        ended(node.id, false);
        throw error;
      }
    },
  });
  // What each step created (its step.resource-created events): a step stopped while it waits (for the
  // DNS delegation) has made it already, and it stays; the stop says so.
  const made = new Map<string, CreatedResource[]>();
  const stepBase: StepBase = {
    ...deps.stepBase,
    emit: (event) => {
      if (event.type === 'step.resource-created') {
        const name = names.get(`steps.${event.step}`) ?? event.step;
        made.set(name, [...(made.get(name) ?? []), event.resource]);
      }
      deps.stepBase.emit(event);
    },
  };
  const tasks = [
    ...deps.steps.map((entry, index) =>
      scheduled(
        nodes[index] as ScheduledNode,
        applyStepTask({ base: stepBase, inputs: deps.stepInputs, stepOutputs, journal: deps.journal }, entry),
      ),
    ),
    ...deps.plan.stacks.map((stack, index) =>
      scheduled(
        nodes[deps.steps.length + index] as ScheduledNode,
        deployStackTask({ ...deps, emit, ...(review ? { review } : {}), results, stepOutputs }, stack),
      ),
    ),
  ];
  const list = new Listr(tasks, {
    concurrent: true,
    // Each branch's failure is collected; the list goes on so running stacks are followed to their end.
    exitOnError: false,
    // One SIGINT owner: the AbortController at the top of the CLI.
    registerSignalListeners: false,
    renderer,
    rendererOptions,
  } as ConstructorParameters<typeof Listr>[1]);
  try {
    await list.run();
  } finally {
    deps.signal.removeEventListener('abort', stop);
  }
  const outcome = {
    // A stack never started has said so already (its `stack.not-started` event: a row of the live view,
    // a plain line), so the closing list leaves it out; a step has no such event and is listed.
    notStarted: scheduler.notStarted().map(({ id, reason }) => ({
      name: names.get(id) ?? id,
      reason,
      said: id.startsWith('stacks.'),
    })),
    completed: deps.plan.stacks.filter((stack) => results[stack.id]).map((stack) => stack.name),
  };
  // Stopped (Ctrl+C, SIGTERM, --timeout): the stop is the outcome, even when no branch was running to
  // fail with it; a run that started nothing must not end as installed.
  if (deps.signal.aborted && (failures.length > 0 || outcome.notStarted.length > 0))
    throw stoppedRun(
      deps.signal.reason,
      failures.map(({ id, error }) => ({ name: names.get(id) ?? id, error })),
      outcome.notStarted,
      // What completed before the stop, steps included (a hosted zone made, a secret stored): a stop
      // during a step's wait listed only the stacks, so five completed steps went unsaid.
      nodes
        .filter((node) => scheduler.state(node.id) === 'completed')
        .map((node) => names.get(node.id) ?? node.id),
      made,
    );
  if (failures.length > 0)
    throw branchFailure(
      failures.map(({ id, error }) => ({ name: names.get(id) ?? id, error })),
      outcome.notStarted,
      outcome.completed,
    );
  return results;
}
