/**
 * A unified-style difference of two small texts, line by line (longest common subsequence), for showing
 * an operator what a re-run would change in a file they edited. Files rendered from a blueprint are a
 * few hundred lines at most, so the quadratic table is cheap; `context` unchanged lines frame each change.
 */
export function lineDiff(before: string, after: string, context = 2): string {
  const a = before.split('\n');
  const b = after.split('\n');
  const width = b.length + 1;
  // common[i * width + j]: length of the longest common subsequence of a[i..] and b[j..].
  const common = new Uint32Array((a.length + 1) * width);
  const at = (i: number, j: number): number => common[i * width + j] ?? 0;
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      common[i * width + j] = a[i] === b[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
  const lines: Array<{ mark: ' ' | '-' | '+'; text: string }> = [];
  let i = 0;
  let j = 0;
  // Where removing first and adding first are as short, remove first, as a unified diff reads.
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      lines.push({ mark: ' ', text: a[i] ?? '' });
      i++;
      j++;
    } else if (j < b.length && (i >= a.length || at(i, j + 1) > at(i + 1, j))) {
      lines.push({ mark: '+', text: b[j] ?? '' });
      j++;
    } else {
      lines.push({ mark: '-', text: a[i] ?? '' });
      i++;
    }
  }
  // Keep changed lines and `context` lines around them; one mark stands for each skipped run.
  const keep = lines.map((_, index) =>
    lines.slice(Math.max(0, index - context), index + context + 1).some((near) => near.mark !== ' '),
  );
  const out: string[] = [];
  lines.forEach((line, index) => {
    if (keep[index]) out.push(`${line.mark} ${line.text}`);
    else if (index > 0 && keep[index - 1]) out.push('  …');
  });
  return out.join('\n');
}
