import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScenarioServer, startScenarioServer } from '../scenario-server/server.ts';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * Independent stacks at once, through the built CLI on the scenario server: two chains of three, where
 * the queue chain's second stack fails its create while the table chain's first stack (slower, its
 * table takes 100 scenario seconds) is still being created. Nothing new starts after the failure, the
 * running stack is followed to its end, every branch is reported, and the same command again creates
 * only what is left.
 */
let moto: MotoServer;
let server: ScenarioServer;
let work: { path: string; remove: () => Promise<void> };
const blueprint = join(projectRoot, 'test', 'fixtures', 'blueprints', 'two-chains');

beforeAll(async () => {
  moto = await startMotoServer();
  server = await startScenarioServer({
    speed: 20,
    // A failed create with rollback off stays CREATE_FAILED; the re-run updates it into shape.
    scenarios: { 'lab-a2': 'create-failed' },
    resourceSeconds: { 'AWS::SQS::Queue': 2, 'AWS::SNS::Topic': 2, 'AWS::DynamoDB::Table': 100 },
  });
  work = await tempDir();
});
afterAll(async () => {
  await server?.stop();
  await moto?.stop();
  await work?.remove();
});

const install = () =>
  runCli(
    [
      'install',
      '--blueprint',
      blueprint,
      '--name',
      'lab',
      '--region',
      'us-east-1',
      '--state-dir',
      join(work.path, 'state'),
      '--disable-rollback',
      '--yes',
      '--output',
      'json',
    ],
    {
      cwd: work.path,
      env: { AWS_ENDPOINT_URL: moto.endpoint, AWS_ENDPOINT_URL_CLOUDFORMATION: server.endpoint },
      timeoutMs: 180_000,
    },
  );

type Event = { type: string; stack?: string; status?: string; reason?: string; time?: string };
const eventsOf = (stdout: string): Event[] =>
  stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Event);
const stacksWith = (events: Event[], type: string): string[] =>
  events
    .filter((event) => event.type === type)
    .map((event) => event.stack ?? '')
    .sort();
describe('install with independent branches on the scenario server', () => {
  it('lets the other branch’s running stack finish after a failure, reports both, and resumes only what is left', async () => {
    const first = await install();
    expect(first.code, first.stderr).toBe(1);
    const events = eventsOf(first.stdout);
    expect(stacksWith(events, 'stack.failed')).toEqual(['lab-a2']);
    // b1 was being created when a2 failed, and was followed to its end.
    expect(stacksWith(events, 'stack.completed')).toEqual(['lab-a1', 'lab-b1']);
    const failedAt = server
      .events('lab-a2')
      .find((event) => event.ResourceStatus === 'CREATE_FAILED' && event.LogicalResourceId === 'lab-a2');
    const b1Done = server
      .events('lab-b1')
      .find((event) => event.ResourceStatus === 'CREATE_COMPLETE' && event.LogicalResourceId === 'lab-b1');
    expect(failedAt && b1Done && Date.parse(b1Done.Timestamp) > Date.parse(failedAt.Timestamp)).toBe(true);
    // Nothing new started after the failure: not a3 (waits for a2), nor b2 and b3 (b1 was still running).
    expect(stacksWith(events, 'stack.not-started')).toEqual(['lab-a3', 'lab-b2', 'lab-b3']);
    expect(events.find((event) => event.type === 'stack.not-started')?.reason).toContain('lab-a2 failed');
    expect(stacksWith(events, 'stack.started')).toEqual(['lab-a1', 'lab-a2', 'lab-b1']);
    // The human report names every branch.
    expect(first.stderr).toContain('lab-a2');
    expect(first.stderr).toMatch(/lab-b1\S*\s+completed/);
    expect(first.stderr).toMatch(/lab-b3\S*\s+not started: lab-a2 failed/);
    // Said once, by its own line, not again in the closing list (trial finding 101).
    expect(first.stderr.match(/lab-b3\S*\s+not started/g)).toHaveLength(1);
    // a1 and b1 ran at once: b1 started before a1 completed.
    const order = events.filter((event) => ['stack.started', 'stack.completed'].includes(event.type));
    const index = (type: string, stack: string) =>
      order.findIndex((e) => e.type === type && e.stack === stack);
    expect(index('stack.started', 'lab-b1')).toBeLessThan(index('stack.completed', 'lab-a1'));

    // The budget of the event stream: at most 24 DescribeStackEvents a minute for any one stack.
    const perStack = new Map<string, number[]>();
    for (const call of server.calls.filter((c) => c.action === 'DescribeStackEvents'))
      perStack.set(call.params.StackName ?? '', [
        ...(perStack.get(call.params.StackName ?? '') ?? []),
        call.at,
      ]);
    for (const times of perStack.values())
      for (const start of times)
        expect(times.filter((t) => t >= start && t < start + 60_000).length).toBeLessThanOrEqual(24);

    const eventCounts = ['lab-a1', 'lab-b1'].map((name) => server.events(name).length);
    const second = await install();
    expect(second.code, second.stderr).toBe(0);
    const again = eventsOf(second.stdout);
    // a1 and b1 are left alone; a2 is updated out of CREATE_FAILED; the three never started are created.
    expect(stacksWith(again, 'stack.skipped')).toEqual(['lab-a1', 'lab-b1']);
    expect(stacksWith(again, 'stack.completed')).toEqual(['lab-a2', 'lab-a3', 'lab-b2', 'lab-b3']);
    // No operation ran on them: CloudFormation wrote not one event more.
    expect(['lab-a1', 'lab-b1'].map((name) => server.events(name).length)).toEqual(eventCounts);
  }, 240_000);
});
