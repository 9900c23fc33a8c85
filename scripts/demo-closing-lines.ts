import { commandLines } from '../src/output/command-lines.ts';

/**
 * What `npm run demo` prints under the install's summary in a terminal: the commands to go on with in
 * another terminal, and that Ctrl+C here stops the target. The summary fits the window with one empty
 * line and the prompt's row under it, so every row printed here pushes it up (trial finding 59: the
 * outcome line was scrolled off an 80x24 window). So it is dense: no empty line of its own (Ink's
 * empty line after the summary separates the two), the Ctrl+C on the line that introduces the commands.
 * Each command fits `width`, cut before an option with a `\` when it must: a line the terminal wraps
 * is broken when copied.
 */
export function demoClosingLines(
  demo: { folder: string; blueprint: string; answers: string },
  width: number,
): string[] {
  const { folder, blueprint, answers } = demo;
  const enter = `  cd ${folder} && source lab.env`;
  return [
    'The demo target stays up until you press Ctrl+C here. In another terminal:',
    // A long temporary folder (macOS's) would wrap: the two commands then go on lines of their own.
    ...(enter.length <= width ? [enter] : [`  cd ${folder}`, '  source lab.env']),
    ...[
      `stackguide status --blueprint ${blueprint} --config ${answers}`,
      `stackguide upgrade --blueprint ${blueprint} --config ${answers} --set jobTimeoutSeconds=600`,
      `stackguide destroy --blueprint ${blueprint} --config ${answers}`,
    ].flatMap((command) => commandLines(command, width, '  ')),
  ];
}
