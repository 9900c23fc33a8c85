import { describe, expect, it } from 'vitest';
import { compareVersions } from '../../src/install/deployed-version.ts';

describe('compareVersions', () => {
  it('orders dotted numbers as numbers and a pre-release before its release', () => {
    expect(compareVersions('1.10.0', '1.9.0')).toBe(1);
    expect(compareVersions('1.0.0', '1.0')).toBe(0);
    expect(compareVersions('2.0.0-rc.1', '2.0.0')).toBe(-1);
    expect(compareVersions('2.0.0-rc.10', '2.0.0-rc.9')).toBe(1);
    expect(compareVersions('3.19.0', '3.2.0')).toBe(1);
    expect(compareVersions('1.0.0', '1.0.1')).toBe(-1);
  });
});
