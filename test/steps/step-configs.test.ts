import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stepConfigs } from '../../src/steps/step-configs.ts';
import { stepKinds } from '../../src/steps/step-kinds.ts';

/** The module specifiers a source file imports, type-only imports included. */
async function importsOf(path: string): Promise<string[]> {
  const source = await readFile(path, 'utf8');
  return [...source.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm)].map(
    (match) => match[1] ?? '',
  );
}

describe('step kinds: vocabulary apart from implementation', () => {
  it('lists the same kinds in the same order, each step built on its own config module', () => {
    expect(stepKinds.map((step) => step.kind)).toEqual(stepConfigs.map((config) => config.kind));
    for (const [index, step] of stepKinds.entries()) {
      const config = stepConfigs[index];
      expect(step.configSchema, step.kind).toBe(config?.configSchema);
      expect(step.description, step.kind).toBe(config?.description);
      expect(step.outputs, step.kind).toBe(config?.outputs);
    }
  });

  it('keeps every config module free of steps, ports and the SDK: it imports only zod', async () => {
    const folders = (await readdir('src/steps', { withFileTypes: true })).filter((entry) =>
      entry.isDirectory(),
    );
    const configFiles = (
      await Promise.all(
        folders.map(async (folder) =>
          (
            await readdir(join('src/steps', folder.name))
          )
            .filter((name) => name.endsWith('-config.ts'))
            .map((name) => join('src/steps', folder.name, name)),
        ),
      )
    ).flat();
    expect(configFiles).toHaveLength(stepConfigs.length);
    for (const file of configFiles)
      expect(await importsOf(file), file).toEqual(expect.arrayContaining(['zod']));
    for (const file of [...configFiles, 'src/steps/step-config.ts']) {
      const outside = (await importsOf(file)).filter(
        (from) => from !== 'zod' && from !== '../step-config.ts',
      );
      expect(outside, file).toEqual([]);
    }
    const list = (await importsOf('src/steps/step-configs.ts')).filter(
      (from) => !/^\.\/[a-z-]+\/[a-z-]+-config\.ts$/.test(from) && from !== './step-config.ts',
    );
    expect(list).toEqual([]);
  });
});
