import { describe, expect, it } from 'vitest';
import { createAwsSession } from '../../src/aws/aws-context.ts';
import type { PortRegistry } from '../../src/aws/port-token.ts';
import { loadBlueprint } from '../../src/blueprint/load-blueprint.ts';
import { EventBus } from '../../src/events.ts';
import { checkDeploymentRequest, resolveDeployment } from '../../src/install/deployment-resolution.ts';
import type { Prompter } from '../../src/install/prompter.ts';
import { systemClock } from '../../src/runtime/clock.ts';
import { readSettings } from '../../src/settings.ts';

/**
 * The deployment name is checked against AWS as it is typed (CloudFormation for stacks of that name,
 * SSM for a run holding its lock). Loading those SDK clients took 5-10 s on a busy machine, paid when
 * the operator pressed Enter on the name: they start loading when the questions start, in the
 * background, and the check then only waits for AWS.
 */
describe('the deployment name check in a guided run', () => {
  it('starts loading its AWS clients when the questions start, before the name is asked', async () => {
    const timeline: string[] = [];
    const registry: PortRegistry = {
      async adapterFor(token) {
        timeline.push(`load ${token.service}`);
        const fakes: Record<string, object> = {
          CloudFormation: { describeStack: async () => undefined },
          SSM: { getParameter: async () => undefined },
        };
        return { create: () => (fakes[token.service] ?? {}) as never };
      },
    };
    const session = createAwsSession({}, registry);
    const prompter: Prompter = {
      section: () => undefined,
      confirm: async (question) => {
        timeline.push(`ask ${question.message}`);
        return true;
      },
      select: async (question) => {
        timeline.push(`ask ${question.message}`);
        return question.choices[0]?.value as never;
      },
      input: async (question) => {
        timeline.push(`ask ${question.message}`);
        const value =
          question.message === 'Deployment name' ? 'lab' : (question.default ?? 'ops@example.com');
        if (question.verify) timeline.push(`verified ${await question.verify(value)}`);
        return value;
      },
      password: async () => '',
    };
    const checked = await checkDeploymentRequest(
      {
        command: 'install',
        blueprint: await loadBlueprint('blueprints/demo'),
        sets: {},
        yes: false,
        env: {},
        settings: readSettings({}),
      },
      { interactive: true, clock: systemClock },
    );
    await resolveDeployment(checked, {
      prompter,
      connect: (region) => session.forRegion(region),
      whoAmI: async () => ({ account: '123456789012', arn: 'arn:aws:iam::123456789012:user/x', userId: 'x' }),
      events: new EventBus(),
      signal: new AbortController().signal,
    });
    const firstQuestion = timeline.findIndex((entry) => entry.startsWith('ask '));
    expect(timeline.indexOf('load CloudFormation')).toBeGreaterThanOrEqual(0);
    expect(timeline.indexOf('load CloudFormation')).toBeLessThan(firstQuestion);
    expect(timeline.indexOf('load SSM')).toBeLessThan(firstQuestion);
    // The check ran and found the name free (its region's clients are made from the modules loaded ahead).
    expect(timeline.slice(timeline.indexOf('ask Deployment name'))).toContain('verified true');
  });

  it('loads nothing ahead when the name is given', async () => {
    const loaded: string[] = [];
    const registry: PortRegistry = {
      async adapterFor(token) {
        loaded.push(token.service);
        return { create: () => ({}) as never };
      },
    };
    const session = createAwsSession({}, registry);
    const checked = await checkDeploymentRequest(
      {
        command: 'install',
        blueprint: await loadBlueprint('blueprints/demo'),
        deployment: 'lab',
        sets: {},
        yes: true,
        env: {},
        settings: readSettings({}),
      },
      { interactive: true, clock: systemClock },
    );
    await resolveDeployment(checked, {
      prompter: {
        section: () => undefined,
        confirm: async () => true,
        select: async (question) => question.choices[0]?.value as never,
        input: async (question) => question.default ?? 'ops@example.com',
        password: async () => '',
      },
      connect: (region) => session.forRegion(region),
      whoAmI: async () => ({ account: '123456789012', arn: 'arn:aws:iam::123456789012:user/x', userId: 'x' }),
      events: new EventBus(),
      signal: new AbortController().signal,
    });
    expect(loaded).toEqual([]);
  });
});
