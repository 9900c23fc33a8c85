import { styleText } from 'node:util';
import chalk from 'chalk';

/**
 * Colour for every screen, Ink's and the prompts', decided once: `colour` is what main.ts resolved
 * (--no-color, then FORCE_COLOR, then NO_COLOR); undefined leaves it to the terminal the screens draw
 * on, which is stderr. chalk and node's styleText (which @inquirer/prompts uses) would otherwise ask
 * stdout, so `install > out.txt` in a colour terminal lost every colour, and --no-color reached neither.
 */
export function colourOn(colour: boolean | undefined, stream: NodeJS.WriteStream = process.stderr): boolean {
  return colour ?? (stream.isTTY === true && stream.hasColors());
}

/** chalk's level (Ink draws through chalk) for the screens' stream: 0 off, 1 16 colours, 2 256, 3 true colour. */
export function useColour(colour: boolean | undefined, stream: NodeJS.WriteStream = process.stderr): void {
  if (!colourOn(colour, stream)) {
    chalk.level = 0;
    return;
  }
  const depth = stream.isTTY ? stream.getColorDepth() : 4;
  chalk.level = depth >= 24 ? 3 : depth >= 8 ? 2 : 1;
}

type Style = Parameters<typeof styleText>[0];

/** styleText for the screens' stream as decided above, not for whatever stdout is. */
export function painter(on: boolean): (style: Style, text: string) => string {
  return (style, text) => (on ? styleText(style, text, { validateStream: false }) : text);
}
