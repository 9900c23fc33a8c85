import { type BlueprintGraphs, graphText } from '../graph/graph-text.ts';
import { wrapToWidth } from './terminal-text.ts';

/**
 * What `validate` prints on a clean bill: the verdict, then the graphs, wrapped by words to `width` (the
 * terminal's columns; none for a pipe), a numbered line continuing under its text (trial finding 70:
 * "calendar, ce" / "rtificate" was cut by the terminal at 80 columns).
 */
export function validateText(verdict: string, graphs: BlueprintGraphs, width: number | undefined): string {
  return `${wrapToWidth([verdict, ...graphText(graphs)].join('\n'), width)}\n`;
}
