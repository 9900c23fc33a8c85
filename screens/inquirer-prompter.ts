import { confirm, input, password, select } from '@inquirer/prompts';
import { StackguideError } from '../src/errors.ts';
import type { Prompter } from '../src/install/prompter.ts';
import { hangingWrap } from '../src/output/wrap.ts';
import { colourOn, painter } from './colour.ts';

/**
 * Every style @inquirer/prompts draws with (core's theme and select's, confirm's and password's own),
 * painted for the run's colour decision. Their defaults call node's styleText, which asks stdout and
 * ignores --no-color.
 */
function promptTheme(on: boolean, width: () => number) {
  const paint = painter(on);
  const keysHelpTip = (keys: Array<[string, string]>) =>
    keys.map(([key, action]) => `${paint('bold', key)} ${paint('dim', action)}`).join(paint('dim', ' • '));
  return {
    prefix: { idle: paint('blue', '?'), done: paint('green', '✔') },
    spinner: {
      interval: 80,
      frames: ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'].map((frame) => paint('yellow', frame)),
    },
    style: {
      answer: (text: string) => paint('cyan', text),
      message: (text: string) => paint('bold', text),
      // Wrapped by words: inquirer folds a long line at the window's edge, mid-word ("starting wi" / "th").
      error: (text: string) => paint('red', hangingWrap('> ', text, '  ', width() - 1).join('\n')),
      defaultAnswer: (text: string) => paint('dim', `(${text})`),
      help: (text: string) => paint('dim', text),
      highlight: (text: string) => paint('cyan', text),
      key: (text: string) => paint('cyan', paint('bold', `<${text}>`)),
      disabled: (text: string) => paint('dim', text),
      // A choice's description, wrapped by words: the terminal folded it mid-word (trial finding 94).
      description: (text: string) =>
        hangingWrap('', text, '', width() - 1)
          .map((line) => paint('cyan', line))
          .join('\n'),
      keysHelpTip,
      confirmDefault: (text: string) => {
        const first = text[0] ?? '';
        return first.toLowerCase() === first.toUpperCase()
          ? paint('cyan', text)
          : first.toUpperCase() + text.slice(1);
      },
    },
  };
}

/**
 * A question's own line wrapped by words to the window (trial finding 61: inquirer lets the terminal fold
 * it, mid-word: "(Y/n" / ")"), each continuation under the text after the `? ` inquirer draws, with room
 * kept on the last line for the `suffix` inquirer adds after the message (`(y/N)`, a default, the mask note).
 */
export function fitQuestion(message: string, suffix: number, width: number): string {
  // The last word and the suffix are wrapped as one (a placeholder glued to it), so the suffix never
  // lands past the edge; the placeholder is then taken off.
  const tail = '\uE000'.repeat(suffix + 1);
  return hangingWrap('? ', `${message}${tail}`, '  ', width - 1)
    .join('\n')
    .slice(2, -tail.length);
}

/** Columns kept after an input question's message for the answer typed on its line. */
const INPUT_ROOM = 16;

/**
 * A default longer than half the line goes on lines of its own under the question: kept on the
 * question's line it pushed the question's words down and the terminal folded it mid-word.
 */
function defaultUnder(value: string, width: number): boolean {
  return value.length + 3 > (width - 1) / 2;
}

/**
 * An answer (or a default, in brackets) on lines of its own under the question, wrapped by words
 * with a hanging indent, `style` painting each line (trial finding 94: a long one was cut mid-word
 * and went on at the first column).
 */
function linesUnder(text: string, width: number, style: (line: string) => string): string {
  return `\n${hangingWrap('  ', text, '  ', width - 1)
    .map(style)
    .join('\n')}`;
}

/**
 * The echo of an answer after the fitted question: on the question's last line when it fits there
 * (after `✔ ` and a space), else under it (see linesUnder).
 */
function echoedAnswer(fittedMessage: string, answer: string, width: number): string | undefined {
  const last = fittedMessage.split('\n');
  const room = last.length === 1 ? 2 + fittedMessage.length : (last.at(-1) ?? '').length;
  return room + 1 + answer.length <= width - 1 ? undefined : linesUnder(answer, width, (line) => line);
}

/**
 * The Prompter for a terminal, on @inquirer/prompts. It runs only while Ink is not mounted (the ask
 * phase), writes to stderr like all human output, and stops when the run's signal is aborted.
 */
export function createInquirerPrompter(
  signal: AbortSignal,
  streams: { input: NodeJS.ReadStream; output: NodeJS.WriteStream } = {
    input: process.stdin,
    output: process.stderr,
  },
  colour?: boolean,
): Prompter {
  const context = { signal, input: streams.input, output: streams.output, clearPromptOnDone: false };
  /**
   * Ink unreferences stdin when it unmounts (after the review): a prompt that follows would then wait
   * on a stream that no longer keeps Node running, and the process would end mid-question. Each prompt
   * takes it back; when the prompt ends, readline pauses it and it holds nothing open.
   */
  const guard = <T>(prompt: () => Promise<T>): Promise<T> => {
    (streams.input as { ref?: () => void }).ref?.();
    return cancellable(prompt());
  };
  const on = colourOn(colour, streams.output);
  const paint = painter(on);
  const theme = promptTheme(on, () => streams.output.columns || 80);
  const fitted = (message: string, suffix: number) =>
    fitQuestion(message, suffix, streams.output.columns || 80);
  /** The theme for one question: its answer echoed on its line when it fits there, else under it. */
  const echoing = (message: string) => ({
    ...theme,
    style: {
      ...theme.style,
      answer: (text: string) => {
        const under = echoedAnswer(message, text, streams.output.columns || 80);
        return under === undefined
          ? theme.style.answer(text)
          : under
              .split('\n')
              .map((line) => (line === '' ? line : paint('cyan', line)))
              .join('\n');
      },
    },
  });
  /**
   * A question's help (the blueprint's description, a number's range, a manual step's instructions),
   * dim above it and wrapped by words to the window: inquirer's prompts draw no help of their own
   * (@inquirer/input ignores theme.style.help), and a line the terminal folds is cut mid-word.
   */
  const explain = (help: string | undefined) => {
    if (!help) return;
    const width = streams.output.columns || 80;
    const lines = help.split('\n').flatMap((paragraph) =>
      // A list item (`- `) goes on under its text, not under its dash.
      paragraph.trim() === ''
        ? ['']
        : hangingWrap('  ', paragraph, /^\s*- /.test(paragraph) ? '    ' : '  ', width - 1),
    );
    streams.output.write(`${lines.map((line) => paint('dim', line)).join('\n')}\n`);
  };
  return {
    section: (title) => {
      streams.output.write(`\n${paint('bold', title)}\n`);
    },
    confirm: (question) =>
      guard(() => {
        explain(question.help);
        const message = fitted(question.message, 6);
        return confirm({ message, default: question.default ?? true, theme: echoing(message) }, context);
      }),
    select: (question) =>
      guard(() => {
        explain(question.help);
        const message = fitted(question.message, 0);
        return select(
          {
            message,
            choices: question.choices.map((choice) => ({
              value: choice.value,
              name: choice.name ?? choice.value,
              ...(choice.description ? { description: choice.description } : {}),
            })),
            ...(question.default !== undefined ? { default: question.default } : {}),
            theme: echoing(message),
          },
          context,
        );
      }),
    input: (question) =>
      guard(() => {
        explain(question.help);
        const onEscape = question.escapeCancels ? escapeSignal(streams.input, signal) : undefined;
        const width = streams.output.columns || 80;
        // A long default (the SES request's use case) goes under the question, not on its line.
        const under = question.default !== undefined && defaultUnder(question.default, width);
        // Room for the default in brackets, the "(checking…)" an answer checked against AWS shows,
        // and a short answer typed after it (a deployment name typed to confirm a destroy was
        // folded mid-word at 80 columns: "geo-cla" / "ss").
        const message = fitted(
          question.message,
          Math.max(
            question.default !== undefined && !under ? question.default.length + 3 : 0,
            question.verify ? 12 : 0,
          ) + INPUT_ROOM,
        );
        const themed = echoing(message);
        return input(
          {
            message,
            ...(question.default !== undefined ? { default: question.default } : {}),
            validate: async (value: string) => {
              const verdict = question.validate(value);
              return verdict === true && question.verify ? question.verify(value) : verdict;
            },
            theme: {
              ...themed,
              validationFailureMode: question.clearRefused ? 'clear' : 'keep',
              style: {
                ...themed.style,
                ...(under
                  ? {
                      defaultAnswer: (text: string) =>
                        linesUnder(`(${text})`, width, (line) => paint('dim', line)),
                    }
                  : {}),
                // An answer checked against AWS (the deployment name) says so while the check runs.
                ...(question.verify
                  ? {
                      message: (text: string, status: string) =>
                        status === 'loading'
                          ? `${theme.style.message(text)} ${paint('dim', '(checking…)')}`
                          : theme.style.message(text),
                    }
                  : {}),
              },
            },
          },
          onEscape ? { ...context, signal: onEscape.signal } : context,
        ).finally(() => onEscape?.dispose());
      }),
    password: (question) =>
      // No mask characters (they count the length) and no Ctrl+T reveal: inquirer shows a fixed
      // "[input is masked]" while typing.
      guard(() => {
        explain(question.help);
        return password(
          {
            message: fitted(question.message, '[input is masked]'.length + 1),
            mask: false,
            toggleMask: false,
            validate: question.validate,
            theme,
          },
          context,
        );
      }),
  };
}

/**
 * The run's signal, also aborted by Esc: inquirer's input prompt has no Esc of its own. readline (which
 * the prompt sets up on the stream) emits the key as a `keypress` named `escape`.
 */
function escapeSignal(
  stream: NodeJS.ReadStream,
  signal: AbortSignal,
): { signal: AbortSignal; dispose: () => void } {
  const pressed = new AbortController();
  const onKey = (_text: string | undefined, key: { name?: string } | undefined): void => {
    if (key?.name === 'escape') pressed.abort();
  };
  stream.on('keypress', onKey);
  return {
    signal: AbortSignal.any([signal, pressed.signal]),
    dispose: () => {
      stream.off('keypress', onKey);
    },
  };
}

/** Ctrl+C inside a prompt (inquirer's ExitPromptError) and an aborted run are both a cancellation. */
async function cancellable<T>(prompt: Promise<T>): Promise<T> {
  try {
    return await prompt;
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'ExitPromptError' || name === 'AbortPromptError' || name === 'AbortError') {
      throw new StackguideError('Stopped at your request: nothing was changed', {
        code: 'cancelled',
        kind: 'cancelled',
        cause: error,
      });
    }
    throw error;
  }
}
