import { type ErrorDetail, StackguideError } from '../errors.ts';
import type { BlueprintDocument } from './blueprint-schema.ts';
import { oneOf } from './did-you-mean.ts';

/**
 * Every key given for the blueprint must be one it asks: an answers-file key or a `--set` id that
 * matches no question is a typo, and ignoring it would silently take the default instead. Secrets are
 * refused from both: they come from STACKGUIDE_SECRET_<ID> only, so they never sit in a file or a
 * shell history. Checked before the first AWS call.
 */
export function assertKnownAnswerKeys(
  blueprint: Pick<BlueprintDocument, 'questions' | 'steps' | 'upgrade'>,
  given: {
    answers?: Readonly<Record<string, unknown>> | undefined;
    steps?: Readonly<Record<string, unknown>> | undefined;
    sets?: Readonly<Record<string, unknown>> | undefined;
    /** How a set id was given when not as `--set id` (an `install` argument). */
    setPaths?: Readonly<Record<string, string>> | undefined;
  },
): void {
  const questionIds = blueprint.questions.map((question) => question.id);
  const secrets = new Set(blueprint.questions.filter((q) => q.type === 'secret').map((q) => q.id));
  const stepIds = [...blueprint.steps, ...blueprint.upgrade.before].map((step) => step.id);
  const details: ErrorDetail[] = [];
  const keys = (
    values: Readonly<Record<string, unknown>> | undefined,
    path: (key: string) => string,
  ): void => {
    for (const key of Object.keys(values ?? {})) {
      if (secrets.has(key))
        details.push({
          path: path(key),
          message: `"${key}" is a secret, and secrets are never read from files or flags`,
          fix: `Remove it; set the environment variable STACKGUIDE_SECRET_${key.toUpperCase()} instead.`,
        });
      else if (!questionIds.includes(key))
        details.push({
          path: path(key),
          message: `"${key}" is not a question of this blueprint`,
          fix: oneOf(key, questionIds),
        });
    }
  };
  keys(given.answers, (key) => `answers.${key}`);
  keys(given.sets, (key) => given.setPaths?.[key] ?? `--set ${key}`);
  for (const key of Object.keys(given.steps ?? {}))
    if (!stepIds.includes(key))
      details.push({
        path: `steps.${key}`,
        message: `"${key}" is not a step of this blueprint`,
        fix: oneOf(key, stepIds),
      });
  if (details.length > 0)
    throw new StackguideError(
      `Nothing was changed: ${details.length} answer key${details.length === 1 ? ' is' : 's are'} not known to the blueprint`,
      { code: 'answers.unknown-key', kind: 'user', details },
    );
}
