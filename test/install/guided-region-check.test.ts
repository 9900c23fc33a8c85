import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBlueprint } from '../../src/blueprint/load-blueprint.ts';
import { ExitCode, StackguideError } from '../../src/errors.ts';
import { checkDeploymentRequest } from '../../src/install/deployment-resolution.ts';
import { systemClock } from '../../src/runtime/clock.ts';
import { readSettings } from '../../src/settings.ts';
import { projectRoot } from '../support/run-cli.ts';

// checkDeploymentRequest is the part of a run that makes no AWS call: what it refuses never reaches
// the identity question.
describe('a guided install given an unsupported region', () => {
  it('is refused while checking what was given, naming --region and the regions to use', async () => {
    const blueprint = await loadBlueprint(join(projectRoot, 'blueprints', 'demo'));
    const refusal = await checkDeploymentRequest(
      {
        command: 'install',
        blueprint,
        region: 'eu-west-1',
        sets: {},
        yes: false,
        env: {},
        settings: readSettings({}),
      },
      { interactive: true, clock: systemClock },
    ).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(StackguideError);
    const error = refusal as StackguideError;
    expect(error.exitCode).toBe(ExitCode.usage);
    expect(error.details).toEqual([
      {
        path: '--region',
        message: '"eu-west-1" is not supported',
        fix: `Use one of: ${blueprint.regions.join(', ')}.`,
      },
    ]);
  });

  it('lets a supported region through, and asks for one when none was given', async () => {
    const blueprint = await loadBlueprint(join(projectRoot, 'blueprints', 'demo'));
    const base = {
      command: 'install' as const,
      blueprint,
      sets: {},
      yes: false,
      env: {},
      settings: readSettings({}),
    };
    const options = { interactive: true, clock: systemClock };
    await expect(checkDeploymentRequest({ ...base, region: 'us-east-1' }, options)).resolves.toMatchObject({
      request: { region: 'us-east-1' },
    });
    await expect(checkDeploymentRequest(base, options)).resolves.not.toHaveProperty('preset');
  });
});
