import { ExitCode } from '../errors.ts';
import type { StackguideEvent, StatusItem, StatusState } from '../events.ts';
import type { DeploymentStatus } from './deployment-status.ts';

/** The exit code a script reads: 0 healthy, 4 the deployment needs action, 3 it could not be checked. */
export const STATUS_EXIT_CODE: Record<StatusState, number> = {
  healthy: ExitCode.ok,
  'needs-action': ExitCode.needsAction,
  'could-not-check': ExitCode.credentials,
};

/** Every item of every section, by id: what the next refresh under --watch is compared with. */
export function statusItems(status: DeploymentStatus): Map<string, StatusItem> {
  return new Map(status.sections.flatMap((section) => section.items.map((item) => [item.id, item])));
}

/** Items new, gone or different in state or words since the last refresh. */
export function changedItems(
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

/**
 * The events of one refresh, in order: on the first, each stack as `stack.status` and each check as
 * `check.result` (as before sections existed), then every `status.section`; on a later one under
 * --watch (`changed` given) only the sections holding a changed item. `status.summary` closes each.
 */
export function statusRefreshEvents(
  status: DeploymentStatus,
  exitCode: number,
  changed: readonly StatusItem[] | undefined,
  first: boolean,
): StackguideEvent[] {
  const events: StackguideEvent[] = [];
  const changedIds = new Set(changed?.map((item) => item.id));
  if (first) {
    for (const { name, description } of status.stacks) {
      events.push({
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
      for (const result of step.checks) events.push({ type: 'check.result', result });
  }
  for (const section of status.sections) {
    if (first || section.items.some((item) => changedIds.has(item.id)))
      events.push({ type: 'status.section', ...section });
  }
  events.push({
    type: 'status.summary',
    deployment: status.deployment,
    region: status.region,
    state: status.state,
    exitCode,
    ...(changed ? { changed: [...changedIds] } : {}),
    ...(status.answers?.path !== undefined ? { answersFile: status.answers.path } : {}),
  });
  return events;
}
