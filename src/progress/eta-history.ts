import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CloudFormationPort } from '../aws/cloudformation-port.ts';
import type { StackEventRecord } from '../events.ts';
import { DurationHistory, resourceDurations } from './eta.ts';

interface LoggedEvent {
  type?: string;
  time?: string;
  stack?: string;
  event?: StackEventRecord;
}

/**
 * This account's history of resource durations, for the ETA: the stack events every earlier run wrote
 * to the event logs in the state folder (every deployment there, so a second deployment learns from the
 * first), and the first page of each named stack's own events in CloudFormation (what it did before
 * stackguide, or on another machine). Each event counts once. Unreadable sources are skipped: the table
 * of typical durations stands in.
 */
export async function loadDurationHistory(
  stateDir: string,
  cloudFormation: Pick<CloudFormationPort, 'describeStackEvents'> | undefined,
  stackNames: readonly string[],
): Promise<DurationHistory> {
  const events = new Map<string, StackEventRecord>();
  const history = new DurationHistory();
  const deployments = await readdir(stateDir).catch(() => [] as string[]);
  for (const deployment of deployments) {
    const text = await readFile(join(stateDir, deployment, 'events.ndjson'), 'utf8').catch(() => '');
    const logged: StackEventRecord[] = [];
    // Each operation's wall time as stackguide saw it, from its stack.started to its stack.completed.
    const started = new Map<string, number>();
    const walls: Array<{ stack: string; seconds: number }> = [];
    for (const line of text.split('\n')) {
      let entry: LoggedEvent;
      try {
        entry = JSON.parse(line) as LoggedEvent;
      } catch {
        continue; // A line cut by a kill is skipped; the rest of the log still counts.
      }
      if (entry.type === 'stack.event' && entry.event?.eventId) {
        events.set(entry.event.eventId, entry.event);
        logged.push(entry.event);
      } else if (entry.type === 'stack.started' && entry.stack && entry.time)
        started.set(entry.stack, Date.parse(entry.time));
      else if (entry.type === 'stack.completed' && entry.stack && entry.time) {
        const from = started.get(entry.stack);
        if (from !== undefined)
          walls.push({ stack: entry.stack, seconds: (Date.parse(entry.time) - from) / 1000 });
        started.delete(entry.stack);
      }
    }
    // The overhead: an operation's wall time beyond its slowest resource.
    const durations = resourceDurations(logged);
    for (const wall of walls) {
      const ids = new Set(
        logged.filter((event) => event.stackName === wall.stack).map((event) => event.rootStackId),
      );
      const longest = Math.max(
        0,
        ...durations.filter((each) => ids.has(each.stackId)).map((each) => each.seconds),
      );
      history.addOverhead(wall.seconds - longest);
    }
  }
  if (cloudFormation)
    await Promise.all(
      stackNames.map(async (name) => {
        const page = await cloudFormation.describeStackEvents(name).catch(() => undefined);
        for (const event of page?.events ?? [])
          events.set(event.eventId, {
            eventId: event.eventId,
            stackName: event.stackName,
            stackId: event.stackId,
            rootStackId: event.stackId,
            logicalResourceId: event.logicalResourceId,
            ...(event.physicalResourceId !== undefined
              ? { physicalResourceId: event.physicalResourceId }
              : {}),
            resourceType: event.resourceType,
            status: event.status,
            timestamp: event.timestamp.toISOString(),
          });
      }),
    );
  history.learn(events.values());
  return history;
}
