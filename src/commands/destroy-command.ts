import { resolve } from 'node:path';
import { destroyFlow } from '../flows/destroy-flow.ts';
import { runFlow } from '../flows/flow.ts';
import { terminalColumns, wrapToWidth } from '../output/terminal-text.ts';
import { startCommand } from './command-context.ts';
import { type CommonOptions, connectionFlags, deploymentTarget } from './common-options.ts';
import { foldsStatus } from './status-command.ts';
import { teardownInLiveView } from './teardown-in-live-view.ts';

export interface DestroyOptions extends CommonOptions {
  dryRun?: boolean;
  /** `--delete-codecommit`: also delete the blueprint's CodeCommit repositories (they hold code). */
  deleteCodecommit?: boolean;
  /** Unattended confirmation: must equal the deployment name. */
  confirm?: string;
  /** `--skip-export-check`: go on when ListExports/ListImports cannot be read. */
  skipExportCheck?: boolean;
}

/** Composition root of `stackguide destroy`: the flow (src/flows/destroy-flow.ts) with this terminal's owners. */
export async function destroyCommand(options: DestroyOptions): Promise<number> {
  // The plan and the leftovers report are lines in a terminal too; the teardown is the live view.
  // A dry run's plan is its result, on stdout: piped to a pager, the progress lines keep off its screen.
  const context = startCommand(options, { plainAlways: true, resultsOnStdout: options.dryRun === true });
  try {
    let shownBefore = false;
    const flow = destroyFlow({
      ...context.host,
      // With --dry-run the plan is the result (stdout); before a real destroy it is for the person
      // confirming (stderr). Under --output json stdout is NDJSON only.
      // Wrapped by words to the terminal like every plain text (trial finding 55: words were cut at the
      // window's edge); whole lines into a pipe.
      // A person at a terminal gets it compacted to leave the questions on the same screen (trial
      // finding 68), as status folds; a pipe, CI, TERM=dumb and --output json get it whole.
      show: (text, fitted) => {
        const stream = options.dryRun === true && !context.mode.json ? process.stdout : process.stderr;
        const width = terminalColumns(stream);
        const shown =
          width !== undefined && stream.rows && !context.mode.json && foldsStatus({}, stream, process.env)
            ? fitted({ width, height: stream.rows })
            : wrapToWidth(text, width);
        // The plan with a blank line above and below; what follows it (a dry run's ending) right under
        // that blank line, the run's last line under it: at 80x24 opensarlab's dry run keeps its header.
        stream.write(shownBefore ? `${shown}\n` : `\n${shown}\n\n`);
        shownBefore = true;
      },
      teardown: (title, teardown, deps) => teardownInLiveView(context, title, teardown, deps),
    });
    return await runFlow(flow, {
      ...deploymentTarget(options),
      stateDir: resolve(options.stateDir ?? '.stackguide'),
      dryRun: options.dryRun === true,
      deleteCodeCommit: options.deleteCodecommit === true,
      ...(options.confirm !== undefined ? { confirm: options.confirm } : {}),
      yes: options.yes === true,
      ...(options.forceUnlock !== undefined ? { forceUnlock: options.forceUnlock } : {}),
      skipExportCheck: options.skipExportCheck === true,
      connectionFlags: connectionFlags(options),
    });
  } finally {
    context.close();
  }
}
