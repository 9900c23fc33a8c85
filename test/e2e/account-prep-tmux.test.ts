import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import {
  GetSecretValueCommand,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccountPrepTarget, startAccountPrepTarget } from '../support/account-prep-target.ts';
import { cliPath, projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { openTmuxTerminal, operatorEnv, type TmuxTerminal } from '../support/tmux-terminal.ts';

// Issue 5's second done-when: the SES request, the registry secret and the service-linked roles in
// `stackguide install`, interactively in a real terminal and unattended from the answers file it wrote;
// a re-run changes nothing; the password is masked on screen and appears in no file and no output.

const blueprint = join(projectRoot, 'test', 'fixtures', 'blueprints', 'account-prep');
const PASSWORD = 'pw-Tmux-Only-5b3f1d';
const USE_CASE =
  'The lab platform sends sign-up verification codes and password resets only to students who registered, ' +
  'about 50 a day; bounces and complaints go to the suppression list.';
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

let target: AccountPrepTarget;
let work: { path: string; remove: () => Promise<void> };
let terminal: TmuxTerminal | undefined;
/** Everything the tool printed, to search for the password at the end. */
const outputs: string[] = [];

beforeAll(async () => {
  [target, work] = await Promise.all([startAccountPrepTarget(), tempDir()]);
  for (const [serviceCode, quotaCode] of [
    ['ec2', 'L-1216C47A'],
    ['vpc', 'L-F678F1CE'],
    ['ec2', 'L-0263D0A3'],
    ['vpc', 'L-FE5A380F'],
  ] as const)
    target.quotas.setApplied({ serviceCode, quotaCode, value: 32 });
  target.registry.addUser('osl-builder', PASSWORD);
  await target.shareImage('platform-worker-2024');
});
afterAll(async () => {
  await terminal?.kill();
  await target?.stop();
  await work?.remove();
});

const region = 'us-east-1';
const secrets = () => new SecretsManagerClient({ region, endpoint: target.moto.endpoint, credentials });

async function whatAwsHolds() {
  const secretsClient = secrets();
  const iam = new IAMClient({ region, endpoint: target.moto.endpoint, credentials });
  try {
    const listed = await secretsClient.send(new ListSecretsCommand({}));
    const secret = listed.SecretList?.find((entry) => entry.Name === 'dockerhub/creds');
    const versions = secret
      ? await secretsClient.send(new ListSecretVersionIdsCommand({ SecretId: 'dockerhub/creds' }))
      : { Versions: [] };
    const roles = await iam.send(new ListRolesCommand({ PathPrefix: '/aws-service-role/' }));
    return {
      secretVersions: (versions.Versions ?? []).map((version) => version.VersionId).sort(),
      roles: (roles.Roles ?? []).map((role) => role.Arn).sort(),
      sesSubmissions: target.ses.submissions(region).length,
    };
  } finally {
    secretsClient.destroy();
    iam.destroy();
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  const files: string[] = [];
  for (const entry of entries) if ((await stat(join(dir, entry))).isFile()) files.push(join(dir, entry));
  return files;
}

describe('account preparation in stackguide install', () => {
  it('requests SES production access, stores the registry secret and creates the roles, interactively', async () => {
    terminal = await openTmuxTerminal(
      `${process.execPath} ${cliPath} install --blueprint ${blueprint} --state-dir state`,
      {
        cwd: work.path,
        env: operatorEnv(work.path, target.env),
        width: 110,
        height: 50,
      },
    );
    const t = terminal;
    await t.waitFor('Install into account 123456789012');
    await t.press('Enter');
    await t.waitFor('Which AWS region?');
    await t.press('Enter');
    await t.waitFor('Deployment name');
    await t.press({ text: 'lab' }, 'Enter');
    await t.waitFor('Worker instance type');
    await t.press('Enter');

    await t.waitFor(/SES in us-east-1 is in the sandbox .* Request production access/);
    await t.press('Enter');
    await t.waitFor('What kind of email does the platform send?');
    await t.press('Enter');
    await t.waitFor('Website of the service');
    await t.press({ text: 'https://lab.example.edu' }, 'Enter');
    await t.waitFor('How will you use SES?');
    await t.press({ text: USE_CASE }, 'Enter');
    await t.waitFor('Other addresses AWS may contact');
    await t.press('Enter');
    await t.waitFor('Language AWS should answer in');
    await t.press('Enter');

    await t.waitFor('Docker Hub username');
    await t.press({ text: 'osl-builder' }, 'Enter');
    await t.waitFor('Docker Hub password or access token for osl-builder');
    await t.press({ text: PASSWORD });
    // Masked as it is typed: a fixed text, neither the characters nor how many; Ctrl+T reveals nothing.
    const typing = await t.waitFor('[input is masked]');
    await t.press('C-t');
    for (let i = 0; i + 4 <= PASSWORD.length; i++) expect(typing).not.toContain(PASSWORD.slice(i, i + 4));
    expect(typing).not.toMatch(/\*{4,}/);
    expect(await t.screen()).not.toContain(PASSWORD.slice(0, 4));
    await t.press('Enter');

    await t.waitFor('iCal URL of the notification calendar');
    await t.press({ text: 'https://calendar.example.org/lab.ics' }, 'Enter');
    await t.waitFor('The calendar is public?');
    await t.press('y', 'Enter');

    // The review lists what each step will change before anything is.
    const review = await t.waitFor(/Create this stack\?/);
    expect(review).toMatch(/create service-linked role for autoscaling\.amazonaws\.com/);
    expect(review).toMatch(/request SES production access in us-east-1: PutAccountDetails \(TRANSACTIONAL/);
    expect(review).toMatch(/create secret dockerhub\/creds: Docker Hub credentials of osl-builder/);
    // The secret's ARN is made by the step, named by its title as every row names steps.
    expect(review.replace(/\s+/g, ' ')).toContain(
      'RegistrySecretArn = <secretArn from Registry credentials (Docker Hub) stored in Secrets Manager for the builds>',
    );
    expect(await whatAwsHolds()).toEqual({ secretVersions: [], roles: [], sesSubmissions: 0 });
    await t.press('y');
    await t.waitFor('Execute? y to go ahead');
    await t.press('y');
    const done = await t.waitFor(/EXIT=\d+/);
    expect(done).toContain('✔ lab is installed');
    expect(done).toContain('EXIT=0');
    outputs.push(done);

    // What AWS holds: one request, the secret in the blueprint's format, both roles.
    const [submission] = target.ses.submissions(region);
    expect(submission?.body).toMatchObject({
      MailType: 'TRANSACTIONAL',
      WebsiteURL: 'https://lab.example.edu',
      UseCaseDescription: USE_CASE,
      ProductionAccessEnabled: true,
    });
    const client = secrets();
    const value = await client.send(new GetSecretValueCommand({ SecretId: 'dockerhub/creds' }));
    client.destroy();
    expect(value.SecretString).toBe(`osl-builder ${PASSWORD}`);
    const held = await whatAwsHolds();
    // By path, as stackguide looks them up: moto names some roles its own way (AWSServiceRoleForelasticloadbalancing).
    expect(held.roles).toEqual([
      expect.stringMatching(/:role\/aws-service-role\/autoscaling\.amazonaws\.com\//),
      expect.stringMatching(/:role\/aws-service-role\/elasticloadbalancing\.amazonaws\.com\//),
    ]);
    expect(held.secretVersions).toHaveLength(1);
    expect(held.sesSubmissions).toBe(1);

    // Unattended from the answers file it wrote, without the password: the secret is kept, the pending
    // request is not sent again, the roles exist, the stack is up to date. Nothing changes.
    const rerun = await runCli(
      ['install', '--blueprint', blueprint, '--config', 'lab.answers.yaml', '--yes', '--state-dir', 'state'],
      { cwd: work.path, env: target.env },
    );
    outputs.push(rerun.stdout, rerun.stderr);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stderr).toContain('already up to date');
    expect(await whatAwsHolds()).toEqual(held);
  });

  it('does the same unattended from an answers file, with the password from the environment', async () => {
    await target.moto.reset();
    target.ses.reset();
    await target.shareImage('platform-worker-2024');
    const unattended = (...extra: string[]) =>
      runCli(
        [
          'install',
          '--blueprint',
          blueprint,
          '--config',
          'lab.answers.yaml',
          '--yes',
          '--state-dir',
          'state-unattended',
          '--output',
          'json',
          ...extra,
        ],
        { cwd: work.path, env: { ...target.env, STACKGUIDE_SECRET_DOCKERHUB_PASSWORD: PASSWORD } },
      );
    const first = await unattended();
    outputs.push(first.stdout, first.stderr);
    expect(first.code, first.stderr).toBe(0);
    const held = await whatAwsHolds();
    expect(held).toMatchObject({ secretVersions: [expect.any(String)], sesSubmissions: 1 });
    expect(held.roles).toHaveLength(2);
    // The journal knows the secret by its ARN only.
    const journal = JSON.parse(
      await readFile(join(work.path, 'state-unattended', 'lab', 'state.json'), 'utf8'),
    );
    expect(journal.steps.dockerhub).toMatchObject({
      status: 'applied',
      outputs: {
        secretArn: expect.stringMatching(
          /^arn:aws:secretsmanager:us-east-1:123456789012:secret:dockerhub\/creds/,
        ),
      },
    });

    const second = await unattended();
    outputs.push(second.stdout, second.stderr);
    expect(second.code, second.stderr).toBe(0);
    expect(await whatAwsHolds()).toEqual(held);
  });

  it('never lets the password into a file the tool wrote or anything it printed', async () => {
    const files = await filesUnder(work.path);
    // The answers file, both journals and both event logs, at least.
    expect(files.map((file) => file.slice(work.path.length + 1))).toEqual(
      expect.arrayContaining([
        'lab.answers.yaml',
        join('state', 'lab', 'state.json'),
        join('state', 'lab', 'events.ndjson'),
        join('state-unattended', 'lab', 'events.ndjson'),
      ]),
    );
    for (const file of files) expect(await readFile(file, 'utf8'), file).not.toContain(PASSWORD);
    expect(outputs.length).toBeGreaterThanOrEqual(5);
    for (const output of outputs) expect(output).not.toContain(PASSWORD);
  });
});
