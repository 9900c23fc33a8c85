import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AwsContext } from '../../src/aws/aws-context.ts';
import { loadBlueprint } from '../../src/blueprint/load-blueprint.ts';
import { EventBus } from '../../src/events.ts';
import { checkDeploymentRequest, resolveDeployment } from '../../src/install/deployment-resolution.ts';
import type { Prompter } from '../../src/install/prompter.ts';
import { systemClock } from '../../src/runtime/clock.ts';
import { readSettings } from '../../src/settings.ts';
import { projectRoot } from '../support/run-cli.ts';

/** A prompter that types `typed[message]` (or accepts the default) and checks it as the terminal would. */
function typing(typed: Record<string, string>): Prompter & { refused: string[] } {
  const refused: string[] = [];
  return {
    refused,
    confirm: async (question) => question.default ?? true,
    select: async (question) => question.default ?? (question.choices[0]?.value as never),
    section: () => undefined,
    input: async (question) => {
      const value = typed[question.message] ?? question.default ?? '';
      const verdict = question.validate(value);
      if (verdict !== true) refused.push(verdict);
      return value;
    },
    password: async () => '',
  };
}

describe('a guided install with an optional question left empty', () => {
  it('leaves the answer absent, as an unattended run does, instead of failing its pattern', async () => {
    const blueprint = await loadBlueprint(
      join(projectRoot, 'test', 'fixtures', 'blueprints', 'optional-answer'),
    );
    const prompter = typing({ 'Deployment name': 'acme', 'A tagline (empty for none)': '' });
    const checked = await checkDeploymentRequest(
      { command: 'install', blueprint, sets: {}, yes: true, env: {}, settings: readSettings({}) },
      { interactive: true, clock: systemClock },
    );
    const resolved = await resolveDeployment(checked, {
      prompter,
      // Ports with nothing behind them: the name is not checked against AWS here.
      connect: () => ({ cloudFormation: {}, use: () => ({}) }) as unknown as AwsContext,
      whoAmI: async () => ({
        account: '123456789012',
        arn: 'arn:aws:iam::123456789012:user/x',
        userId: 'x',
      }),
      events: new EventBus(),
      signal: new AbortController().signal,
    });
    expect(prompter.refused).toEqual([]);
    expect(resolved.answers).toEqual({ owner: 'ops' });
    expect('tagline' in resolved.answers).toBe(false);
  });
});
