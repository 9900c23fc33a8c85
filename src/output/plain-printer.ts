import { EVENT_REGISTRY, type EventBus, type StackguideEvent } from '../events.ts';
import { answersFromText } from './answers-source-text.ts';
import { formatDuration } from './format.ts';
import { parameterChangeLines, upgradeChangeText } from './upgrade-text.ts';

/**
 * Human output without a terminal (CI, pipes, --output json): one line per event, never a redraw. The
 * `heartbeat` events (src/output/heartbeat.ts) say what a long wait is still waiting on.
 */
export interface PlainPrinterOptions {
  write: (line: string) => void;
  now?: () => number;
  /** Which events get a line (all when absent): a pager holding the screen takes warnings only. */
  only?: (event: StackguideEvent) => boolean;
}

/** The events a pager holding the screen still lets through: warnings (an error is main's to write). */
export function warningsOnly(event: StackguideEvent): boolean {
  return EVENT_REGISTRY[event.type].level === 'warn';
}

export function attachPlainPrinter(bus: EventBus, options: PlainPrinterOptions): () => void {
  const now = options.now ?? Date.now;
  const started = now();
  // Some lines read differently inside the command they talk about (a check install itself answers).
  let command: string | undefined;
  return bus.subscribe((event) => {
    if (event.type === 'run.started') command = event.command;
    if (options.only && !options.only(event)) return;
    const line = plainLine(event, now() - started, command);
    if (line !== undefined) options.write(line);
  });
}

/**
 * What destroy kept on purpose, a line each (`why: arn`, the ARN last so that, wrapped, it gets a line of
 * its own whole); many kept for one reason (the resources of a stack the blueprint keeps) are counted on
 * one line instead of listed (the event log lists them).
 */
function keptLines(kept: ReadonlyArray<{ arn: string; reason: string }>): string {
  const byReason = new Map<string, string[]>();
  for (const item of kept) byReason.set(item.reason, [...(byReason.get(item.reason) ?? []), item.arn]);
  return [...byReason]
    .map(
      ([reason, arns]) => `           ${reason}: ${arns.length === 1 ? arns[0] : `${arns.length} resources`}`,
    )
    .join('\n');
}

/** `command`: the run's, from its `run.started`, when the printer heard it. */
export function plainLine(event: StackguideEvent, elapsedMs: number, command?: string): string | undefined {
  const at = `[${formatDuration(elapsedMs).padStart(7)}]`;
  switch (event.type) {
    case 'run.started':
      // The deployment first, its blueprint after: "destroy demo" for deployment slow of blueprint demo
      // named the wrong thing to delete (trial finding 73).
      return `${at} ${event.command}${runSubject(event)}${event.region ? ` in ${event.region}` : ''}`;
    case 'identity.resolved':
      return `${at} account ${event.account} as ${event.arn}`;
    case 'answers.saved':
      return `${at} answers saved to ${event.path}`;
    case 'answers.chosen':
      return `${at} ${answersFromText(event)}`;
    case 'templates.packaged':
      return `${at} templates packaged in s3://${event.bucket}: ${event.uploaded.length} uploaded, ${event.reused.length} already there`;
    case 'artifacts.deleted':
      return `${at} deleted the artifacts bucket ${event.bucket}`;
    case 'file.written':
      return `${at} wrote ${event.path}${event.description ? ` (${event.description})` : ''}`;
    case 'changeset.created': {
      const c = event.summary;
      if (c.empty) return undefined; // stack.skipped says it.
      const counts = ['Add', 'Modify', 'Remove']
        .map((action) => [action, c.changes.filter((change) => change.action === action).length] as const)
        .filter(([, n]) => n > 0)
        .map(([action, n]) => `${n} ${action.toLowerCase()}`)
        .join(', ');
      const replaced =
        c.statefulReplacements.length > 0 ? `; replaces stateful: ${c.statefulReplacements.join(', ')}` : '';
      const parameters = c.parameterChanges?.length ?? 0;
      const changed = [counts, parameters > 0 ? `${parameters} parameter${parameters === 1 ? '' : 's'}` : '']
        .filter(Boolean)
        .join(', ');
      return `${at} ${event.stack}: change set ${c.type.toLowerCase()} (${changed || 'no resource changes'})${replaced}`;
    }
    case 'stack.skipped':
    case 'stack.not-started':
      return `${at} ${event.stack}: ${event.reason}`;
    case 'stack.started':
      return `${at} ${event.stack}: ${event.operation}${event.resourceCount !== undefined ? ` (${event.resourceCount} resources)` : ''}`;
    case 'stack.event': {
      const e = event.event;
      const where = e.stackName === event.stack ? '' : `${e.stackName}/`;
      return `${at} ${event.stack}: ${where}${e.logicalResourceId} ${e.resourceType} ${e.status}${e.reason ? ` - ${e.reason}` : ''}`;
    }
    case 'stack.completed':
      return `${at} ${event.stack}: ${event.status}`;
    case 'stack.failed':
      return `${at} ${event.stack}: ${event.status}${event.rootCause ? ` - root cause: ${event.rootCause.logicalResourceId} (${event.rootCause.resourceType}) in ${event.rootCause.stackName}: ${event.rootCause.reason}` : ` - ${event.message}`}`;
    case 'stack.status':
      return `${event.stack}  ${event.status}${event.updatedAt ? `  (updated ${event.updatedAt})` : ''}`;
    case 'check.result': {
      const r = event.result;
      // Inside install, what is missing and planned is this run's own work: no failure, and no fix
      // telling the operator to run the command they are running.
      if (command === 'install' && r.plannedByInstall && r.status !== 'pass')
        return `${at} + ${r.title}: ${r.summary} (in the plan)`;
      // A manual step passes on the operator's word: its mark is not a check's ✔ (trial finding 100).
      const icon = r.confirmedByOperator ? '☑' : r.status === 'pass' ? '✔' : r.status === 'warn' ? '⚠' : '✖';
      return `${at} ${icon} ${r.title}: ${r.summary}${r.status !== 'pass' && r.fix ? `\n           fix: ${r.fix}` : ''}`;
    }
    case 'step.started':
      return `${at} ${event.title}`;
    case 'step.progress':
      return `${at} ${event.step}: ${event.message}`;
    case 'step.resource-created':
      return undefined; // Its step's progress line says it in words ("Created the hosted zone …").
    case 'step.completed':
      return `${at} ${event.step}: ${event.pending ? `pending, waiting for ${event.pending}` : event.confirmedByOperator ? 'confirmed by you' : 'done'}`;
    case 'upgrade.started':
      // Each parameter that changes with both values, under the header (deployed → new).
      return [
        `${at} upgrading ${event.deployment}: ${upgradeChangeText(event)}`,
        ...parameterChangeLines(event.parametersChanged).map((line) => `           ${line}`),
      ].join('\n');
    case 'destroy.plan':
      return undefined; // Printed whole, before the confirmation, by the destroy command.
    case 'destroy.leftovers': {
      // What is kept on purpose is named, with why (trial finding 56: "1 kept on purpose" said not which).
      const kept =
        event.expected.length > 0 ? `\n           kept on purpose:\n${keptLines(event.expected)}` : '';
      if (event.unexpected.length === 0) return `${at} leftovers: none unexpected${kept}`;
      const unexpected = event.unexpected.map((item) => `           ${item.arn}: ${item.reason}`);
      return `${at} leftovers: ${event.unexpected.length} unexpected\n${unexpected.join('\n')}${kept}`;
    }
    case 'blueprint.valid':
      return `✔ ${event.blueprint} ${event.version} is valid: ${event.questions} question(s), stacks ${event.stacks.join(', ')}`;
    case 'support.bundle':
      return `${at} support bundle written to ${event.path}`;
    case 'heartbeat': {
      const waited = formatDuration(event.elapsedSeconds * 1000);
      if (event.stack) return `${at} … ${event.stack}: still ${event.status} (${waited})`;
      if (event.step) return `${at} … ${event.step}: still waiting (${waited}): ${event.status}`;
      return `${at} … still ${event.status} (${waited})`;
    }
    case 'eta': {
      if (event.stacks.length === 0) return undefined;
      const running = event.stacks.filter((row) => row.state === 'running');
      const each = running.map((row) => `${row.stack} ${formatDuration(row.remainingSeconds * 1000)}`);
      return `${at} about ${formatDuration(event.remainingSeconds * 1000)} left${event.guess ? ' (a guess: typical durations, not this account’s)' : ''}${each.length > 0 ? `; ${each.join(', ')}` : ''}`;
    }
    case 'warning':
      return `${at} warning: ${event.message}`;
    case 'run.completed':
      return `${at} ${event.outcome}${event.nextCommand ? `\nRe-run unattended: ${event.nextCommand}` : ''}`;
    case 'error':
      return undefined; // The top-level handler renders errors once, with details.
  }
}

/** " slow (blueprint demo)", " demo" when the deployment is named after its blueprint, or the blueprint alone. */
function runSubject(event: Extract<StackguideEvent, { type: 'run.started' }>): string {
  if (!event.deployment) return event.blueprint ? ` ${event.blueprint}` : '';
  return event.blueprint && event.blueprint !== event.deployment
    ? ` ${event.deployment} (blueprint ${event.blueprint})`
    : ` ${event.deployment}`;
}
