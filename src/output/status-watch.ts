import type { StatusItem } from '../events.ts';
import type { DeploymentStatus } from '../status/deployment-status.ts';
import { statusChangesText, statusText } from './status-text.ts';

/** One refresh of `status --watch`, as the flow hands it to the command root. */
export interface WatchRefresh {
  title: string;
  status: DeploymentStatus;
  at: Date;
  /** From the second refresh on: what changed since the one before. */
  changed: readonly StatusItem[] | undefined;
}

export interface WatchScreen {
  write(text: string): void;
  /** The terminal's columns now (a resized window), or undefined for a pipe. */
  columns(): number | undefined;
  /** A terminal that takes a carriage return and an erase-line (not a pipe, not TERM=dumb). */
  inPlace: boolean;
  /** The first status folded to one screen (a person at a terminal, no --all); changes are always whole. */
  fold?: boolean;
  /** How often it refreshes, for the line that says so. */
  everySeconds: number;
}

const VERDICT = {
  healthy: 'healthy',
  'needs-action': 'needs action',
  'could-not-check': 'could not be checked',
};

/**
 * `status --watch`. Into a pipe: line by line (the time, then only what changed, or one quiet line per
 * refresh), so a script or a log keeps every refresh. In a terminal: the whole status once, then one
 * line rewritten in place with the time of the last refresh and how to stop; a change is printed above
 * that line, so the scrollback holds only what changed, not twelve quiet lines a minute.
 */
export function statusWatchPrinter(screen: WatchScreen): {
  show(refresh: WatchRefresh): void;
  /** Ends the line kept for rewriting, so what comes after starts on a line of its own. */
  end(): void;
} {
  let pending = false;
  return {
    show({ title, status, at, changed }) {
      const width = screen.columns();
      if (!screen.inPlace) {
        screen.write(
          `${changed ? statusChangesText(at, changed, status, width) : `${at.toISOString()}\n${statusText(title, status, width, at)}`}\n`,
        );
        return;
      }
      const clear = pending ? '\r\u001b[2K' : '';
      const body = !changed
        ? `${statusText(title, status, width, at, screen.fold)}\n\n`
        : changed.length > 0
          ? `${statusChangesText(at, changed, status, width, clockTime(at))}\n`
          : '';
      screen.write(
        `${clear}${body}${fitToWidth(watchLine(at, status, changed, screen.everySeconds), width)}`,
      );
      pending = true;
    },
    end() {
      if (pending) screen.write('\n');
      pending = false;
    },
  };
}

/** `Watching every 5 s · 14:32:05 · healthy · no change · Ctrl+C stops` */
function watchLine(
  at: Date,
  status: DeploymentStatus,
  changed: readonly StatusItem[] | undefined,
  everySeconds: number,
): string {
  const news =
    changed === undefined ? '' : changed.length === 0 ? ' · no change' : ` · ${changed.length} changed`;
  return `Watching every ${everySeconds} s · ${clockTime(at)} · ${VERDICT[status.state]}${news} · Ctrl+C stops`;
}

/** The time of day, local, to the second: what an operator compares with the clock on the wall. */
function clockTime(at: Date): string {
  return [at.getHours(), at.getMinutes(), at.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** One line that never wraps (a wrapped line cannot be rewritten in place): cut with … when too long. */
function fitToWidth(line: string, width: number | undefined): string {
  const room = (width ?? Number.POSITIVE_INFINITY) - 1;
  return line.length <= room ? line : `${line.slice(0, Math.max(0, room - 1))}…`;
}
