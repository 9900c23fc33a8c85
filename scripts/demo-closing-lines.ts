import { commandLines } from '../src/output/command-lines.ts';
import { rowsOf } from '../src/output/wrap.ts';

/** The demo's folder, the blueprint as the commands name it from there, and the install's answers file. */
interface DemoPlace {
  folder: string;
  blueprint: string;
  answers: string;
}

/**
 * What `npm run demo` prints under the install's summary in a terminal: the commands to go on with in
 * another terminal, and that Ctrl+C here stops the target. The summary leaves the rows they take free
 * (the demo says how many in STACKGUIDE_SUMMARY_ROWS_BELOW, see demoClosingRows), with the empty line
 * and the prompt's row under them, so they are dense: every row printed here is one the summary
 * folds to give (trial finding 59: the outcome line was scrolled off an 80x24 window). No empty line
 * of their own (Ink's empty line after the summary separates the two), the Ctrl+C on the line that
 * introduces the commands. Each command fits `width`, cut before an option with a `\` when it must: a
 * line the terminal wraps is broken when copied.
 */
export function demoClosingLines(demo: DemoPlace, width: number): string[] {
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

/**
 * The rows `demoClosingLines` will take in a terminal `width` columns wide, known before the install
 * runs: the most any of `answersFiles`, the files the install may write, makes them take. A guided
 * install writes `<name>.answers.yaml` for a name typed later, so the caller gives one for every
 * length of name the blueprint allows; a longer name may push a command onto another row.
 */
export function demoClosingRows(
  demo: Omit<DemoPlace, 'answers'>,
  answersFiles: readonly string[],
  width: number,
): number {
  return Math.max(
    0,
    ...answersFiles.map((answers) => rowsOf(demoClosingLines({ ...demo, answers }, width).join('\n'), width)),
  );
}
