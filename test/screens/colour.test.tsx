import chalk from 'chalk';
import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { useColour } from '../../screens/colour.ts';

const level = chalk.level;
afterEach(() => {
  chalk.level = level;
});

describe('colour on the screens', () => {
  it('--no-color and NO_COLOR (colour false) turn every colour off, even where the terminal has them', () => {
    chalk.level = 3;
    expect(render(<Text color="red">replacement</Text>).lastFrame()).toContain('\u001b[');
    useColour(false);
    expect(render(<Text color="red">replacement</Text>).lastFrame()).toBe('replacement');
  });

  it('leaves it otherwise to the terminal the screens draw on (stderr), not to stdout', () => {
    const terminal = (depth: number | undefined) =>
      ({
        isTTY: depth !== undefined,
        hasColors: () => (depth ?? 1) > 1,
        getColorDepth: () => depth ?? 1,
      }) as unknown as NodeJS.WriteStream;
    chalk.level = 0;
    useColour(undefined, terminal(8));
    expect(chalk.level).toBe(2);
    expect(render(<Text color="red">replacement</Text>).lastFrame()).toContain('\u001b[');
    useColour(undefined, terminal(24));
    expect(chalk.level).toBe(3);
    // A terminal without colours, or no terminal: none.
    useColour(undefined, terminal(1));
    expect(chalk.level).toBe(0);
    useColour(undefined, terminal(undefined));
    expect(chalk.level).toBe(0);
    // FORCE_COLOR (colour true) with no terminal: the basic 16.
    useColour(true, terminal(undefined));
    expect(chalk.level).toBe(1);
  });
});
