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
    // A word too long for the indent (an ARN) moves left until it fits, so the terminal never folds it.
    if (rest.length + line.length > width && line.length <= width)
      return `${' '.repeat(width - line.length)}${line}`;
    return `${rest}${line}`;
  });
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
