import { describe, expect, it } from 'vitest';
import { foldToFit, roomIn, screenRows } from '../../screens/fitted-lines.tsx';

describe('foldToFit', () => {
  // A URL kept whole is longer than the window: the terminal folds it onto three rows (trial finding 93).
  const url = `https://${'a'.repeat(150)}.example`;
  const layouts = [
    [{ text: 'Review: one' }, { text: url }],
    [{ text: 'Review: one' }, { text: 'folded' }],
  ];

  it('counts the rows a line takes as the terminal folds it, not the lines', () => {
    expect(screenRows(layouts[0] ?? [], 80)).toBe(4);
    expect(screenRows([{ text: 'x' }, { text: 'x'.repeat(81) }], 80)).toBe(3);
    // Ink draws an empty line as no row at all (seen in tmux): it takes none.
    expect(screenRows([{ text: '' }, { text: 'x'.repeat(80) }, { text: '' }], 80)).toBe(1);
    expect(screenRows([{ text: '' }], 80)).toBe(0);
    // Two lines fit 3 rows only once the long one is folded away.
    expect(foldToFit(2, 3, 80, (level) => layouts[level] ?? [])).toEqual(layouts[1]);
    expect(foldToFit(2, 4, 80, (level) => layouts[level] ?? [])).toEqual(layouts[0]);
  });

  it('folds nothing without a known height', () => {
    expect(roomIn(undefined, 3)).toBe(Number.POSITIVE_INFINITY);
    expect(foldToFit(2, roomIn(undefined, 3), 80, (level) => layouts[level] ?? [])).toEqual(layouts[0]);
    expect(roomIn(24, 3)).toBe(21);
  });
});
