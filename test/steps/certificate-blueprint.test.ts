import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadBlueprint } from '../../src/blueprint/load-blueprint.ts';
import type { StackguideError } from '../../src/errors.ts';
import { tempDir } from '../support/temp-dir.ts';

/** The two kinds as a vendor writes them in blueprint.yaml: registered, configured, their outputs referable. */
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

// Appended to the demo's own steps list.
const steps = `  - id: zone
    kind: hostedZone
    subdomain: codeocean
    parentDomain: example.com
    delegation: auto
    waitForDelegation: 900
  - id: cert
    kind: certificate
    method: auto
    hostedZoneStep: zone
    includeWildcard: true
`;

async function demoWith(stepsYaml: string, tag: string): Promise<string> {
  const dir = await tempDir();
  cleanups.push(dir.remove);
  await cp('blueprints/demo', dir.path, { recursive: true });
  const file = join(dir.path, 'blueprint.yaml');
  const yaml = (await readFile(file, 'utf8'))
    .replace('\nstacks:\n', `\n${stepsYaml}stacks:\n`)
    .replace(
      "    tags:\n      environment: '{{answers.environment}}'\n",
      `    tags:\n      environment: '{{answers.environment}}'\n      certificate: '${tag}'\n`,
    );
  await writeFile(file, yaml);
  return dir.path;
}

describe('hostedZone and certificate steps in a blueprint', () => {
  it('load, with their outputs referable from the stacks', async () => {
    const blueprint = await loadBlueprint(await demoWith(steps, '{{steps.cert.certificateArn}}'));
    expect(blueprint.steps.map((step) => [step.id, step.kind]).slice(-2)).toEqual([
      ['zone', 'hostedZone'],
      ['cert', 'certificate'],
    ]);
  });

  it('refuse an output the step does not have, naming the ones it has', async () => {
    const error = (await loadBlueprint(await demoWith(steps, '{{steps.zone.certificateArn}}')).catch(
      (thrown: unknown) => thrown,
    )) as StackguideError;
    expect(error.code).toBe('blueprint.invalid');
    expect(error.details).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('{{steps.zone.certificateArn}}'),
        fix: 'Use one of: hostedZoneId, domain, parentDomain, nameServers.',
      }),
    ]);
  });

  it('refuse a method the certificate step does not know, by path', async () => {
    const error = (await loadBlueprint(
      await demoWith(steps.replace('method: auto', 'method: sms'), '{{steps.cert.certificateArn}}'),
    ).catch((thrown: unknown) => thrown)) as StackguideError;
    expect(error.code).toBe('blueprint.invalid');
    expect(error.details.map((detail) => detail.path)).toEqual([
      expect.stringMatching(/steps\[3\]\.method$/),
    ]);
  });
});
