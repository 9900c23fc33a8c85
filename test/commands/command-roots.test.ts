import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../support/run-cli.ts';

/**
 * Issue 12's shape, held: every command root in src/commands/ parses options, builds the context, runs
 * a flow from src/flows/ and prints, in well under 100 lines; the logic lives in the flow and below it.
 * validate has no flow: it is the blueprint loader's verdict and graphs, with nothing to ask or change.
 */
const WITHOUT_FLOW = new Set(['validate-command.ts']);

async function commandRoots(): Promise<Array<{ file: string; text: string }>> {
  const folder = join(projectRoot, 'src', 'commands');
  const files = (await readdir(folder)).filter((file) => file.endsWith('-command.ts'));
  return Promise.all(files.map(async (file) => ({ file, text: await readFile(join(folder, file), 'utf8') })));
}

describe('command roots', () => {
  it('are each under 100 lines', async () => {
    const roots = await commandRoots();
    expect(roots.length).toBeGreaterThanOrEqual(9);
    const long = roots
      .map(({ file, text }) => ({ file, lines: text.trimEnd().split('\n').length }))
      .filter(({ lines }) => lines >= 100);
    expect(long).toEqual([]);
  });

  it('each run a flow from src/flows/', async () => {
    const withoutFlow = (await commandRoots())
      .filter(({ text }) => !/from '\.\.\/flows\/[a-z-]+-flow\.ts'/.test(text) || !text.includes('runFlow('))
      .map(({ file }) => file);
    expect(withoutFlow).toEqual([...WITHOUT_FLOW]);
  });
});
