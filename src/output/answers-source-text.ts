import type { AnswersSource } from '../install/deployment-answers-file.ts';

/** Which answers file a command took by itself, no --config given (status, upgrade), in one line. */
export function answersFromText(source: AnswersSource & { path: string }): string {
  return source.from === 'journal'
    ? `Answers from ${source.path}, which the last install or upgrade used`
    : `Answers from ${source.path} (no --config given)`;
}

/**
 * Where a command looked for the answers file when it found none: each file, and what one that was
 * there is for when that is not this deployment and region (`answers.yaml (for geo in eu-west-1)`).
 */
export function lookedForText(source: AnswersSource & { path: undefined }): string {
  return source.looked
    .map((path) => {
      const other = source.others?.find((file) => file.path === path);
      if (!other) return path;
      const what = [other.deployment, other.region].filter((part) => part !== undefined).join(' in ');
      return `${path} (for ${what})`;
    })
    .join(' and ');
}
