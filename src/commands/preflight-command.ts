import { createAwsSession } from '../aws/aws-context.ts';
import { loadBlueprint } from '../blueprint/load-blueprint.ts';
import { ExitCode } from '../errors.ts';
import { EventBus } from '../events.ts';
import { resolveDeployment } from '../install/install-flow.ts';
import type { Prompter } from '../install/prompter.ts';
import { attachNdjsonPrinter } from '../output/ndjson-printer.ts';
import { attachPlainPrinter } from '../output/plain-printer.ts';
import { systemClock } from '../runtime/clock.ts';
import { askSteps, blockingFailures, checkSteps } from '../steps/run-steps.ts';
import { type CommonOptions, parseSets } from './common-options.ts';
import { decideOutputMode } from './output-mode.ts';

/**
 * `stackguide preflight`: every check of every preparation step, nothing changed. Exit 0 when no
 * required check fails (warnings allowed), 1 otherwise. The same results stream as `check.result`
 * events with --output json.
 */
export async function preflightCommand(options: CommonOptions): Promise<number> {
  const signal = options.signal ?? new AbortController().signal;
  const mode = decideOutputMode(options, process.env, {
    stdin: Boolean(process.stdin.isTTY),
    stderr: Boolean(process.stderr.isTTY),
  });
  const events = new EventBus();
  const detach = [attachPlainPrinter(events, { write: (line) => process.stderr.write(`${line}\n`) })];
  if (mode.json) detach.push(attachNdjsonPrinter(events, (line) => process.stdout.write(line)));
  const prompter: Prompter | undefined = mode.interactive
    ? (await import('../../screens/inquirer-prompter.ts')).createInquirerPrompter(signal)
    : undefined;
  try {
    const blueprint = await loadBlueprint(options.blueprint ?? '.');
    const session = createAwsSession({
      ...(options.profile ? { profile: options.profile } : {}),
      ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}),
    });
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
      emit: (event: Parameters<EventBus['emit']>[0]) => events.emit(event),
      env: process.env,
    };
    const { inputs } = await askSteps(
      blueprint.steps,
      { ...base, ...(prompter ? { prompter } : {}) },
      resolved.saved?.steps,
    );
    const results = await checkSteps(blueprint.steps, base, inputs);
    const failures = blockingFailures(results);
    const warnings = results.filter((result) => result.status === 'warn').length;
    const exitCode = failures.length > 0 ? ExitCode.failed : ExitCode.ok;
    process.stderr.write(
      `\n${results.length - failures.length - warnings} passed, ${warnings} warning${warnings === 1 ? '' : 's'}, ${failures.length} failed${results.length === 0 ? ' (this blueprint has no preparation steps)' : ''}\n`,
    );
    events.emit({ type: 'run.completed', outcome: failures.length > 0 ? 'failed' : 'succeeded', exitCode });
    return exitCode;
  } finally {
    for (const stop of detach) stop();
  }
}
