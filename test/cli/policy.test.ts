import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

let work: { path: string; remove: () => Promise<void> };
// Any AWS call would go here and fail: the command must never make one.
const noAws = {
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  AWS_ACCESS_KEY_ID: undefined,
  AWS_SECRET_ACCESS_KEY: undefined,
};

beforeAll(async () => {
  work = await tempDir();
});
afterAll(async () => {
  await work?.remove();
});

describe('stackguide policy', () => {
  it('prints the operator policy for the answers file as JSON on stdout and what each statement is for on stderr', async () => {
    const result = await runCli(['policy', 'blueprints/demo', '--config', 'blueprints/demo/answers.yaml'], {
      env: noAws,
    });
    expect(result.code, result.stderr).toBe(0);
    const policy = JSON.parse(result.stdout) as {
      Version: string;
      Statement: Array<{ Sid: string; Resource: unknown }>;
    };
    expect(policy.Version).toBe('2012-10-17');
    expect(policy.Statement.find((s) => s.Sid === 'DeploymentLock')?.Resource).toBe(
      'arn:aws:ssm:us-east-1:*:parameter/stackguide/locks/demo',
    );
    expect(result.stderr).toContain('Operator policy for demo in us-east-1');
    expect(result.stderr).toMatch(/DeploymentStacks: \d+ actions on the stacks demo-data, demo-app/);
    expect(result.stderr).toContain('TemplateResources:');
  });

  it('with --service-role prints both documents and says how to pass the role', async () => {
    const result = await runCli(
      ['policy', 'blueprints/demo', '--name', 'shop', '--region', 'us-west-2', '--service-role'],
      {
        env: noAws,
      },
    );
    expect(result.code, result.stderr).toBe(0);
    const both = JSON.parse(result.stdout) as {
      operatorPolicy: { Statement: Array<{ Sid: string }> };
      serviceRole: { name: string; arn: string; policy: unknown; trustPolicy: unknown };
    };
    expect(both.operatorPolicy.Statement.map((s) => s.Sid)).toContain('PassServiceRole');
    expect(both.serviceRole.name).toBe('stackguide-shop-cloudformation');
    expect(result.stderr).toContain(`--role-arn ${both.serviceRole.arn}`);
  });

  it.each([
    [['--name', 'Bad_Name'], '--name'],
    [['--region', 'mars-1'], '--region'],
  ])('refuses %j with exit 2 before anything else', async (flags, where) => {
    const result = await runCli(['policy', 'blueprints/demo', ...flags], { env: noAws });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(where);
  });

  it("refuses another blueprint's answers file, and a folder with no blueprint, with exit 2", async () => {
    const answers = join(work.path, 'other.answers.yaml');
    await writeFile(answers, 'blueprint: qhub\nanswers: {}\n');
    const wrong = await runCli(['policy', 'blueprints/demo', '--config', answers], { env: noAws });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('"qhub"');
    const missing = await runCli(['policy', work.path], { env: noAws });
    expect(missing.code).toBe(2);
  });
});
