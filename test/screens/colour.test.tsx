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

  it('leaves the terminal to decide otherwise', () => {
    chalk.level = 3;
    useColour(undefined);
    expect(render(<Text color="red">replacement</Text>).lastFrame()).toContain('\u001b[');
  });
});
