/**
 * The known name closest to a misspelt one ("fundation" → "foundation"), or undefined when none is close
 * enough to be a likely typo: within a third of the name's length in edits, and at least one edit allowed.
 */
export function didYouMean(given: string, known: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.floor(given.length / 3));
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(given.toLowerCase(), name.toLowerCase());
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** `Use one of: a, b (did you mean "a"?).` for a fix line; `(none)` when nothing is known. */
export function oneOf(given: string, known: readonly string[]): string {
  const guess = didYouMean(given, known);
  return `Use one of: ${known.join(', ') || '(none)'}${guess ? ` (did you mean "${guess}"?)` : ''}.`;
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
