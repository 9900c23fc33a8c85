import type { CloudFormationPort } from '../aws/cloudformation-port.ts';
import { loadBlueprint } from '../blueprint/load-blueprint.ts';
import { resolveValue } from '../blueprint/references.ts';
import { ExitCode, StackguideError } from '../errors.ts';
import { readAnswersFile } from '../install/answers-file.ts';
import { followOperation } from '../stacks/follow-operation.ts';
import { findOperationStart } from '../stacks/operation-start.ts';
import { maskSecretOutputs, secretOutputNames } from '../stacks/secret-outputs.ts';
import { classifyStackStatus, isInProgress } from '../stacks/stack-status.ts';
import type { Flow, FlowHost } from './flow.ts';

/**
 * `stackguide watch [stack]`: attach to whatever operation is in flight on the deployment's stacks (or
 * on the named stack), wherever it was started, show it from its first event, and exit with its
 * outcome: 0 when it succeeded (or nothing was running), 1 when it failed.
 */
export interface WatchRequest {
  blueprintPath: string;
  configPath?: string;
  /** One stack by name; else every stack of the deployment. */
  stack?: string;
  deployment?: string;
  region?: string;
  /** AWS_REGION, AWS_DEFAULT_REGION or the profile's region (src/aws/aws-settings.ts): after --region
   * and the answers file. */
  defaultRegion?: { value: string; source: string };
  env: Readonly<Record<string, string | undefined>>;
}

export interface WatchHost extends FlowHost {
  show(text: string): void;
  /** Follows the running operations with whoever owns the terminal (the live view in a terminal). */
  watching<T>(title: string, cloudFormation: CloudFormationPort, follow: () => Promise<T>): Promise<T>;
}

interface Validated {
  region: string;
  names: string[];
  /** By stack name: the outputs that can echo a secret answer, masked wherever they are shown. */
  secretOutputs: ReadonlyMap<string, ReadonlySet<string>>;
}

export function watchFlow(host: WatchHost): Flow<WatchRequest, Validated, Validated, number> {
  const { events } = host;
  return {
    async validate(request) {
      const saved = request.configPath ? await readAnswersFile(request.configPath) : undefined;
      const region = request.region ?? saved?.region ?? request.defaultRegion?.value;
      if (!region) {
        throw new StackguideError('watch needs a region', {
          code: 'answers.missing',
          kind: 'user',
          details: [
            {
              path: '--region (or region: in --config)',
              message: 'no region given',
              fix: 'Give --region, set AWS_REGION, or give the profile a region (aws configure set region ...).',
            },
          ],
        });
      }
      // One stack by name, without its blueprint: which outputs could hold a secret is not known.
      if (request.stack) return { region, names: [request.stack], secretOutputs: new Map() };
      const deployment = request.deployment ?? saved?.deployment;
      if (!deployment) {
        throw new StackguideError('watch needs a stack name, or the deployment to watch', {
          code: 'answers.missing',
          kind: 'user',
          details: [{ path: '[stack] or --name (or --config)', message: 'nothing to watch given' }],
        });
      }
      const blueprint = await loadBlueprint(request.blueprintPath);
      const scope = { deployment, region, answers: saved?.answers ?? {}, stackOutputs: {} };
      const names = blueprint.stacks.map((stack, index) =>
        resolveValue(stack.name, scope, `stacks[${index}].name`),
      );
      const secretOutputs = new Map(
        blueprint.stacks.map((stack, index) => [
          names[index] ?? stack.id,
          secretOutputNames(blueprint, stack.id),
        ]),
      );
      return { region, names, secretOutputs };
    },

    // Nothing to ask: watching changes nothing and needs no answer.
    async ask(validated) {
      return validated;
    },

    async execute({ region, names, secretOutputs }) {
      const shown = (name: string, outputs: Readonly<Record<string, string>>) =>
        maskSecretOutputs(outputs, secretOutputs.get(name) ?? new Set());
      const { cloudFormation } = host.connect(region);
      const described = await Promise.all(
        names.map(async (name) => ({ name, stack: await cloudFormation.describeStack(name) })),
      );
      const running = described.filter((entry) => entry.stack && isInProgress(entry.stack.status));
      if (running.length === 0) {
        for (const { name, stack } of described)
          events.emit({
            type: 'stack.status',
            stack: name,
            status: stack?.status ?? 'NOT_CREATED',
            outputs: shown(name, stack?.outputs ?? {}),
          });
        host.show(nothingInFlight(described));
        return ExitCode.ok;
      }
      const outcomes = await host.watching(`Watching ${names.join(', ')} in ${region}`, cloudFormation, () =>
        Promise.all(
          running.map(async ({ name, stack }) => {
            const stackId = stack?.stackId ?? name;
            const start = await findOperationStart(cloudFormation, stackId, name);
            const outcome = await followOperation(
              {
                stack: name,
                stackId,
                operation: 'attach',
                ...(stack?.status ? { status: stack.status } : {}),
                since: start.since,
                ...(start.previousEventId ? { afterEventId: start.previousEventId } : {}),
                // What finding the start read is shown at once, not read again by the first poll.
                knownEvents: start.events,
              },
              { cloudFormation, clock: host.clock, emit: (event) => events.emit(event), signal: host.signal },
              { outputs: async (final) => shown(name, final.outputs) },
            );
            return outcome.ok;
          }),
        ),
      );
      const failed = outcomes.filter((ok) => !ok).length;
      const exitCode = failed > 0 ? ExitCode.failed : ExitCode.ok;
      events.emit({ type: 'run.completed', outcome: failed > 0 ? 'failed' : 'succeeded', exitCode });
      return exitCode;
    },
  };
}

/**
 * What watch found when nothing runs: every stack it looked at, with its status, and for a stack that
 * only holds a change set (REVIEW_IN_PROGRESS) what that means. Shown as text, as in a terminal the
 * events are not printed (the live view that would draw them never starts).
 */
function nothingInFlight(
  described: ReadonlyArray<{ name: string; stack: { status: string } | undefined }>,
): string {
  const lines = described.map(({ name, stack }) => {
    if (!stack) return `  ${name} does not exist`;
    if (classifyStackStatus(stack.status) !== 'not-created') return `  ${name} is ${stack.status}`;
    return `  ${name} is ${stack.status}: a change set was created and never executed, so the stack does not exist yet and nothing is running on it. It waits for its review: the run that made it (at its change set prompt) or the console executes or deletes it; watch again once it runs.`;
  });
  const [only] = described;
  const heading = described.length === 1 && only ? only.name : 'these stacks';
  return `Nothing is in flight on ${heading}:\n${lines.join('\n')}\n`;
}
