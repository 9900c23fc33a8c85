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

describe('qhub, guided in a real terminal (120x40) against its lab', () => {
  it('installs with the defaults and auth0_subdomain empty, shows status, re-runs unchanged, destroys', async () => {
    seed = await startGuidedSeed('qhub', { width: 120, height: 40 });
    const { review, asked } = await answerUntilReview(seed, {
      'Domain to serve QHub under': 'aws.qhub.dev',
      'OAuth client id': 'qhub-github-client',
      'Users, as email:uid:group': 'alice@example.com:10000001:admin',
    });
    // The optional questions were asked and left empty (the crash of exit 70 was on one of these).
    expect(asked.some((q) => q.includes('Auth0 subdomain'))).toBe(true);
    expect(asked.some((q) => q.includes('Extra node groups'))).toBe(true);
    expect(review).toContain('1. qhub-aws-infrastructure (4 resources)');
    expect(review).toContain('Domain = aws.qhub.dev');

    const summary = await confirmUntilExit(seed);
    expect(summary).toContain('EXIT=0');
    expect(summary).toMatch(/✔ qhub-aws-infrastructure CREATE_COMPLETE/);
    expect(summary).toContain('✔ qhub-aws is installed');
    expect(summary).toContain(
      'stackguide install --blueprint blueprints/qhub --config qhub-aws.answers.yaml --yes',
    );
    expect(await seed.liveStacks('qhub-aws')).toEqual(['qhub-aws-infrastructure']);

    const folder = seed.lab.folder;
    const answers = await readFile(join(folder, 'qhub-aws.answers.yaml'), 'utf8');
    expect(answers).toContain('client_id: qhub-github-client');
    expect(answers).not.toMatch(/auth0_subdomain|extra_node_groups/);
    const config = await readFile(join(folder, 'qhub-config.yaml'), 'utf8');
    expect(config).toMatch(/project_name: '?qhub-aws'?/);

    const { status } = await afterGuidedInstall(seed, {
      blueprint: 'qhub',
      deployment: 'qhub-aws',
      stacks: ['qhub-aws-infrastructure'],
      answers,
    });
    expect(status.stdout).toContain('deployment qhub-aws · us-east-1 · healthy');
    // The re-run left the file as it was.
    expect(await readFile(join(folder, 'qhub-config.yaml'), 'utf8')).toBe(config);
  }, 240_000);
});
