import { Writable } from 'node:stream';
import { Listr, ListrLogger, type ListrTask, ProcessOutput } from 'listr2';

/** One line of listr2's test renderer: a task's state, title or output change. */
export interface TestRendererLine {
  event: string;
  data: string;
  task?: { title?: string };
}

/**
 * Runs tasks with listr2's `test` renderer, which serialises every state, title and output change of
 * every task; the lines are collected instead of printed, so a test asserts what the tasks reported.
 */
export async function runWithTestRenderer(
  tasks: ListrTask[],
): Promise<{ lines: TestRendererLine[]; error?: unknown }> {
  const raw: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      raw.push(chunk.toString());
      done();
    },
  });
  const logger = new ListrLogger({
    useIcons: false,
    processOutput: new ProcessOutput(sink as NodeJS.WriteStream, sink as NodeJS.WriteStream),
  });
  const list = new Listr(tasks, {
    concurrent: false,
    exitOnError: true,
    registerSignalListeners: false,
    renderer: 'test',
    rendererOptions: { logger, task: ['title'] },
  } as ConstructorParameters<typeof Listr>[1]);
  const lines = (): TestRendererLine[] =>
    raw
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as TestRendererLine);
  try {
    await list.run();
  } catch (error) {
    return { lines: lines(), error };
  }
  return { lines: lines() };
}

/** Titles a task had, in order, and the states it went through. */
export function titlesOf(lines: readonly TestRendererLine[]): string[] {
  return lines.filter((line) => line.event === 'TITLE').map((line) => line.data);
}

export function statesOf(lines: readonly TestRendererLine[]): string[] {
  return lines.filter((line) => line.event === 'STATE').map((line) => line.data);
}
