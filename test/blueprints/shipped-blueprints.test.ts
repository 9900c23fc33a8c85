import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CloudFormationClient, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * Every shipped blueprint, end to end against moto: validate is clean, the sample answers install
 * unattended, status reads every stack healthy, and destroy leaves none of its stacks behind.
 */
let moto: MotoServer;
let work: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  moto = await startMotoServer();
  work = await tempDir();
});
afterAll(async () => {
  await moto?.stop();
  await work?.remove();
});

const blueprints: Array<{
  id: string;
  deployment: string;
  /** Files the install renders beside the answers file, with a line each must hold. */
  writes?: Record<string, string>;
}> = [
  { id: 'demo', deployment: 'demo' },
  { id: 'convox-rack', deployment: 'production' },
  // The OAuth client secret is never asked: the file names the variable QHub reads it from.
  {
    id: 'qhub',
    deployment: 'qhub-aws',
    writes: { 'qhub-config.yaml': 'client_secret: QHUB_SECRET_OAUTH_CLIENT_SECRET' },
  },
];

async function liveStacks(): Promise<string[]> {
  const cloudFormation = new CloudFormationClient({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  const names: string[] = [];
  for (const region of ['us-east-1', 'us-west-2']) {
    const client =
      region === 'us-east-1'
        ? cloudFormation
        : new CloudFormationClient({
            region,
            endpoint: moto.endpoint,
            credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
          });
    const { StackSummaries } = await client.send(new ListStacksCommand({}));
    names.push(
      ...(StackSummaries ?? [])
        .filter((s) => s.StackStatus !== 'DELETE_COMPLETE')
        .map((s) => s.StackName ?? ''),
    );
  }
  return names;
}

describe.each(blueprints)('blueprints/$id', ({ id, deployment, writes }) => {
  const folder = join(projectRoot, 'blueprints', id);
  // A copy: files the blueprint renders go beside the answers file, which must not be the repository.
  const answers = (): string => join(work.path, `${id}.answers.yaml`);
  const cli = (...args: string[]) =>
    runCli(
      [
        ...args,
        '--blueprint',
        folder,
        '--config',
        answers(),
        '--endpoint-url',
        moto.endpoint,
        '--state-dir',
        join(work.path, 'state'),
      ],
      { cwd: work.path },
    );

  it('validates clean, installs unattended from its sample answers, reads healthy, and is destroyed with no stack left', async () => {
    await copyFile(join(folder, 'answers.yaml'), answers());
    const validated = await runCli(['validate', folder]);
    expect(validated.code, validated.stderr).toBe(0);

    const installed = await cli('install', '--yes');
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stderr).toContain('succeeded');

    for (const [file, expected] of Object.entries(writes ?? {})) {
      const written = await readFile(join(work.path, file), 'utf8');
      expect(written).toContain(expected);
    }

    const status = await cli('status');
    expect(status.code, status.stdout).toBe(0);

    const destroyed = await cli('destroy', '--confirm', deployment);
    expect(destroyed.code, destroyed.stderr).toBe(0);
    expect((await liveStacks()).filter((name) => name.startsWith(deployment))).toEqual([]);
  });
});
