import { existsSync } from 'node:fs';
import { loadBlueprint } from '../blueprint/load-blueprint.ts';
import { ExitCode, StackguideError } from '../errors.ts';
import type { StatusItem, StatusState } from '../events.ts';
import { type AnswersFile, readAnswersFile } from '../install/answers-file.ts';
import { readDeploymentState } from '../journal/journal.ts';
import { commandEvents } from '../output/run-events.ts';
import { statusChangesText, statusText } from '../output/status-text.ts';
import { systemClock } from '../runtime/clock.ts';
import { type DeploymentStatus, gatherStatus } from '../status/deployment-status.ts';
import { lastDeployment } from '../status/last-deployment.ts';
import { awsSessionFor, existingDeployment, settingsOf } from './command-context.ts';
import type { CommonOptions } from './common-options.ts';

const WATCH_INTERVAL_MS = 5_000;

/** The exit code a script reads: 0 healthy, 4 the deployment needs action, 3 it could not be checked. */
const EXIT_FOR: Record<StatusState, number> = {
  healthy: ExitCode.ok,
  'needs-action': ExitCode.needsAction,
  'could-not-check': ExitCode.credentials,
};

/**
 * AWS errors that mean "could not ask", not "something is wrong with the deployment". A call past its
 * deadline keeps exit 124, as for every command (it names the call and the resume command).
 */
const COULD_NOT_ASK = new Set(['aws.unreachable']);

/**
 * `stackguide status`: one screen for a deployment, in sections: the stacks (status, last change,
 * drift), DNS delegation per parent server and resolver, certificates, SES, secrets, manual steps and
 * the rest of the account preparation, each item with the one next action when it is not healthy.
 * Without --name, --region or --config: the last deployment of this blueprint in the state folder. With
 * --output json each section is a `status.section` event (and, as before, each stack a `stack.status`
 * and each check a `check.result`), then `status.summary`. `--watch` repeats every 5 s and prints the
 * time and only what changed. Exit 0 healthy, 4 needs action, 3 could not check.
 */
export async function statusCommand(options: CommonOptions): Promise<number> {
  const { blueprint, saved, deployment, region } = await whichDeployment(options);
  const stateDir = options.stateDir ?? '.stackguide';
  const aws = awsSessionFor(options).forRegion(region);
  const signal = options.signal ?? new AbortController().signal;
  const json = options.output === 'json';
  // With --output json the run's NDJSON printer writes these; in text mode the sections say it all.
  const events = commandEvents(options);
  const { account } = await couldNotCheck(aws.identity.whoAmI());

  let previous: Map<string, StatusItem> | undefined;
  for (;;) {
    const status = await couldNotCheck(
      gatherStatus({
        blueprint,
        saved,
        journal: await readDeploymentState(stateDir, deployment),
        deployment,
        region,
        account,
        aws,
        clock: systemClock,
        signal,
        env: process.env,
        settings: settingsOf(options),
        ...(options.drift ? { drift: true } : {}),
      }),
    );
    const items = new Map(status.sections.flatMap((section) => section.items.map((item) => [item.id, item])));
    const changed = previous ? changedItems(previous, items) : undefined;
    const exitCode = EXIT_FOR[status.state];
    emitStatus(events, status, exitCode, changed, previous === undefined);
    if (!json) {
      const at = new Date(systemClock.now());
      // Wrapped to the terminal read on each refresh (a resized window); 80 when not a terminal.
      const width = process.stdout.columns || 80;
      process.stdout.write(
        `${changed ? statusChangesText(at, changed, status, width) : `${options.watch ? `${at.toISOString()}\n` : ''}${statusText(blueprint.product.title, status, width)}`}\n`,
      );
    }
    if (!options.watch) return exitCode;
    previous = items;
    await systemClock.sleep(WATCH_INTERVAL_MS, signal);
  }
}

function emitStatus(
  events: ReturnType<typeof commandEvents>,
  status: DeploymentStatus,
  exitCode: number,
  changed: readonly StatusItem[] | undefined,
  first: boolean,
): void {
  const changedIds = new Set(changed?.map((item) => item.id));
  // Under --watch only what changed is said again; the first refresh says everything.
  if (first) {
    for (const { name, description } of status.stacks) {
      events.emit({
        type: 'stack.status',
        stack: name,
        status: description?.status ?? 'NOT_CREATED',
        outputs: description?.outputs ?? {},
        ...(description?.stackId ? { stackId: description.stackId } : {}),
        ...((description?.updatedAt ?? description?.createdAt)
          ? { updatedAt: description?.updatedAt ?? description?.createdAt }
          : {}),
      });
    }
    for (const step of status.steps)
      for (const result of step.checks) events.emit({ type: 'check.result', result });
  }
  for (const section of status.sections) {
    if (first || section.items.some((item) => changedIds.has(item.id)))
      events.emit({ type: 'status.section', ...section });
  }
  events.emit({
    type: 'status.summary',
    deployment: status.deployment,
    region: status.region,
    state: status.state,
    exitCode,
    ...(changed ? { changed: [...changedIds] } : {}),
  });
}

/** Items new, gone or different in state or words since the last refresh. */
function changedItems(
  before: ReadonlyMap<string, StatusItem>,
  now: ReadonlyMap<string, StatusItem>,
): StatusItem[] {
  const changed: StatusItem[] = [];
  for (const [id, item] of now) {
    const old = before.get(id);
    if (!old || old.state !== item.state || old.summary !== item.summary) changed.push(item);
  }
  for (const [id, item] of before) {
    if (!now.has(id)) changed.push({ ...item, summary: `gone (was: ${item.summary})` });
  }
  return changed;
}

/** Status cannot reach AWS: that is "could not check" (exit 3), not a verdict on the deployment. */
async function couldNotCheck<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof StackguideError && COULD_NOT_ASK.has(error.code)) {
      throw new StackguideError(`The deployment could not be checked: ${error.message}`, {
        code: error.code,
        kind: error.kind,
        exitCode: ExitCode.credentials,
        details: error.details,
        nextSteps: error.nextSteps,
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * The deployment to show: named (--name/--region or --config), else the last one of this blueprint in
 * the state folder, with the answers file install wrote beside it when there is one.
 */
async function whichDeployment(options: CommonOptions) {
  if (options.name || options.region || options.config) return existingDeployment(options, 'status');
  const blueprint = await loadBlueprint(options.blueprint ?? '.');
  const found = await lastDeployment(options.stateDir ?? '.stackguide', blueprint.product.id);
  const answersPath = `${found.deployment}.answers.yaml`;
  const saved: AnswersFile | undefined = existsSync(answersPath)
    ? await readAnswersFile(answersPath)
    : undefined;
  return { blueprint, saved, deployment: found.deployment, region: found.region };
}
