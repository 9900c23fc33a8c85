import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AwsContext } from '../../src/aws/aws-context.ts';
import { EventBus, type StackguideEvent } from '../../src/events.ts';
import { runFlow } from '../../src/flows/flow.ts';
import { watchFlow } from '../../src/flows/watch-flow.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { FakeCloudFormationPort } from '../support/fake-cloudformation-port.ts';
import { projectRoot } from '../support/run-cli.ts';

function setup() {
  const cfn = new FakeCloudFormationPort();
  const events = new EventBus();
  const seen: StackguideEvent[] = [];
  events.subscribe((event) => {
    seen.push(event);
  });
  const shown: string[] = [];
  const flow = watchFlow({
    events,
    signal: new AbortController().signal,
    clock: new FakeClock(),
    connect: (region) => ({ region, cloudFormation: cfn }) as unknown as AwsContext,
    show: (text) => shown.push(text),
    watching: async () => {
      throw new Error('nothing should be followed');
    },
  });
  return { cfn, seen, shown, flow };
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
