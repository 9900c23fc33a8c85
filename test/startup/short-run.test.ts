import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SHORT_RUN_V8_FLAGS, tuneV8ForShortRun } from '../../src/runtime/short-run.ts';

describe('tuneV8ForShortRun', () => {
  it('turns off the optimizing tier and the growth of the young generation, nothing else', () => {
    const set: string[] = [];
    tuneV8ForShortRun((flag) => set.push(flag));
    expect(set).toEqual(['--no-turbofan', '--semi-space-growth-factor=1']);
    expect(SHORT_RUN_V8_FLAGS).toEqual(set);
  });

  it('gives flags this Node knows (setFlagsFromString would ignore an unknown one)', () => {
    // On the command line an unknown flag is refused ("bad option", exit 9).
    for (const flag of SHORT_RUN_V8_FLAGS) {
      const child = spawnSync(process.execPath, [flag, '-e', '0'], { encoding: 'utf8' });
      expect(`${child.stdout}${child.stderr}`, flag).toBe('');
      expect(child.status, flag).toBe(0);
    }
  });
});
