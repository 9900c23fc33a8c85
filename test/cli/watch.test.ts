import { spawn } from 'node:child_process';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScenarioServer } from '../scenario-server/server.ts';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { cliPath, projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

let moto: MotoServer;
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

beforeAll(async () => {
  moto = await startMotoServer();
});
afterAll(async () => {
  await moto?.stop();
});

/** A Lambda-backed custom resource holds a moto stack in CREATE_IN_PROGRESS until the test answers for it. */
async function createHeldStack(name: string): Promise<string> {
  const iam = new IAMClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials });
  const role = await iam.send(
    new CreateRoleCommand({
      RoleName: `${name}-fn`,
      AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}',
    }),
  );
  iam.destroy();
  // moto's Lambda API checks neither signature nor code; an empty zip is enough for a function to exist.
  const fn = await fetch(`${moto.endpoint}/2015-03-31/functions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization:
        'AWS4-HMAC-SHA256 Credential=testing/20261122/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify({
      FunctionName: `${name}-fn`,
      Runtime: 'python3.12',
      Role: role.Role?.Arn,
      Handler: 'index.handler',
      Code: { ZipFile: 'UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==' },
    }),
  }).then((response) => response.json() as Promise<{ FunctionArn: string }>);
  const cloudFormation = new CloudFormationClient({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    credentials,
  });
  const template = {
    Resources: {
      Queue: { Type: 'AWS::SQS::Queue' },
      Hold: { Type: 'Custom::Hold', Properties: { ServiceToken: fn.FunctionArn } },
    },
  };
  const { StackId } = await cloudFormation.send(
    new CreateStackCommand({ StackName: name, TemplateBody: JSON.stringify(template) }),
  );
  const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: name }));
  expect(Stacks?.[0]?.StackStatus).toBe('CREATE_IN_PROGRESS');
  cloudFormation.destroy();
  return StackId ?? name;
}

describe('stackguide watch', () => {
  it('attaches to a stack held in CREATE_IN_PROGRESS by a custom resource and exits 0 when it completes', async () => {
    const stackId = await createHeldStack('held');
    const child = spawn(
      process.execPath,
      [cliPath, 'watch', 'held', '--region', 'us-east-1', '--endpoint-url', moto.endpoint],
      {
        env: { ...process.env, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', CI: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));

    // It shows the operation from its start, before anything new happens.
    await expect
      .poll(() => stderr, { timeout: 15_000 })
      .toContain('held: held AWS::CloudFormation::Stack CREATE_IN_PROGRESS');
    expect(stderr).toContain('held: attach');

    const released = await fetch(
      `${moto.endpoint}/cloudformation_us-east-1/cfnresponse?stack=${encodeURIComponent(stackId)}`,
      {
        method: 'PUT',
        body: JSON.stringify({
          Status: 'SUCCESS',
          StackId: stackId,
          LogicalResourceId: 'Hold',
          PhysicalResourceId: 'hold-1',
          Data: {},
        }),
      },
    );
    expect(released.status).toBe(200);

    expect(await exited).toBe(0);
    expect(stderr).toMatch(/held: CREATE_COMPLETE/);
  });

  it('exits 2 for a stack that does not exist (finding 82)', async () => {
    const result = await runCli([
      'watch',
      'nothing-here',
      '--region',
      'us-east-1',
      '--endpoint-url',
      moto.endpoint,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Stack nothing-here does not exist in us-east-1');
  });

  it('follows an install in flight from its first stack to its last, not to the end of the first (finding 66)', async () => {
    // CloudFormation with real timings (each resource 3 s), everything else (the lock) on moto.
    const server = await startScenarioServer({
      resourceSeconds: { 'AWS::SQS::Queue': 3, 'AWS::SNS::Topic': 3 },
    });
    const work = await tempDir();
    try {
      const env = {
        ...process.env,
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_ENDPOINT_URL: moto.endpoint,
        AWS_ENDPOINT_URL_CLOUDFORMATION: server.endpoint,
        CI: 'true',
      };
      const blueprint = join(projectRoot, 'blueprints', 'demo');
      // A copy: install saves the answers of another deployment name beside the file it was given.
      const answers = join(work.path, 'answers.yaml');
      await copyFile(join(blueprint, 'answers.yaml'), answers);
      const install = spawn(
        process.execPath,
        [
          cliPath,
          'install',
          '--blueprint',
          blueprint,
          '--config',
          answers,
          '--name',
          'slow',
          '--yes',
          '--state-dir',
          join(work.path, 'state'),
        ],
        { cwd: work.path, env, stdio: ['ignore', 'ignore', 'ignore'] },
      );
      const installed = new Promise<number | null>((resolve) => install.on('close', resolve));
      // Attached while the first stack is being created.
      await expect
        .poll(() => server.calls.some((call) => call.action === 'ExecuteChangeSet'), { timeout: 60_000 })
        .toBe(true);
      const watched = await runCli(
        ['watch', '--blueprint', blueprint, '--name', 'slow', '--region', 'us-east-1'],
        { cwd: work.path, env, timeoutMs: 120_000 },
      );
      expect(await installed).toBe(0);
      expect(watched.code, watched.stderr).toBe(0);
      // It saw the second stack created, which the install started after the first one ended.
      expect(watched.stderr).toMatch(/slow-data: CREATE_COMPLETE[\s\S]*slow-app: CREATE_COMPLETE/);
    } finally {
      await Promise.all([server.stop(), work.remove()]);
    }
  }, 180_000);
});
