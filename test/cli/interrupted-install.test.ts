import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DescribeStacksCommand,
  ListChangeSetsCommand,
  ListStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Gate, startGateProxy } from '../support/gate-proxy.ts';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { cliPath, projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * kill -9 (not a signal the tool handles) at exact calls of an install of the demo blueprint, then the
 * same command again: it must finish with one of everything and no change set of its own left
 * unexecuted. The gate proxy holds the chosen call before AWS sees it, or after AWS did it.
 */
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

function installArgs(endpoint: string): string[] {
  return [
    'install',
    '--blueprint',
    demo,
    '--config',
    answers,
    '--yes',
    '--endpoint-url',
    endpoint,
    '--state-dir',
    join(work.path, 'state'),
  ];
}

/** Starts an install through a gate, and kill -9s it once the gate holds its call. */
async function installKilledAt(gate: Gate): Promise<void> {
  const proxy = await startGateProxy(moto.endpoint, gate);
  const child = spawn(process.execPath, [cliPath, ...installArgs(proxy.endpoint)], {
    cwd: work.path,
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', CI: 'true' },
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  const outcome = await Promise.race([proxy.reached.then(() => 'reached' as const), exited]);
  expect(outcome, `the install never made call ${gate.action} #${gate.occurrence}`).toBe('reached');
  child.kill('SIGKILL');
  await exited;
  await proxy.stop();
}

async function liveStacks(): Promise<Array<{ name: string; status: string }>> {
  const listed = await cloudFormation.send(new ListStacksCommand({}));
  return (listed.StackSummaries ?? [])
    .filter((s) => s.StackStatus !== 'DELETE_COMPLETE')
    .map((s) => ({ name: s.StackName ?? '', status: s.StackStatus ?? '' }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

async function unexecutedChangeSets(stack: string): Promise<string[]> {
  const listed = await cloudFormation.send(new ListChangeSetsCommand({ StackName: stack }));
  return (listed.Summaries ?? [])
    .filter((s) => s.ExecutionStatus === 'AVAILABLE' || s.ExecutionStatus === 'UNAVAILABLE')
    .map((s) => s.ChangeSetName ?? '');
}

const killPoints: Gate[] = [
  { action: 'CreateChangeSet', occurrence: 1, when: 'before' },
  { action: 'CreateChangeSet', occurrence: 1, when: 'after' },
  { action: 'ExecuteChangeSet', occurrence: 1, when: 'before' },
  { action: 'ExecuteChangeSet', occurrence: 1, when: 'after' },
  { action: 'CreateChangeSet', occurrence: 2, when: 'after' },
  { action: 'ExecuteChangeSet', occurrence: 2, when: 'before' },
  { action: 'ExecuteChangeSet', occurrence: 2, when: 'after' },
];

describe('an install killed with kill -9, then run again', () => {
  it.each(killPoints)(
    'killed at $action #$occurrence ($when AWS answers): the re-run finishes the job once',
    async (gate) => {
      await installKilledAt(gate);
      const again = await runCli(installArgs(moto.endpoint), { cwd: work.path, env: { CI: 'true' } });
      expect(again.stderr).not.toMatch(/IN_PROGRESS \(\d+m/);
      expect(again.code, again.stderr).toBe(0);
      // The killed run's lock was left behind; its pid is gone, so the re-run took it over and said so.
      expect(again.stderr).toMatch(
        /The lock of demo was left by install by \S+ on \S+ \(pid \d+\).*no longer running on this machine: taken over/,
      );
      expect(await liveStacks()).toEqual([
        { name: 'demo-app', status: 'CREATE_COMPLETE' },
        { name: 'demo-data', status: 'CREATE_COMPLETE' },
      ]);
      expect(await unexecutedChangeSets('demo-data')).toEqual([]);
      expect(await unexecutedChangeSets('demo-app')).toEqual([]);
      if (gate.action === 'ExecuteChangeSet' && gate.when === 'before') {
        // The change set the killed run created was found by its journaled token and deleted, and said so.
        expect(again.stderr).toMatch(/stopped before executing it; deleted it/);
        // And the re-run said first what the killed run was doing when it stopped.
        expect(again.stderr).toMatch(
          /The install of \d\d:\d\d was interrupted after creating change set stackguide-[0-9a-f-]+ for demo-(data|app)/,
        );
        // First: before the checks and the plan, and before the run takes the lock and begins.
        const told = again.stderr.indexOf('was interrupted');
        expect(told).toBeLessThan(again.stderr.search(/\] [✔⚠✖+] /));
        expect(told).toBeLessThan(again.stderr.indexOf('The lock of demo was left'));
        // Said once as it came (the summary's Warnings repeat it at the end).
        expect(again.stderr.match(/warning: The install of .* was interrupted/g)).toHaveLength(1);
      }
    },
  );
});

describe('an install stopped with Ctrl+C (SIGINT), then run again', () => {
  it('exits 130 saying so, records the run stopped, releases its lock, and the re-run tells it and finishes', async () => {
    const proxy = await startGateProxy(moto.endpoint, {
      action: 'CreateChangeSet',
      occurrence: 1,
      when: 'before',
    });
    const child = spawn(process.execPath, [cliPath, ...installArgs(proxy.endpoint), '--output', 'json'], {
      cwd: work.path,
      env: { ...process.env, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    const outcome = await Promise.race([proxy.reached.then(() => 'reached' as const), exited]);
    expect(outcome, 'the install never created its first change set').toBe('reached');
    child.kill('SIGINT');
    const code = await exited;
    await proxy.stop();
    expect(code).toBe(130);
    const events = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; outcome?: string; message?: string });
    expect(events.at(-1)).toMatchObject({ type: 'run.completed', outcome: 'cancelled' });
    expect(events.find((event) => event.type === 'error')?.message).toMatch(/stopped at your request/);

    // Released on the way out, though the run's calls were cut short: the next run is not refused.
    const ssm = new SSMClient({
      region: 'us-east-1',
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    await expect(ssm.send(new GetParameterCommand({ Name: '/stackguide/locks/demo' }))).rejects.toThrow(
      /ParameterNotFound|not found/i,
    );
    ssm.destroy();
    const state = JSON.parse(await readFile(join(work.path, 'state', 'demo', 'state.json'), 'utf8')) as {
      operations: Array<{ status: string }>;
    };
    expect(state.operations.at(-1)?.status).toBe('stopped');

    const again = await runCli(installArgs(moto.endpoint), { cwd: work.path, env: { CI: 'true' } });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/The install of \d\d:\d\d was stopped/);
    expect(again.stderr).not.toMatch(/taken over/);
    expect(await liveStacks()).toEqual([
      { name: 'demo-app', status: 'CREATE_COMPLETE' },
      { name: 'demo-data', status: 'CREATE_COMPLETE' },
    ]);
  });
});

describe('watch on a stack that only has a change set', () => {
  it('returns at once and says the stack was never created', async () => {
    await cloudFormation.send(
      new CreateChangeSetCommand({
        StackName: 'console-made',
        ChangeSetName: 'made-in-the-console',
        ChangeSetType: 'CREATE',
        TemplateBody: JSON.stringify({ Resources: { Queue: { Type: 'AWS::SQS::Queue' } } }),
      }),
    );
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: 'console-made' }));
    expect(Stacks?.[0]?.StackStatus).toBe('REVIEW_IN_PROGRESS');
    const started = Date.now();
    const result = await runCli(
      ['watch', 'console-made', '--region', 'us-east-1', '--endpoint-url', moto.endpoint],
      {
        env: { CI: 'true' },
        timeoutMs: 20_000,
      },
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      /console-made is REVIEW_IN_PROGRESS: a change set was created and never executed/,
    );
  });
});
