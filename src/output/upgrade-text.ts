/**
 * What an upgrade changes, for its header and its closing line: the blueprint versions when they
 * differ, and the answers it changes. An upgrade that keeps the version changes answers (a --set) or a
 * template (--template); "1.0.0 → 1.0.0" said neither.
 */
export function upgradeChangeText(change: {
  from: string;
  to: string;
  answersChanged: readonly string[];
  /** The stack whose template --template replaces. */
  template?: string;
}): string {
  const parts = [change.from === change.to ? change.to : `${change.from} → ${change.to}`];
  const answers = change.answersChanged;
  if (answers.length > 0)
    parts.push(
      `answer${answers.length === 1 ? '' : 's'} changed: ${answers.length > 3 ? `${answers.slice(0, 3).join(', ')} and ${answers.length - 3} more` : answers.join(', ')}`,
    );
  if (change.template !== undefined) parts.push(`new template for ${change.template}`);
  if (parts.length === 1 && change.from === change.to) parts.push('no answer changed');
  return parts.join(', ');
}
