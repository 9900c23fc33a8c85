import { commandLines } from './command-lines.ts';
import { hangingWrap, ownLine } from './wrap.ts';

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

/** An ARN in a line's words, with what introduces it: ` (arn:…)` or `: arn:…`. */
const ARN = /(?::\s+|\s*\()?\b(arn:[a-z0-9-]+:[^\s()]*[^\s().,;:])\)?/g;

/**
 * A line's words without the ARNs `out` picks, and those ARNs, for a terminal that shows each on a line
 * of its own: an ARN of 70 characters and more fits under no item's text at 80 columns, and inside the
 * sentence it sat left of the text around it (trial finding 70: preflight's secret ARN at column 2, its
 * sentence going on at column 12).
 */
export function arnsOut(
  text: string,
  out: (arn: string, last: boolean) => boolean = () => true,
): { text: string; arns: string[] } {
  const arns: string[] = [];
  const words = text.replace(ARN, (match, arn: string, at: number) => {
    if (!out(arn, text.slice(at + match.length).trim() === '')) return match;
    arns.push(arn);
    return '';
  });
  if (arns.length === 0) return { text, arns };
  return { text: words.replace(/\s+;/g, ';').replace(/[:;,]\s*$/, ''), arns };
}

function wrapLine(line: string, width: number): string {
  if (line.length <= width) return line;
  const lead = LEAD.exec(line)?.[0] ?? '';
  // A lead that takes half the line leaves no room to read: continue at a small indent instead. A line
  // with no lead (a heading, a paragraph) continues two in, so it never reads as a line of its own.
  const rest = lead.length > width / 2 ? '    ' : lead === '' ? '  ' : ' '.repeat(lead.length);
  // An ARN too long for the text's indent, inside a sentence, goes after the text on a line of its own,
  // as status has it; one that ends the line already does (hangingWrap).
  const { text: body, arns } = arnsOut(
    line.slice(lead.length),
    (arn, last) => !last && rest.length + arn.length > width,
  );
  if (arns.length > 0)
    return [wrapLine(`${lead}${body}`, width), ...arns.map((arn) => ownLine(arn, rest.length, width))].join(
      '\n',
    );
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
