import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  afterGuidedInstall,
  answerUntilReview,
  confirmUntilExit,
  type GuidedSeed,
  startGuidedSeed,
} from '../support/guided-seed-install.ts';

let seed: GuidedSeed | undefined;
afterAll(async () => {
  await seed?.stop();
});

describe('codeocean-vpc, guided in a real terminal (120x40) against its lab', () => {
  it('installs with the defaults and every optional question empty, shows status, re-runs unchanged, destroys', async () => {
    seed = await startGuidedSeed('codeocean-vpc', { width: 120, height: 40 });
    const { review, asked } = await answerUntilReview(seed, {
      'Parent (root) domain': 'example.test',
      // The manual steps' confirmations (Yes by default), their instructions above them: the operator
      // says each is done or not needed.
      'Done, or not needed': 'y',
    });
    // vpcId was asked and left empty (exit 70 was on such an optional question): a new VPC.
    expect(asked.some((q) => q.includes('Existing VPC id (empty to create a new VPC)'))).toBe(true);
    expect(review).toMatch(/Create (?:this stack|these \d+ stacks)\?/);

    const summary = await confirmUntilExit(seed);
    expect(summary).toContain('EXIT=0');
    expect(summary).toContain('is installed');
    expect(summary).toContain('✔ codeocean is installed');
    expect(summary).toMatch(/✔ codeocean CREATE_COMPLETE/);
    expect(await seed.liveStacks('codeocean')).toEqual(['codeocean', 'codeocean-backup']);

    const answers = await readFile(join(seed.lab.folder, 'codeocean.answers.yaml'), 'utf8');
    // Left empty means not written: the re-run asks nothing and sends the same empty parameters.
    expect(answers).not.toMatch(/^\s+vpcId:/m);

    await afterGuidedInstall(seed, {
      blueprint: 'codeocean-vpc',
      deployment: 'codeocean',
      stacks: ['codeocean-backup', 'codeocean'],
      answers,
    });
  }, 240_000);
});
