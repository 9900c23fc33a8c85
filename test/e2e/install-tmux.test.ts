import { existsSync } from 'node:fs';
import { cp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { cliPath, projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { openTmuxTerminal, operatorEnv, type TmuxTerminal } from '../support/tmux-terminal.ts';

let moto: MotoServer;
let work: { path: string; remove: () => Promise<void> };
let terminal: TmuxTerminal | undefined;

beforeAll(async () => {
  moto = await startMotoServer();
  work = await tempDir();
  // The blueprint is given by a short relative path, so the lines that echo it (the re-run command)
  // are as long wherever the checkout lives and never wrap in the test's terminal.
  await cp(join(projectRoot, 'blueprints', 'demo'), join(work.path, demo), { recursive: true });
});
afterAll(async () => {
  await terminal?.kill();
  await moto?.stop();
  await work?.remove();
});

const demo = 'demo';

const cloudFormation2 = () =>
  new CloudFormationClient({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });

describe('stackguide install in a real terminal', () => {
  it('walks identity → region → name → questions → review → live tree → summary, and its answers re-run unattended', async () => {
    terminal = await openTmuxTerminal(
      `${process.execPath} ${cliPath} install --blueprint ${demo} --endpoint-url ${moto.endpoint} --state-dir state`,
      {
        cwd: work.path,
        env: operatorEnv(work.path),
      },
    );
    const t = terminal;

    await t.waitFor(/Install into account 123456789012 as arn:aws:sts::123456789012:user\/moto\?/);
    await t.press('Enter');
    await t.waitFor('Which AWS region?');
    await t.press('Down', 'Up', 'Enter'); // back to the first: us-east-1
    await t.waitFor('Deployment name');
    await t.press({ text: 'Bad_Name' }, 'Enter');
    await t.waitFor('"Bad_Name" is not allowed. Use lowercase letters, digits and dashes');
    for (let i = 0; i < 8; i++) await t.press('BSpace');
    // A first name, changed on the review below.
    await t.press({ text: 'first' }, 'Enter');
    await t.waitFor('Which kind of environment is this?');
    await t.press('Down', 'Enter'); // staging
    await t.waitFor('Which network range will the platform use?');
    await t.press('Enter'); // default 10.20.0.0/16
    await t.waitFor('How many seconds may a worker take for one job?');
    await t.press({ text: '5' }, 'Enter');
    await t.waitFor('5 is below 30. Use a number from 30 to 900.');
    await t.press({ text: '0' }, 'Enter'); // now 50
    await t.waitFor('Create an alerts topic?');
    await t.press({ text: 'n' }, 'Enter');
    await t.waitFor('Administrator email address');
    await t.press({ text: 'ops@example.com' }, 'Enter');

    // The name and the region change from the review like any answer, with the checks they had at first.
    await t.waitFor(/as deployment first[\s\S]*Create these 2 stacks\?/);
    await t.press('c');
    await t.waitFor('❯ deployment name: first');
    await t.press('Enter');
    await t.waitFor(/Deployment name \(first\)/);
    await t.press({ text: 'Bad_Name' }, 'Enter');
    await t.waitFor('"Bad_Name" is not allowed. Use lowercase letters, digits and dashes');
    for (let i = 0; i < 8; i++) await t.press('BSpace');
    await t.press({ text: 'e2e' }, 'Enter');
    await t.waitFor(/as deployment e2e in account 123456789012, us-east-1[\s\S]*Create these 2 stacks\?/);
    // The region list offers the current one first; one key moves to the next or the one before.
    const moveRegion = async (from: string, key: 'Down' | 'Up', to: string): Promise<string> => {
      await t.press('c');
      await t.waitFor('❯ deployment name: e2e');
      await t.press('Down');
      await t.waitFor(`❯ region: ${from}`);
      await t.press('Enter');
      await t.waitFor('Which AWS region?');
      await t.press(key, 'Enter');
      return t.waitFor(
        new RegExp(`as deployment e2e in account 123456789012, ${to}[\\s\\S]*Create these 2 stacks\\?`),
      );
    };
    await moveRegion('us-east-1', 'Down', 'us-east-2');
    await moveRegion('us-east-2', 'Up', 'us-east-1');
    const review = await t.waitFor(
      /as deployment e2e in account 123456789012, us-east-1[\s\S]*Create these 2 stacks\?/,
    );
    expect(review).toContain('1. e2e-data (2 resources)');
    expect(review).toContain('2. e2e-app (3 resources, after e2e-data)');
    expect(review).toContain('DataBucketName = <output BucketName of e2e-data>');
    expect(review).toContain('stackguide:deployment=e2e');
    expect(review).toContain('e2e-app creates IAM resources (CAPABILITY_IAM)');
    // Any answer can be changed from the review: picked from the list, asked again, then the review anew.
    await t.press('c');
    await t.waitFor('❯ deployment name: e2e');
    await t.press('Down');
    await t.waitFor('❯ region: us-east-1');
    await t.press('Down');
    await t.waitFor('❯ environment: staging');
    await t.press('Down');
    await t.waitFor('❯ networkCidr: 10.20.0.0/16');
    await t.press('Down');
    await t.waitFor('❯ jobTimeoutSeconds: 50');
    await t.press('Enter');
    await t.waitFor(/How many seconds may a worker take for one job\? \(50\)/);
    await t.press({ text: '120' }, 'Enter');
    const reviewed = await t.waitFor(/jobTimeoutSeconds: 120[\s\S]*Create these 2 stacks\?/);
    expect(reviewed).toContain('JobTimeoutSeconds = 120');
    await t.press('y');

    // Each stack's change set is shown before it runs.
    const dataChanges = await t.waitFor('Change set for e2e-data (new stack): 2 changes');
    expect(dataChanges).toMatch(/\+ DataBucket AWS::S3::Bucket/);
    await t.press('y');
    const appChanges = await t.waitFor('Change set for e2e-app (new stack): 3 changes');
    expect(appChanges).toContain('IAM resources: WorkerRole (AWS::IAM::Role)');
    expect(appChanges).toContain('Going ahead acknowledges CAPABILITY_IAM');
    await t.press('y');

    const summary = await t.waitFor('EXIT=0');
    // Counts are of resources seen finishing, out of the change set's changes. moto writes stack-level
    // events only, so none was seen: the line says how many the change set touched, neither 0/2 nor a
    // count it did not make (trial finding 57; the scenario-server tests see per-resource counts).
    expect(summary).toMatch(/✔ e2e-data CREATE_COMPLETE 2 resources/);
    expect(summary).toMatch(/✔ e2e-app CREATE_COMPLETE 3 resources/);
    expect(summary).toContain('✔ e2e is installed');
    expect(summary).toMatch(/BucketName: e2e-data-databucket-/);
    expect(summary).toContain(
      `stackguide install --blueprint ${demo} --config e2e.answers.yaml --yes --endpoint-url ${moto.endpoint}`,
    );

    // What AWS holds is what was answered.
    const cloudFormation = new CloudFormationClient({
      region: 'us-east-1',
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: 'e2e-app' }));
    const parameters = Object.fromEntries(
      (Stacks?.[0]?.Parameters ?? []).map((p) => [p.ParameterKey, p.ParameterValue]),
    );
    expect(parameters).toMatchObject({
      JobTimeoutSeconds: '120',
      EnableAlerts: 'false',
      AdminEmail: 'ops@example.com',
    });
    cloudFormation.destroy();

    // The answers file it wrote re-runs with no questions.
    const answers = await readFile(join(work.path, 'e2e.answers.yaml'), 'utf8');
    // The file written under the first name went with it.
    expect(existsSync(join(work.path, 'first.answers.yaml'))).toBe(false);
    expect(answers).toContain('environment: staging');
    const again = await runCli(
      [
        'install',
        '--blueprint',
        demo,
        '--config',
        'e2e.answers.yaml',
        '--yes',
        '--endpoint-url',
        moto.endpoint,
        '--state-dir',
        'state',
      ],
      { cwd: work.path },
    );
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('e2e-app: already up to date: no changes');

    // An update goes through a reviewed change set too; declining deletes it and changes nothing.
    await terminal.kill();
    terminal = await openTmuxTerminal(
      `${process.execPath} ${cliPath} install --blueprint ${demo} --config e2e.answers.yaml --set jobTimeoutSeconds=90 --endpoint-url ${moto.endpoint} --state-dir state`,
      {
        cwd: work.path,
        env: operatorEnv(work.path),
      },
    );
    await terminal.waitFor('Install into account');
    await terminal.press('Enter');
    await terminal.waitFor(/(?:Create|Update) these 2 stacks\?/);
    await terminal.press('y');
    await terminal.waitFor('Change set for e2e-app (update)');
    await terminal.press('n');
    const declined = await terminal.waitFor('EXIT=130');
    expect(declined).toContain('You declined the changes to e2e-app: the change set was deleted');
    const after = await cloudFormation2().send(new DescribeStacksCommand({ StackName: 'e2e-app' }));
    const kept = Object.fromEntries(
      (after.Stacks?.[0]?.Parameters ?? []).map((p) => [p.ParameterKey, p.ParameterValue]),
    );
    expect(kept.JobTimeoutSeconds).toBe('120');
  });
});
