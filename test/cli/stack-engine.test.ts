import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ScenarioServer, startScenarioServer } from '../scenario-server/server.ts';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * The stack engine against the scenario server, through the built CLI without a terminal. STS comes
 * from moto, CloudFormation from the scenario server: AWS_ENDPOINT_URL and the per-service
 * AWS_ENDPOINT_URL_CLOUDFORMATION, as an operator would point them.
 */
let moto: MotoServer;
let server: ScenarioServer | undefined;
let work: { path: string; remove: () => Promise<void> };
const blueprint = join(projectRoot, 'test', 'fixtures', 'blueprints', 'platform');

beforeAll(async () => {
  moto = await startMotoServer();
  work = await tempDir();
});
afterAll(async () => {
  await moto?.stop();
  await work?.remove();
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

function install(name: string, ...extra: string[]) {
  return runCli(
    [
      'install',
      '--blueprint',
      blueprint,
      '--name',
      name,
      '--region',
      'us-east-1',
      '--yes',
      '--state-dir',
      join(work.path, 'state'),
      ...extra,
    ],
    {
      cwd: work.path,
      env: { AWS_ENDPOINT_URL: moto.endpoint, AWS_ENDPOINT_URL_CLOUDFORMATION: server?.endpoint },
      timeoutMs: 120_000,
    },
  );
}

type Line = {
  type: string;
  event?: { eventId: string };
  rootCause?: { logicalResourceId: string; stackName: string; reason: string };
};
const ndjson = (stdout: string): Line[] =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Line);

describe('the stack engine against the scenario server', () => {
  it('names the real root cause of a nested failure, not a cancellation, and exits 1', async () => {
    server = await startScenarioServer({ scenarios: { default: 'nested-failure' }, speed: 10 });
    const result = await install('lab', '--output', 'json');
    expect(result.code).toBe(1);
    const failed = ndjson(result.stdout).find((line) => line.type === 'stack.failed');
    expect(failed?.rootCause).toMatchObject({
      logicalResourceId: 'Database',
      stackName: expect.stringMatching(/^lab-Data-/),
    });
    expect(failed?.rootCause?.reason).toContain('storage type gp3 is not supported');
    expect(result.stderr).toMatch(
      /root cause: Database \(AWS::RDS::DBInstance\) in lab-Data-\S+: Resource handler returned message/,
    );
    expect(result.stderr).toContain('Stack lab ended ROLLBACK_COMPLETE');
    // Nested stacks were followed: the child's own events reached the output.
    expect(result.stderr).toMatch(/lab: lab-Data-\S+\/Database AWS::RDS::DBInstance CREATE_FAILED/);
  });

  it('hands on every event of a 300-resource nested create exactly once through throttling and a dropped connection', async () => {
    server = await startScenarioServer({ scenarios: { default: 'big-nested-create' }, speed: 150 });
    server.throttle('DescribeStackEvents', 4);
    server.drop('DescribeStackEvents', 9);
    const result = await install('big', '--output', 'json');
    expect(result.code, result.stderr).toBe(0);

    const streamed = ndjson(result.stdout)
      .filter((line) => line.type === 'stack.event')
      .map((line) => line.event?.eventId ?? '');
    // Everything from the execution on: the REVIEW_IN_PROGRESS event of the change set came before it.
    const expected = server
      .events('big', true)
      .filter((event) => event.ResourceStatus !== 'REVIEW_IN_PROGRESS')
      .map((event) => event.EventId);
    expect(streamed.length).toBe(new Set(streamed).size);
    expect(new Set(streamed)).toEqual(new Set(expected));
    expect(server.calls.some((call) => call.throttled)).toBe(true);
    expect(server.calls.some((call) => call.dropped)).toBe(true);
  });

  it('reports an update that rolls back with its cause and exits 1', async () => {
    server = await startScenarioServer({
      scenarios: { default: 'update-rollback' },
      speed: 20,
      existing: ['api'],
      // Created earlier by stackguide for this deployment: an update, not a name clash.
      existingTags: { 'stackguide:deployment': 'api', 'stackguide:blueprint': 'platform' },
    });
    const result = await install('api');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Stack api ended UPDATE_ROLLBACK_COMPLETE');
    expect(result.stderr).toContain(
      'root cause: Service (AWS::ECS::Service) in api: ECS Deployment Circuit Breaker was triggered',
    );
  });
});
