import { EventBus, type StackguideEvent } from '../events.ts';
import { attachNdjsonPrinter } from './ndjson-printer.ts';

type ErrorEvent = Extract<StackguideEvent, { type: 'error' }>;
type RunCompleted = Extract<StackguideEvent, { type: 'run.completed' }>;

/**
 * The bus of one command run, owned by the top-level handler in main.ts, which alone knows how the run
 * ends. It keeps the envelope every consumer of the event stream relies on: `run.started` first (said
 * for the command if it has not said it itself before its first event), then the command's events, then
 * the `error` event when it failed, and `run.completed` with the exit code last. A `run.completed` the
 * command emits is held back and sent by `end`, with the outcome and exit code the process really ends
 * with; nothing is delivered after it.
 */
export class RunEvents extends EventBus {
  readonly #command: string;
  #started = false;
  #errorSent = false;
  #ended = false;
  #completed: RunCompleted | undefined;

  constructor(command: string) {
    super();
    this.#command = command;
  }

  override emit(event: StackguideEvent): void {
    if (this.#ended) return;
    if (event.type === 'run.completed') {
      this.#completed = event;
      return;
    }
    if (event.type === 'run.started') {
      // A command that emitted something first already had its run.started said for it.
      if (this.#started) return;
      this.#started = true;
    } else this.#start();
    if (event.type === 'error') this.#errorSent = true;
    super.emit(event);
  }

  /** The run is over: the error (if any and not yet said), then `run.completed` with this exit code. */
  end(exitCode: number, error?: ErrorEvent): void {
    if (this.#ended) return;
    this.#start();
    if (error && !this.#errorSent) this.emit(error);
    const outcome: RunCompleted['outcome'] =
      exitCode === 0 ? 'succeeded' : error?.kind === 'cancelled' || exitCode === 130 ? 'cancelled' : 'failed';
    const nextCommand = this.#completed?.nextCommand;
    this.#ended = true;
    super.emit({ type: 'run.completed', outcome, exitCode, ...(nextCommand ? { nextCommand } : {}) });
  }

  /** Says `run.started` now if nothing has yet (before an error is printed, so the lines read in order). */
  start(): void {
    this.#start();
  }

  #start(): void {
    if (this.#started) return;
    this.#started = true;
    super.emit({ type: 'run.started', command: this.#command });
  }
}

/**
 * The bus a command emits on: the run's own when main.ts handed one over (its NDJSON printer is already
 * attached), else a new one with an NDJSON printer for `--output json` (tests that call a command
 * directly).
 */
export function commandEvents(options: { events?: EventBus; output?: string }): EventBus {
  if (options.events) return options.events;
  const events = new EventBus();
  if (options.output === 'json') attachNdjsonPrinter(events, (line) => process.stdout.write(line));
  return events;
}
