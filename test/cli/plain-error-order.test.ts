import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

describe('a run that fails before it said anything, in plain output', () => {
  it('prints its first line, then the error, then how it ended, in that order', async () => {
    const result = await runCli(['install', '--blueprint', 'blueprints/dmeo', '--yes'], {
      env: { CI: 'true' },
    });
    expect(result.code).toBe(2);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('[     0s] install');
    expect(lines[1]).toBe('✖ No blueprint at blueprints/dmeo');
    expect(lines.at(-1)).toBe('[     0s] failed');
  });
});
