/**
 * What an upgrade changes, for its header and its closing line: the blueprint versions when they
 * differ, the answers it changes, and the stack parameters it changes (read from the stacks, so an
 * answers file edited since the last run counts too). An upgrade that keeps the version changes answers
 * (a --set), parameters or a template (--template); "1.0.0 → 1.0.0" said neither, and "no answer
 * changed" is said only when nothing differs. `counted`, what changed is counted, not named
 * (`1 answer changed`): the live view's header at 80 columns (trial finding 97).
 */
export function upgradeChangeText(
  change: {
    from: string;
    to: string;
    answersChanged: readonly string[];
    /** The stack parameters it changes (deployed → new); names only here, `parameterChangeLines` has the values. */
    parametersChanged?: ReadonlyArray<{ name: string }>;
    /** The stack whose template --template replaces. */
    template?: string;
  },
  counted = false,
): string {
  const parts = [change.from === change.to ? change.to : `${change.from} → ${change.to}`];
  const said = (noun: string, names: readonly string[]) => {
    const plural = names.length === 1 ? '' : 's';
    return counted
      ? `${names.length} ${noun}${plural} changed`
      : `${noun}${plural} changed: ${firstThree(names)}`;
  };
  const answers = change.answersChanged;
  if (answers.length > 0) parts.push(said('answer', answers));
  // Named when no answer explains them (an answers file edited since the last run): the header stays
  // short enough for an 80-column live view, and the lines of `parameterChangeLines` give the values.
  const parameters = [...new Set((change.parametersChanged ?? []).map((parameter) => parameter.name))];
  if (parameters.length > 0 && answers.length === 0) parts.push(said('parameter', parameters));
  if (change.template !== undefined)
    parts.push(counted ? 'new template' : `new template for ${change.template}`);
  if (parts.length === 1 && change.from === change.to) parts.push('no answer changed');
  return parts.join(', ');
}

/** One line per parameter an upgrade changes: `demo-app JobTimeoutSeconds: 300 → 450`. Never a secret (not compared). */
export function parameterChangeLines(
  changes: ReadonlyArray<{ stack: string; name: string; deployed: string; next: string }>,
): string[] {
  return changes.map((change) => `${change.stack} ${change.name}: ${change.deployed} → ${change.next}`);
}

function firstThree(names: readonly string[]): string {
  return names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
}
