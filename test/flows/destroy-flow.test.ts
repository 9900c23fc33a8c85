import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AwsContext } from '../../src/aws/aws-context.ts';
import type { EbsPort } from '../../src/aws/ebs-port.ts';
import type { TaggingPort } from '../../src/aws/tagging-port.ts';
import type { Teardown } from '../../src/decommission/teardown.ts';
import { ExitCode, StackguideError } from '../../src/errors.ts';
import { EventBus, type StackguideEvent } from '../../src/events.ts';
import { type DestroyRequest, destroyFlow } from '../../src/flows/destroy-flow.ts';
import { runFlow } from '../../src/flows/flow.ts';
import type { Prompter } from '../../src/install/prompter.ts';
import { Journal } from '../../src/journal/journal.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { FakeCloudFormationPort } from '../support/fake-cloudformation-port.ts';
import { lockHeldByAnotherRun } from '../support/install-flow-fixture.ts';
import { projectRoot } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/** The demo deployment's two stacks, in CloudFormation as install leaves them; every other port empty. */
function demoAccount(lock?: string, services: Record<string, object> = {}) {
  const cfn = new FakeCloudFormationPort();
  for (const name of ['demo-data', 'demo-app']) {
    const stack = cfn.stacks.get(cfn.addStack(name, 'CREATE_COMPLETE'));
    if (stack) stack.tags = { 'stackguide:deployment': 'demo' };
  }
  cfn.listStackResources = async () => [];
  cfn.listExports = async () => [];
  // Every list is empty, and a CodeCommit repository is already gone.
  const empty = (): object =>
    new Proxy(
      {},
      {
        get: (_target, method) => async () =>
          method === 'getParameter'
            ? lock === undefined
              ? undefined
              : { value: lock }
            : method === 'getRepository'
              ? undefined
              : [],
      },
    ) as EbsPort & TaggingPort;
  const aws = {
    region: 'us-east-1',
    cloudFormation: cfn,
    identity: {
      whoAmI: async () => ({
        account: '123456789012',
        arn: 'arn:aws:iam::123456789012:user/ops',
        userId: 'ops',
      }),
    },
    use: (token: { service: string }) => services[token.service] ?? empty(),
  } as unknown as AwsContext;
  return { cfn, aws };
}

/**
 * The operator typing `attempts` in turn at the confirmation, each checked by the prompt's own validate
 * as the terminal prompter does; a refusal's message is kept, and running out of attempts is Ctrl+C.
 */
function typing(attempts: readonly string[], refused: string[]): Prompter {
  return {
    confirm: async (question) => question.default ?? false,
    select: async (question) => question.choices[0]?.value as never,
    input: async (question) => {
      // Each attempt is typed whole: kept, a refused name would have the next one appended to it.
      if (!question.clearRefused) throw new Error('the typed confirmation keeps a refused name');
      for (const typed of attempts) {
        const verdict = question.validate(typed);
        if (verdict === true) return typed;
        refused.push(verdict);
      }
      throw new StackguideError('Stopped at your request: nothing was changed', {
        code: 'cancelled',
        kind: 'cancelled',
      });
    },
    password: async () => '',
    section: () => undefined,
  };
}

async function destroyWith(...typed: string[]) {
  return destroyOf({ typed });
}

async function destroyOf({
  typed = [],
  blueprintPath = join(projectRoot, 'blueprints', 'demo'),
  confirm,
  asked = [],
  lock,
  dryRun = false,
  target = { deployment: 'demo', region: 'us-east-1' },
  prepare,
  services,
}: {
  typed?: readonly string[];
  blueprintPath?: string;
  confirm?: string;
  /** Every yes/no question the flow asks, answered yes. */
  asked?: string[];
  /** The deployment lock's parameter value, when another run holds it. */
  lock?: string;
  dryRun?: boolean;
  /** Which deployment the flags name (--name, --region, AWS_REGION). */
  target?: Pick<DestroyRequest, 'deployment' | 'region' | 'defaultRegion' | 'configPath'>;
  /** Ports by service name ("Route53") in place of the empty ones. */
  services?: Record<string, object>;
  /** Writes into the state folder before the run. */
  prepare?: (stateDir: string) => Promise<void>;
}) {
  const refused: string[] = [];
  const state = await tempDir();
  await prepare?.(state.path);
  const { cfn, aws } = demoAccount(lock, services);
  const events: StackguideEvent[] = [];
  const bus = new EventBus();
  bus.subscribe((event) => events.push(event));
  const tornDown: Teardown[] = [];
  const shown: string[] = [];
  /** The same plan as a terminal of 80x7 shows it, with the questions asked under it. */
  const fitted: string[] = [];
  const prompter = typing(typed, refused);
  const flow = destroyFlow({
    events: bus,
    prompter: {
      ...prompter,
      confirm: async (question) => {
        asked.push(question.message);
        return true;
      },
    },
    signal: new AbortController().signal,
    clock: new FakeClock(),
    connect: () => aws,
    show: (text, toWindow) => {
      shown.push(text);
      fitted.push(toWindow({ width: 80, height: 7 }));
    },
    teardown: async (_title, teardown) => void tornDown.push(teardown),
  });
  const request: DestroyRequest = {
    blueprintPath,
    ...(confirm !== undefined ? { confirm } : {}),
    ...target,
    stateDir: state.path,
    dryRun,
    deleteCodeCommit: false,
    skipExportCheck: false,
    yes: false,
    connectionFlags: [],
  };
  const outcome = await runFlow(flow, request).then(
    (code) => ({ code }),
    (error: unknown) => ({ error }),
  );
  await state.remove();
  return { outcome, cfn, events, tornDown, shown, fitted, refused };
}

/** The demo blueprint with CodeCommit repositories to decommission, as opensarlab has. */
async function demoWithCodeCommit(): Promise<{ path: string; remove: () => Promise<void> }> {
  const folder = await tempDir();
  await cp(join(projectRoot, 'blueprints', 'demo'), folder.path, { recursive: true });
  const blueprint = join(folder.path, 'blueprint.yaml');
  const text = await readFile(blueprint, 'utf8');
  await writeFile(
    blueprint,
    text.includes('decommission:')
      ? text.replace('decommission:', "decommission:\n  codeCommitRepositories: ['{{deployment}}-code']")
      : `${text}\ndecommission:\n  codeCommitRepositories: ['{{deployment}}-code']\n`,
  );
  return folder;
}

describe('the destroy flow', () => {
  it('takes the region from AWS_REGION when --name is given without --region (trial finding 65)', async () => {
    const { outcome, shown } = await destroyOf({
      target: { deployment: 'demo', defaultRegion: { value: 'us-east-1', source: 'AWS_REGION' } },
      dryRun: true,
    });
    expect(outcome).toEqual({ code: ExitCode.ok });
    expect(shown[0]).toContain('Destroy plan for deployment demo in us-east-1');
  });

  it('plans and tears down a hosted zone tagged for the deployment that the journal never named (trial finding 92)', async () => {
    const tagged = {
      'Z-MINE': 'demo',
      'Z-OTHER': 'demo2',
    } as Record<string, string>;
    const route53 = {
      listHostedZones: async () => [
        { id: 'Z-MINE', name: 'codeocean.lab.example.test', privateZone: false },
        { id: 'Z-OTHER', name: 'codeocean.example.test', privateZone: false },
        { id: 'Z-PRIVATE', name: 'codeocean.lab.example.test', privateZone: true },
      ],
      listTagsForHostedZone: async (id: string) =>
        tagged[id] ? { 'stackguide:deployment': tagged[id] } : { 'stackguide:deployment': 'demo' },
    };
    const domain = join(projectRoot, 'test', 'fixtures', 'blueprints', 'domain');
    // Without the answers file the parent is one label up; with it, the answer names it.
    const unnamed = await destroyOf({
      blueprintPath: domain,
      confirm: 'demo',
      services: { Route53: route53 },
    });
    expect(unnamed.outcome).toEqual({ code: 0 });
    expect(unnamed.shown[0]).toContain('hosted zone codeocean.lab.example.test (Z-MINE)');
    expect(unnamed.tornDown[0]?.stepResources).toEqual([
      {
        kind: 'hostedZone',
        step: 'zone',
        zoneId: 'Z-MINE',
        domain: 'codeocean.lab.example.test',
        parentDomain: 'lab.example.test',
      },
    ]);
    const answers = await tempDir();
    try {
      const file = join(answers.path, 'demo.answers.yaml');
      await writeFile(
        file,
        'blueprint: domain\ndeployment: demo\nregion: us-east-1\nanswers:\n  parentDomain: Example.TEST.\n',
      );
      const named = await destroyOf({
        blueprintPath: domain,
        confirm: 'demo',
        target: { configPath: file },
        services: { Route53: route53 },
      });
      expect(named.tornDown[0]?.stepResources).toEqual([
        expect.objectContaining({ zoneId: 'Z-MINE', parentDomain: 'example.test' }),
      ]);
    } finally {
      await answers.remove();
    }
  });

  it('never picks the deployment itself: without --name or --config it says which one to name (exit 2)', async () => {
    const unknown = await destroyOf({ target: {}, dryRun: true });
    expect(unknown.outcome).toMatchObject({
      error: { code: 'answers.missing', exitCode: ExitCode.usage },
    });
    expect((unknown.outcome as { error: StackguideError }).error.details[0]?.fix).toBe(
      'Add --name <deployment> (and --region unless AWS_REGION is set), or --config <its answers file>.',
    );

    const known = await destroyOf({
      target: {},
      dryRun: true,
      prepare: async (stateDir) => {
        await Journal.open(stateDir, {
          blueprint: { id: 'demo', version: '1.0.0' },
          deployment: 'demo2',
          region: 'eu-west-1',
          account: '123456789012',
        });
      },
    });
    const error = (known.outcome as { error: StackguideError }).error;
    expect(error.message).toBe('destroy needs to know which deployment: it never picks one for you');
    expect(error.details[0]?.fix).toBe(
      'Add --name demo2 --region eu-west-1 to destroy it, or --config <its answers file>.',
    );
    expect(known.shown).toEqual([]);
  });

  it('refuses a deployment another run holds the lock of before its plan and any question (exit 75)', async () => {
    const holder = lockHeldByAnotherRun('demo', 'upgrade');
    // Any yes/no question is recorded; the name, if asked, finds nothing typed and cancels.
    const asked: string[] = [];
    const { outcome, shown, tornDown, refused } = await destroyOf({ lock: JSON.stringify(holder), asked });
    expect(outcome).toMatchObject({ error: { code: 'lock.held', exitCode: ExitCode.locked } });
    const error = (outcome as { error: StackguideError }).error;
    expect(error.message).toBe(
      'Deployment demo is locked by another run: upgrade by arn:aws:iam::123456789012:user/other on elsewhere (pid 4242), started at 2026-12-03T12:22:36.368Z',
    );
    expect(error.nextSteps.at(-1)).toContain(`--force-unlock ${holder.id}`);
    expect(shown).toEqual([]);
    expect(asked).toEqual([]);
    expect(refused).toEqual([]);
    expect(tornDown).toEqual([]);

    // A dry run changes nothing: it still shows the plan.
    const dry = await destroyOf({ lock: JSON.stringify(holder), dryRun: true });
    expect(dry.outcome).toEqual({ code: ExitCode.ok });
    expect(dry.shown).toHaveLength(2);
    // It ends saying nothing was deleted, and the command that deletes: the same, without --dry-run (trial finding 72).
    expect(dry.shown[1]).toBe(
      `Dry run: nothing was deleted. To delete: stackguide destroy --blueprint ${join(projectRoot, 'blueprints', 'demo')} --name demo`,
    );
  });

  it('asks about CodeCommit repositories only when the name is typed, never with --confirm (trial finding 54)', async () => {
    const blueprint = await demoWithCodeCommit();
    try {
      const unattended: string[] = [];
      const confirmed = await destroyOf({
        blueprintPath: blueprint.path,
        confirm: 'demo',
        asked: unattended,
      });
      expect(confirmed.outcome).toEqual({ code: 0 });
      expect(unattended).toEqual([]);
      expect(confirmed.tornDown[0]?.codeCommitRepositories).toEqual([]);
      // The answer is known (--confirm without --delete-codecommit): the plan says they are kept.
      expect(confirmed.shown[0]).toContain(
        'CodeCommit repositories, kept (they hold code; --delete-codecommit deletes them once you have a copy): demo-code',
      );

      const typed: string[] = [];
      const guided = await destroyOf({ blueprintPath: blueprint.path, typed: ['demo'], asked: typed });
      expect(guided.outcome).toEqual({ code: 0 });
      expect(typed).toEqual([
        'Also delete the CodeCommit repositories demo-code? They hold code: only if you have a copy',
      ]);
      expect(guided.tornDown[0]?.codeCommitRepositories).toEqual(['demo-code']);
      // The question follows the plan: the plan never says "kept" above it (trial finding 96), in full
      // or compacted to the window.
      expect(guided.shown[0]).toContain(
        'CodeCommit repositories (you are asked below whether to delete them; they hold code): demo-code',
      );
      expect(guided.fitted[0]).toContain('CodeCommit repositories (asked below): demo-code');
      expect(`${guided.shown[0]}${guided.fitted[0]}`).not.toContain('kept');
    } finally {
      await blueprint.remove();
    }
  });

  it('ends with nothing deleted after three wrongly typed names, saying each time what was wrong', async () => {
    const { outcome, cfn, events, tornDown, shown, fitted, refused } = await destroyWith(
      'dmeo',
      'demo ',
      'Demo',
    );
    // At 80x7 the plan (5 lines) is compacted to leave room for the typed name under it.
    expect(fitted[0]).toContain('Compacted to fit the window');
    expect(fitted[0]).toContain('Stacks to delete, in order: demo-app, demo-data (all CREATE_COMPLETE)');
    expect(outcome).toMatchObject({
      error: {
        code: 'cancelled',
        message: 'Nothing was deleted: the name typed did not match demo in 3 tries',
      },
    });
    expect(refused).toEqual([
      '"dmeo" is not demo: they differ from character 2 on. Type demo to delete, or press Esc or Ctrl+C to cancel (2 tries left).',
      '"demo " has spaces around the name. Type demo to delete, or press Esc or Ctrl+C to cancel (1 try left).',
    ]);
    expect(shown[0]).toContain(
      'Stacks to delete, in this order:\n  1. demo-app (CREATE_COMPLETE)\n  2. demo-data',
    );
    expect(tornDown).toEqual([]);
    expect(cfn.calls.map((call) => call.method)).not.toContain('deleteStack');
    expect(events.map((event) => event.type)).not.toContain('stack.completed');
    expect(events.map((event) => event.type)).not.toContain('run.completed');
  });

  it('asks again after a typo and goes ahead with the same plan once the name is typed (trial finding 27)', async () => {
    const { outcome, tornDown, refused, shown } = await destroyWith('de', 'demo');
    expect(refused).toEqual([
      '"de" is only the start of demo. Type demo to delete, or press Esc or Ctrl+C to cancel (2 tries left).',
    ]);
    expect(shown).toHaveLength(1);
    expect(outcome).toEqual({ code: 0 });
    expect(tornDown.map((teardown) => teardown.stacks.map((stack) => stack.name))).toEqual([
      ['demo-app', 'demo-data'],
    ]);
  });

  it('stops with nothing deleted when the operator cancels after a typo', async () => {
    const { outcome, tornDown, refused, cfn } = await destroyWith('DEMO');
    expect(refused).toEqual([
      '"DEMO" differs in capitals: the name is demo. Type demo to delete, or press Esc or Ctrl+C to cancel (2 tries left).',
    ]);
    expect(outcome).toMatchObject({ error: { code: 'cancelled' } });
    expect(tornDown).toEqual([]);
    expect(cfn.calls.map((call) => call.method)).not.toContain('deleteStack');
  });

  it('with the name typed, tears down the planned stacks in the plan order and reports the leftovers', async () => {
    const { outcome, tornDown, events, refused } = await destroyWith('demo');
    expect(refused).toEqual([]);
    expect(outcome).toEqual({ code: 0 });
    expect(tornDown.map((teardown) => teardown.stacks.map((stack) => stack.name))).toEqual([
      ['demo-app', 'demo-data'],
    ]);
    expect(events.filter((event) => event.type === 'destroy.leftovers')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: 'run.completed', outcome: 'succeeded', exitCode: 0 });
  });
});
