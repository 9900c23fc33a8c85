import { runFlow } from '../flows/flow.ts';
import { type StatusRefresh, statusFlow } from '../flows/status-flow.ts';
import { statusChangesText, statusText } from '../output/status-text.ts';
import { terminalColumns } from '../output/terminal-text.ts';
import { headlessHost, settingsOf } from './command-context.ts';
import { type CommonOptions, connectionFlags, deploymentTarget } from './common-options.ts';

/**
 * Composition root of `stackguide status`: the flow (src/flows/status-flow.ts), each refresh printed as
 * sections on stdout, or with --output json only its events (the run's NDJSON printer writes them).
 * No live view and no prompt: status is read by scripts as much as by people.
 */
export async function statusCommand(options: CommonOptions): Promise<number> {
  const flow = statusFlow({
    ...headlessHost(options),
    ...(options.output === 'json' ? {} : { show: (refresh: StatusRefresh) => showRefresh(refresh, options) }),
  });
  return runFlow(flow, {
    ...deploymentTarget(options),
    stateDir: options.stateDir ?? '.stackguide',
    watch: options.watch === true,
    drift: options.drift === true,
    env: process.env,
    settings: settingsOf(options),
    connectionFlags: connectionFlags(options),
  });
}

/** The whole status the first time (under --watch with the time above it), then only what changed. */
function showRefresh({ title, status, at, changed }: StatusRefresh, options: CommonOptions): void {
  // Wrapped to the terminal read on each refresh (a resized window); whole lines into a pipe.
  const width = terminalColumns(process.stdout);
  process.stdout.write(
    `${changed ? statusChangesText(at, changed, status, width) : `${options.watch ? `${at.toISOString()}\n` : ''}${statusText(title, status, width)}`}\n`,
  );
}
