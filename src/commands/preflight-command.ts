import { runFlow } from '../flows/flow.ts';
import { preflightFlow } from '../flows/preflight-flow.ts';
import { terminalColumns, wrapToWidth } from '../output/terminal-text.ts';
import { settingsOf, startCommand } from './command-context.ts';
import { type CommonOptions, deploymentTarget, parseSets } from './common-options.ts';

/** Composition root of `stackguide preflight`: the flow (src/flows/preflight-flow.ts); check results are lines. */
export async function preflightCommand(options: CommonOptions): Promise<number> {
  const context = startCommand(options, {
    plainAlways: true,
    results: ['check.result'],
    resultsOnStdout: true,
  });
  try {
    const flow = preflightFlow({
      ...context.host,
      // The tally is part of the results: stdout, except under --output json (NDJSON only there).
      show: (text) => {
        const stream = context.mode.json ? process.stderr : process.stdout;
        stream.write(wrapToWidth(text, terminalColumns(stream)));
      },
    });
    return await runFlow(flow, {
      ...deploymentTarget(options),
      sets: parseSets(options.set ?? []),
      env: process.env,
      settings: settingsOf(options),
    });
  } finally {
    context.close();
  }
}
