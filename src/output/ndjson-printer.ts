import type { EventBus } from '../events.ts';

/**
 * `--output json`: one JSON object per line on stdout, the StackguideEvent plus `time`. The schema is
 * documented in the README; nothing else is ever written to stdout in this mode.
 */
export function attachNdjsonPrinter(
  bus: EventBus,
  write: (line: string) => void,
  now: () => number = Date.now,
): () => void {
  return bus.subscribe((event) =>
    write(`${JSON.stringify({ time: new Date(now()).toISOString(), ...event })}\n`),
  );
}
