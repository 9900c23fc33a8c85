import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBlueprint } from '../../src/blueprint/load-blueprint.ts';
import { ExitCode, StackguideError } from '../../src/errors.ts';
import { readTemplateOverride } from '../../src/upgrade/upgrade-plan.ts';
import { projectRoot } from '../support/run-cli.ts';

/**
 * `upgrade --template` refusals (trial finding 48): each says what is wrong and how to fix it, exit 2,
 * before any AWS call (readTemplateOverride reads only local files).
 */
const blueprint = () => loadBlueprint(join(projectRoot, 'test/fixtures/blueprints/two-chains'));

async function refusal(template: string, stack?: string): Promise<StackguideError> {
  const error = await readTemplateOverride(await blueprint(), template, stack).catch(
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(StackguideError);
  expect((error as StackguideError).exitCode).toBe(ExitCode.usage);
  expect((error as StackguideError).nextSteps.length).toBeGreaterThan(0);
  return error as StackguideError;
}

describe('upgrade --template refusals', () => {
  it('a file that is not there: the reason and what to give instead', async () => {
    const error = await refusal('./nope.yaml', 'a1');
    expect(error.message).toBe('Cannot read the template ./nope.yaml: there is no such file');
    expect(error.nextSteps[0]).toContain('https:// or s3:// URL');
    // Said once: no detail line repeating the headline.
    expect(error.details).toEqual([]);
  });

  it('a folder given as the template', async () => {
    const error = await refusal(join(projectRoot, 'test/fixtures/blueprints/two-chains/templates'), 'a1');
    expect(error.message).toMatch(/: it is a folder, not a file$/);
  });

  it('a --stack that names no stack is the headline, with the ids to use', async () => {
    const error = await refusal('./nope.yaml', 'ap');
    expect(error.message).toBe('--stack ap is not a stack of two-chains');
    expect(error.details).toEqual([
      { path: '--stack', message: '"ap" is not a stack id', fix: 'Use one of: a1, a2, a3, b1, b2, b3.' },
    ]);
    expect(error.nextSteps).toEqual(["Give the blueprint's id of the stack the template is for: --stack a1"]);
  });

  it('no --stack where the blueprint has several', async () => {
    const error = await refusal('./nope.yaml');
    expect(error.message).toBe('--template needs --stack <id> to say which stack it is for');
    expect(error.details[0]).toMatchObject({ path: '--stack', message: 'not given' });
  });
});
