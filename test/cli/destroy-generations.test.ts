import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CloudFormationClient,
  DeleteStackCommand,
  DescribeStacksCommand,
  ListStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * A destroy killed part-way leaves its plan journaled as in progress. If the deployment is installed
 * again before the next destroy, that plan (of the earlier stack ids) must not be applied: the new
 * destroy deletes what AWS holds, in order, and reports what it did. Each state a kill leaves is made
 * here directly (the journal as the killed run wrote it), so the test does not race the kill.
 */
let moto: MotoServer;
let cloudFormation: CloudFormationClient;
let work: { path: string; remove: () => Promise<void> };
const demo = join(projectRoot, 'blueprints', 'demo');
const answers = join(demo, 'answers.yaml');

beforeAll(async () => {
  moto = await startMotoServer();
  cloudFormation = new CloudFormationClient({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
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

const stateFile = () => join(work.path, 'state', 'demo', 'state.json');
const cli = (...args: string[]) =>
  runCli(
    [
      ...args,
      '--blueprint',
      demo,
      '--config',
      answers,
      '--endpoint-url',
      moto.endpoint,
      '--state-dir',
      join(work.path, 'state'),
    ],
    { cwd: work.path, env: { CI: 'true' } },
  );

async function stackId(name: string): Promise<string> {
  const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: name }));
  return Stacks?.[0]?.StackId ?? '';
}

async function live(): Promise<string[]> {
  const listed = await cloudFormation.send(new ListStacksCommand({}));
  return (listed.StackSummaries ?? [])
    .filter((s) => s.StackStatus !== 'DELETE_COMPLETE')
    .map((s) => s.StackName ?? '')
    .sort();
}

/** The journal as a destroy killed after deleting `deleted` (of `planned`) leaves it. */
async function journalInterruptedDestroy(planned: string[]): Promise<void> {
  const state = JSON.parse(await readFile(stateFile(), 'utf8'));
  state.destroy = {
    status: 'in-progress',
    startedAt: '2026-12-03T05:00:00.000Z',
    updatedAt: '2026-12-03T05:00:01.000Z',
    plan: { stackIds: planned, buckets: [], repositories: [], codeCommitRepositories: [] },
  };
  await writeFile(stateFile(), JSON.stringify(state));
}

// Each test runs the demo's install and destroy four or five times: about 25 s idle, but up to 180 s
// (the suite's default limit) on a loaded 2-core machine, where the fresh-clone run at af18963 timed
// out. Nothing here waits on a clock; the limit only has to be generous.
const GENERATIONS_TIMEOUT_MS = 600_000;

describe('destroy after an interrupted destroy and a new install', {
  timeout: GENERATIONS_TIMEOUT_MS,
}, () => {
  it('killed after its last stack: the next destroy deletes the new stacks and says so truly', async () => {
    expect((await cli('install', '--yes')).code).toBe(0);
    const firstGeneration = [await stackId('demo-app'), await stackId('demo-data')];
    expect((await cli('destroy', '--confirm', 'demo')).code).toBe(0);
    await journalInterruptedDestroy(firstGeneration);
    expect((await cli('install', '--yes')).code).toBe(0);
    expect(await live()).toEqual(['demo-app', 'demo-data']);

    const destroyed = await cli('destroy', '--confirm', 'demo');
    expect(destroyed.code, destroyed.stderr).toBe(0);
    expect(destroyed.stderr).toMatch(
      /installed again since \(demo-app, demo-data are new stacks\): its plan is not applied/,
    );
    expect(destroyed.stderr).not.toContain('nothing to delete');
    expect(destroyed.stderr).toMatch(/demo-app: DELETE_COMPLETE[\s\S]*demo-data: DELETE_COMPLETE/);
    expect(await live()).toEqual([]);
  });

  it('killed after its first stack: the next destroy never deletes the data stack alone under the new app stack', async () => {
    expect((await cli('install', '--yes')).code).toBe(0);
    const firstGeneration = [await stackId('demo-app'), await stackId('demo-data')];
    // What the killed destroy had done: the app stack deleted, the data stack not yet.
    await cloudFormation.send(new DeleteStackCommand({ StackName: 'demo-app' }));
    await journalInterruptedDestroy(firstGeneration);
    expect((await cli('install', '--yes')).code).toBe(0);
    expect(await stackId('demo-data')).toBe(firstGeneration[1]);

    const destroyed = await cli('destroy', '--confirm', 'demo');
    expect(destroyed.code, destroyed.stderr).toBe(0);
    expect(destroyed.stderr).toMatch(/\(demo-app is a new stack\): its plan is not applied/);
    expect(destroyed.stderr).toMatch(/demo-app: DELETE_COMPLETE[\s\S]*demo-data: DELETE_COMPLETE/);
    expect(await live()).toEqual([]);
  });

  it('a corrupt journal stops the run with exit 2, naming the file and how to recover', async () => {
    expect((await cli('install', '--yes')).code).toBe(0);
    await writeFile(stateFile(), '{"schemaVersion":2,"stacks":{"demo-data":');
    const result = await cli('destroy', '--confirm', 'demo');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`The journal ${stateFile()} is corrupt`);
    expect(result.stderr).toContain(`mv ${stateFile()} ${stateFile()}.corrupt`);
    expect(await live()).toEqual(['demo-app', 'demo-data']);
  });
});
