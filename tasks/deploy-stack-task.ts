import type { ListrTask } from 'listr2';
import type { AwsContext } from '../src/aws/aws-context.ts';
import type { StackguideEvent } from '../src/events.ts';
import {
  type InstallPlan,
  type PlannedStack,
  resolveParameters,
  secretValues,
  shownOutputs,
} from '../src/install/install-plan.ts';
import type { Journal } from '../src/journal/journal.ts';
import type { Clock } from '../src/runtime/clock.ts';
import { type DeployedStack, type DeployStackDeps, deployStack } from '../src/stacks/deploy-stack.ts';

export interface DeployStackTaskDeps {
  plan: InstallPlan;
  aws: AwsContext;
  journal: Journal;
  clock: Clock;
  emit: (event: StackguideEvent) => void;
  signal: AbortSignal;
  /** Filled as stacks complete: later stacks read earlier outputs from it. */
  results: Record<string, DeployedStack>;
  /** Outputs of the preparation steps, complete before the first stack starts. */
  stepOutputs: Record<string, Record<string, string>>;
  pollIntervalMs?: { min: number; max: number };
  /** Change set review; absent when unattended with --yes. */
  review?: DeployStackDeps['review'];
  tracker?: DeployStackDeps['tracker'];
  /** `--role-arn` and `--disable-rollback`, as install and upgrade were given them. */
  roleArn?: string;
  disableRollback?: boolean;
}

/** One listr2 task that brings one stack of the plan to CREATE_COMPLETE / UPDATE_COMPLETE. */
export function deployStackTask(deps: DeployStackTaskDeps, stack: PlannedStack): ListrTask {
  return {
    title: `Deploy stack ${stack.name}`,
    task: async (_context, task) => {
      const outputs = Object.fromEntries(
        Object.entries(deps.results).map(([id, result]) => [id, result.outputs]),
      );
      const result = await deployStack(
        {
          id: stack.id,
          name: stack.name,
          parameters: resolveParameters(deps.plan, stack, {
            stackOutputs: outputs,
            stepOutputs: deps.stepOutputs,
          }),
          capabilities: stack.capabilities,
          tags: stack.tags,
          terminationProtection: stack.terminationProtection,
          ...(stack.templateBody !== undefined ? { templateBody: stack.templateBody } : {}),
          ...(stack.packagedBody !== undefined ? { packagedBody: stack.packagedBody } : {}),
          ...(stack.templateUrl !== undefined ? { templateUrl: stack.templateUrl } : {}),
          ...(stack.resourceCount !== undefined ? { resourceCount: stack.resourceCount } : {}),
          ...(stack.templateParameters ? { templateParameters: stack.templateParameters } : {}),
          ...(stack.parameterChanges ? { parameterChanges: stack.parameterChanges } : {}),
        },
        {
          cloudFormation: deps.aws.cloudFormation,
          clock: deps.clock,
          journal: deps.journal,
          signal: deps.signal,
          ...(deps.review ? { review: deps.review } : {}),
          ...(deps.tracker ? { tracker: deps.tracker } : {}),
          ...(deps.roleArn ? { roleArn: deps.roleArn } : {}),
          ...(deps.disableRollback ? { disableRollback: true } : {}),
          ...(deps.pollIntervalMs ? { pollIntervalMs: deps.pollIntervalMs } : {}),
          emit: (event) => {
            // Ready, its change set waits for the operator (the review panel, or its turn after the
            // one shown) or is executed at once: the row says which, not that it is still being made.
            if (event.type === 'changeset.created' && event.stack === stack.name && !event.summary.empty)
              task.output = deps.review
                ? 'its change set is ready: waiting for your review'
                : 'executing its change set';
            if (
              event.type === 'stack.event' &&
              event.event.stackName === stack.name &&
              event.event.logicalResourceId !== stack.name
            ) {
              task.output = `${event.event.logicalResourceId} ${event.event.status}`;
            }
            // Events reach NDJSON, the event log and the screen: never an output echoing a secret.
            deps.emit(
              event.type === 'stack.completed'
                ? { ...event, outputs: shownOutputs(event.outputs, secretValues(deps.plan)) }
                : event,
            );
          },
        },
      );
      deps.results[stack.id] = result;
      task.title = `Deployed stack ${stack.name} (${result.status})`;
    },
  };
}
