import { spawn } from 'node:child_process';
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CloudFormationClient, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateProxy } from '../support/gate-proxy.ts';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { cliPath, projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * Two installs of one deployment at once, on moto: the first holds the lock (held at its first
 * ExecuteChangeSet by the gate proxy), the second is refused naming it. A lock another machine left is
 * broken with --force-unlock; destroy removes the lock parameter.
 */
let moto: MotoServer;
let work: { path: string; remove: () => Promise<void> };
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const demo = join(projectRoot, 'blueprints', 'demo');
const answers = join(demo, 'answers.yaml');

beforeAll(async () => {
  moto = await startMotoServer();
  work = await tempDir();
});
afterAll(async () => {
  await moto?.stop();
  await work?.remove();
});

const args = (endpoint: string, ...extra: string[]) => [
  '--blueprint',
  demo,
  '--config',
  answers,
  '--endpoint-url',
  endpoint,
  '--state-dir',
  join(work.path, 'state'),
  ...extra,
];

async function lockParameter(): Promise<string | undefined> {
  const ssm = new SSMClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials });
  try {
    return (await ssm.send(new GetParameterCommand({ Name: '/stackguide/locks/demo' }))).Parameter?.Value;
  } catch (error) {
    // Only "no such parameter" means no lock: any other failure must fail the test, not pass as absent.
    if ((error as { name?: string }).name === 'ParameterNotFound') return undefined;
    throw error;
  } finally {
    ssm.destroy();
  }
}

async function putLock(value: string): Promise<void> {
  const ssm = new SSMClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials });
  await ssm.send(
    new PutParameterCommand({
      Name: '/stackguide/locks/demo',
      Value: value,
      Type: 'String',
      Overwrite: true,
    }),
  );
  ssm.destroy();
}

describe('the deployment lock, two installs at once', () => {
  it('refuses the second naming the holder; --force-unlock breaks a lock another machine left', async () => {
    const proxy = await startGateProxy(moto.endpoint, {
      action: 'ExecuteChangeSet',
      occurrence: 1,
      when: 'before',
    });
    const first = spawn(process.execPath, [cliPath, 'install', ...args(proxy.endpoint, '--yes')], {
      cwd: work.path,
      env: { ...process.env, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', CI: 'true' },
      stdio: 'ignore',
    });
    const firstExited = new Promise<void>((done) => first.on('close', () => done()));
    await proxy.reached;
    const holder = JSON.parse((await lockParameter()) ?? '{}') as {
      id: string;
      pid: number;
      principal: string;
    };
    expect(holder.pid).toBe(first.pid);

    const started = Date.now();
    const second = await runCli(['install', ...args(moto.endpoint, '--yes')], {
      cwd: work.path,
      env: { CI: 'true' },
    });
    const refusedAfterMs = Date.now() - started;
    expect(second.code, second.stderr).toBe(75);
    expect(second.stderr).toContain(
      `Deployment demo is locked by another run: install by ${holder.principal} on`,
    );
    expect(second.stderr).toContain(`(pid ${first.pid})`);
    // The refusal prints the operator's whole command, every option given, ready to paste.
    const given = `stackguide install --blueprint ${demo} --config ${answers} --yes --endpoint-url ${moto.endpoint} --state-dir ${join(work.path, 'state')}`;
    expect(second.stderr).toContain(`then run the same command again: ${given}\n`);
    expect(second.stderr).toContain(`break the lock: ${given} --force-unlock ${holder.id}\n`);
    // Well within 2 s of the work itself; node's start and the preflight on a loaded machine add to it.
    expect(refusedAfterMs).toBeLessThan(15_000);
    console.log(`second install refused after ${refusedAfterMs} ms (whole CLI run)`);

    first.kill('SIGKILL');
    await firstExited;
    await proxy.stop();
    // A killed run leaves its lock: the same holder, not some other value.
    expect(JSON.parse((await lockParameter()) ?? '{}')).toMatchObject({ id: holder.id, pid: first.pid });

    // A lock left by a run of another machine cannot be checked from here: refused until broken.
    const elsewhere = { ...holder, id: 'lock-from-ci-runner-7', host: 'ci-runner-7', pid: 4242 };
    await putLock(JSON.stringify(elsewhere));
    const stillLocked = await runCli(['install', ...args(moto.endpoint, '--yes')], {
      cwd: work.path,
      env: { CI: 'true' },
    });
    expect(stillLocked.code).toBe(75);
    expect(stillLocked.stderr).toContain('on ci-runner-7 (pid 4242)');
    const unconfirmed = await runCli(
      ['destroy', ...args(moto.endpoint, '--confirm', 'demo', '--force-unlock', elsewhere.id)],
      {
        cwd: work.path,
        env: { CI: 'true' },
      },
    );
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('--force-unlock without a terminal needs --yes');
    const forced = await runCli(
      ['install', ...args(moto.endpoint, '--yes', '--force-unlock', elsewhere.id)],
      {
        cwd: work.path,
        env: { CI: 'true' },
      },
    );
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toMatch(/The install of \d\d:\d\d was interrupted after creating change set/);
    expect(await lockParameter()).toBeUndefined();
    const cloudFormation = new CloudFormationClient({
      region: 'us-east-1',
      endpoint: moto.endpoint,
      credentials,
    });
    const liveStackNames = async () =>
      ((await cloudFormation.send(new ListStacksCommand({}))).StackSummaries ?? [])
        .filter((s) => s.StackStatus !== 'DELETE_COMPLETE')
        .map((s) => `${s.StackName} ${s.StackStatus}`)
        .sort();
    expect(await liveStackNames()).toEqual(['demo-app CREATE_COMPLETE', 'demo-data CREATE_COMPLETE']);

    // Upgrade and destroy hold it for their whole run: refused before their first change (the
    // upgrade's answers file, rewritten for a --set, is untouched), each printing its whole command.
    const copied = join(work.path, 'demo.answers.yaml');
    await copyFile(answers, copied);
    const before = await readFile(copied, 'utf8');
    await putLock(JSON.stringify(elsewhere));
    const upgrade = await runCli(
      [
        'upgrade',
        ...args(moto.endpoint, '--set', 'jobTimeoutSeconds=600', '--region', 'us-east-1').map((arg) =>
          arg === answers ? copied : arg,
        ),
      ],
      { cwd: work.path, env: { CI: 'true' } },
    );
    expect(upgrade.code, upgrade.stderr).toBe(75);
    expect(await readFile(copied, 'utf8')).toBe(before);
    expect(upgrade.stderr).toContain(
      `break the lock: stackguide upgrade --blueprint ${demo} --config ${copied} --set jobTimeoutSeconds=600 --region us-east-1 --endpoint-url ${moto.endpoint} --state-dir ${join(work.path, 'state')} --yes --force-unlock ${elsewhere.id}\n`,
    );
    const destroyLocked = await runCli(['destroy', ...args(moto.endpoint, '--confirm', 'demo')], {
      cwd: work.path,
      env: { CI: 'true' },
    });
    expect(destroyLocked.code, destroyLocked.stderr).toBe(75);
    expect(destroyLocked.stderr).toContain(
      `break the lock: stackguide destroy --blueprint ${demo} --config ${answers} --confirm demo --endpoint-url ${moto.endpoint} --state-dir ${join(work.path, 'state')} --yes --force-unlock ${elsewhere.id}\n`,
    );
    expect(await liveStackNames()).toEqual(['demo-app CREATE_COMPLETE', 'demo-data CREATE_COMPLETE']);

    // Read-only commands take no lock; destroy takes it and removes it before its leftovers report.
    const destroyed = await runCli(
      ['destroy', ...args(moto.endpoint, '--confirm', 'demo', '--yes', '--force-unlock', elsewhere.id)],
      { cwd: work.path, env: { CI: 'true' } },
    );
    expect(destroyed.code, destroyed.stderr).toBe(0);
    expect(destroyed.stderr).not.toContain('/stackguide/locks/demo');
    expect(await lockParameter()).toBeUndefined();
    cloudFormation.destroy();
  });
});
