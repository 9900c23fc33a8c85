import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

let work: { path: string; remove: () => Promise<void> };
beforeAll(async () => {
  work = await tempDir();
});
afterAll(async () => {
  await work?.remove();
});

/** Trial finding 36, as the vendor ran it: a blueprint of their own with a misspelt key and a stack id typo. */
describe('stackguide validate of a blueprint with several mistakes', () => {
  it('names every one in one run, exit 2, and its next step names the folder given', async () => {
    const dir = join(work.path, 'vendor-blueprint');
    await cp(join(projectRoot, 'blueprints', 'demo'), dir, { recursive: true });
    const file = join(dir, 'blueprint.yaml');
    await writeFile(
      file,
      (await readFile(file, 'utf8'))
        .replace('    prompt: Administrator email address', '    promt: Administrator email address')
        .replace('    dependsOn: [data]', '    dependsOn: [dta]'),
    );
    const result = await runCli(['validate', 'vendor-blueprint'], { cwd: work.path });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(
      /questions\[4\]\.promt[\s\S]*unknown key "promt" \(did you mean "prompt"\?\)/,
    );
    expect(result.stderr).toContain('Rename "promt" to "prompt".');
    expect(result.stderr).toMatch(/stacks\[1\]\.dependsOn\[0\][\s\S]*"dta" is not a stack id/);
    expect(result.stderr).toContain('(did you mean "data"?)');
    expect(result.stderr).toContain('stackguide validate vendor-blueprint');
    expect(result.stderr).not.toMatch(/Invalid input|Unrecognized key|<folder>/);
    expect(result.stdout).toBe('');
  });
});
