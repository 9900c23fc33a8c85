import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runFlow } from '../../src/flows/flow.ts';
import { policyFlow } from '../../src/flows/policy-flow.ts';
import { projectRoot } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

const demo = join(projectRoot, 'blueprints', 'demo');
let work: { path: string; remove: () => Promise<void> };

beforeEach(async () => {
  work = await tempDir();
});
afterEach(async () => {
  await work.remove();
});

/** The demo answers file with `key: value` lines replaced. */
async function answersWith(changes: Record<string, string>): Promise<string> {
  let text = await readFile(join(demo, 'answers.yaml'), 'utf8');
  for (const [key, value] of Object.entries(changes))
    text = text.replace(new RegExp(`^${key}: .*$`, 'm'), `${key}: ${value}`);
  const path = join(work.path, 'answers.yaml');
  await writeFile(path, text);
  return path;
}

describe('policyFlow', () => {
  it('scopes the policies to the answers file, the flags winning over it', async () => {
    const configPath = await answersWith({});
    const fromFile = await runFlow(policyFlow(), { blueprintPath: demo, configPath, serviceRole: false });
    expect(fromFile).toMatchObject({ deployment: 'demo', region: 'us-east-1' });
    expect(fromFile.policies.serviceRole).toBeUndefined();
    const flags = await runFlow(policyFlow(), {
      blueprintPath: demo,
      configPath,
      deployment: 'shop',
      region: 'us-west-2',
      serviceRole: true,
    });
    expect(flags).toMatchObject({ deployment: 'shop', region: 'us-west-2' });
    expect(flags.policies.serviceRole?.name).toBe('stackguide-shop-cloudformation');
  });

  it('names the answers file, not a flag, when the name or region it holds is refused', async () => {
    const badName = await answersWith({ deployment: 'x_y' });
    await expect(
      runFlow(policyFlow(), { blueprintPath: demo, configPath: badName, serviceRole: false }),
    ).rejects.toMatchObject({ code: 'policy.name', exitCode: 2, details: [{ path: 'deployment' }] });
    const badRegion = await answersWith({ region: 'ap-south-9' });
    await expect(
      runFlow(policyFlow(), { blueprintPath: demo, configPath: badRegion, serviceRole: false }),
    ).rejects.toMatchObject({ code: 'policy.region', exitCode: 2, details: [{ path: 'region' }] });
  });

  it('refuses an answers file of another blueprint', async () => {
    const other = await answersWith({ blueprint: 'qhub' });
    await expect(
      runFlow(policyFlow(), { blueprintPath: demo, configPath: other, serviceRole: false }),
    ).rejects.toMatchObject({ exitCode: 2 });
  });
});
