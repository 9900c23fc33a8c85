import { useStdout } from 'ink';
import { isCommandLine } from '../src/install/after-install-file.ts';
import { commandLines } from '../src/output/command-lines.ts';
import { hangingWrap } from '../src/output/wrap.ts';
import { foldToFit, roomIn, type ScreenLine, ScreenLines } from './fitted-lines.tsx';

export interface InstallSummaryScreenProps {
  deployment: string;
  stacks: Array<{ name: string; status: string; outputs: Record<string, string> }>;
  answersPath: string;
  /** False when the answers file given was left as it was (nothing in it changed). */
  answersSaved: boolean;
  nextCommand: string;
  eventLogPath: string;
  /** The blueprint's after-install checklist: what stays by hand. */
  afterInstall: Array<{ title: string; details: string[] }>;
  /** Where the checklist was written whole (`<state-dir>/<deployment>/after-install.md`), when it was. */
  afterInstallPath?: string;
  /**
   * The preparation steps the run took, and whether each finished or waits outside the run; a
   * `confirmed` one was done by the operator, who said so: nothing checked it.
   */
  steps: Array<{ id: string; title: string; done: boolean; pending?: string; confirmed?: boolean }>;
  /** Every warning of the run, repeated: the live view's rows have scrolled away. */
  warnings: string[];
  /**
   * Rows the program that ran stackguide prints under the summary (STACKGUIDE_SUMMARY_ROWS_BELOW:
   * `npm run demo`'s commands), left free with the empty line and the prompt's row.
   */
  rowsBelow?: number;
}

/**
 * The last screen of a successful install: what the run did, what is left by hand, where the answers
 * are, and the unattended command. It is read where it ends, so in a terminal it fits the window with
 * the prompt under it, folding as little as it takes (see `FOLDS`).
 */
export function InstallSummaryScreen(props: InstallSummaryScreenProps) {
  const { stdout } = useStdout();
  const width = (stdout as { columns?: number }).columns || 80;
  const rows = (stdout as { rows?: number }).rows;
  return (
    <ScreenLines
      // Under it: the empty line Ink leaves after its last frame, what the program that ran stackguide
      // prints there, if anything, then the shell's prompt (seen in tmux).
      lines={foldToFit(FOLDS.length, roomIn(rows, 2 + (props.rowsBelow ?? 0)), width, (fold) =>
        summaryLines(props, width, fold),
      )}
    />
  );
}

/**
 * How much the summary folds to fit the window, each level adding to the one before: `details`
 * leaves the checklist's detail lines to the after-install file (its titles stay, the file is named;
 * only when the file was written); `steps` folds the finished steps into one counted line naming
 * them; `outputs` counts each stack's outputs (`stackguide status` shows them); `compact` drops the
 * blank lines, says the stacks on one line, and leaves the event log out (it is beside the file,
 * which says so); `checklist` counts the checklist's items. Never folded: the outcome line, a pending
 * or failed step, a warning, the answers-saved line and the re-run command.
 */
type Fold = 'none' | 'details' | 'steps' | 'outputs' | 'compact' | 'checklist';
const FOLDS: readonly Fold[] = ['none', 'details', 'steps', 'outputs', 'compact', 'checklist'];

function summaryLines(props: InstallSummaryScreenProps, width: number, fold: number): ScreenLine[] {
  const { deployment, stacks, warnings, afterInstall, afterInstallPath: file } = props;
  const folds = (level: Fold) => fold >= FOLDS.indexOf(level);
  // What the file holds may leave the screen only when the file was written.
  const inFile = (level: Fold) => file !== undefined && folds(level);
  const lines: ScreenLine[] = [];
  const add = (texts: string[], style: Omit<ScreenLine, 'text'> = {}) => {
    for (const text of texts) lines.push({ text, ...style });
  };
  const blank = () => {
    if (!folds('compact')) lines.push({ text: '' });
  };

  blank();
  const outcome = `✔ ${deployment} is installed`;
  lines.push({ text: outcome, color: 'green', bold: [0, outcome.length] });
  // Folded, the finished steps are named by their titles, as their rows are (trial finding 100), and
  // those the operator confirmed apart from those stackguide did: nothing checked the former.
  const done: string[] = [];
  const confirmed: string[] = [];
  for (const step of props.steps) {
    if (step.pending !== undefined)
      // Not done: what it waits for, whole, under its title.
      add(hangingWrap('  ◷ ', `${step.title}: pending, waiting for ${step.pending}`, '    ', width), {
        color: 'yellow',
      });
    else if (step.done && folds('steps')) (step.confirmed ? confirmed : done).push(step.title);
    else if (step.confirmed) add(hangingWrap('  ☑ ', `${step.title}: confirmed by you`, '    ', width));
    // A title longer than the window goes on under its text, never at the first column.
    else add(hangingWrap(`  ${step.done ? '✔' : '✖'} `, step.title, '    ', width));
  }
  const steps = (count: number) => (count === 1 ? 'Step' : `${count} steps`);
  if (done.length > 0)
    add(hangingWrap('  ✔ ', `${steps(done.length)} done: ${done.join(', ')}`, '    ', width));
  if (confirmed.length > 0)
    add(
      hangingWrap(
        '  ☑ ',
        `${steps(confirmed.length)} confirmed by you: ${confirmed.join(', ')}`,
        '    ',
        width,
      ),
    );

  const outputsOf = (stack: InstallSummaryScreenProps['stacks'][number]) => Object.keys(stack.outputs).length;
  const counted = (count: number) => `${count} ${count === 1 ? 'output' : 'outputs'}`;
  if (folds('compact') && stacks.length > 1) {
    // One line for them all: their status once when they share it.
    const [first] = stacks;
    const same = stacks.every((stack) => stack.status === first?.status);
    const names = stacks.map((stack) => {
      const count = outputsOf(stack);
      return `${stack.name}${same ? '' : ` ${stack.status}`}${count > 0 ? ` (${counted(count)})` : ''}`;
    });
    const total = stacks.reduce((sum, stack) => sum + outputsOf(stack), 0);
    add(
      hangingWrap(
        '  ',
        `${same ? `${stacks.length} stacks ${first?.status}: ` : ''}${names.join(', ')}${total > 0 ? '; stackguide status shows the outputs' : ''}`,
        '    ',
        width,
      ),
    );
  } else
    for (const stack of stacks) {
      const count = outputsOf(stack);
      if (folds('outputs') && count > 0) {
        add(
          hangingWrap(
            '  ',
            `${stack.name} ${stack.status}: ${counted(count)}, stackguide status shows them`,
            '    ',
            width,
          ),
        );
        continue;
      }
      add(hangingWrap('  ', `${stack.name} ${stack.status}`, '    ', width));
      // A value (an ARN, a URL) is never cut: it goes whole on the line after its key if it must.
      for (const [key, value] of Object.entries(stack.outputs))
        add(hangingWrap('    ', `${key}: ${value}`, '      ', width));
    }

  if (warnings.length > 0) {
    blank();
    lines.push({ text: 'Warnings:', color: 'yellow', bold: [0, 'Warnings:'.length] });
    for (const warning of warnings) add(hangingWrap('  ⚠ ', warning, '    ', width), { color: 'yellow' });
  }

  if (afterInstall.length > 0) {
    blank();
    const head = 'Still to do by hand';
    const count = afterInstall.length;
    const heading = inFile('checklist')
      ? `${head}: ${count} ${count === 1 ? 'item' : 'items'}, details and commands in the file below:`
      : inFile('details')
        ? `${head} (details and commands in the file below):`
        : file !== undefined
          ? `${head} (also in the file below):`
          : `${head}:`;
    for (const [index, text] of hangingWrap('', heading, '  ', width).entries())
      lines.push(index === 0 ? { text, bold: [0, head.length] } : { text });
    if (!inFile('checklist'))
      for (const item of afterInstall) {
        add(hangingWrap('  ☐ ', item.title, '    ', width));
        if (inFile('details')) continue;
        // A command to run is cut only before an option, with a `\` to paste it whole; words wrap
        // under their own indent.
        for (const line of item.details)
          add(
            isCommandLine(line)
              ? commandLines(line, width, '    ')
              : hangingWrap('    ', line, '      ', width),
            {
              dim: true,
            },
          );
      }
    if (file !== undefined) add(hangingWrap('  ', file, '    ', width));
  }

  blank();
  // The line that introduces the command stays whole, on its own when the path is long.
  add(savedLines(props.answersSaved ? `Answers saved to ${props.answersPath}.` : '', width));
  // Cut into lines that fit, joined by `\`: a line the terminal wraps breaks when copied.
  for (const text of commandLines(props.nextCommand, width, '  '))
    lines.push({ text, bold: [0, text.length] });
  // Folded, the event log is left to the checklist file, which names it (it is beside it).
  if (!inFile('compact'))
    add(hangingWrap('', `Event log: ${props.eventLogPath}`, '  ', width), { dim: true });
  return lines;
}

function savedLines(saved: string, width: number): string[] {
  const rerun = 'Run the same install unattended with:';
  if (saved === '') return [rerun];
  if (saved.length + 1 + rerun.length <= width) return [`${saved} ${rerun}`];
  return [...hangingWrap('', saved, '  ', width), rerun];
}
