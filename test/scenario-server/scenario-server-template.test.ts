import {
  CloudFormationClient,
  ContinueUpdateRollbackCommand,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  ListExportsCommand,
  ListImportsCommand,
  type Parameter,
} from '@aws-sdk/client-cloudformation';
import { afterEach, describe, expect, it } from 'vitest';
import { type ScenarioServer, startScenarioServer } from './server.ts';

/** The server's template-driven behaviour (SPEC.md "Templates", "Exports and imports", "Rollbacks"). */
let server: ScenarioServer | undefined;
let cfn: CloudFormationClient | undefined;
afterEach(async () => {
  cfn?.destroy();
  await server?.stop();
  server = undefined;
});

function manualClock() {
  let ms = Date.parse('2026-11-22T10:00:00Z');
  return { now: () => ms, advance: (seconds: number) => (ms += seconds * 1000) };
}

async function start(options: Parameters<typeof startScenarioServer>[0] = {}) {
  const clock = manualClock();
  server = await startScenarioServer({ now: clock.now, ...options });
  cfn = new CloudFormationClient({
    region: 'us-east-1',
    endpoint: server.endpoint,
    credentials: { accessKeyId: 't', secretAccessKey: 't' },
    maxAttempts: 1,
  });
  return { clock, server, cfn };
}

const exporter = `
Parameters:
  Prefix: { Type: String }
  Retention: { Type: Number, Default: '7' }
Conditions:
  Long: !Not [!Equals [!Ref Retention, '7']]
Resources:
  DataBucket: { Type: AWS::S3::Bucket }
  Logs: { Type: AWS::Logs::LogGroup, Properties: { RetentionInDays: !Ref Retention } }
  Archive: { Type: AWS::S3::Bucket, Condition: Long }
Outputs:
  BucketName:
    Description: The data bucket
    Value: !Ref DataBucket
    Export: { Name: !Sub '\${Prefix}-bucket' }
  LogsArn:
    Value: !GetAtt Logs.Arn
  Where:
    Value: !Sub '\${AWS::StackName} in \${AWS::Region}, retention \${Retention}'
`;

const importer = `
Parameters:
  Prefix: { Type: String }
Resources:
  Reader: { Type: AWS::IAM::Role, Properties: { Bucket: { 'Fn::ImportValue': !Sub '\${Prefix}-bucket' } } }
Outputs:
  ReadsFrom:
    Value: !ImportValue { 'Fn::Sub': '\${Prefix}-bucket' }
`;

const params = (values: Record<string, string>): Parameter[] =>
  Object.entries(values).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));

async function changeSet(
  client: CloudFormationClient,
  name: string,
  type: 'CREATE' | 'UPDATE',
  template: string,
  parameters: Record<string, string>,
) {
  const created = await client.send(
    new CreateChangeSetCommand({
      StackName: name,
      ChangeSetName: `cs-${Math.random().toString(36).slice(2, 8)}`,
      ChangeSetType: type,
      TemplateBody: template,
      Parameters: params(parameters),
    }),
  );
  const described = await client.send(new DescribeChangeSetCommand({ ChangeSetName: created.Id }));
  return { id: created.Id ?? '', stackId: created.StackId ?? '', described };
}

async function deploy(
  client: CloudFormationClient,
  clock: ReturnType<typeof manualClock>,
  name: string,
  template: string,
  parameters: Record<string, string>,
  type: 'CREATE' | 'UPDATE' = 'CREATE',
) {
  const made = await changeSet(client, name, type, template, parameters);
  await client.send(new ExecuteChangeSetCommand({ ChangeSetName: made.id }));
  clock.advance(120);
  const stack = (await client.send(new DescribeStacksCommand({ StackName: made.stackId }))).Stacks?.[0];
  return { ...made, stack };
}

async function status(client: CloudFormationClient, stack: string): Promise<string | undefined> {
  return (await client.send(new DescribeStacksCommand({ StackName: stack }))).Stacks?.[0]?.StackStatus;
}

describe('the scenario server, from the templates it is given', () => {
  it('keeps a CREATE change set not executed in REVIEW_IN_PROGRESS, lists its additions, and publishes Outputs and exports once executed', async () => {
    const { clock, cfn } = await start();
    const first = await changeSet(cfn, 'data', 'CREATE', exporter, { Prefix: 'lab' });
    expect(first.described).toMatchObject({ Status: 'CREATE_COMPLETE', ExecutionStatus: 'AVAILABLE' });
    // The Archive bucket's condition is false with the default retention: not part of the change set.
    expect(
      first.described.Changes?.map(
        (c) => `${c.ResourceChange?.Action} ${c.ResourceChange?.LogicalResourceId}`,
      ),
    ).toEqual(['Add DataBucket', 'Add Logs']);
    expect(await status(cfn, first.stackId)).toBe('REVIEW_IN_PROGRESS');
    const review = (await cfn.send(new DescribeStackEventsCommand({ StackName: first.stackId }))).StackEvents;
    expect(review?.map((e) => `${e.ResourceStatus} ${e.ResourceStatusReason}`)).toEqual([
      'REVIEW_IN_PROGRESS User Initiated',
    ]);
    await cfn.send(new DeleteChangeSetCommand({ ChangeSetName: first.id }));
    clock.advance(600);
    expect(await status(cfn, first.stackId)).toBe('REVIEW_IN_PROGRESS');
    expect((await cfn.send(new DescribeStacksCommand({ StackName: 'data' }))).Stacks?.[0]?.Outputs).toEqual(
      [],
    );

    const second = await changeSet(cfn, 'data', 'CREATE', exporter, { Prefix: 'lab' });
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: second.id }));
    expect(await status(cfn, 'data')).toBe('CREATE_IN_PROGRESS');
    expect((await cfn.send(new DescribeStacksCommand({ StackName: 'data' }))).Stacks?.[0]?.Outputs).toEqual(
      [],
    );
    clock.advance(60);
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: 'data' }))).Stacks?.[0];
    expect(stack?.StackStatus).toBe('CREATE_COMPLETE');
    const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: 'data' }))).StackEvents ?? [];
    const bucket = events.find((e) => e.LogicalResourceId === 'DataBucket')?.PhysicalResourceId;
    expect(bucket).toMatch(/^data-DataBucket-/);
    expect(stack?.Outputs).toEqual([
      {
        OutputKey: 'BucketName',
        OutputValue: bucket,
        Description: 'The data bucket',
        ExportName: 'lab-bucket',
      },
      { OutputKey: 'LogsArn', OutputValue: expect.stringMatching(/^arn:aws:.*\/Arn$/) },
      { OutputKey: 'Where', OutputValue: 'data in us-east-1, retention 7' },
    ]);
    expect((await cfn.send(new ListExportsCommand({}))).Exports).toEqual([
      { ExportingStackId: stack?.StackId, Name: 'lab-bucket', Value: bucket },
    ]);
  });

  it("wires one stack's export into another's import, lists the importer, and refuses to delete the exporter while it is imported", async () => {
    const { clock, cfn } = await start();
    const data = await deploy(cfn, clock, 'data', exporter, { Prefix: 'lab' });
    const app = await deploy(cfn, clock, 'app', importer, { Prefix: 'lab' });
    const bucket = data.stack?.Outputs?.find((o) => o.OutputKey === 'BucketName')?.OutputValue;
    expect(app.stack?.StackStatus).toBe('CREATE_COMPLETE');
    expect(app.stack?.Outputs).toEqual([{ OutputKey: 'ReadsFrom', OutputValue: bucket }]);
    expect((await cfn.send(new ListImportsCommand({ ExportName: 'lab-bucket' }))).Imports).toEqual(['app']);

    await cfn.send(new DeleteStackCommand({ StackName: 'data' }));
    clock.advance(60);
    const refused = (await cfn.send(new DescribeStacksCommand({ StackName: 'data' }))).Stacks?.[0];
    expect(refused?.StackStatus).toBe('DELETE_FAILED');
    expect(refused?.StackStatusReason).toBe('Export lab-bucket cannot be deleted as it is in use by app');
    // Nothing was deleted: the bucket is still there and still exported.
    expect((await cfn.send(new ListExportsCommand({}))).Exports?.map((e) => e.Name)).toEqual(['lab-bucket']);

    await cfn.send(new DeleteStackCommand({ StackName: 'app' }));
    clock.advance(60);
    await expect(cfn.send(new ListImportsCommand({ ExportName: 'lab-bucket' }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: "Export 'lab-bucket' is not imported by any stack.",
    });
    await cfn.send(new DeleteStackCommand({ StackName: 'data' }));
    clock.advance(60);
    expect(await status(cfn, data.stackId)).toBe('DELETE_COMPLETE');
    expect((await cfn.send(new ListExportsCommand({}))).Exports).toEqual([]);
  });

  it('fails a change set that imports an export nobody makes, and refuses to execute it', async () => {
    const { cfn } = await start();
    const made = await changeSet(cfn, 'app', 'CREATE', importer, { Prefix: 'nobody' });
    expect(made.described).toMatchObject({
      Status: 'FAILED',
      ExecutionStatus: 'UNAVAILABLE',
      StatusReason: 'No export named nobody-bucket found.',
    });
    await expect(cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: made.id }))).rejects.toMatchObject({
      name: 'InvalidChangeSetStatusException',
    });
  });

  it('marks an update with nothing to do FAILED with the documented reason; a real update modifies, adds and removes, and updates the outputs', async () => {
    const { clock, cfn } = await start();
    await deploy(cfn, clock, 'data', exporter, { Prefix: 'lab' });
    const empty = await changeSet(cfn, 'data', 'UPDATE', exporter, { Prefix: 'lab' });
    expect(empty.described).toMatchObject({
      Status: 'FAILED',
      ExecutionStatus: 'UNAVAILABLE',
      StatusReason:
        "The submitted information didn't contain changes. Submit different information to create a change set.",
      Changes: [],
    });

    const withoutLogs = exporter.replace(/ {2}Logs: .*\n/, '').replace(/ {2}LogsArn:\n.*\n/, '');
    const update = await changeSet(cfn, 'data', 'UPDATE', withoutLogs, { Prefix: 'lab', Retention: '30' });
    expect(
      update.described.Changes?.map(
        (c) => `${c.ResourceChange?.Action} ${c.ResourceChange?.LogicalResourceId}`,
      ),
    ).toEqual(['Add Archive', 'Remove Logs']);
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: update.id }));
    clock.advance(60);
    const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: 'data' }))).StackEvents ?? [];
    const order = events
      .filter((e) => e.Timestamp && e.ResourceStatus?.startsWith('UPDATE') !== undefined)
      .map((e) => `${e.LogicalResourceId} ${e.ResourceStatus}`)
      .reverse();
    const after = order.slice(order.indexOf('data UPDATE_IN_PROGRESS'));
    expect(after).toEqual([
      'data UPDATE_IN_PROGRESS',
      'Archive CREATE_IN_PROGRESS',
      'Archive CREATE_COMPLETE',
      'data UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
      'Logs DELETE_IN_PROGRESS',
      'Logs DELETE_COMPLETE',
      'data UPDATE_COMPLETE',
    ]);
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: 'data' }))).Stacks?.[0];
    expect(stack?.Outputs?.map((o) => `${o.OutputKey}=${o.OutputValue}`)).toEqual([
      expect.stringMatching(/^BucketName=data-DataBucket-/),
      'Where=data in us-east-1, retention 30',
    ]);
  });

  it('pages ListExports and ListImports with NextToken', async () => {
    const { clock, cfn } = await start({ pageSize: 2 });
    for (const prefix of ['a', 'b', 'c', 'd', 'e'])
      await deploy(cfn, clock, `data-${prefix}`, exporter, { Prefix: prefix });
    for (const n of [1, 2, 3]) await deploy(cfn, clock, `app-${n}`, importer, { Prefix: 'c' });

    const first = await cfn.send(new ListExportsCommand({}));
    expect(first.Exports).toHaveLength(2);
    expect(first.NextToken).toBeDefined();
    const names = [...(first.Exports ?? [])];
    let NextToken = first.NextToken;
    while (NextToken) {
      const next = await cfn.send(new ListExportsCommand({ NextToken }));
      names.push(...(next.Exports ?? []));
      NextToken = next.NextToken;
    }
    expect(names.map((e) => e.Name)).toEqual(['a-bucket', 'b-bucket', 'c-bucket', 'd-bucket', 'e-bucket']);

    const imports = await cfn.send(new ListImportsCommand({ ExportName: 'c-bucket' }));
    expect(imports.Imports).toEqual(['app-1', 'app-2']);
    const rest = await cfn.send(
      new ListImportsCommand({ ExportName: 'c-bucket', NextToken: imports.NextToken }),
    );
    expect(rest).toMatchObject({ Imports: ['app-3'] });
    expect(rest.NextToken).toBeUndefined();
  });

  it('stops in UPDATE_ROLLBACK_FAILED; ContinueUpdateRollback is refused elsewhere, and skipping the resource completes the rollback', async () => {
    const { clock, cfn } = await start({
      scenarios: { default: 'update-rollback-failed' },
      existing: ['api'],
    });
    await expect(cfn.send(new ContinueUpdateRollbackCommand({ StackName: 'api' }))).rejects.toMatchObject({
      name: 'ValidationError',
    });
    const update = await changeSet(cfn, 'api', 'UPDATE', 'Resources: {}', {});
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: update.id }));
    clock.advance(60);
    const failed = (await cfn.send(new DescribeStacksCommand({ StackName: 'api' }))).Stacks?.[0];
    expect(failed).toMatchObject({
      StackStatus: 'UPDATE_ROLLBACK_FAILED',
      StackStatusReason: 'The following resource(s) failed to update: [Service]. ',
    });

    await cfn.send(new ContinueUpdateRollbackCommand({ StackName: 'api', ResourcesToSkip: ['Service'] }));
    expect(await status(cfn, 'api')).toBe('UPDATE_ROLLBACK_IN_PROGRESS');
    clock.advance(60);
    expect(await status(cfn, 'api')).toBe('UPDATE_ROLLBACK_COMPLETE');
    const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: 'api' }))).StackEvents ?? [];
    expect(events.slice(0, 4).map((e) => `${e.LogicalResourceId} ${e.ResourceStatus}`)).toEqual([
      'api UPDATE_ROLLBACK_COMPLETE',
      'api UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
      'Service UPDATE_COMPLETE',
      'api UPDATE_ROLLBACK_IN_PROGRESS',
    ]);
  });

  it('denies an action and fails a delete on the resource it is told, until retried keeping that resource', async () => {
    const { clock, cfn, server } = await start();
    await deploy(cfn, clock, 'data', exporter, { Prefix: 'lab' });
    server.deny('ListImports', 1);
    await expect(cfn.send(new ListImportsCommand({ ExportName: 'lab-bucket' }))).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    // Only the one call was denied: the next one gets CloudFormation's own answer.
    await expect(cfn.send(new ListImportsCommand({ ExportName: 'lab-bucket' }))).rejects.toMatchObject({
      name: 'ValidationError',
    });

    server.failDelete('data', 'DataBucket', 'Access Denied (Service: S3, Status Code: 403)');
    await cfn.send(new DeleteStackCommand({ StackName: 'data' }));
    clock.advance(60);
    const failed = (await cfn.send(new DescribeStacksCommand({ StackName: 'data' }))).Stacks?.[0];
    expect(failed).toMatchObject({
      StackStatus: 'DELETE_FAILED',
      StackStatusReason: 'The following resource(s) failed to delete: [DataBucket]. ',
    });
    const reason = (await cfn.send(new DescribeStackEventsCommand({ StackName: 'data' }))).StackEvents?.find(
      (e) => e.ResourceStatus === 'DELETE_FAILED' && e.LogicalResourceId === 'DataBucket',
    )?.ResourceStatusReason;
    expect(reason).toBe('Access Denied (Service: S3, Status Code: 403)');

    await cfn.send(new DeleteStackCommand({ StackName: 'data', RetainResources: ['DataBucket'] }));
    clock.advance(60);
    expect(await status(cfn, failed?.StackId ?? '')).toBe('DELETE_COMPLETE');
  });
});
