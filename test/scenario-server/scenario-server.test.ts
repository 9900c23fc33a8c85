import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DeleteStackCommand,
  DescribeEventsCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { afterEach, describe, expect, it } from 'vitest';
import { type ScenarioServer, startScenarioServer } from './server.ts';

let server: ScenarioServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

/** A clock the test moves by hand: the server reads it, so scenario time passes only when told. */
function manualClock() {
  let ms = Date.parse('2026-11-22T10:00:00Z');
  return { now: () => ms, advance: (seconds: number) => (ms += seconds * 1000) };
}

function client(endpoint: string, maxAttempts = 1): CloudFormationClient {
  return new CloudFormationClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 't', secretAccessKey: 't' },
    maxAttempts,
  });
}

async function createAndExecute(cfn: CloudFormationClient, name: string): Promise<string> {
  const created = await cfn.send(
    new CreateChangeSetCommand({
      StackName: name,
      ChangeSetName: 'cs1',
      ChangeSetType: 'CREATE',
      TemplateBody: '{}',
    }),
  );
  await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: created.Id, ClientRequestToken: 'tok-1' }));
  return created.StackId ?? '';
}

async function allEvents(cfn: CloudFormationClient, stack: string): Promise<StackEvent[]> {
  const events: StackEvent[] = [];
  let NextToken: string | undefined;
  do {
    const page = await cfn.send(new DescribeStackEventsCommand({ StackName: stack, NextToken }));
    events.push(...(page.StackEvents ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return events;
}

describe('the scenario server', () => {
  it('plays the 300-resource create with 3 nested stacks to CREATE_COMPLETE, events paged newest first', async () => {
    const clock = manualClock();
    server = await startScenarioServer({ scenarios: { default: 'big-nested-create' }, now: clock.now });
    const cfn = client(server.endpoint);
    const stackId = await createAndExecute(cfn, 'platform');
    expect((await cfn.send(new DescribeStacksCommand({ StackName: stackId }))).Stacks?.[0]?.StackStatus).toBe(
      'CREATE_IN_PROGRESS',
    );

    clock.advance(3600);
    const root = await allEvents(cfn, stackId);
    expect(root[0]?.ResourceStatus).toBe('CREATE_COMPLETE');
    expect(root[0]?.LogicalResourceId).toBe('platform');
    const times = root.map((e) => e.Timestamp?.getTime() ?? 0);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(new Set(root.map((e) => e.EventId)).size).toBe(root.length);

    const nestedIds = [
      ...new Set(
        root
          .filter((e) => e.ResourceType === 'AWS::CloudFormation::Stack' && e.PhysicalResourceId !== stackId)
          .map((e) => e.PhysicalResourceId ?? ''),
      ),
    ];
    expect(nestedIds).toHaveLength(3);
    let resources = new Set(
      root.filter((e) => e.ResourceType !== 'AWS::CloudFormation::Stack').map((e) => e.LogicalResourceId),
    ).size;
    for (const nested of nestedIds) {
      const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: nested }));
      expect(Stacks?.[0]).toMatchObject({
        StackStatus: 'CREATE_COMPLETE',
        ParentId: stackId,
        RootId: stackId,
      });
      const events = await allEvents(cfn, nested);
      resources += new Set(
        events.filter((e) => e.LogicalResourceId !== Stacks?.[0]?.StackName).map((e) => e.LogicalResourceId),
      ).size;
    }
    expect(resources).toBe(300);
    cfn.destroy();
  });

  it('makes events visible as scenario time passes, at the given speed', async () => {
    const clock = manualClock();
    server = await startScenarioServer({
      scenarios: { default: 'nested-failure' },
      speed: 10,
      now: clock.now,
    });
    const cfn = client(server.endpoint);
    const stackId = await createAndExecute(cfn, 'lab');
    const early = (await allEvents(cfn, stackId)).length;
    clock.advance(1.5); // 15 scenario seconds
    const later = (await allEvents(cfn, stackId)).length;
    expect(later).toBeGreaterThan(early);
    clock.advance(10);
    expect((await cfn.send(new DescribeStacksCommand({ StackName: stackId }))).Stacks?.[0]?.StackStatus).toBe(
      'ROLLBACK_COMPLETE',
    );
    cfn.destroy();
  });

  it('fails a nested database with a real reason, cancels its sibling, cascades to the root and filters failed events', async () => {
    const clock = manualClock();
    server = await startScenarioServer({ scenarios: { default: 'nested-failure' }, now: clock.now });
    const cfn = client(server.endpoint);
    const stackId = await createAndExecute(cfn, 'lab');
    clock.advance(60);
    const { OperationEvents } = await cfn.send(
      new DescribeEventsCommand({ StackName: stackId, Filters: { FailedEvents: true } }),
    );
    const reasons = (OperationEvents ?? []).map((e) => `${e.LogicalResourceId}: ${e.ResourceStatusReason}`);
    expect(reasons).toEqual(
      expect.arrayContaining([
        'Cache: Resource creation cancelled',
        expect.stringMatching(
          /^Database: Resource handler returned message: "The requested storage type gp3/,
        ),
        expect.stringMatching(
          /^Data: Embedded stack arn:aws:cloudformation:us-east-1:123456789012:stack\/lab-Data-\S+ was not successfully created/,
        ),
      ]),
    );
    cfn.destroy();
  });

  it('throttles and drops connections on request, records every call, and deletes a stack found afterwards only by ARN', async () => {
    const clock = manualClock();
    server = await startScenarioServer({ scenarios: { default: 'long-create' }, now: clock.now });
    const cfn = client(server.endpoint);
    const stackId = await createAndExecute(cfn, 'held');

    server.throttle('DescribeStackEvents', 1);
    await expect(cfn.send(new DescribeStackEventsCommand({ StackName: stackId }))).rejects.toMatchObject({
      name: 'Throttling',
    });
    server.drop('DescribeStackEvents', 1);
    await expect(cfn.send(new DescribeStackEventsCommand({ StackName: stackId }))).rejects.toThrow(
      /socket hang up|ECONNRESET|other side closed/i,
    );
    expect(
      (await cfn.send(new DescribeStackEventsCommand({ StackName: stackId }))).StackEvents?.length,
    ).toBeGreaterThan(0);

    clock.advance(600);
    expect((await cfn.send(new DescribeStacksCommand({ StackName: stackId }))).Stacks?.[0]?.StackStatus).toBe(
      'CREATE_IN_PROGRESS',
    );
    await cfn.send(new DeleteStackCommand({ StackName: stackId, ClientRequestToken: 'del-1' }));
    clock.advance(60);
    expect((await cfn.send(new DescribeStacksCommand({ StackName: stackId }))).Stacks?.[0]?.StackStatus).toBe(
      'DELETE_COMPLETE',
    );
    await expect(cfn.send(new DescribeStacksCommand({ StackName: 'held' }))).rejects.toThrow(
      'does not exist',
    );

    const actions = server.calls.map(
      (call) => `${call.action}${call.throttled ? ' (throttled)' : ''}${call.dropped ? ' (dropped)' : ''}`,
    );
    expect(actions).toContain('DescribeStackEvents (throttled)');
    expect(actions).toContain('DescribeStackEvents (dropped)');
    expect(server.calls.find((call) => call.action === 'DeleteStack')?.params.ClientRequestToken).toBe(
      'del-1',
    );
    cfn.destroy();
  });

  it('holds a long create until released', async () => {
    const clock = manualClock();
    server = await startScenarioServer({ scenarios: { default: 'long-create' }, now: clock.now });
    const cfn = client(server.endpoint);
    const stackId = await createAndExecute(cfn, 'held');
    clock.advance(3600);
    expect((await cfn.send(new DescribeStacksCommand({ StackName: stackId }))).Stacks?.[0]?.StackStatus).toBe(
      'CREATE_IN_PROGRESS',
    );
    server.release('held');
    clock.advance(5);
    expect((await cfn.send(new DescribeStacksCommand({ StackName: stackId }))).Stacks?.[0]?.StackStatus).toBe(
      'CREATE_COMPLETE',
    );
    cfn.destroy();
  });
});
