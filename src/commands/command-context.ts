import { type AwsSession, type AwsSettings, createAwsSession } from '../aws/aws-context.ts';
import { type Blueprint, loadBlueprint } from '../blueprint/load-blueprint.ts';
import { StackguideError } from '../errors.ts';
import { EventBus } from '../events.ts';
import { type AnswersFile, readAnswersFile } from '../install/answers-file.ts';
import { attachNdjsonPrinter } from '../output/ndjson-printer.ts';
import { attachPlainPrinter } from '../output/plain-printer.ts';
import type { Settings } from '../settings.ts';
import type { CommonOptions } from './common-options.ts';
import { decideOutputMode, type OutputMode } from './output-mode.ts';

/** What every command's composition root starts with: the AWS session, the output, the deployment. */

export function awsSessionFor(
  options: CommonOptions,
  extra: Pick<AwsSettings, 'mfaCodeProvider'> = {},
): AwsSession {
  return createAwsSession({
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}),
    ...(options.settings ? { serviceEndpoints: options.settings.serviceEndpoints } : {}),
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.trace ? { trace: options.trace } : {}),
    ...extra,
  });
}

/** The settings main read for this run (every command but validate gets them). */
export function settingsOf(options: CommonOptions): Settings {
  if (!options.settings)
    throw new StackguideError('The settings were not read before the command ran', {
      code: 'settings.unread',
      kind: 'bug',
    });
  return options.settings;
}

export interface CommandOutput {
  mode: OutputMode;
  events: EventBus;
  /** Detaches every printer. */
  close(): void;
}

/**
 * The event bus and its printers for this terminal: NDJSON on stdout with --output json, plain lines on
 * stderr whenever the live view is not drawing (and always when `plainAlways`, for commands that
 * print their results as lines even in a terminal).
 */
export function openOutput(options: CommonOptions, { plainAlways = false } = {}): CommandOutput {
  const mode = decideOutputMode(options, process.env, {
    stdin: Boolean(process.stdin.isTTY),
    stderr: Boolean(process.stderr.isTTY),
  });
  const events = new EventBus();
  const detach: Array<() => void> = [];
  if (mode.json) detach.push(attachNdjsonPrinter(events, (line) => process.stdout.write(line)));
  if (plainAlways || !mode.interactive)
    detach.push(attachPlainPrinter(events, { write: (line) => process.stderr.write(`${line}\n`) }));
  return {
    mode,
    events,
    close: () => {
      for (const stop of detach) stop();
    },
  };
}

export interface ExistingDeployment {
  blueprint: Blueprint;
  saved: AnswersFile | undefined;
  deployment: string;
  region: string;
}

/** The deployment a command acts on, from --name/--region or the answers file; `action` words the error. */
export async function existingDeployment(
  options: CommonOptions,
  action: string,
): Promise<ExistingDeployment> {
  const blueprint = await loadBlueprint(options.blueprint ?? '.');
  const saved = options.config ? await readAnswersFile(options.config) : undefined;
  const deployment = options.name ?? saved?.deployment;
  const region = options.region ?? saved?.region;
  if (!deployment || !region) {
    throw new StackguideError(`${action} needs to know which deployment`, {
      code: 'answers.missing',
      kind: 'user',
      details: [
        ...(!deployment
          ? [{ path: '--name (or deployment: in --config)', message: 'no deployment name' }]
          : []),
        ...(!region ? [{ path: '--region (or region: in --config)', message: 'no region' }] : []),
      ],
    });
  }
  return { blueprint, saved, deployment, region };
}
