/**
 * Word wrap for human text, so a line never runs past the terminal and is never cut in a word by it.
 * A word longer than a whole line (a URL, a DNS name, an ARN) is kept whole on a line of its own:
 * split, it could no longer be copied; whole, the terminal folds it and a copy still gives it entire.
 * On its own line it starts left of the indent when that lets it fit the width.
 * One logical line: the first output line starts with `first`, the ones after it with `rest` (a
 * deeper indent, so they read as the same item), each within `width`.
 */
export function hangingWrap(first: string, text: string, rest: string, width: number): string[] {
  return fill(text, width - first.length, width - rest.length).map((line, index) => {
    if (index === 0) return `${first}${line}`;
    // A word too long for the indent (an ARN) moves left until it fits, so the terminal never folds it;
    // one longer than the width stays under the text (a question's path, an error's file name).
    if (rest.length + line.length > width && line.length <= width) return ownLine(line, rest.length, width);
    return `${rest}${line}`;
  });
}

/**
 * A word on a line of its own (an ARN, a URL, a path), whole: at `indent` when it fits there, else moved
 * left until it fits the width, so the terminal never folds it; a word longer than the whole width (an
 * ACM certificate's ARN is 83 characters) starts at column 0, so the terminal folds as little of it as
 * it can (trial finding 86: at indent 4 its last 7 characters went to column 0 of the next row). Status
 * puts its ARNs on lines of their own this way.
 */
export function ownLine(word: string, indent: number, width: number): string {
  return `${' '.repeat(Math.max(0, Math.min(indent, width - word.length)))}${word}`;
}

function fill(text: string, firstWidth: number, restWidth: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((each) => each !== '')) {
    const room = Math.max(10, lines.length === 0 ? firstWidth : restWidth);
    if (line !== '' && line.length + 1 + word.length > room) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

/**
 * Rows the text takes in a terminal of that width: a line longer than it folds onto more. What a screen
 * fitted to the window counts (the review, the install summary, destroy's plan), not its lines.
 */
export function rowsOf(text: string, width: number): number {
  return text.split('\n').reduce((rows, line) => rows + Math.max(1, Math.ceil(line.length / width)), 0);
}
