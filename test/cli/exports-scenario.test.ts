import { join } from 'node:path';
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScenarioServer, startScenarioServer } from '../scenario-server/server.ts';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * Stack outputs and exports as CloudFormation publishes them, through the built CLI: CloudFormation is
 * the scenario server (which evaluates the templates' Outputs, exports and imports), everything else
 * moto. One stack's output goes into the other's parameter (stackguide's wiring), one of its exports
 * into the other's Fn::ImportValue (CloudFormation's), and destroy's order check reads ListExports and
 * ListImports, paged, and stops when they are refused.
 */
let moto: MotoServer;
let server: ScenarioServer;
let cfn: CloudFormationClient;
let work: { path: string; remove: () => Promise<void> };
const blueprint = join(projectRoot, 'test', 'fixtures', 'blueprints', 'exports');

beforeAll(async () => {
  moto = await startMotoServer();
  // Two items a page: base's three exports come back in two pages of ListExports.
  server = await startScenarioServer({ speed: 20, pageSize: 2 });
  cfn = new CloudFormationClient({
    region: 'us-east-1',
    endpoint: server.endpoint,
    credentials: { accessKeyId: 't', secretAccessKey: 't' },
    maxAttempts: 1,
  });
  work = await tempDir();
});
afterAll(async () => {
  cfn?.destroy();
  await server?.stop();
  await moto?.stop();
  await work?.remove();
});

const cli = (...args: string[]) =>
  runCli(
    [
      ...args,
      '--blueprint',
      blueprint,
      '--name',
      'lab',
      '--region',
      'us-east-1',
      '--state-dir',
      join(work.path, 'state'),
    ],
    {
      cwd: work.path,
      env: { AWS_ENDPOINT_URL: moto.endpoint, AWS_ENDPOINT_URL_CLOUDFORMATION: server.endpoint },
      timeoutMs: 120_000,
    },
  );

async function stack(name: string): Promise<Stack | undefined> {
  return (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0];
}
const output = (s: Stack | undefined, key: string) =>
  s?.Outputs?.find((o) => o.OutputKey === key)?.OutputValue;
const calls = (action: string) => server.calls.filter((call) => call.action === action && !call.throttled);

describe('outputs and exports on the scenario server, through the CLI', () => {
  it("wires base's output into app's parameter and base's export into app's import", async () => {
    const installed = await cli('install', '--yes');
    expect(installed.code, installed.stderr).toBe(0);
    const base = await stack('lab-base');
    const app = await stack('lab-app');
    const queue = output(base, 'QueueName');
    expect(queue).toMatch(/^lab-base-Queue-/);
    expect(base?.Outputs?.map((o) => o.ExportName)).toEqual(['lab-queue', 'lab-topic', 'lab-key']);
    // stackguide read base's output and passed it on as app's parameter...
    expect(app?.Parameters).toContainEqual({ ParameterKey: 'JobQueueName', ParameterValue: queue });
    expect(output(app, 'WatchedQueue')).toBe(queue);
    // ...and CloudFormation resolved app's import of base's export.
    expect(output(app, 'AlertsTo')).toBe(output(base, 'TopicArn'));
    // The summary shows the outputs CloudFormation published.
    expect(installed.stdout).toContain(`QueueName: ${queue}`);
  });

  it('stops destroy before deleting anything when ListImports is refused, naming the option that goes on', async () => {
    server.deny('ListImports', 1);
    const stopped = await cli('destroy', '--confirm', 'lab');
    // A refusal is the credentials' to fix: exit 3, as every AccessDenied.
    expect(stopped.code).toBe(3);
    // The reason names the call AWS refused, its HTTP status and request id, and AWS's own words.
    expect(stopped.stderr).toMatch(
      /Nothing was deleted: the destroy order could not be checked against exports and imports \(ListImports for lab-queue failed: AWS refused cloudformation:ListImports to arn:aws:iam::123456789012:user\/scenario/,
    );
    expect(stopped.stderr).toContain('--skip-export-check');
    expect(calls('DeleteStack')).toEqual([]);
    expect((await stack('lab-base'))?.StackStatus).toBe('CREATE_COMPLETE');
  });

  it('stops when ListExports is refused too, and --skip-export-check goes on knowingly', async () => {
    server.deny('ListExports', 1);
    const stopped = await cli('destroy', '--dry-run');
    expect(stopped.code).toBe(3);
    expect(stopped.stderr).toMatch(
      /\(ListExports failed: AWS refused cloudformation:ListExports to arn:aws:iam::123456789012:user\/scenario/,
    );

    server.deny('ListExports');
    const skipped = await cli('destroy', '--dry-run', '--skip-export-check');
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(skipped.stderr).toContain(
      'The order was not checked against exports and imports (--skip-export-check)',
    );
    server.deny('ListExports', 0);
  });

  it('refuses with exit 2, deleting nothing, while a stack outside the deployment imports an export', async () => {
    const outsider = await cfn.send(
      new CreateChangeSetCommand({
        StackName: 'reporting',
        ChangeSetName: 'by-hand',
        ChangeSetType: 'CREATE',
        TemplateBody: JSON.stringify({
          Resources: {
            Feed: {
              Type: 'AWS::SNS::Subscription',
              Properties: { TopicArn: { 'Fn::ImportValue': 'lab-topic' } },
            },
          },
        }),
      }),
    );
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: outsider.Id }));
    await expect
      .poll(async () => (await stack('reporting'))?.StackStatus, { timeout: 20_000 })
      .toBe('CREATE_COMPLETE');

    const refused = await cli('destroy', '--confirm', 'lab');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      'reporting, which is not part of this deployment, imports lab-topic from lab-base',
    );
    expect(calls('DeleteStack')).toEqual([]);

    await cfn.send(new DeleteStackCommand({ StackName: 'reporting' }));
    await expect
      .poll(async () => (await stack(outsider.StackId ?? ''))?.StackStatus, { timeout: 20_000 })
      .toBe('DELETE_COMPLETE');
  });

  it('reads every page of ListExports and the importers of each export, then deletes the importer first', async () => {
    const before = { exports: calls('ListExports').length, imports: calls('ListImports').length };
    const destroyed = await cli('destroy', '--confirm', 'lab');
    expect(destroyed.code, destroyed.stderr).toBe(0);
    const exportCalls = calls('ListExports').slice(before.exports);
    expect(exportCalls.map((call) => call.params.NextToken)).toEqual([undefined, '2']);
    expect(
      calls('ListImports')
        .slice(before.imports)
        .map((call) => call.params.ExportName),
    ).toEqual(['lab-queue', 'lab-topic', 'lab-key']);
    const deleted = calls('DeleteStack')
      .map((call) => call.params.StackName ?? '')
      .filter((name) => name !== 'reporting');
    expect(deleted).toEqual([
      expect.stringContaining(':stack/lab-app/'),
      expect.stringContaining(':stack/lab-base/'),
    ]);
    for (const stackId of deleted) expect((await stack(stackId))?.StackStatus).toBe('DELETE_COMPLETE');
    expect(destroyed.stderr.indexOf('lab-app: DELETE_COMPLETE')).toBeLessThan(
      destroyed.stderr.indexOf('lab-base: DELETE_COMPLETE'),
    );
  });
});
