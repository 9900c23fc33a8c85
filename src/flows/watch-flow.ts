import type { CloudFormationPort, StackDescription } from '../aws/cloudformation-port.ts';
import { ssmPort } from '../aws/ssm-port.ts';
import { type Blueprint, loadBlueprint } from '../blueprint/load-blueprint.ts';
import { resolveValue } from '../blueprint/references.ts';
import { ExitCode, StackguideError } from '../errors.ts';
import { readAnswersFile } from '../install/answers-file.ts';
import { type LockHolder, runHoldingLock } from '../lock/deployment-lock.ts';
import { followOperation } from '../stacks/follow-operation.ts';
import { findOperationStart } from '../stacks/operation-start.ts';
import { maskSecretOutputs, secretOutputNames } from '../stacks/secret-outputs.ts';
import { classifyStackStatus, isInProgress } from '../stacks/stack-status.ts';
import type { Flow, FlowHost } from './flow.ts';

/**
 * `stackguide watch [stack]`: attach to whatever operation is in flight on the deployment's stacks (or
 * on the named stack), wherever it was started, show it from its first event, and exit with its
 * outcome: 0 when it succeeded (or nothing was running), 1 when it failed. While an install, upgrade or
 * destroy holds the deployment's lock, the whole deployment is followed until that run releases it:
 * a run goes on from one stack to the next, and the end of its first stack is not the end of the run.
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
  /** Known when the deployment is watched whole: its lock says whether a run is in flight. */
  deployment?: string;
  /** One stack named on the command line: it must exist. */
  single?: boolean;
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
      const deployment = request.deployment ?? saved?.deployment;
      const blueprint =
        request.stack && deployment
          ? // A stack named beside a deployment is checked against its stacks when the blueprint is at
            // hand; without it (no --blueprint), the stack is watched by its name alone.
            await loadBlueprint(request.blueprintPath).catch(() => undefined)
          : undefined;
      // One stack by name, without its blueprint: which outputs could hold a secret is not known.
      if (request.stack && !blueprint)
        return { region, names: [request.stack], secretOutputs: new Map(), single: true };
      if (!deployment) {
        throw new StackguideError('watch needs a stack name, or the deployment to watch', {
          code: 'answers.missing',
          kind: 'user',
          details: [{ path: '[stack] or --name (or --config)', message: 'nothing to watch given' }],
        });
      }
      const known = blueprint ?? (await loadBlueprint(request.blueprintPath));
      const scope = { deployment, region, answers: saved?.answers ?? {}, stackOutputs: {} };
      const names = known.stacks.map((stack, index) =>
        resolveValue(stack.name, scope, `stacks[${index}].name`),
      );
      const secretOutputs = new Map(
        known.stacks.map((stack, index) => [names[index] ?? stack.id, secretOutputNames(known, stack.id)]),
      );
      if (!request.stack) return { region, names, secretOutputs, deployment };
      const name = stackOfDeployment(known, names, request.stack, deployment);
      return { region, names: [name], secretOutputs, single: true };
    },

    // Nothing to ask: watching changes nothing and needs no answer.
    async ask(validated) {
      return validated;
    },

    async execute({ region, names, secretOutputs, deployment, single }) {
      const shown = (name: string, outputs: Readonly<Record<string, string>>) =>
        maskSecretOutputs(outputs, secretOutputs.get(name) ?? new Set());
      const aws = host.connect(region);
      const { cloudFormation } = aws;
      const runInFlight = async (): Promise<LockHolder | undefined> =>
        deployment ? runHoldingLock(aws.use(ssmPort), deployment) : undefined;
      const describe = (list: readonly string[]) =>
        Promise.all(list.map(async (name) => ({ name, stack: await cloudFormation.describeStack(name) })));
      let described = await describe(names);
      const [only] = described;
      if (single && only && !only.stack) throw noSuchStack(only.name, region);
      let run = await runInFlight();
      const running = described.filter((entry) => entry.stack && isInProgress(entry.stack.status));
      if (running.length === 0 && !run) {
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
      const follow = async (name: string, stack: StackDescription | undefined): Promise<boolean> => {
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
      };
      const title = run
        ? `Watching the ${run.command} of ${deployment} (pid ${run.pid}) in ${region}`
        : `Watching ${names.join(', ')} in ${region}`;
      const outcomes = await host.watching(title, cloudFormation, async () => {
        const followed = new Map<string, Promise<boolean>>();
        // Following a run: every stack of the deployment gets its row at once, in the blueprint's
        // order, with the status it has now; the ones the run has not reached yet wait in theirs.
        const waiting = new Set<string>();
        if (run)
          for (const { name, stack } of described) {
            waiting.add(name);
            events.emit({
              type: 'stack.status',
              stack: name,
              status: stack?.status ?? 'NOT_CREATED',
              outputs: shown(name, stack?.outputs ?? {}),
            });
          }
        for (;;) {
          for (const { name, stack } of described) {
            if (followed.has(name) || !stack || !isInProgress(stack.status)) continue;
            waiting.delete(name);
            followed.set(name, follow(name, stack));
          }
          if (!run) break;
          // The run holds the lock from before its first stack to after its last: its stacks are
          // looked at again until it lets go, and once more after, for one it started last.
          await host.clock.sleep(LOCK_POLL_MS, host.signal);
          run = await runInFlight();
          described = await describe(names.filter((name) => !followed.has(name)));
        }
        for (const name of waiting)
          events.emit({
            type: 'stack.not-started',
            stack: name,
            reason: 'the run ended without changing it',
          });
        return Promise.all(followed.values());
      });
      const failed = outcomes.filter((ok) => !ok).length;
      const exitCode = failed > 0 ? ExitCode.failed : ExitCode.ok;
      events.emit({ type: 'run.completed', outcome: failed > 0 ? 'failed' : 'succeeded', exitCode });
      return exitCode;
    },
  };
}

/** How often the lock is read again while a run holds it. */
const LOCK_POLL_MS = 2_000;

/**
 * The stack `watch <stack>` names, by its name in the deployment or by its blueprint id (as
 * `upgrade --stack` takes it); exit 2 naming the deployment's stacks when it is neither.
 */
function stackOfDeployment(
  blueprint: Blueprint,
  names: readonly string[],
  given: string,
  deployment: string,
): string {
  if (names.includes(given)) return given;
  const byId = blueprint.stacks.findIndex((stack) => stack.id === given);
  const name = names[byId];
  if (name) return name;
  const listed = blueprint.stacks.map((stack, index) => `${names[index] ?? stack.id} (id ${stack.id})`);
  throw new StackguideError(`${given} is no stack of deployment ${deployment}`, {
    code: 'stack.unknown',
    kind: 'user',
    details: [
      {
        path: '[stack]',
        message: `not one of: ${listed.join(', ')}`,
        fix: 'Give a stack name or id from that list.',
      },
    ],
  });
}

function noSuchStack(name: string, region: string): StackguideError {
  return new StackguideError(`Stack ${name} does not exist in ${region}`, {
    code: 'stack.unknown',
    kind: 'user',
    nextSteps: [
      "Give the stack's name (stackguide status lists the deployment's stacks); a blueprint stack id (as upgrade --stack takes) is found with --blueprint and --config (or --name).",
      'Without a stack, watch --blueprint <dir> --config <file> follows the whole deployment.',
    ],
  });
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
