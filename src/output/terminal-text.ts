import { hangingWrap } from './wrap.ts';

/**
 * The width to wrap human text at on this stream: its columns when it is a terminal, else none. A pipe
 * or a file gets every line whole (a script greps whole lines, a log viewer wraps for itself).
 */
export function terminalColumns(stream: { isTTY?: boolean; columns?: number }): number | undefined {
  return stream.isTTY ? stream.columns || 80 : undefined;
}

/**
 * What a wrapped line's continuation goes under: its indent, a `[   12s]` elapsed time, a mark
 * (✔ ✖ ⚠ ? • → …) and a `fix:`/`next:` label, so the text continues under its own first word.
 */
const LEAD = /^\s*(?:\[[^\]\n]{1,12}\]\s+)?(?:[✔✖⚠?•→…☐]\s+)?(?:(?:fix|next|warning):\s+)?/u;

/**
 * Plain text (an error, a plain-mode line, preflight's lines) wrapped by words to `width`, each line on
 * its own: a continuation is indented under the text it continues. Without a width, unchanged. A word
 * longer than a line stays whole (see hangingWrap).
 */
export function wrapToWidth(text: string, width: number | undefined): string {
  if (width === undefined) return text;
  return text
    .split('\n')
    .map((line) => wrapLine(line, width))
    .join('\n');
}

function wrapLine(line: string, width: number): string {
  if (line.length <= width) return line;
  const lead = LEAD.exec(line)?.[0] ?? '';
  // A lead that takes half the line leaves no room to read: continue at a small indent instead.
  const rest = lead.length > width / 2 ? '    ' : ' '.repeat(lead.length);
  return hangingWrap(lead, line.slice(lead.length), rest, width).join('\n');
}
