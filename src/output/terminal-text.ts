import { commandLines } from './command-lines.ts';
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
 * (✔ ✖ ⚠ ? • → …, or a list's `-`, `=`, `!`, `1.` as the destroy plan has them) and a
 * `fix:`/`next:` label, so the text continues under its own first word.
 */
const LEAD = /^\s*(?:\[[^\]\n]{1,12}\]\s+)?(?:(?:[✔✖⚠?•→…☐=!-]|\d{1,3}\.)\s+)?(?:(?:fix|next|warning):\s+)?/u;

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

/**
 * A command the line ends with, after `: ` or as the whole line (`stackguide install --blueprint …`, with
 * any `NAME=value` before it): an option in it says it is a command, not a sentence naming one.
 */
const TRAILING_COMMAND = /(?:^|: )((?:[A-Z][A-Z0-9_]*=\S+ )*stackguide [a-z-]+ .*--.*)$/;

function wrapLine(line: string, width: number): string {
  if (line.length <= width) return line;
  const lead = LEAD.exec(line)?.[0] ?? '';
  // A lead that takes half the line leaves no room to read: continue at a small indent instead. A line
  // with no lead (a heading, a paragraph) continues two in, so it never reads as a line of its own.
  const rest = lead.length > width / 2 ? '    ' : lead === '' ? '  ' : ' '.repeat(lead.length);
  const body = line.slice(lead.length);
  const command = TRAILING_COMMAND.exec(body);
  if (!command?.[1] || command[1].includes('`')) return hangingWrap(lead, body, rest, width).join('\n');
  // A command wrapped by words would break when pasted (trial finding 52): it goes on lines of its own,
  // cut before its options with a trailing `\`, as the install summary prints its commands.
  const prose = body.slice(0, body.length - command[1].length).trimEnd();
  const commandText = commandLines(command[1], width, rest);
  if (prose === '')
    return [`${lead}${(commandText[0] ?? '').slice(rest.length)}`, ...commandText.slice(1)].join('\n');
  return [...hangingWrap(lead, prose, rest, width), ...commandText].join('\n');
}
