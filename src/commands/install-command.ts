import { resolve } from 'node:path';
import { identityPort } from '../aws/identity-port.ts';
import { portRegistry } from '../aws/port-registry.ts';
import { ExitCode } from '../errors.ts';
import { runFlow } from '../flows/flow.ts';
import { installFlow } from '../flows/install-flow.ts';
import { parseConcurrency } from '../graph/graph-scheduler.ts';
import { updatesOnly } from '../install/install-plan.ts';
import { checkOutputsFileTarget, writeDeployedOutputs } from '../output/outputs-file.ts';
import { reportFailure, settingsOf, startCommand } from './command-context.ts';
import {
  type CommonOptions,
  connectionFlags,
  deploymentTarget,
  parseSets,
  setPaths,
} from './common-options.ts';
import { deployInLiveView } from './deploy-in-live-view.ts';
import { deployChoices, deployFlags } from './deploy-options.ts';
import { recordRecap, showInstallOutcome } from './install-summary.ts';

/** Composition root of `stackguide install`: the flow (src/flows/install-flow.ts) with this terminal's owners. */
export async function installCommand(options: CommonOptions): Promise<number> {
  // Bad input is exit 2 before any AWS call.
  const concurrency = parseConcurrency(options.concurrency);
  // Flags that only AWS would otherwise refuse, checked before the first call (exit 2).
  const deploy = deployChoices(options);
  const outputsFile = checkOutputsFileTarget(options.outputsFile);
  // The prompter loads with the blueprint (and, below, the STS client), so the first question comes sooner.
  const context = startCommand(options, { preloadPrompter: true });
  const { events, screens } = context;
  // In a terminal the SDK's STS client loads with the UI modules and the blueprint, so the identity
  // question comes sooner; the call itself waits until the flow has checked what was given (bad input is
  // exit 2 before any AWS call, an unsupported --region included).
  if (context.mode.interactive) void portRegistry.adapterFor(identityPort).catch(() => undefined);
  // What the run warned about and which steps it took: the summary repeats them at the end.
  const { recap, stop: stopRecap } = recordRecap(events);
  try {
    const flow = installFlow({
      ...context.host,
      // Ink is loaded when the review needs it, not before the first question.
      review: async (plan) => (screens ? (await screens()).showReview(plan) : true),
      execute: (plan, run) =>
        deployInLiveView(
          context,
          `${updatesOnly(plan.stacks) ? 'Updating' : 'Installing'} ${plan.deployment} (${plan.blueprintId} ${plan.blueprintVersion}) into ${plan.account} ${plan.region}`,
          plan,
          run,
          { deploy, concurrency },
        ),
    });
    const outcome = await runFlow(flow, {
      ...deploymentTarget(options),
      sets: parseSets(options.set ?? []),
      // An answer given as an argument is named as one in a refusal, not as a --set it was not.
      setPaths: setPaths(options),
      yes: options.yes === true,
      ...(options.forceUnlock !== undefined ? { forceUnlock: options.forceUnlock } : {}),
      stateDir: resolve(options.stateDir ?? '.stackguide'),
      defaultAnswersPath: (deployment) => `${deployment}.answers.yaml`,
      ...(options.overwrite ? { overwrite: true } : {}),
      connectionFlags: [...connectionFlags(options), ...deployFlags(deploy)],
      env: process.env,
      settings: settingsOf(options),
      command: 'install',
    });
    if (outputsFile) await writeDeployedOutputs(outputsFile, 'install', outcome);
    await showInstallOutcome(
      outcome,
      recap,
      screens ? await screens() : undefined,
      context.mode.json,
      settingsOf(options).summaryRowsBelow,
    );
    return ExitCode.ok;
  } catch (error) {
    return reportFailure(events, error);
  } finally {
    stopRecap();
    context.close();
  }
}
