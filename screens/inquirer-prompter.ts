import { confirm, input, password, select } from '@inquirer/prompts';
import { StackguideError } from '../src/errors.ts';
import type { Prompter } from '../src/install/prompter.ts';

/**
 * The Prompter for a terminal, on @inquirer/prompts. It runs only while Ink is not mounted (the ask
 * phase), writes to stderr like all human output, and stops when the run's signal is aborted.
 */
export function createInquirerPrompter(
  signal: AbortSignal,
  streams = { input: process.stdin, output: process.stderr },
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
  return {
    section: (title) => {
      streams.output.write(`\n\x1b[1m${title}\x1b[22m\n`);
    },
    confirm: (question) =>
      guard(() => confirm({ message: question.message, default: question.default ?? true }, context)),
    select: (question) =>
      guard(() =>
        select(
          {
            message: question.message,
            choices: question.choices.map((choice) => ({
              value: choice.value,
              name: choice.name ?? choice.value,
              ...(choice.description ? { description: choice.description } : {}),
            })),
            ...(question.default !== undefined ? { default: question.default } : {}),
          },
          context,
        ),
      ),
    input: (question) =>
      guard(() =>
        input(
          {
            message: question.message,
            ...(question.default !== undefined ? { default: question.default } : {}),
            validate: async (value: string) => {
              const verdict = question.validate(value);
              return verdict === true && question.verify ? question.verify(value) : verdict;
            },
            ...(question.help ? { theme: { style: { help: () => question.help ?? '' } } } : {}),
          },
          context,
        ),
      ),
    password: (question) =>
      // No mask characters (they count the length) and no Ctrl+T reveal: inquirer shows a fixed
      // "[input is masked]" while typing.
      guard(() =>
        password(
          { message: question.message, mask: false, toggleMask: false, validate: question.validate },
          context,
        ),
      ),
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
