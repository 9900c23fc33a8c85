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

describe('convox-rack, guided in a small real terminal (80x24) against its lab', () => {
  it('installs with the defaults and every optional question empty, shows status, re-runs unchanged, destroys', async () => {
    // CI set but empty, as some shells and CI wrappers leave it: stackguide reads it as no CI and asks,
    // so the screens must draw (Ink alone read it as CI, drew nothing and the review waited unseen).
    seed = await startGuidedSeed('convox-rack', { width: 80, height: 24 }, { CI: '' });
    const { review, asked } = await answerUntilReview(seed, {
      'Deployment name': 'rack1',
      // The manual step's confirmation, its instructions above it: the operator says it is done.
      'Done, or not needed': 'y',
    });
    // The optional patterned strings were asked and left empty (exit 70 was on one of these).
    for (const optional of [
      'Custom AMI for the rack nodes',
      'Custom AMI for the build node',
      'Instance type of the build node',
    ])
      expect(
        asked.some((q) => q.includes(optional)),
        optional,
      ).toBe(true);
    expect(review).toMatch(/(?:Create|Update) (?:this stack|these \d+ stacks)\?/);

    const summary = await confirmUntilExit(seed);
    expect(summary).toContain('EXIT=0');
    expect(summary).toContain('is installed');
    expect(summary).toContain('✔ rack1 is installed');
    expect(summary).toMatch(/✔ rack1 CREATE_COMPLETE/);
    expect(await seed.liveStacks('rack1')).toEqual(['rack1']);

    const answers = await readFile(join(seed.lab.folder, 'rack1.answers.yaml'), 'utf8');
    // Left empty means not written: the re-run asks nothing and sends the same empty parameters.
    expect(answers).not.toMatch(/^\s+(ami_id|build_ami_id|vpc_id|key_pair_name):/m);

    await afterGuidedInstall(seed, {
      blueprint: 'convox-rack',
      deployment: 'rack1',
      stacks: ['rack1'],
      answers,
    });
  }, 240_000);
});
