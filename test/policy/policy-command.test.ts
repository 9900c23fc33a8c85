import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadBlueprint } from '../../src/blueprint/load-blueprint.ts';
import { policyCommand } from '../../src/commands/policy-command.ts';
import { policySummary } from '../../src/output/policy-summary.ts';
import { buildPolicies, MANAGED_POLICY_LIMIT, policySize } from '../../src/policy/operator-policy.ts';
import { projectRoot } from '../support/run-cli.ts';

const demo = join(projectRoot, 'blueprints', 'demo');

/** Runs the command in process, with what it writes to stdout and stderr. */
async function run(options: Parameters<typeof policyCommand>[0]) {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  const code = await policyCommand(options);
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('policyCommand', () => {
  it('takes the deployment and region from the answers file, and the flags over it', async () => {
    const fromFile = await run({ blueprint: demo, config: join(demo, 'answers.yaml') });
    expect(fromFile.code).toBe(0);
    expect(fromFile.stderr).toMatch(/^Operator policy for demo in us-east-1/);
    const flags = await run({
      blueprint: demo,
      config: join(demo, 'answers.yaml'),
      name: 'shop',
      region: 'us-west-2',
    });
    expect(flags.stdout).toContain('arn:aws:cloudformation:us-west-2:*:stack/shop-data/*');
    expect(flags.stderr).toMatch(/^Operator policy for shop in us-west-2/);
  });

  it('without answers or flags, writes the blueprint default name for any region', async () => {
    const { stdout, stderr } = await run({ blueprint: demo });
    expect(stderr).toMatch(/^Operator policy for demo in any region/);
    expect(stdout).toContain('arn:aws:cloudformation:*:*:stack/demo-data/*');
  });

  it('with --service-role, holds both documents and says how to create and pass the role', async () => {
    const { stdout, stderr } = await run({ blueprint: demo, name: 'shop', serviceRole: true });
    const both = JSON.parse(stdout) as { serviceRole: { arn: string } };
    expect(stderr).toContain(
      `Service role stackguide-shop-cloudformation (trusts cloudformation.amazonaws.com): create it with serviceRole.policy and serviceRole.trustPolicy, then pass --role-arn ${both.serviceRole.arn}`,
    );
  });

  it.each([
    [{ name: 'x_y' }, 'policy.name'],
    [{ region: 'ap-south-9' }, 'policy.region'],
  ])('refuses %j before writing anything', async (flags, code) => {
    await expect(run({ blueprint: demo, ...flags })).rejects.toMatchObject({ code, exitCode: 2 });
  });
});

describe('policySummary', () => {
  it("notes a document over IAM's limit for one managed policy", async () => {
    const policies = buildPolicies(await loadBlueprint(demo), {}, { serviceRole: false });
    const big = {
      ...policies,
      operator: {
        ...policies.operator,
        Statement: [
          ...policies.operator.Statement,
          {
            Sid: 'Padding',
            Effect: 'Allow' as const,
            Action: Array.from({ length: 400 }, (_, i) => `s3:A${i}`),
            Resource: '*',
          },
        ],
      },
    };
    expect(policySize(big.operator)).toBeGreaterThan(MANAGED_POLICY_LIMIT);
    expect(policySummary(big, { deployment: undefined, region: undefined })).toMatch(
      /Note: the operator policy is \d+ characters, over IAM's 6144 for one managed policy/,
    );
    expect(policySummary(policies, { deployment: 'demo', region: 'us-east-1' })).not.toContain('Note:');
  });

  it('at 80 columns: wrapped by words under each statement, each reason said once (trial finding 69)', async () => {
    const policies = buildPolicies(
      await loadBlueprint(join(projectRoot, 'blueprints', 'opensarlab')),
      {},
      {
        serviceRole: false,
      },
    );
    const text = policySummary(policies, { deployment: undefined, region: undefined }, 80);
    const lines = text.trimEnd().split('\n');
    expect(lines.filter((line) => line.length > 80)).toEqual([]);
    // A statement's continuation goes under its text, never back to column 0.
    expect(lines.slice(1).filter((line) => !line.startsWith('  '))).toEqual([]);
    expect(lines).toContain(
      '  CodeCommitRepositories: 2 actions on the CodeCommit repositories *-container,',
    );
    expect(lines).toContain('      *-cluster');
    // A step's uses in one phrase, its kind named once and only when it is not its id.
    expect(text).toContain(
      'for install, status, destroy: check and apply the certificate step, and\n      remove what it made',
    );
    expect(text).toContain('for install, status: check and apply the dockerhub step (registrySecret)');
    expect(text).toContain('check and apply the ses,\n      costTag and certificate steps');
    expect(text).not.toContain('(certificate)');
    // The four tagged-EBS statements share one reason: said once, after the last of them.
    expect(text).toContain(
      [
        '  TaggedVolumes1: 1 action on EBS volumes tagged stackguide:deployment=*',
        '  TaggedVolumes2: 1 action on EBS volumes tagged osl-stackname=*',
        '  TaggedSnapshots1: 1 action on EBS snapshots tagged stackguide:deployment=*',
        '  TaggedSnapshots2: 1 action on EBS snapshots tagged osl-stackname=*',
        '    for destroy: find and delete the EBS volumes and snapshots tagged with the',
        '      deployment',
      ].join('\n'),
    );
    expect(text.match(/for destroy: find and delete the EBS/g)).toHaveLength(1);
    // Without a width (a pipe), one line per statement and one per reason.
    const whole = policySummary(policies, { deployment: undefined, region: undefined });
    expect(whole).toContain(
      '\n  CodeCommitRepositories: 2 actions on the CodeCommit repositories *-container, *-cluster\n',
    );
    expect(whole).toContain("\n    for every command: read the deployment's stacks;");
  });
});
