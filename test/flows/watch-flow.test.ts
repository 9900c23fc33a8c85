import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AwsContext } from '../../src/aws/aws-context.ts';
import type { SsmPort } from '../../src/aws/ssm-port.ts';
import { StackguideError } from '../../src/errors.ts';
import { EventBus, type StackguideEvent } from '../../src/events.ts';
import { runFlow } from '../../src/flows/flow.ts';
import { watchFlow } from '../../src/flows/watch-flow.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { FakeCloudFormationPort } from '../support/fake-cloudformation-port.ts';
import { projectRoot } from '../support/run-cli.ts';

function setup() {
  const cfn = new FakeCloudFormationPort();
  const clock = new FakeClock();
  // The deployment lock, as an install on another machine holds it (src/lock/deployment-lock.ts).
  const lock: { value?: string } = {};
  const ssm: Pick<SsmPort, 'getParameter'> = {
    getParameter: async (name) =>
      lock.value !== undefined && name === '/stackguide/locks/twin' ? { value: lock.value } : undefined,
  };
  const events = new EventBus();
  const seen: StackguideEvent[] = [];
  events.subscribe((event) => {
    seen.push(event);
  });
  const shown: string[] = [];
  const flow = watchFlow({
    events,
    signal: new AbortController().signal,
    clock,
    connect: (region) => ({ region, cloudFormation: cfn, use: () => ssm }) as unknown as AwsContext,
    show: (text) => shown.push(text),
    watching: async (title, _cfn, follow) => {
      titles.push(title);
      return follow();
    },
  });
  const titles: string[] = [];
  return { cfn, seen, shown, flow, clock, lock, titles };
}

describe('watch when nothing is in flight', () => {
  it('names every stack of the deployment it looked at with its status, and says what REVIEW_IN_PROGRESS is (finding 34)', async () => {
    const { cfn, seen, shown, flow } = setup();
    // Another run's change set waits for review on the data stack; the app stack was never made.
    cfn.addStack('twin-data', 'REVIEW_IN_PROGRESS');
    const code = await runFlow(flow, {
      blueprintPath: join(projectRoot, 'blueprints', 'demo'),
      deployment: 'twin',
      region: 'us-east-1',
      env: {},
    });
    expect(code).toBe(0);
    // What a person reads (in a terminal no event is printed): each stack, its status, what it means.
    expect(shown.join('')).toBe(
      [
        'Nothing is in flight on these stacks:',
        '  twin-data is REVIEW_IN_PROGRESS: a change set was created and never executed, so the stack does not exist yet and nothing is running on it. It waits for its review: the run that made it (at its change set prompt) or the console executes or deletes it; watch again once it runs.',
        '  twin-app does not exist',
        '',
      ].join('\n'),
    );
    // What a program reads: one stack.status each.
    expect(
      seen.filter((event) => event.type === 'stack.status').map((event) => [event.stack, event.status]),
    ).toEqual([
      ['twin-data', 'REVIEW_IN_PROGRESS'],
      ['twin-app', 'NOT_CREATED'],
    ]);
  });

  it('gives a settled stack its status', async () => {
    const { cfn, shown, flow } = setup();
    cfn.addStack('done', 'UPDATE_ROLLBACK_COMPLETE');
    expect(await runFlow(flow, { blueprintPath: '.', stack: 'done', region: 'us-east-1', env: {} })).toBe(0);
    expect(shown.join('')).toBe('Nothing is in flight on done:\n  done is UPDATE_ROLLBACK_COMPLETE\n');
  });
});

const demo = join(projectRoot, 'blueprints', 'demo');

describe('watch while a run holds the deployment lock (finding 66)', () => {
  it('follows the run from its first stack to its last and ends when the lock is released', async () => {
    const { cfn, seen, flow, clock, lock, titles } = setup();
    lock.value = JSON.stringify({
      id: 'l-1',
      deployment: 'twin',
      principal: 'arn:aws:iam::123456789012:user/ops',
      host: 'elsewhere',
      pid: 4242,
      command: 'install',
      startedAt: '2026-11-22T09:59:00.000Z',
    });
    const t0 = clock.now();
    const data = cfn.addStack('twin-data');
    cfn.addEvent(data, 'twin-data', 'AWS::CloudFormation::Stack', 'CREATE_IN_PROGRESS', new Date(t0 - 1000));
    let appId: string | undefined;
    // The install's timeline: data ends at 10 s, app starts at 20 s and ends at 40 s, the lock goes at 45 s.
    clock.onSleep = (now) => {
      const at = now - t0;
      if (at >= 10_000 && cfn.stacks.get(data)?.status === 'CREATE_IN_PROGRESS')
        cfn.addEvent(data, 'twin-data', 'AWS::CloudFormation::Stack', 'CREATE_COMPLETE', new Date(now));
      if (at >= 20_000 && !appId) {
        appId = cfn.addStack('twin-app');
        cfn.addEvent(appId, 'twin-app', 'AWS::CloudFormation::Stack', 'CREATE_IN_PROGRESS', new Date(now));
      }
      if (at >= 40_000 && appId && cfn.stacks.get(appId)?.status === 'CREATE_IN_PROGRESS')
        cfn.addEvent(appId, 'twin-app', 'AWS::CloudFormation::Stack', 'CREATE_COMPLETE', new Date(now));
      if (at >= 45_000) delete lock.value;
    };
    const code = await runFlow(flow, {
      blueprintPath: demo,
      deployment: 'twin',
      region: 'us-east-1',
      env: {},
    });
    expect(code).toBe(0);
    expect(titles).toEqual(['Watching the install of twin (pid 4242) in us-east-1']);
    const order = seen.map((event) =>
      'stack' in event && event.type !== 'stack.event' ? `${event.type} ${event.stack}` : event.type,
    );
    const relevant = order.filter((line) => /^(stack\.(status|completed|started)|run\.completed)/.test(line));
    // The app stack waits in its row until the install reaches it; the run ends after its last stack.
    expect(relevant).toEqual([
      'stack.status twin-data',
      'stack.status twin-app',
      'stack.started twin-data',
      'stack.completed twin-data',
      'stack.started twin-app',
      'stack.completed twin-app',
      'run.completed',
    ]);
    expect(clock.now() - t0).toBeGreaterThanOrEqual(45_000);
  });

  it('ends when the run lets go, a stack it never reached said as not started, and a failed stack is exit 1', async () => {
    const { cfn, seen, flow, clock, lock } = setup();
    lock.value = 'not json: a lock of unknown origin';
    const t0 = clock.now();
    const data = cfn.addStack('twin-data');
    cfn.addEvent(data, 'twin-data', 'AWS::CloudFormation::Stack', 'CREATE_IN_PROGRESS', new Date(t0 - 1000));
    clock.onSleep = (now) => {
      if (now - t0 >= 6_000 && cfn.stacks.get(data)?.status === 'CREATE_IN_PROGRESS') {
        cfn.addEvent(data, 'twin-data', 'AWS::CloudFormation::Stack', 'ROLLBACK_COMPLETE', new Date(now));
        delete lock.value;
      }
    };
    expect(
      await runFlow(flow, { blueprintPath: demo, deployment: 'twin', region: 'us-east-1', env: {} }),
    ).toBe(1);
    expect(seen).toContainEqual({
      type: 'stack.not-started',
      stack: 'twin-app',
      reason: 'the run ended without changing it',
    });
  });
});

describe('watch <stack> (finding 82)', () => {
  it('refuses a name that is no stack of the deployment with exit 2, listing its stacks', async () => {
    const { cfn, flow } = setup();
    const error = await runFlow(flow, {
      blueprintPath: demo,
      stack: 'twin-typo',
      deployment: 'twin',
      region: 'us-east-1',
      env: {},
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StackguideError);
    expect((error as StackguideError).exitCode).toBe(2);
    expect((error as StackguideError).message).toBe('twin-typo is no stack of deployment twin');
    expect((error as StackguideError).details[0]?.message).toBe(
      'not one of: twin-data (id data), twin-app (id app)',
    );
    // Refused before any AWS call.
    expect(cfn.calls).toEqual([]);
  });

  it('takes a blueprint stack id, as upgrade --stack does', async () => {
    const { cfn, shown, flow } = setup();
    cfn.addStack('twin-app', 'UPDATE_COMPLETE');
    const code = await runFlow(flow, {
      blueprintPath: demo,
      stack: 'app',
      deployment: 'twin',
      region: 'us-east-1',
      env: {},
    });
    expect(code).toBe(0);
    expect(shown.join('')).toBe('Nothing is in flight on twin-app:\n  twin-app is UPDATE_COMPLETE\n');
  });

  it('exits 2 for a stack named alone that does not exist', async () => {
    const { flow } = setup();
    const error = await runFlow(flow, {
      blueprintPath: '.',
      stack: 'ghost',
      region: 'us-east-1',
      env: {},
    }).catch((caught: unknown) => caught);
    expect((error as StackguideError).exitCode).toBe(2);
    expect((error as StackguideError).message).toBe('Stack ghost does not exist in us-east-1');
    // A blueprint stack id given without the blueprint (watch container --config ...) is told how to work.
    expect((error as StackguideError).nextSteps[0]).toMatch(/blueprint stack id .* --blueprint and --config/);
  });
});
