import { fstatSync } from 'node:fs';
import type { ListrRendererValue } from 'listr2';
import { type AwsSession, type AwsSettings, createAwsSession } from '../aws/aws-context.ts';
import type { ResolvedAwsSettings } from '../aws/aws-settings.ts';
import type { CloudFormationPort } from '../aws/cloudformation-port.ts';
import { StackguideError } from '../errors.ts';
import { EventBus, type EventType, type StackguideEvent } from '../events.ts';
import type { FlowHost } from '../flows/flow.ts';
import type { Prompter } from '../install/prompter.ts';
import { attachHeartbeat } from '../output/heartbeat.ts';
import { attachPlainPrinter, warningsOnly } from '../output/plain-printer.ts';
import { commandEvents } from '../output/run-events.ts';
import { terminalColumns, wrapToWidth } from '../output/terminal-text.ts';
import type { RunTitle } from '../progress/progress-store.ts';
import { systemClock } from '../runtime/clock.ts';
import { parseWaitTimeout, waitTimeoutError } from '../runtime/wait-timeout.ts';
import type { Settings } from '../settings.ts';
import { detachedError } from '../stacks/interrupt-menu.ts';
import { OperationTracker } from '../stacks/operation-tracker.ts';
import { type CommonOptions, connectionFlags } from './common-options.ts';
import { decideOutputMode, type OutputMode, pagerMayHoldScreen } from './output-mode.ts';
import { type LiveQuestions, runWithLiveView } from './run-with-live-view.ts';

/**
 * What the composition roots in src/commands/ build before they run a flow: the AWS session, the event
 * bus with its printers, the one Ctrl+C owner, the prompter and the live view (`startCommand`), or, for
 * the commands that neither prompt nor draw, only the bus, the signal and AWS (`headlessHost`).
 */

/** What main.ts resolved from the shared files, as the session takes it. */
function awsSettingsOf(aws: ResolvedAwsSettings): Partial<AwsSettings> {
  return {
    // The default profile goes unnamed: naming it would make the SDK skip credentials in the environment.
    ...(aws.profileSource !== 'default' ? { profile: aws.profile } : {}),
    configuredEndpoints: aws.endpoints,
    configFile: aws.configFile,
    credentialsFile: aws.credentialsFile,
  };
}

function awsSessionFor(options: CommonOptions, extra: Pick<AwsSettings, 'mfaCodeProvider'> = {}): AwsSession {
  return createAwsSession({
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}),
    ...(options.aws ? awsSettingsOf(options.aws) : {}),
    ...(options.settings ? { serviceEndpoints: options.settings.serviceEndpoints } : {}),
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.trace ? { trace: options.trace } : {}),
    policyCommand: policyCommandFor(options),
    ...extra,
  });
}

/** The `stackguide policy` command for this run's blueprint and deployment: AccessDenied errors name it. */
/**
 * The MFA code question's check: true, or the refusal naming what was typed (trial finding 95). A code
 * is good for one use, and is on the screen as typed, so it may be shown.
 */
export function mfaCodeCheck(typed: string): string | true {
  if (/^\d{6}$/.test(typed)) return true;
  const what =
    typed === '' ? 'The MFA code is empty' : `The MFA code ${JSON.stringify(typed)} is not six digits`;
  return `${what}. Type the 6 digits your device shows.`;
}

export function policyCommandFor(options: CommonOptions): string {
  return [
    'stackguide policy',
    options.blueprint ?? '.',
    ...(options.config ? [`--config ${options.config}`] : []),
    ...(options.name ? [`--name ${options.name}`] : []),
    ...(options.region ? [`--region ${options.region}`] : []),
  ].join(' ');
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
  /** Holds plain lines back while the live view draws; call the result to let them through again. */
  pausePlain(): () => void;
  /** Detaches every printer. */
  close(): void;
}

/**
 * The event bus and its printers for this terminal: NDJSON on stdout with --output json, plain lines on
 * stderr whenever the live view is not drawing (and, with `plainAlways`, also in a terminal before and
 * after it, for commands that print their results as lines).
 */
function openOutput(
  options: CommonOptions,
  { plainAlways = false, results = [], resultsOnStdout = false }: OutputOptions = {},
): CommandOutput {
  const mode = decideOutputMode(options, process.env, {
    stdin: Boolean(process.stdin.isTTY),
    stderr: Boolean(process.stderr.isTTY),
  });
  const events = commandEvents(options);
  const detach: Array<() => void> = [];
  let paused = 0;
  if (plainAlways || !mode.interactive) {
    // Results (preflight's check lines) go to stdout, so `preflight > report` holds them; with
    // --output json stdout is NDJSON only and every plain line stays on stderr.
    const isResult = (event: StackguideEvent) => !mode.json && results.includes(event.type);
    const humans = new EventBus();
    const found = new EventBus();
    const route = events.subscribe((event) => (isResult(event) ? found : humans).emit(event));
    // Wrapped by words to the terminal's width (read per line: a resized window); whole into a pipe.
    const pager = pagerMayHoldScreen(mode, {
      resultsOnStdout,
      stdoutIsPipe: isPipe(process.stdout.fd),
      stderrIsTerminal: Boolean(process.stderr.isTTY),
    });
    const toStderr = attachPlainPrinter(humans, {
      write: (line) => {
        if (paused === 0) process.stderr.write(`${wrapToWidth(line, terminalColumns(process.stderr))}\n`);
      },
      ...(pager ? { only: warningsOnly } : {}),
    });
    const toStdout = attachPlainPrinter(found, {
      write: (line) => process.stdout.write(`${wrapToWidth(line, terminalColumns(process.stdout))}\n`),
    });
    const stop = () => {
      route();
      toStderr();
      toStdout();
    };
    // The run's own bus says the error and run.completed after the command returns: keep printing.
    if (!options.events) detach.push(stop);
  }
  // No live view to show that time passes: say what is still being waited on every 30 s of silence.
  if (!mode.interactive) detach.push(attachHeartbeat(events));
  return {
    mode,
    events,
    pausePlain: () => {
      paused++;
      return () => {
        paused--;
      };
    },
    close: () => {
      for (const stop of detach) stop();
    },
  };
}

/** How a command's output is split between stdout and stderr. */
interface OutputOptions {
  /** Plain lines on stderr in a terminal too, before and after the live view. */
  plainAlways?: boolean;
  /** Events that are results (stdout in text mode). */
  results?: readonly EventType[];
  /** The command's results go to stdout (a dry run's plan, preflight's report): a pager may read them. */
  resultsOnStdout?: boolean;
  preloadPrompter?: boolean;
}

/** Whether the file descriptor is a pipe (`| less`), not a terminal or a file. */
function isPipe(fd: number): boolean {
  try {
    return fstatSync(fd).isFIFO();
  } catch {
    return false;
  }
}

type Screens = typeof import('../../screens/mount-screens.tsx');

/** What every command root builds first: the output, the one Ctrl+C owner, the prompter, AWS, the live view. */
export interface CommandContext extends CommandOutput {
  /** Aborted by Ctrl+C (main's SIGINT handler, or the Ink screen in raw mode) or a detach. */
  signal: AbortSignal;
  abort(reason: unknown): void;
  /** The stack operation running now, for the Ctrl+C menu. */
  tracker: OperationTracker;
  /** Undefined when nothing may prompt; its module loads on the first question (or at once, `preloadPrompter`). */
  prompter: Prompter | undefined;
  /** Ink, loaded when first needed; undefined without a terminal. */
  screens: (() => Promise<Screens>) | undefined;
  /** What every flow is given, from this context: the bus, the prompter, the signal, the clock, AWS. */
  host: FlowHost;
  /** The command that re-attaches to a stack's operation, for the detach message. */
  watchCommand(stack: string): string;
  /** Runs a task list in the live view in a terminal, silently (lines and NDJSON from the bus) otherwise. */
  live<T>(
    title: RunTitle,
    cloudFormation: CloudFormationPort,
    run: (
      renderer: ListrRendererValue,
      rendererOptions: Record<string, unknown>,
      questions: LiveQuestions,
    ) => Promise<T>,
  ): Promise<T>;
}

export function startCommand(options: CommonOptions, output: OutputOptions = {}): CommandContext {
  const opened = openOutput(options, output);
  // One Ctrl+C owner: during a stack operation a plain Ctrl+C detaches, saying how to re-attach.
  const tracker = new OperationTracker();
  const controller = new AbortController();
  const watchCommand = (stack: string): string =>
    [
      'stackguide watch',
      stack,
      ...(options.config ? [`--config ${options.config}`] : []),
      ...(options.blueprint ? [`--blueprint ${options.blueprint}`] : []),
      ...connectionFlags(options),
    ].join(' ');
  options.signal?.addEventListener('abort', () => {
    const active = tracker.active;
    controller.abort(active ? detachedError(active, watchCommand(active.stack)) : options.signal?.reason);
  });
  // --timeout: a run that waits longer stops (exit 124) with the command that picks it up again.
  const timeoutMs = parseWaitTimeout(options.timeout);
  const resumeCommand = ['stackguide', ...process.argv.slice(2)].join(' ');
  const timer = setTimeout(() => {
    const active = tracker.active;
    controller.abort(
      waitTimeoutError(
        timeoutMs,
        active ? { stack: active.stack, watchCommand: watchCommand(active.stack) } : undefined,
        resumeCommand,
      ),
    );
  }, timeoutMs);
  timer.unref();
  controller.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  let loading: Promise<Prompter> | undefined;
  const load = (): Promise<Prompter> => {
    loading ??= import('../../screens/inquirer-prompter.ts').then((module) =>
      module.createInquirerPrompter(controller.signal, undefined, options.colour),
    );
    return loading;
  };
  if (opened.mode.interactive && output.preloadPrompter) void load();
  const prompter: Prompter | undefined = opened.mode.interactive
    ? {
        confirm: async (question) => (await load()).confirm(question),
        select: async (question) => (await load()).select(question),
        input: async (question) => (await load()).input(question),
        password: async (question) => (await load()).password(question),
        // Queued behind the load, so it still comes before the question asked after it.
        section: (title) => void load().then((loaded) => loaded.section(title)),
      }
    : undefined;
  const session = awsSessionFor(options, {
    // Asked during the identity check, before any renderer has the terminal.
    ...(opened.mode.interactive
      ? {
          mfaCodeProvider: async (serial: string) =>
            (await load()).input({
              message: `MFA code for ${serial}`,
              validate: mfaCodeCheck,
            }),
        }
      : {}),
  });
  const screens = opened.mode.interactive
    ? async () => {
        (await import('../../screens/colour.ts')).useColour(options.colour);
        return import('../../screens/mount-screens.tsx');
      }
    : undefined;
  // In a terminal nothing prints events before the live view: a re-run's word about the run before
  // (said as soon as the deployment is known, before a review that --yes skips) waits for the live view.
  const earlier: StackguideEvent[] = [];
  if (opened.mode.interactive)
    opened.events.subscribe((event) => {
      if (event.type === 'warning' && event.code === 'run.interrupted') earlier.push(event);
    });
  return {
    ...opened,
    signal: controller.signal,
    abort: (reason) => controller.abort(reason),
    tracker,
    prompter,
    screens,
    host: {
      events: opened.events,
      ...(prompter ? { prompter } : {}),
      signal: controller.signal,
      clock: systemClock,
      connect: (region) => session.forRegion(region),
    },
    watchCommand,
    live: async (title, cloudFormation, run) =>
      runWithLiveView(
        {
          title,
          screens: screens ? await screens() : undefined,
          events: opened.events,
          cloudFormation,
          tracker,
          abort: (reason) => controller.abort(reason),
          watchCommand,
          reviewChangeSets: options.yes !== true,
          pausePlain: opened.pausePlain,
          earlier: earlier.splice(0),
        },
        run,
      ),
  };
}

/**
 * The flow host of a command that neither prompts nor draws (status, support-bundle): the run's bus
 * (NDJSON with --output json; the command prints its own text), main's Ctrl+C signal and AWS by region.
 */
export function headlessHost(options: CommonOptions): FlowHost {
  const session = awsSessionFor(options);
  return {
    events: commandEvents(options),
    signal: options.signal ?? new AbortController().signal,
    clock: systemClock,
    connect: (region) => session.forRegion(region),
  };
}

/** A run that failed with a StackguideError says so with `run.completed` before the error is shown. */
export function reportFailure(events: EventBus, error: unknown): never {
  if (error instanceof StackguideError)
    events.emit({
      type: 'run.completed',
      outcome: error.kind === 'cancelled' ? 'cancelled' : 'failed',
      exitCode: error.exitCode,
    });
  throw error;
}
