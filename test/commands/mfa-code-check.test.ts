import { describe, expect, it } from 'vitest';
import { mfaCodeCheck } from '../../src/commands/command-context.ts';

describe('the MFA code question', () => {
  it('takes six digits and names what it refuses, nothing typed included (trial finding 95)', () => {
    expect(mfaCodeCheck('123456')).toBe(true);
    expect(mfaCodeCheck('')).toBe('The MFA code is empty. Type the 6 digits your device shows.');
    expect(mfaCodeCheck('12345a')).toBe(
      'The MFA code "12345a" is not six digits. Type the 6 digits your device shows.',
    );
  });
});
