import { describe, expect, it } from 'vitest';
import { decideOutputMode, runsInCi } from '../../src/commands/output-mode.ts';

const terminal = { stdin: true, stderr: true };

describe('who may talk to the operator', () => {
  it('asks at a terminal, and not in a CI job, whichever variable says so', () => {
    expect(decideOutputMode({}, {}, terminal)).toEqual({ interactive: true, json: false });
    expect(decideOutputMode({}, { CI: 'true' }, terminal).interactive).toBe(false);
    expect(decideOutputMode({}, { CONTINUOUS_INTEGRATION: '1' }, terminal).interactive).toBe(false);
  });

  it('reads an empty, false or 0 CI as no CI job (the screens are then told they are interactive)', () => {
    for (const value of ['', 'false', '0']) {
      expect(runsInCi({ CI: value }), value).toBe(false);
      expect(decideOutputMode({}, { CI: value }, terminal).interactive, value).toBe(true);
    }
    expect(runsInCi({ CI: 'woodpecker' })).toBe(true);
  });

  it('gives plain lines to a terminal that cannot move the cursor, to --no-input and to json', () => {
    expect(decideOutputMode({}, { TERM: 'dumb' }, terminal).interactive).toBe(false);
    expect(decideOutputMode({ input: false }, {}, terminal).interactive).toBe(false);
    expect(decideOutputMode({ output: 'json' }, {}, terminal)).toEqual({ interactive: false, json: true });
    expect(decideOutputMode({}, {}, { stdin: false, stderr: true }).interactive).toBe(false);
  });
});
