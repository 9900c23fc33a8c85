import { EventEmitter } from 'node:events';
import { render } from 'ink';
import type { ReactElement } from 'react';

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
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
  read = (): null => null;
}

export function renderInTerminal(
  tree: ReactElement,
  size: { columns: number; rows: number },
): TerminalRender {
  const stdout = new FakeTerminal(size.columns, size.rows);
  const stderr = new FakeTerminal(size.columns, size.rows);
  const instance = render(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    stdin: new FakeInput() as unknown as NodeJS.ReadStream,
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
    unmount: () => instance.unmount(),
  };
}
