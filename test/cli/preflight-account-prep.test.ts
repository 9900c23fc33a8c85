import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CloudFormationClient, CreateStackCommand, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AccountPrepTarget, startAccountPrepTarget } from '../support/account-prep-target.ts';
import { projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

// `stackguide preflight` on a blueprint that switches on every account-preparation step (issue 5),
// against moto and the stand-ins for what moto lacks, as the built CLI an operator runs.

const blueprint = join(projectRoot, 'test', 'fixtures', 'blueprints', 'account-prep');
const PASSWORD = 'pw-Preflight-7c1e9';
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

let target: AccountPrepTarget;
let work: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  [target, work] = await Promise.all([startAccountPrepTarget(), tempDir()]);
});
afterAll(async () => {
  await target?.stop();
  await work?.remove();
});
beforeEach(async () => {
  await target.moto.reset();
  for (const standIn of [target.ses, target.costExplorer, target.quotas, target.registry]) standIn.reset();
  // An account with room: 32 standard vCPUs, and VPC, Elastic IP and NAT gateway quotas of 5.
  target.quotas.setApplied({ serviceCode: 'ec2', quotaCode: 'L-1216C47A', value: 32 });
  target.quotas.setApplied({ serviceCode: 'vpc', quotaCode: 'L-F678F1CE', value: 5 });
  target.quotas.setApplied({ serviceCode: 'ec2', quotaCode: 'L-0263D0A3', value: 5 });
  target.quotas.setApplied({ serviceCode: 'vpc', quotaCode: 'L-FE5A380F', value: 5 });
  target.registry.addUser('osl-builder', PASSWORD);
  await target.shareImage('platform-worker-2024');
});

async function answersFile(deployment: string, workerType = 'm5.large'): Promise<string> {
  const path = join(work.path, `${deployment}.answers.yaml`);
  await writeFile(
    path,
    [
      'blueprint: account-prep',
      `deployment: ${deployment}`,
      'region: us-east-1',
      'answers:',
      `  workerType: ${workerType}`,
      'steps:',
      '  dockerhub:',
      '    username: osl-builder',
      '  calendar:',
      '    url: https://calendar.example.org/lab.ics',
      '    confirmed: true',
      '',
    ].join('\n'),
  );
  return path;
}

const preflight = (answers: string, ...args: string[]) =>
  runCli(
    [
      'preflight',
      '--blueprint',
      blueprint,
      '--config',
      answers,
      '--endpoint-url',
      target.moto.endpoint,
      '--state-dir',
      join(work.path, 'state'),
      ...args,
    ],
    { cwd: work.path, env: { ...target.env, STACKGUIDE_SECRET_DOCKERHUB_PASSWORD: PASSWORD } },
  );

interface Check {
  id: string;
  title: string;
  status: 'pass' | 'warn' | 'fail';
  summary: string;
  fix?: string;
  confirmedByOperator?: true;
}

function checksOf(stdout: string): Check[] {
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { type: string; result?: Check })
    .flatMap((event) => (event.type === 'check.result' && event.result ? [event.result] : []));
}

/** Every line the text output printed for a check: its icon and title, in order. */
function textChecks(stderr: string): string[] {
  return stderr
    .split('\n')
    .map((line) => /^\[\s*\d+s\] ([✔⚠✖☑]) (.+?): /.exec(line))
    .flatMap((match) => (match ? [`${match[1]} ${match[2]}`] : []));
}

const ICON = { pass: '✔', warn: '⚠', fail: '✖' } as const;

describe('stackguide preflight with every account-preparation step', () => {
  it('prints every check with pass, warn or fail and a fix, the JSON carries the same, and nothing changes', async () => {
    const answers = await answersFile('lab');
    const text = await preflight(answers);
    expect(text.code, text.stderr).toBe(0);
    const json = await preflight(answers, '--output', 'json');
    expect(json.code, json.stderr).toBe(0);
    const checks = checksOf(json.stdout);

    // One result per thing the blueprint needs, from every step kind it switches on.
    const steps = new Set(checks.map((check) => check.id.split('.')[0]));
    expect([...steps]).toEqual([
      'deployment',
      'region',
      'roles',
      'quotas',
      'ami',
      'network',
      'ses',
      'dockerhub',
      'costTag',
      'calendar',
    ]);
    // The text shows the same checks, in the same order, with the same outcome.
    // A manual step passes on the operator's word: its mark is ☑, not a check's ✔ (trial finding 100).
    expect(textChecks(text.stdout)).toEqual(
      checks.map((check) => `${check.confirmedByOperator ? '☑' : ICON[check.status]} ${check.title}`),
    );
    // Every check that did not pass says what to do.
    for (const check of checks.filter((c) => c.status !== 'pass')) {
      expect(check.fix, check.id).toMatch(/\w{3,}/);
      expect(text.stdout).toContain(`fix: ${check.fix}`);
    }
    const byId = new Map(checks.map((check) => [check.id, check]));
    expect(byId.get('deployment.name')).toMatchObject({ status: 'pass' });
    expect(byId.get('ses.us-east-1')?.status ?? checks.find((c) => c.id.startsWith('ses'))?.status).toBe(
      'warn',
    );
    expect(checks.find((c) => c.title.includes('Running On-Demand Standard'))).toMatchObject({
      status: 'pass',
      summary: expect.stringContaining('needs 4 vCPUs (m5.large × 2'),
    });
    expect(checks.find((c) => c.title === 'Docker Hub accepts the credentials')).toMatchObject({
      status: 'pass',
    });
    expect(text.stdout).toMatch(/\d+ passed, 1 confirmed by you, \d+ warnings, 0 failed/);

    // Preflight changed nothing: no write reached a stand-in, and moto holds no secret, role or stack.
    expect(target.ses.submissions()).toEqual([]);
    expect(target.costExplorer.requests.map((request) => request.operation)).not.toContain(
      'UpdateCostAllocationTagsStatus',
    );
    const region = 'us-east-1';
    const endpoint = target.moto.endpoint;
    const secrets = new SecretsManagerClient({ region, endpoint, credentials });
    const iam = new IAMClient({ region, endpoint, credentials });
    const cloudFormation = new CloudFormationClient({ region, endpoint, credentials });
    expect((await secrets.send(new ListSecretsCommand({}))).SecretList).toEqual([]);
    const roles = (await iam.send(new ListRolesCommand({ PathPrefix: '/aws-service-role/' }))).Roles ?? [];
    expect(roles.map((role) => role.RoleName)).toEqual([]);
    expect((await cloudFormation.send(new ListStacksCommand({}))).StackSummaries).toEqual([]);
    for (const client of [secrets, iam, cloudFormation]) client.destroy();

    // The password reached the registry's login check, and nothing the tool printed.
    expect(target.registry.attempts).toContain('osl-builder');
    for (const output of [text.stdout, text.stderr, json.stdout, json.stderr])
      expect(output).not.toContain(PASSWORD);
  });

  it('exits 1 when a required check fails, naming the quota, the need, what is available and where to ask', async () => {
    // Two m5.24xlarge workers at once need 192 vCPUs; the account's quota is 32.
    const answers = await answersFile('big', 'm5.24xlarge');
    const result = await preflight(answers, '--output', 'json');
    expect(result.code).toBe(1);
    const vcpus = checksOf(result.stdout).find((c) => c.title.includes('Running On-Demand Standard'));
    expect(vcpus).toMatchObject({ status: 'fail', summary: expect.stringContaining('needs 192 vCPUs') });
    expect(vcpus?.summary).toContain('32 available');
    expect(vcpus?.fix).toContain('L-1216C47A');
    expect(vcpus?.fix).toMatch(/https:\/\/[^ ]*servicequotas/);
    expect(result.stderr).toMatch(/\d+ passed, 1 confirmed by you, \d+ warnings, 1 failed/);
  });

  it('refuses a reserved suffix before any AWS call, and a name whose stacks belong to someone else', async () => {
    const reserved = await answersFile('lab-cluster');
    const refused = await preflight(reserved);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('"lab-cluster" ends in "cluster", which is reserved');

    // A stack named like this deployment's, not created by stackguide for it.
    const cloudFormation = new CloudFormationClient({
      region: 'us-east-1',
      endpoint: target.moto.endpoint,
      credentials,
    });
    await cloudFormation.send(
      new CreateStackCommand({
        StackName: 'taken-main',
        TemplateBody: JSON.stringify({
          Resources: { Topic: { Type: 'AWS::SNS::Topic' } },
        }),
        Tags: [{ Key: 'stackguide:deployment', Value: 'someone-else' }],
      }),
    );
    cloudFormation.destroy();
    const taken = await preflight(await answersFile('taken'), '--output', 'json');
    expect(taken.code).toBe(1);
    expect(checksOf(taken.stdout).find((c) => c.id === 'deployment.name')).toMatchObject({
      status: 'fail',
      summary: 'taken: taken-main (deployment someone-else of another blueprint)',
      fix: expect.stringContaining('Pick another deployment name (--name)'),
    });
  });
});
