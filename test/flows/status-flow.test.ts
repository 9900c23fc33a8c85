import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AwsContext } from '../../src/aws/aws-context.ts';
import { StackguideError } from '../../src/errors.ts';
import { EventBus, type StackguideEvent } from '../../src/events.ts';
import { runFlow } from '../../src/flows/flow.ts';
import { type StatusRefresh, type StatusRequest, statusFlow } from '../../src/flows/status-flow.ts';
import { Journal, readDeploymentState } from '../../src/journal/journal.ts';
import { statusText } from '../../src/output/status-text.ts';
import { readSettings } from '../../src/settings.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { FakeCloudFormationPort } from '../support/fake-cloudformation-port.ts';
import { projectRoot } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/** Six stacks and no preparation steps: status is the stacks alone. */
const twoChains = join(projectRoot, 'test', 'fixtures', 'blueprints', 'two-chains');
const stackNames = ['a1', 'a2', 'a3', 'b1', 'b2', 'b3'].map((id) => `lab-${id}`);

let work: { path: string; remove: () => Promise<void> };
beforeEach(async () => {
  work = await tempDir();
});
afterEach(async () => {
  await work.remove();
});

function setup(
  whoAmI: AwsContext['identity']['whoAmI'] = async () => ({
    account: '123456789012',
    arn: 'arn:aws:iam::123456789012:user/ops',
    userId: 'ops',
  }),
) {
  const cfn = new FakeCloudFormationPort();
  const events = new EventBus();
  const seen: StackguideEvent[] = [];
  events.subscribe((event) => {
    seen.push(event);
  });
  const shown: StatusRefresh[] = [];
  const connected: string[] = [];
  const clock = new FakeClock();
  const controller = new AbortController();
  const flow = statusFlow({
    events,
    signal: controller.signal,
    clock,
    connect: (region) => {
      connected.push(region);
      return { region, cloudFormation: cfn, identity: { whoAmI } } as unknown as AwsContext;
    },
    show: (refresh) => shown.push(refresh),
  });
  const request: StatusRequest = {
    blueprintPath: twoChains,
    stateDir: join(work.path, 'state'),
    watch: false,
    drift: false,
    env: {},
    settings: readSettings({}),
  };
  return { cfn, seen, shown, connected, clock, controller, flow, request };
}

describe('statusFlow', () => {
  it('says a destroyed deployment was destroyed and when, not to install it (trial finding 81)', async () => {
    const { seen, flow, request } = setup();
    const journal = await Journal.open(request.stateDir, {
      blueprint: { id: 'two-chains', version: '1.0.0' },
      deployment: 'lab',
      region: 'us-east-1',
      account: '123456789012',
    });
    const plan = { stackIds: [], buckets: [], repositories: [], codeCommitRepositories: [] };
    await journal.recordDestroy({ status: 'complete', startedAt: '2026-12-03T18:44:00.000Z', plan });
    const destroyedAt = (await readDeploymentState(request.stateDir, 'lab'))?.destroy?.updatedAt;
    expect(destroyedAt).toBeDefined();
    const code = await runFlow(flow, { ...request, deployment: 'lab', region: 'us-east-1' });
    // The stacks are missing: status's contract says needs action (exit 4), with what happened to them.
    expect(code).toBe(4);
    const stacks = seen.find(
      (event) => event.type === 'status.section' && event.section === 'stacks',
    ) as Extract<StackguideEvent, { type: 'status.section' }>;
    expect(stacks.items.map((item) => [item.summary, item.nextAction])).toEqual(
      stackNames.map(() => [
        `destroyed at ${destroyedAt}`,
        'It was destroyed on purpose: stackguide install creates it again.',
      ]),
    );
  });

  it('says every stack, every section and the summary once, and exits 4 while stacks are missing', async () => {
    const { cfn, seen, shown, connected, flow, request } = setup();
    cfn.addStack('lab-a1', 'CREATE_COMPLETE');
    const code = await runFlow(flow, { ...request, deployment: 'lab', region: 'us-west-2' });
    expect(code).toBe(4);
    expect(connected).toEqual(['us-west-2']);
    const statuses = seen.filter((event) => event.type === 'stack.status');
    expect(statuses.map((event) => [event.stack, event.status])).toEqual(
      stackNames.map((name) => [name, name === 'lab-a1' ? 'CREATE_COMPLETE' : 'NOT_CREATED']),
    );
    expect(seen.at(-1)).toEqual({
      type: 'status.summary',
      deployment: 'lab',
      region: 'us-west-2',
      state: 'needs-action',
      exitCode: 4,
    });
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ title: 'Two independent chains', changed: undefined });
  });

  it('under --watch says only what changed on each later refresh, until Ctrl+C ends it with the last verdict', async () => {
    const { cfn, seen, shown, clock, controller, flow, request } = setup();
    clock.onSleep = () => {
      if (clock.sleeps.length === 1) for (const name of stackNames) cfn.addStack(name, 'CREATE_COMPLETE');
      else controller.abort(new StackguideError('stopped', { code: 'cancelled', kind: 'cancelled' }));
    };
    // Ctrl+C is the way out of a watch (trial finding 43): the exit code is the last refresh's, 0 here.
    await expect(
      runFlow(flow, { ...request, deployment: 'lab', region: 'us-east-1', watch: true }),
    ).resolves.toBe(0);
    expect(clock.sleeps).toEqual([5_000, 5_000]);
    const summaries = seen.filter((event) => event.type === 'status.summary');
    expect(summaries.map((event) => [event.state, event.exitCode, event.changed?.length])).toEqual([
      ['needs-action', 4, undefined],
      ['healthy', 0, 6],
      ['healthy', 0, 0],
    ]);
    // stack.status is said on the first refresh only; later ones say the sections that changed.
    expect(seen.filter((event) => event.type === 'stack.status')).toHaveLength(6);
    expect(seen.filter((event) => event.type === 'status.section')).toHaveLength(2);
    expect(shown.map((refresh) => refresh.changed?.length)).toEqual([undefined, 6, 0]);
  });

  it('under --watch, SIGTERM still stops it as stopped, not with a verdict', async () => {
    const { clock, controller, flow, request } = setup();
    clock.onSleep = () =>
      controller.abort(
        new StackguideError('Stopped by SIGTERM', { code: 'cancelled.terminated', kind: 'cancelled' }),
      );
    await expect(
      runFlow(flow, { ...request, deployment: 'lab', region: 'us-east-1', watch: true }),
    ).rejects.toMatchObject({ code: 'cancelled.terminated' });
  });

  it("without a name, shows the blueprint's last deployment in the state folder", async () => {
    const { cfn, flow, request, seen } = setup();
    const journal = await Journal.open(request.stateDir, {
      blueprint: { id: 'two-chains', version: '1.0.0' },
      deployment: 'shop',
      region: 'eu-west-1',
    });
    await journal.begin('install');
    await journal.flush();
    for (const id of ['a1', 'a2', 'a3', 'b1', 'b2', 'b3']) cfn.addStack(`shop-${id}`, 'UPDATE_COMPLETE');
    expect(await runFlow(flow, request)).toBe(0);
    expect(seen.at(-1)).toMatchObject({ deployment: 'shop', region: 'eu-west-1', state: 'healthy' });
  });

  it('refuses before any AWS call when nothing names a deployment and the state folder holds none', async () => {
    const { connected, flow, request } = setup();
    await expect(runFlow(flow, request)).rejects.toMatchObject({ code: 'answers.missing', exitCode: 2 });
    expect(connected).toEqual([]);
  });

  it('exits 3 when AWS cannot be reached: the deployment could not be checked', async () => {
    const { flow, request } = setup(async () => {
      throw new StackguideError('connect ECONNREFUSED', { code: 'aws.unreachable', kind: 'aws' });
    });
    await expect(runFlow(flow, { ...request, deployment: 'lab', region: 'us-east-1' })).rejects.toMatchObject(
      {
        code: 'aws.unreachable',
        exitCode: 3,
        message: 'The deployment could not be checked: connect ECONNREFUSED',
      },
    );
  });

  it('says a stack holds other parameter values than the answers render to, as an action with the install that applies them (trial finding 51)', async () => {
    const { cfn, seen, shown, flow, request } = setup();
    const dir = join(work.path, 'tuned');
    await mkdir(join(dir, 'templates'), { recursive: true });
    await writeFile(
      join(dir, 'blueprint.yaml'),
      [
        'schemaVersion: 1',
        'product: { id: tuned, title: Tuned, version: 1.0.0 }',
        'regions: [us-east-1]',
        'questions:',
        '  - { id: timeout, type: number, prompt: Timeout?, default: 300 }',
        '  - { id: password, type: secret, prompt: Password? }',
        '  - { id: token, type: string, prompt: Token?, default: t1 }',
        'stacks:',
        '  - id: app',
        "    name: '{{deployment}}-app'",
        '    template: templates/app.yaml',
        '    parameters:',
        "      Timeout: '{{answers.timeout}}'",
        "      Password: '{{answers.password}}'",
        "      Token: '{{answers.token}}'",
        "      Name: '{{deployment}}'",
        '',
      ].join('\n'),
    );
    await writeFile(
      join(dir, 'templates', 'app.yaml'),
      [
        'Parameters:',
        '  Timeout: { Type: Number }',
        '  Password: { Type: String, NoEcho: true }',
        '  Token: { Type: String, NoEcho: true }',
        '  Name: { Type: String }',
        'Resources:',
        '  Queue: { Type: AWS::SQS::Queue }',
        '',
      ].join('\n'),
    );
    const answersPath = join(work.path, 'lab.answers.yaml');
    await writeFile(
      answersPath,
      'blueprint: tuned\ndeployment: lab\nregion: us-east-1\nanswers:\n  timeout: 300\n  token: t2\n',
    );
    const stack = cfn.stacks.get(cfn.addStack('lab-app', 'UPDATE_COMPLETE'));
    if (!stack) throw new Error('no stack');
    // A change that went back to 300 never reached the stack; NoEcho values read back as ****.
    stack.parameters = { Timeout: '450', Password: '****', Token: '****', Name: 'lab' };

    const code = await runFlow(flow, { ...request, blueprintPath: dir, configPath: answersPath });
    expect(code).toBe(4);
    const item = seen.flatMap((event) => (event.type === 'status.section' ? event.items : []))[0];
    expect(item).toMatchObject({
      state: 'needs-action',
      summary: expect.stringContaining(
        'a parameter differs from the answers file (deployed → answers): Timeout 450 → 300',
      ),
      nextAction: `Apply the answers file's values with stackguide install --blueprint ${dir} --config ${answersPath} (its review shows each change), or set the answers back to the deployed values.`,
      facts: {
        parameters: {
          differ: [{ name: 'Timeout', deployed: '450', answers: '300' }],
          notCompared: ['Password', 'Token'],
        },
      },
    });
    // A NoEcho value is never said, not even the one the answers file holds.
    expect(JSON.stringify(seen)).not.toContain('t2');
    expect(shown[0]?.status.healthy).toBe(false);

    // Once the stack holds what the answers say, it is healthy again.
    stack.parameters.Timeout = '300';
    expect(await runFlow(flow, { ...request, blueprintPath: dir, configPath: answersPath })).toBe(0);
  });
  /**
   * A platform of three stacks whose preparation is six manual steps with instructions of three lines
   * at 80 columns: once destroyed, its status in a terminal showed every step's next step under the
   * stacks (trial finding 99: opensarlab's was 40 rows at 80x24).
   */
  async function destroyedPlatform(answersFile: string | undefined) {
    const dir = join(work.path, 'platform');
    await mkdir(join(dir, 'templates'), { recursive: true });
    const steps = ['calendar', 'repositories', 'mirror', 'licence', 'ldap', 'backups'];
    await writeFile(
      join(dir, 'blueprint.yaml'),
      [
        'schemaVersion: 1',
        'product: { id: platform, title: Platform, version: 1.0.0 }',
        'regions: [us-east-1]',
        'steps:',
        ...steps.flatMap((id) => [
          `  - id: ${id}`,
          '    kind: manual',
          `    title: Prepare the ${id}`,
          `    instructions: Create the ${id} by hand in the console of the service that holds it, copy what it shows into the place the platform reads it from, and check that a colleague can reach it from the office network before going on.`,
          '    confirm: Done',
        ]),
        'stacks:',
        ...['data', 'app', 'pipeline'].flatMap((id) => [
          `  - id: ${id}`,
          `    name: '{{deployment}}-${id}'`,
          `    template: templates/${id}.yaml`,
        ]),
        '',
      ].join('\n'),
    );
    for (const id of ['data', 'app', 'pipeline'])
      await writeFile(
        join(dir, 'templates', `${id}.yaml`),
        'Resources:\n  Queue: { Type: AWS::SQS::Queue }\n',
      );
    const { flow, request, shown } = setup();
    const journal = await Journal.open(request.stateDir, {
      blueprint: { id: 'platform', version: '1.0.0' },
      deployment: 'lab',
      region: 'us-east-1',
      account: '123456789012',
      ...(answersFile ? { answersFile } : {}),
    });
    const plan = { stackIds: [], buckets: [], repositories: [], codeCommitRepositories: [] };
    await journal.recordDestroy({ status: 'complete', startedAt: '2026-12-03T18:44:00.000Z', plan });
    // No --config and no --name: the state folder's last deployment of the blueprint.
    const code = await runFlow(flow, { ...request, blueprintPath: dir });
    const refresh = shown[0];
    if (!refresh) throw new Error('nothing shown');
    return { code, refresh, at: refresh.at };
  }

  it('shows a destroyed deployment at 80x24 with its stacks first and its preparation counted, from the answers file the journal records (trial findings 99, 81)', async () => {
    // The lab's install used answers.yaml, not lab.answers.yaml: the journal records which.
    const answersPath = join(work.path, 'answers.yaml');
    await writeFile(
      answersPath,
      'blueprint: platform\ndeployment: lab\nregion: us-east-1\nsteps:\n  calendar:\n    confirmed: true\n',
    );
    const { code, refresh, at } = await destroyedPlatform(answersPath);
    // Still needs action (exit 4), as README says of a destroyed deployment: its stacks are missing.
    expect(code).toBe(4);
    expect(refresh.status.answers).toEqual({ path: answersPath, from: 'journal' });
    const manual = refresh.status.sections.find((section) => section.section === 'manual');
    expect(manual?.items.map((item) => item.state)).toEqual(['healthy', ...Array(5).fill('needs-action')]);
    const destroyedAt = refresh.status.destroyedAt;
    expect(destroyedAt).toBeDefined();

    const rows = statusText(refresh.title, refresh.status, 80, at, true).split('\n');
    // One screen of 24 rows with the prompt after it.
    expect(rows.length).toBeLessThanOrEqual(23);
    for (const row of rows) expect(row.length).toBeLessThanOrEqual(80);
    const when = rows.find((row) => row.startsWith('  ✖ lab-data: destroyed at '));
    expect(rows[0]).toBe('Platform · deployment lab · us-east-1 · needs action');
    // Said under the headline, since no flag named the file (its path wraps at 80 columns).
    const stacksRow = rows.indexOf('Stacks: needs action');
    expect(
      rows
        .slice(1, stacksRow - 1)
        .join(' ')
        .replace(/\s+/g, ' '),
    ).toBe(`Answers from ${answersPath}, which the last install or upgrade used`);
    expect(rows.slice(stacksRow - 1)).toEqual([
      '',
      'Stacks: needs action',
      when,
      when?.replace('lab-data', 'lab-app'),
      when?.replace('lab-data', 'lab-pipeline'),
      '      next (these 3): It was destroyed on purpose: stackguide install creates it',
      '                        again.',
      '',
      'Preparation a re-install goes through: 5 to do (Manual steps), 1 confirmed by',
      '  you (--all lists them)',
    ]);
    // A pipe (and --all) still gets every step with its instructions.
    const whole = statusText(refresh.title, refresh.status, Number.POSITIVE_INFINITY, at);
    expect(whole.match(/✖ Prepare the \w+: not confirmed/g)).toHaveLength(5);
    expect(whole).toContain('☑ Prepare the calendar: confirmed by you');
  });

  it('says where it looked when the answers file the journal records is gone (trial finding 81)', async () => {
    const gone = join(work.path, 'moved-away.yaml');
    const { code, refresh, at } = await destroyedPlatform(gone);
    expect(code).toBe(4);
    expect(refresh.status.answers).toEqual({ path: undefined, looked: [gone, 'lab.answers.yaml'] });
    const text = statusText(refresh.title, refresh.status, Number.POSITIVE_INFINITY, at, true);
    expect(text.split('\n')[1]).toBe(
      `No answers file of lab found (looked for ${gone} and lab.answers.yaml; --config names one)`,
    );
    expect(text).toContain(
      'Preparation a re-install goes through: 6 to do (Manual steps) (--all lists them)',
    );
  });
  it('with --name and no --config, reads the answers file the journal records, only for that region (trial finding 81)', async () => {
    const { cfn, flow, request, shown, seen } = setup();
    const answersPath = join(work.path, 'answers.yaml');
    await writeFile(answersPath, 'blueprint: two-chains\ndeployment: lab\nregion: us-east-1\n');
    const journal = await Journal.open(request.stateDir, {
      blueprint: { id: 'two-chains', version: '1.0.0' },
      deployment: 'lab',
      region: 'us-east-1',
      answersFile: answersPath,
    });
    await journal.flush();
    for (const name of stackNames) cfn.addStack(name, 'CREATE_COMPLETE');
    expect(await runFlow(flow, { ...request, deployment: 'lab', region: 'us-east-1' })).toBe(0);
    expect(shown[0]?.status.answers).toEqual({ path: answersPath, from: 'journal' });
    expect(seen.at(-1)).toMatchObject({ type: 'status.summary', answersFile: answersPath });
    // A deployment of that name in another region: that file is not its answers.
    await runFlow(flow, { ...request, deployment: 'lab', region: 'eu-west-1' });
    expect(shown[1]?.status.answers).toEqual({
      path: undefined,
      looked: [answersPath, 'lab.answers.yaml'],
      others: [{ path: answersPath, deployment: 'lab', region: 'us-east-1' }],
    });
    // Said under the headline: the file is there, but for the deployment of that name in us-east-1.
    const other = statusText(shown[1]?.title ?? '', shown[1]?.status ?? ({} as never));
    expect(other.split('\n')[1]).toBe(
      `No answers file of lab found (looked for ${answersPath} (for lab in us-east-1) and lab.answers.yaml; --config names one)`,
    );
    // --config names the file: nothing to say about where it came from.
    await runFlow(flow, { ...request, configPath: answersPath });
    expect(shown[2]?.status.answers).toBeUndefined();
  });
});
