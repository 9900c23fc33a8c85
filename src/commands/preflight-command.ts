import { loadBlueprint } from '../blueprint/load-blueprint.ts';
import { ExitCode } from '../errors.ts';
import type { StackguideEvent } from '../events.ts';
import { checkDeploymentName } from '../install/deployment-name-check.ts';
import { resolveDeployment } from '../install/install-flow.ts';
import type { Prompter } from '../install/prompter.ts';
import { systemClock } from '../runtime/clock.ts';
import { askSteps, blockingFailures, checkSteps } from '../steps/run-steps.ts';
import { awsSessionFor, openOutput, settingsOf } from './command-context.ts';
import { type CommonOptions, parseSets } from './common-options.ts';

/**
 * `stackguide preflight`: every check of every preparation step, nothing changed. Exit 0 when no
 * required check fails (warnings allowed), 1 otherwise. The same results stream as `check.result`
 * events with --output json.
 */
export async function preflightCommand(options: CommonOptions): Promise<number> {
  const signal = options.signal ?? new AbortController().signal;
  const { mode, events, close } = openOutput(options, { plainAlways: true });
  const prompter: Prompter | undefined = mode.interactive
    ? (await import('../../screens/inquirer-prompter.ts')).createInquirerPrompter(signal)
    : undefined;
  try {
    const blueprint = await loadBlueprint(options.blueprint ?? '.');
    const session = awsSessionFor(options);
    const environment = {
      ...(prompter ? { prompter } : {}),
      connect: (region: string) => session.forRegion(region),
      events,
      signal,
    };
    const resolved = await resolveDeployment(
      {
        command: 'preflight',
        blueprint,
        ...(options.config ? { configPath: options.config } : {}),
        ...(options.region ? { region: options.region } : {}),
        ...(options.name ? { deployment: options.name } : {}),
        sets: parseSets(options.set ?? []),
        yes: true, // Nothing is changed, so there is nothing to confirm.
        env: process.env,
        settings: settingsOf(options),
      },
      environment,
    );
    const base = {
      region: resolved.region,
      account: resolved.identity.account,
      deployment: resolved.deployment,
      answers: resolved.answers,
      aws: resolved.aws,
      clock: systemClock,
      signal,
      emit: (event: StackguideEvent) => events.emit(event),
      env: process.env,
      settings: settingsOf(options),
    };
    const { inputs } = await askSteps(
      blueprint.steps,
      { ...base, ...(prompter ? { prompter } : {}) },
      resolved.saved?.steps,
    );
    const nameCheck = await checkDeploymentName(blueprint, base, resolved.aws);
    events.emit({ type: 'check.result', result: nameCheck });
    const results = [nameCheck, ...(await checkSteps(blueprint.steps, base, inputs))];
    const failures = blockingFailures(results);
    const warnings = results.filter((result) => result.status === 'warn').length;
    const exitCode = failures.length > 0 ? ExitCode.failed : ExitCode.ok;
    process.stderr.write(
      `\n${results.length - failures.length - warnings} passed, ${warnings} warning${warnings === 1 ? '' : 's'}, ${failures.length} failed${blueprint.steps.length === 0 ? ' (this blueprint has no preparation steps)' : ''}\n`,
    );
    events.emit({ type: 'run.completed', outcome: failures.length > 0 ? 'failed' : 'succeeded', exitCode });
    return exitCode;
  } finally {
    close();
  }
}
