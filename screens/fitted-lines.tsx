import { Box, Text } from 'ink';
import { rowsOf } from '../src/output/wrap.ts';

/**
 * One line of a screen laid out to the window (the review, the install summary): its text within
 * the width, its colour, and the span of it shown bold (a heading, a stack's name).
 */
export interface ScreenLine {
  text: string;
  bold?: [number, number];
  dim?: boolean;
  color?: string;
}

/**
 * The layout that fits `room` rows of a terminal `width` columns wide, folding as little as it takes:
 * `layout(level)` for each level in turn (0 folds nothing; each level folds what the one before did
 * and more) until one fits, else the most folded. Rows are counted as the terminal shows them: a line
 * longer than the width (a URL kept whole) folds onto more, as destroy's plan counts them (trial
 * finding 93: opensarlab's review was counted by lines). Without a known height (`room` infinite: no
 * terminal) nothing is folded.
 */
export function foldToFit(
  levels: number,
  room: number,
  width: number,
  layout: (level: number) => ScreenLine[],
): ScreenLine[] {
  let lines: ScreenLine[] = [];
  for (let level = 0; level < levels; level += 1) {
    lines = layout(level);
    if (screenRows(lines, width) <= room) break;
  }
  return lines;
}

/**
 * The rows these lines take in a terminal `width` columns wide. A line with no text takes none: Ink
 * draws an empty <Text> as no row at all (seen in tmux), so the install summary's empty lines, counted
 * as rows, folded it more than its window needed.
 */
export function screenRows(lines: readonly ScreenLine[], width: number): number {
  const drawn = lines.filter((line) => line.text !== '');
  return drawn.length === 0 ? 0 : rowsOf(drawn.map((line) => line.text).join('\n'), width);
}

/** The rows a screen may use: the window's height less what stays under it, unbounded without one. */
export function roomIn(rows: number | undefined, keep: number): number {
  return rows === undefined ? Number.POSITIVE_INFINITY : rows - keep;
}

export function ScreenLines({ lines }: { lines: readonly ScreenLine[] }) {
  return (
    <Box flexDirection="column">
      {lines.map((line, index) => (
        <Text
          // biome-ignore lint/suspicious/noArrayIndexKey: a layout is drawn whole, its lines never move.
          key={index}
          dimColor={line.dim === true}
          {...(line.color ? { color: line.color } : {})}
        >
          {line.bold ? (
            <>
              {line.text.slice(0, line.bold[0])}
              <Text bold>{line.text.slice(line.bold[0], line.bold[1])}</Text>
              {line.text.slice(line.bold[1])}
            </>
          ) : (
            line.text
          )}
        </Text>
      ))}
    </Box>
  );
}
