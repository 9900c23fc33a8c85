import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CloudFormationClient,
  DescribeStacksCommand,
  ListStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

let moto: MotoServer;
let cloudFormation: CloudFormationClient;
let work: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  moto = await startMotoServer();
  cloudFormation = new CloudFormationClient({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  cloudFormation?.destroy();
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
  work = await tempDir();
  return () => work.remove();
});

const demo = join(projectRoot, 'blueprints', 'demo');
const answers = join(demo, 'answers.yaml');

function install(...extra: string[]) {
  return runCli(
    [
      'install',
      '--blueprint',
      demo,
      '--endpoint-url',
      moto.endpoint,
      '--state-dir',
      join(work.path, 'state'),
      ...extra,
    ],
    { cwd: work.path },
  );
}

async function liveStacks(): Promise<string[]> {
  const listed = await cloudFormation.send(new ListStacksCommand({}));
  return (listed.StackSummaries ?? [])
    .filter((s) => s.StackStatus !== 'DELETE_COMPLETE')
    .map((s) => s.StackName ?? '');
}

describe('stackguide install without a terminal, against moto', () => {
  it('creates the stacks in order, tagged with the deployment, prints plain progress and exits 0', async () => {
    const result = await install('--config', answers, '--yes');
    expect(result.stderr).toContain('demo-data: create (2 resources)');
    expect(result.stderr).toMatch(/demo-app: CREATE_COMPLETE/);
    expect(result.stderr).toContain('Re-run unattended: stackguide install');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^demo-data CREATE_COMPLETE\n {2}BucketName: demo-data-/m);

    for (const name of ['demo-data', 'demo-app']) {
      const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: name }));
      const tags = Object.fromEntries((Stacks?.[0]?.Tags ?? []).map((t) => [t.Key, t.Value]));
      expect(tags).toMatchObject({
        'stackguide:deployment': 'demo',
        deployment_name: 'demo',
        environment: 'dev',
      });
    }
    // The app stack got the data stack's output as its parameter.
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: 'demo-app' }));
    expect(Stacks?.[0]?.Parameters?.find((p) => p.ParameterKey === 'DataBucketName')?.ParameterValue).toMatch(
      /^demo-data-databucket-/,
    );

    // The role ARN printed is the one IAM holds for the stack's role.
    const roleArn = /WorkerRoleArn: (\S+)/.exec(result.stdout)?.[1] ?? '';
    const roleName = roleArn.split('/').pop() ?? '';
    const role = await new IAMClient({
      region: 'us-east-1',
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    }).send(new GetRoleCommand({ RoleName: roleName }));
    expect(role.Role?.Arn).toBe(roleArn);

    const journal = JSON.parse(await readFile(join(work.path, 'state', 'demo', 'state.json'), 'utf8'));
    expect(journal.stacks['demo-app']).toMatchObject({ name: 'demo-app', status: 'CREATE_COMPLETE' });
    expect(journal.stacks['demo-app'].stackId).toMatch(
      /^arn:aws:cloudformation:us-east-1:123456789012:stack\/demo-app\//,
    ); // The answers file this install applied, for a later status without --config (trial finding 81).
    expect(journal.answersFile).toBe(answers);
  });

  it('with --output json writes only NDJSON events of documented types to stdout', async () => {
    const result = await install('--config', answers, '--yes', '--output', 'json');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    const events = lines.map((line) => JSON.parse(line) as { type: string; time: string });
    // The documented types are the README's table: an event type the README does not list fails here.
    const readme = await readFile(join(projectRoot, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('### NDJSON events'), readme.indexOf('## The answers file'));
    const documented = new Set(
      table
        .split('\n')
        .filter((line) => line.startsWith('| `'))
        .flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/`([^`]+)`/g)].map((match) => match[1])),
    );
    expect(documented).toContain('check.result');
    expect(events.every((event) => documented.has(event.type) && !Number.isNaN(Date.parse(event.time)))).toBe(
      true,
    );
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['identity.resolved', 'check.result', 'stack.completed', 'run.completed']),
    );
    expect(events.at(-1)).toMatchObject({ type: 'run.completed', outcome: 'succeeded', exitCode: 0 });
    // What the preparation created in the account, typed (the demo's service-linked role, made in moto).
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'step.resource-created',
        resource: expect.objectContaining({ kind: 'serviceLinkedRole' }),
      }),
    );
    // Human progress still went to stderr.
    expect(result.stderr).toContain('demo-app');
  });

  it('re-running the same answers changes nothing and says so', async () => {
    expect((await install('--config', answers, '--yes')).code).toBe(0);
    const again = await install('--config', answers, '--yes');
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('demo-data: already up to date: no changes');
    expect(again.stderr).toContain('demo-app: already up to date: no changes');
  });

  it('refuses a malformed blueprint with exit 2, naming the path, and creates nothing', async () => {
    const broken = join(work.path, 'broken');
    await runCli(['validate', demo]); // sanity: the original is valid
    const { cp } = await import('node:fs/promises');
    await cp(demo, broken, { recursive: true });
    const file = join(broken, 'blueprint.yaml');
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace("'{{answers.environment}}'", "'{{answers.enviroment}}'"),
    );

    const result = await runCli(
      ['install', '--blueprint', broken, '--config', answers, '--yes', '--endpoint-url', moto.endpoint],
      { cwd: work.path },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /blueprint\.yaml:\d+ stacks\[0\]\.parameters\.Environment: \{\{answers\.enviroment\}\} refers to no question/,
    );
    expect(result.stderr).toContain('fix: Add a question with id "enviroment"');
    expect(await liveStacks()).toEqual([]);

    const validate = await runCli(['validate', broken]);
    expect(validate.code).toBe(2);
    expect(validate.stderr).toContain('stacks[0].parameters.Environment');
  });

  it('refuses an invalid answer with exit 2, naming the key, the value and the fix, and creates nothing', async () => {
    const result = await install(
      '--config',
      answers,
      '--yes',
      '--set',
      'jobTimeoutSeconds=5',
      '--set',
      'networkCidr=10.20.0.1/16',
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--set jobTimeoutSeconds: 5 is below 30');
    expect(result.stderr).toContain('fix: Use a number from 30 to 900.');
    expect(result.stderr).toContain('--set networkCidr: "10.20.0.1/16"');
    expect(await liveStacks()).toEqual([]);
  });

  it('names the missing answers and flags instead of prompting', async () => {
    const result = await install('--yes');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--region (or region: in the answers file)');
    expect(result.stderr).toContain('--name (or deployment: in the answers file)');
    const noEmail = await install('--yes', '--region', 'us-east-1', '--name', 'trial');
    expect(noEmail.code).toBe(2);
    expect(noEmail.stderr).toContain('answers.adminEmail (or --set adminEmail=...)');
    expect(await liveStacks()).toEqual([]);
  });

  it('without --yes and without a terminal, stops before changing anything', async () => {
    const result = await install('--config', answers);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('needs --yes');
    // Refused before any AWS call: not even the identity lookup was made.
    expect(result.stderr).not.toMatch(/account \d{12} as/);
    expect(result.stderr).toContain(`--config ${answers} --yes`);
    expect(await liveStacks()).toEqual([]);
  });

  it('says where credentials are missing with the command to fix it', async () => {
    const result = await runCli(
      ['install', '--blueprint', demo, '--config', answers, '--yes', '--endpoint-url', moto.endpoint],
      {
        cwd: work.path,
        env: {
          AWS_ACCESS_KEY_ID: undefined,
          AWS_SECRET_ACCESS_KEY: undefined,
          AWS_CONFIG_FILE: join(work.path, 'none'),
          AWS_SHARED_CREDENTIALS_FILE: join(work.path, 'none'),
          AWS_EC2_METADATA_DISABLED: 'true',
        },
      },
    );
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('No AWS credentials were found');
    expect(result.stderr).toContain('aws configure');
  });
});
