import { resolve } from 'node:path';
import { ExitCode } from '../errors.ts';
import type { StackguideEvent } from '../events.ts';
import { runFlow } from '../flows/flow.ts';
import { parametersOf, upgradeFlow } from '../flows/upgrade-flow.ts';
import { parseConcurrency } from '../graph/graph-scheduler.ts';
import { answersFromText } from '../output/answers-source-text.ts';
import { checkOutputsFileTarget, writeDeployedOutputs } from '../output/outputs-file.ts';
import { terminalColumns, wrapToWidth } from '../output/terminal-text.ts';
import { parameterChangeLines, upgradeChangeText } from '../output/upgrade-text.ts';
import { reportFailure, settingsOf, startCommand } from './command-context.ts';
import { type CommonOptions, connectionFlags, deploymentTarget, parseSets } from './common-options.ts';
import { deployInLiveView } from './deploy-in-live-view.ts';
import { deployChoices, deployFlags } from './deploy-options.ts';

export interface UpgradeOptions extends CommonOptions {
  /** A new template for one stack: a file, or an https:// or s3:// URL. */
  template?: string;
  /** Which stack --template is for (a blueprint stack id); needed when the blueprint has several. */
  stack?: string;
}

/** Composition root of `stackguide upgrade`: the flow (src/flows/upgrade-flow.ts) with this terminal's owners. */
export async function upgradeCommand(options: UpgradeOptions): Promise<number> {
  // --role-arn, --concurrency and --outputs-file checked before the first AWS call (exit 2).
  const deploy = deployChoices(options);
  const concurrency = parseConcurrency(options.concurrency);
  const outputsFile = checkOutputsFileTarget(options.outputsFile);
  const context = startCommand(options);
  const { events } = context;
  try {
    const flow = upgradeFlow({
      ...context.host,
      execute: (title, plan, run) => deployInLiveView(context, title, plan, run, { deploy, concurrency }),
    });
    // In a terminal the live view's last frame is the run's header: a line says how it ended (plain and
    // JSON output say it with run.completed).
    let started: Extract<StackguideEvent, { type: 'upgrade.started' }> | undefined;
    let answersSaved: string | undefined;
    /** Lines said in a terminal before the live view draws, wrapped to its width (plain output has its own). */
    const say = (lines: readonly string[]): void => {
      if (context.screens)
        process.stderr.write(`${wrapToWidth(lines.join('\n'), terminalColumns(process.stderr))}\n`);
    };
    const stopWatching = events.subscribe((event) => {
      // The answers file upgrade took itself (no --config), named before a question or a change.
      if (event.type === 'answers.chosen') say([answersFromText(event)]);
      if (event.type === 'upgrade.started') {
        started = event;
        // What the upgrade changes is said before its questions and live view, each parameter with
        // both values (plain lines say it with upgrade.started): trial finding 53.
        if (event.parametersChanged.length > 0)
          say([
            'Parameters this upgrade changes (deployed → new):',
            ...parameterChangeLines(event.parametersChanged).map((line) => `  ${line}`),
          ]);
      }
      // A live check's finding, and the live value taken for it with --yes, come before the live view
      // too: said, or the live value would change a parameter nobody was told of.
      if (event.type === 'warning' && event.code.startsWith('upgrade.live-value'))
        say([`⚠ ${event.message}`]);
      if (event.type === 'answers.saved') answersSaved = event.path;
    });
    const outcome = await runFlow(flow, {
      ...deploymentTarget(options),
      // Always passed, given or not: without it the flow takes the file the deployment was last run from.
      configPath: options.config,
      sets: parseSets(options.set ?? []),
      yes: options.yes === true,
      ...(options.forceUnlock !== undefined ? { forceUnlock: options.forceUnlock } : {}),
      stateDir: resolve(options.stateDir ?? '.stackguide'),
      ...(options.template ? { template: options.template } : {}),
      ...(options.stack ? { stack: options.stack } : {}),
      connectionFlags: [...connectionFlags(options), ...deployFlags(deploy)],
      env: process.env,
      settings: settingsOf(options),
    });
    stopWatching();
    if (outputsFile) await writeDeployedOutputs(outputsFile, 'upgrade', outcome);
    if (started) {
      // As its header says it: the parameters as finally sent (a live value taken counts).
      const change = { ...started, parametersChanged: parametersOf(outcome.plan) };
      say([
        '',
        `✔ ${started.deployment} is upgraded${started.from === started.to ? ` (${upgradeChangeText(change)})` : started.from === 'unknown' ? ` to ${started.to}` : ` from ${started.from} to ${started.to}`}`,
        ...(answersSaved ? [`  Answers saved to ${answersSaved}`] : []),
      ]);
    }
    return ExitCode.ok;
  } catch (error) {
    return reportFailure(events, error);
  } finally {
    context.close();
  }
}
