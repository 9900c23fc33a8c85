import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScenarioServer, startScenarioServer } from '../scenario-server/server.ts';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * install's deploy options as the CloudFormation CLI and CDK users expect them: --role-arn (checked
 * before any call, kept on the stack, used again by destroy), --disable-rollback (a failed create stays
 * CREATE_FAILED and the next install resumes it in place) and --outputs-file. CloudFormation is the
 * scenario server (moto neither fails a create nor publishes outputs of a change-set stack), the rest
 * moto.
 */
let moto: MotoServer;
let work: { path: string; remove: () => Promise<void> };
const blueprint = join(projectRoot, 'test', 'fixtures', 'blueprints', 'deploy-options');
const ROLE = 'arn:aws:iam::123456789012:role/service/stackguide-deployer';
const PASSWORD = 'Tr0ub4dor-and-3';

beforeAll(async () => {
  moto = await startMotoServer();
  work = await tempDir();
});
afterAll(async () => {
  await moto?.stop();
  await work?.remove();
});

function cli(server: ScenarioServer | undefined, name: string, ...args: string[]) {
  return runCli(
    [
      ...args,
      '--blueprint',
      blueprint,
      '--name',
      name,
      '--region',
      'us-east-1',
      '--state-dir',
      join(work.path, 'state'),
    ],
    {
      cwd: work.path,
      env: {
        AWS_ENDPOINT_URL: moto.endpoint,
        ...(server ? { AWS_ENDPOINT_URL_CLOUDFORMATION: server.endpoint } : {}),
        STACKGUIDE_SECRET_DBPASSWORD: PASSWORD,
      },
      timeoutMs: 150_000,
    },
  );
}

const calls = (server: ScenarioServer, action: string) =>
  server.calls.filter((call) => call.action === action && !call.throttled && !call.dropped);

describe('--role-arn', () => {
  it.each([
    ['not-an-arn', 'it is not an ARN'],
    ['arn:aws:s3:::my-bucket/role', 'it is an ARN of s3, not of IAM'],
    ['arn:aws:iam::12345:role/deployer', 'its account "12345" is not 12 digits'],
    ['arn:aws:iam::123456789012:user/deployer', 'it names an IAM user, not a role'],
    ['arn:aws:iam::123456789012:role/has space', 'characters IAM does not allow'],
  ])('refuses %s with exit 2 before any AWS call', async (value, problem) => {
    const server = await startScenarioServer({ speed: 20 });
    try {
      const refused = await runCli(
        ['install', '--blueprint', blueprint, '--name', 'bad', '--yes', '--role-arn', value],
        {
          cwd: work.path,
          // Every service at the scenario server, which records any call it gets.
          env: { AWS_ENDPOINT_URL: server.endpoint, STACKGUIDE_SECRET_DBPASSWORD: PASSWORD },
        },
      );
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).toContain(`--role-arn ${value} is not an IAM role's ARN`);
      expect(refused.stderr).toContain(problem);
      expect(refused.stderr).toContain('aws iam get-role --role-name <name> --query Role.Arn');
      expect(server.calls).toEqual([]);
    } finally {
      await server.stop();
    }
  });

  it('is refused the same way by upgrade', async () => {
    const refused = await runCli(
      ['upgrade', '--config', 'none.yaml', '--role-arn', 'arn:aws:iam::1:role/x'],
      {
        cwd: work.path,
        env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' },
      },
    );
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain('its account "1" is not 12 digits');
  });

  it('deploys on moto with the role: CloudFormation keeps it on the stack', async () => {
    const installed = await cli(undefined, 'moto', 'install', '--yes', '--role-arn', ROLE);
    expect(installed.code, installed.stderr).toBe(0);
    const { CloudFormationClient, DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
    const client = new CloudFormationClient({
      region: 'us-east-1',
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    try {
      const described = await client.send(new DescribeStacksCommand({ StackName: 'moto-app' }));
      expect(described.Stacks?.[0]?.RoleARN).toBe(ROLE);
    } finally {
      client.destroy();
    }
    // The command printed for the next run deploys with the same role.
    expect(installed.stderr + installed.stdout).toContain(`--role-arn ${ROLE}`);
  });
});

describe('--disable-rollback', () => {
  it('leaves a failed create CREATE_FAILED, says how to go on, resumes it in place, and destroy deletes with the role', async () => {
    const server = await startScenarioServer({ scenarios: { default: 'create-failed' }, speed: 20 });
    try {
      const failed = await cli(server, 'dbg', 'install', '--yes', '--disable-rollback', '--role-arn', ROLE);
      expect(failed.code, failed.stderr).toBe(1);
      expect(failed.stderr).toContain('Stack dbg-app ended CREATE_FAILED');
      expect(failed.stderr).toContain('root cause: Database (AWS::RDS::DBInstance)');
      expect(failed.stderr).toContain('dbg-app stays CREATE_FAILED as --disable-rollback asked');
      expect(failed.stderr).toContain(
        'Fix the cause, then run the same command again: it updates dbg-app in place, retrying only what failed',
      );
      const [create] = calls(server, 'CreateChangeSet');
      expect(create?.params).toMatchObject({ ChangeSetType: 'CREATE', RoleARN: ROLE });
      expect(calls(server, 'ExecuteChangeSet')[0]?.params.DisableRollback).toBe('true');
      // What was made is kept: the queue, and the failed database, for debugging.
      const events = server.events('dbg-app').map((e) => `${e.LogicalResourceId} ${e.ResourceStatus}`);
      expect(events).toContain('Queue CREATE_COMPLETE');
      expect(events).not.toContain('Queue DELETE_COMPLETE');
      expect(events.at(-1)).toBe('dbg-app CREATE_FAILED');

      // The next install (without the flag) updates the failed stack in place, rollback still off.
      const resumed = await cli(server, 'dbg', 'install', '--yes', '--role-arn', ROLE);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stderr).toContain(
        'dbg-app is CREATE_FAILED, kept as it was by --disable-rollback: updating it in place, retrying what failed',
      );
      const update = calls(server, 'CreateChangeSet')[1];
      expect(update?.params).toMatchObject({ ChangeSetType: 'UPDATE', RoleARN: ROLE });
      expect(calls(server, 'ExecuteChangeSet')[1]?.params.DisableRollback).toBe('true');
      expect(server.events('dbg-app').at(-1)?.ResourceStatus).toBe('UPDATE_COMPLETE');
      expect(server.events('dbg-app').map((e) => `${e.LogicalResourceId} ${e.ResourceStatus}`)).toContain(
        'Database CREATE_COMPLETE',
      );

      // destroy deletes with the role the stack keeps, without being told it again.
      const destroyed = await cli(server, 'dbg', 'destroy', '--confirm', 'dbg');
      expect(destroyed.code, destroyed.stderr).toBe(0);
      expect(calls(server, 'DeleteStack').map((call) => call.params.RoleARN)).toEqual([ROLE]);
    } finally {
      await server.stop();
    }
  });

  it('without the flag, the same failure rolls back to ROLLBACK_COMPLETE as before', async () => {
    const server = await startScenarioServer({ scenarios: { default: 'create-failed' }, speed: 20 });
    try {
      const failed = await cli(server, 'rb', 'install', '--yes');
      expect(failed.code, failed.stderr).toBe(1);
      expect(failed.stderr).toContain('Stack rb-app ended ROLLBACK_COMPLETE');
      expect(calls(server, 'ExecuteChangeSet')[0]?.params.DisableRollback).toBeUndefined();
      expect(calls(server, 'CreateChangeSet')[0]?.params.RoleARN).toBeUndefined();
    } finally {
      await server.stop();
    }
  });
});

/** What --outputs-file writes (src/output/outputs-file.ts). */
interface OutputsFile {
  deployment: string;
  region: string;
  account: string;
  stacks: Record<string, { name: string; stackId: string; status: string; outputs: Record<string, string> }>;
  withheld: Array<{ stack: string; output: string; reason: string }>;
}

/** The outputs file as written: never the secret; the output that echoes it only named under withheld. */
async function readOutputsFile(path: string): Promise<OutputsFile> {
  const text = await readFile(path, 'utf8');
  expect(text).not.toContain(PASSWORD);
  const written = JSON.parse(text) as OutputsFile;
  expect(Object.keys(written)).toEqual(['deployment', 'region', 'account', 'stacks', 'withheld']);
  expect(Object.keys(written.stacks.app?.outputs ?? {})).not.toContain('ConnectionString');
  expect(written.withheld).toEqual([
    { stack: 'app', output: 'ConnectionString', reason: 'its value holds a secret answer' },
  ]);
  return written;
}

describe('--outputs-file', () => {
  it("writes every stack's outputs as JSON, atomically, withholding the one that echoes a secret", async () => {
    const server = await startScenarioServer({ speed: 20 });
    try {
      const path = join(work.path, 'out', 'outputs.json');
      const { mkdir } = await import('node:fs/promises');
      await mkdir(join(work.path, 'out'), { recursive: true });
      const installed = await cli(
        server,
        'outs',
        'install',
        '--yes',
        '--outputs-file',
        path,
        '--output',
        'json',
      );
      expect(installed.code, installed.stderr).toBe(0);
      const written = await readOutputsFile(path);
      // Nor does the output echoing it reach NDJSON, the summary or the event log: it is masked there.
      expect(installed.stdout + installed.stderr).not.toContain(PASSWORD);
      expect(installed.stdout).toContain('"ConnectionString":"•••••••• (secret)"');
      const logs = await readdir(join(work.path, 'state', 'outs'), { recursive: true });
      expect(logs.some((name) => name.endsWith('.ndjson'))).toBe(true);
      for (const file of logs.filter((name) => name.endsWith('.ndjson') || name.endsWith('.json')))
        expect(await readFile(join(work.path, 'state', 'outs', file), 'utf8'), file).not.toContain(PASSWORD);
      expect(written).toMatchObject({
        deployment: 'outs',
        region: 'us-east-1',
        account: expect.stringMatching(/^\d{12}$/),
      });
      expect(written.stacks.app).toMatchObject({
        name: 'outs-app',
        stackId: expect.stringMatching(/^arn:aws:cloudformation:us-east-1:\d{12}:stack\/outs-app\//),
        status: 'CREATE_COMPLETE',
        outputs: { QueueName: expect.stringMatching(/^outs-app-Queue-/), Environment: 'dev' },
      });
      // Nothing but the file is left in its folder: the temporary file was renamed into place.
      expect(await readdir(join(work.path, 'out'))).toEqual(['outputs.json']);
    } finally {
      await server.stop();
    }
  });

  it('is checked before any AWS call: a folder that does not exist is exit 2', async () => {
    const refused = await runCli(
      [
        'install',
        '--blueprint',
        blueprint,
        '--name',
        'x',
        '--yes',
        '--outputs-file',
        join(work.path, 'nope', 'o.json'),
      ],
      { cwd: work.path, env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' } },
    );
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain(`its folder ${join(work.path, 'nope')} does not exist`);
    const folder = await runCli(
      ['install', '--blueprint', blueprint, '--name', 'x', '--yes', '--outputs-file', work.path],
      { cwd: work.path, env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' } },
    );
    expect(folder.code, folder.stderr).toBe(2);
    expect(folder.stderr).toContain(`${work.path} is a folder`);
  });
});

describe('upgrade --outputs-file', () => {
  it("replaces the file with every stack's outputs after the upgrade, atomically, the secret withheld", async () => {
    const folder = join(work.path, 'upgrade-out');
    const path = join(folder, 'outputs.json');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(folder, { recursive: true });
    const installed = await cli(undefined, 'upg', 'install', '--yes', '--outputs-file', path);
    expect(installed.code, installed.stderr).toBe(0);
    const before = await readOutputsFile(path);
    expect(before.stacks.app?.outputs.Environment).toBe('dev');

    const upgraded = await cli(
      undefined,
      'upg',
      'upgrade',
      '--config',
      join(work.path, 'upg.answers.yaml'),
      '--set',
      'environment=prod',
      '--yes',
      '--outputs-file',
      path,
      '--output',
      'json',
    );
    expect(upgraded.code, upgraded.stderr).toBe(0);
    expect(upgraded.stdout + upgraded.stderr).not.toContain(PASSWORD);
    expect(upgraded.stdout).toContain('"ConnectionString":"•••••••• (secret)"');
    // The same shape as install writes, with what the upgrade changed.
    const written = await readOutputsFile(path);
    expect(written).toMatchObject({
      deployment: 'upg',
      region: 'us-east-1',
      account: expect.stringMatching(/^\d{12}$/),
    });
    expect(written.stacks.app).toMatchObject({
      name: 'upg-app',
      stackId: before.stacks.app?.stackId,
      status: 'UPDATE_COMPLETE',
      outputs: { QueueName: before.stacks.app?.outputs.QueueName, Environment: 'prod' },
    });
    // Renamed over the install's file: no temporary file is left beside it.
    expect(await readdir(folder)).toEqual(['outputs.json']);
  });

  it('is checked before any AWS call: a folder that does not exist is exit 2', async () => {
    const refused = await runCli(
      ['upgrade', '--config', 'none.yaml', '--outputs-file', join(work.path, 'nope', 'o.json')],
      { cwd: work.path, env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' } },
    );
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain(`its folder ${join(work.path, 'nope')} does not exist`);
  });
});

describe('an output that echoes a secret answer, read back by status and watch', () => {
  it('is masked in their text and NDJSON, though neither holds the secret', async () => {
    const installed = await cli(undefined, 'echo', 'install', '--yes');
    expect(installed.code, installed.stderr).toBe(0);
    const config = join(work.path, 'echo.answers.yaml');
    // Without STACKGUIDE_SECRET_DBPASSWORD: the answers file never holds it, and status asks for no secret.
    const read = (...args: string[]) =>
      runCli(
        [...args, '--config', config, '--blueprint', blueprint, '--state-dir', join(work.path, 'state')],
        { cwd: work.path, env: { AWS_ENDPOINT_URL: moto.endpoint } },
      );
    for (const result of [
      await read('status'),
      await read('status', '--output', 'json'),
      await read('watch', '--output', 'json'),
    ]) {
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout + result.stderr).not.toContain(PASSWORD);
      expect(result.stdout).toMatch(/"?ConnectionString"?: ?"?•••••••• \(secret\)/);
      // The outputs that hold no secret are shown as they are.
      expect(result.stdout).toMatch(/"?Environment"?: ?"?dev/);
    }
  });
});
