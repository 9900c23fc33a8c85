import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const biome = join(root, 'node_modules/.bin/biome');

/**
 * The boundary rules live in biome.json (`npm run check` runs them on the repository). Here they run on
 * a small throwaway tree that breaks each rule once, next to files that keep them, so a rule that
 * stopped matching fails this test instead of passing silently.
 */
const files: Record<string, string> = {
  // Violations.
  'src/events.ts':
    "import type { Blueprint } from './blueprint/blueprint.ts';\nexport type Seen = Blueprint;\n",
  'src/blueprint/blueprint.ts': 'export interface Blueprint { id: string }\n',
  'src/install/uses-sdk.ts':
    "import { S3Client } from '@aws-sdk/client-s3';\nexport const client = (): S3Client => new S3Client({});\n",
  'src/install/opens-screen.ts':
    "export const screen = async (): Promise<unknown> => import('../../screens/Panel.tsx');\n",
  'src/install/runs-tasks.ts': "export type { Task } from '../../tasks/some-task.ts';\n",
  'src/steps/circle-a.ts': "import type { B } from './circle-b.ts';\nexport interface A { b?: B }\n",
  'src/steps/circle-b.ts': "import type { A } from './circle-a.ts';\nexport interface B { a?: A }\n",
  'screens/Panel.tsx': "import { Listr } from 'listr2';\nexport const Panel = (): unknown => Listr;\n",
  'tasks/some-task.ts': "import type { STS } from '@aws-sdk/client-sts';\nexport type Task = STS;\n",
  // Allowed.
  'src/aws/s3-adapter.ts':
    "import { S3Client } from '@aws-sdk/client-s3';\nexport const s3 = (): S3Client => new S3Client({});\n",
  'src/commands/install-command.ts':
    "import type { Task } from '../../tasks/some-task.ts';\nexport const screen = async (): Promise<unknown> => import('../../screens/Panel.tsx');\nexport type T = Task;\n",
};

let tree: string;

beforeAll(async () => {
  tree = await mkdtemp(join(tmpdir(), 'stackguide-boundaries-'));
  await cp(join(root, 'biome.json'), join(tree, 'biome.json'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(tree, path)), { recursive: true });
    await writeFile(join(tree, path), text);
  }
});

afterAll(async () => {
  await rm(tree, { recursive: true, force: true });
});

/** `file rule` pairs Biome reports, from its text output. */
async function violations(): Promise<string[]> {
  const result = await run(biome, ['lint', '--max-diagnostics=none', '.'], { cwd: tree }).then(
    (ok) => ({ ...ok, failed: false }),
    (error: { stdout: string; stderr: string }) => ({ ...error, failed: true }),
  );
  expect(result.failed).toBe(true);
  const found = `${result.stdout}\n${result.stderr}`.matchAll(/^(\S+?):\d+:\d+ (lint\/\S+)/gm);
  return [...new Set([...found].map(([, file, rule]) => `${file} ${rule}`))].sort();
}

describe('boundary rules (biome.json)', () => {
  it('fails on each deliberate violation and on nothing else', async () => {
    expect(await violations()).toEqual(
      [
        'screens/Panel.tsx lint/style/noRestrictedImports',
        'src/events.ts lint/style/noRestrictedImports',
        'src/install/opens-screen.ts lint/style/noRestrictedImports',
        'src/install/runs-tasks.ts lint/style/noRestrictedImports',
        'src/install/uses-sdk.ts lint/style/noRestrictedImports',
        'src/steps/circle-a.ts lint/suspicious/noImportCycles',
        'src/steps/circle-b.ts lint/suspicious/noImportCycles',
        'tasks/some-task.ts lint/style/noRestrictedImports',
      ].sort(),
    );
  });
});
