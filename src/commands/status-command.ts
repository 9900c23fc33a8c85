import { runFlow } from '../flows/flow.ts';
import { type StatusRefresh, statusFlow, WATCH_INTERVAL_MS } from '../flows/status-flow.ts';
import { statusText } from '../output/status-text.ts';
import { statusWatchPrinter } from '../output/status-watch.ts';
import { terminalColumns } from '../output/terminal-text.ts';
import { headlessHost, settingsOf } from './command-context.ts';
import { type CommonOptions, connectionFlags, deploymentTarget } from './common-options.ts';
import { runsInCi } from './output-mode.ts';

/**
 * Composition root of `stackguide status`: the flow (src/flows/status-flow.ts), each refresh printed as
 * sections on stdout, or with --output json only its events (the run's NDJSON printer writes them).
 * No live view and no prompt: status is read by scripts as much as by people.
 */
export async function statusCommand(options: CommonOptions): Promise<number> {
  // A person at a terminal gets one screen (passing checks counted, not listed); a pipe, a file, CI,
  // TERM=dumb and --all get every check in full.
  const fold = foldsStatus(options, process.stdout, process.env);
  // In a terminal --watch rewrites one line in place; a pipe or TERM=dumb gets a line per refresh.
  const watch = statusWatchPrinter({
    write: (text) => process.stdout.write(text),
    columns: () => terminalColumns(process.stdout),
    inPlace: Boolean(process.stdout.isTTY) && process.env.TERM !== 'dumb',
    fold,
    everySeconds: WATCH_INTERVAL_MS / 1000,
  });
  const show = (refresh: StatusRefresh): void => {
    if (options.watch) watch.show(refresh);
    // Wrapped to the terminal read on each refresh (a resized window); whole lines into a pipe.
    else
      process.stdout.write(
        `${statusText(refresh.title, refresh.status, terminalColumns(process.stdout), refresh.at, fold)}\n`,
      );
  };
  const flow = statusFlow({ ...headlessHost(options), ...(options.output === 'json' ? {} : { show }) });
  try {
    return await runFlow(flow, {
      ...deploymentTarget(options),
      stateDir: options.stateDir ?? '.stackguide',
      watch: options.watch === true,
      drift: options.drift === true,
      env: process.env,
      settings: settingsOf(options),
      connectionFlags: connectionFlags(options),
    });
  } finally {
    watch.end();
  }
}

/** Whether status is shown folded: only to a person at a terminal who did not ask for --all. */
export function foldsStatus(
  options: Pick<CommonOptions, 'all'>,
  stdout: { isTTY?: boolean },
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  return Boolean(stdout.isTTY) && !runsInCi(env) && env.TERM !== 'dumb' && options.all !== true;
}
