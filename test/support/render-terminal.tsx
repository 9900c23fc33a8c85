import { EventEmitter } from 'node:events';
import { render } from 'ink';
import type { ReactElement } from 'react';
import { expect, vi } from 'vitest';

/**
 * Renders an Ink tree into a terminal of a given size, as ink-testing-library does (whose terminal is
 * always 100 columns and has no height): the screen under test reads `columns` and `rows` from it, so
 * a test can hold it to an operator's 80x24. Frames are what Ink writes in debug mode: everything
 * printed to <Static> so far, then the live region.
 */
export interface TerminalRender {
  lastFrame(): string;
  /** The live region of the last frame: from the line that starts with `header` to the end. */
  liveRegion(header: string): string[];
  resize(columns: number, rows: number): void;
  /** Types into the terminal, as ink-testing-library's `stdin.write` does. */
  stdin: { write(data: string): void };
  unmount(): void;
}

class FakeTerminal extends EventEmitter {
  columns: number;
  rows: number;
  frames: string[] = [];
  isTTY = true;
  constructor(columns: number, rows: number) {
    super();
    this.columns = columns;
    this.rows = rows;
  }
  write = (frame: string): boolean => {
    this.frames.push(frame);
    return true;
  };
}

class FakeInput extends EventEmitter {
  isTTY = true;
  private pending: string | null = null;
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
  // Ink reads what is typed on 'readable', one chunk at a time.
  write = (data: string): void => {
    this.pending = data;
    this.emit('readable');
  };
  read = (): string | null => {
    const data = this.pending;
    this.pending = null;
    return data;
  };
}

export function renderInTerminal(
  tree: ReactElement,
  size: { columns: number; rows: number },
): TerminalRender {
  const stdout = new FakeTerminal(size.columns, size.rows);
  const stderr = new FakeTerminal(size.columns, size.rows);
  const stdin = new FakeInput();
  const instance = render(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const lastFrame = (): string => stdout.frames.at(-1) ?? '';
  return {
    lastFrame,
    liveRegion(header) {
      const lines = lastFrame().split('\n');
      const start = lines.findLastIndex((line) => line.startsWith(header));
      return start === -1 ? [] : lines.slice(start);
    },
    resize(columns, rows) {
      stdout.columns = columns;
      stdout.rows = rows;
      stdout.emit('resize');
    },
    stdin,
    unmount: () => instance.unmount(),
  };
}

/** As renderInTerminal, once the screen shows `shown` (the question it ends on, say). */
export async function renderShowing(
  tree: ReactElement,
  size: { columns: number; rows: number },
  shown: string,
): Promise<TerminalRender> {
  const view = renderInTerminal(tree, size);
  await vi.waitFor(() => expect(view.lastFrame()).toContain(shown));
  return view;
}

/**
 * The frame's lines, once it is asserted that none is wider than `columns` and that they and the row
 * the cursor waits on fit `rows`: a screen that fits the window without a line wrapping.
 */
export function fitsWindow(frame: string, columns: number, rows: number): string[] {
  const lines = frame.replace(/\n+$/, '').split('\n');
  expect(lines.length + 1, lines.join('\n')).toBeLessThanOrEqual(rows);
  for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(columns);
  return lines;
}

/**
 * The frame's lines, once it is asserted that they and the row the cursor waits on fit `rows`, each
 * line counted as the rows the terminal wraps it into at `columns`.
 */
export function fitsRows(frame: string, columns: number, rows: number): string[] {
  const lines = frame.replace(/\n+$/, '').split('\n');
  const taken = lines.reduce((sum, line) => sum + Math.max(1, Math.ceil(line.length / columns)), 0) + 1;
  expect(taken, lines.join('\n')).toBeLessThanOrEqual(rows);
  return lines;
}
