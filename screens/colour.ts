import chalk from 'chalk';

/**
 * Colour for every Ink screen, as main.ts resolved it: `false` for --no-color or NO_COLOR (Ink's chalk
 * reads FORCE_COLOR and --no-color itself, but not NO_COLOR), undefined to let the terminal decide.
 */
export function useColour(colour: boolean | undefined): void {
  if (colour === false) chalk.level = 0;
}
