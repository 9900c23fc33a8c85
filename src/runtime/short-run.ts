import { setFlagsFromString } from 'node:v8';

/**
 * V8 settings for a command that is over in about a tenth of a second (`validate`), set before it loads
 * its code. Two of V8's defaults are made for programs that run for a while, and cost memory here:
 * - TurboFan, the optimizing tier, compiles the few hot functions of the YAML parser on background
 *   threads; the command ends before that code pays back, and the compile's memory (up to 9 MiB, more
 *   or less of it from run to run) was what took convox-rack's peak over 80 MiB now and then. The other
 *   tiers, Maglev included, still run.
 * - The young generation doubles each time a scavenge finds that most objects survive, which is what a
 *   start-up that builds its schemas looks like: it grew from under 1 MiB to 8 MiB within one command.
 *   It now stays at its first size; survivors move to the old generation, which grows only as needed.
 * Measured on convox-rack: peak RSS 75 MiB (73 to 78) before, 64 MiB (62 to 67) after, the same CPU time.
 * Node warns that a flag changed after start may do nothing: these two are read whenever V8 decides to
 * optimize or to grow the young generation, so they take effect from here on.
 */
export const SHORT_RUN_V8_FLAGS = ['--no-turbofan', '--semi-space-growth-factor=1'] as const;

export function tuneV8ForShortRun(setFlags: (flags: string) => void = setFlagsFromString): void {
  for (const flag of SHORT_RUN_V8_FLAGS) setFlags(flag);
}
