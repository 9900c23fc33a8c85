import { dirname, join } from 'node:path';
import type { Blueprint } from '../blueprint/load-blueprint.ts';
import type { AnswerValue } from '../blueprint/references.ts';
import type { StackguideEvent } from '../events.ts';
import { planAnswers } from './install-plan.ts';
import type { Prompter } from './prompter.ts';
import { writeRenderedFile } from './render-file.ts';

/**
 * Files the platform reads itself (QHub's configuration), rendered from the answers beside the answers
 * file. A file edited by hand is replaced only with --overwrite or the operator's yes.
 */
export async function writePlatformFiles(
  blueprint: Blueprint,
  answersPath: string,
  scope: { deployment: string; region: string; account: string; answers: Record<string, AnswerValue> },
  options: { overwrite: boolean; prompter: Prompter | undefined; emit: (event: StackguideEvent) => void },
): Promise<void> {
  const { prompter, emit } = options;
  for (const file of blueprint.files) {
    const target = join(dirname(answersPath), file.path);
    const outcome = await writeRenderedFile(
      join(blueprint.dir, file.template),
      target,
      {
        questions: blueprint.questions,
        scope: { ...scope, answers: planAnswers(blueprint, scope.answers), stackOutputs: {} },
      },
      {
        overwrite: options.overwrite,
        ...(prompter
          ? {
              confirm: (path: string, difference: string) =>
                prompter.confirm({
                  message: `${path} was edited by hand. This install would change it:\n${difference}\nReplace it?`,
                  default: false,
                }),
            }
          : {}),
      },
    );
    if (outcome === 'kept')
      emit({
        type: 'warning',
        code: 'file.kept',
        message: `${target} was edited by hand and is kept as it is; it no longer matches the answers`,
      });
    else if (outcome !== 'unchanged')
      emit({
        type: 'file.written',
        path: target,
        ...(file.description ? { description: file.description } : {}),
      });
  }
}
