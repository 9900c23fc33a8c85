import { describe, expect, it } from 'vitest';
import { StackguideError } from '../../src/errors.ts';
import { compareVersions, readDeploymentRecord, refuseRevert } from '../../src/install/deployed-version.ts';
import { Journal } from '../../src/journal/journal.ts';
import { FakeCloudFormationPort } from '../support/fake-cloudformation-port.ts';
import { tempDir } from '../support/temp-dir.ts';

describe('compareVersions', () => {
  it('orders dotted numbers as numbers and a pre-release before its release', () => {
    expect(compareVersions('1.10.0', '1.9.0')).toBe(1);
    expect(compareVersions('1.0.0', '1.0')).toBe(0);
    expect(compareVersions('2.0.0-rc.1', '2.0.0')).toBe(-1);
    expect(compareVersions('2.0.0-rc.10', '2.0.0-rc.9')).toBe(1);
    expect(compareVersions('3.19.0', '3.2.0')).toBe(1);
    expect(compareVersions('1.0.0', '1.0.1')).toBe(-1);
  });
});

/** A fake CloudFormation holding the named stacks, each with its status and tags. */
function stacksHolding(described: Record<string, { status?: string; tags?: Record<string, string> }>) {
  const port = new FakeCloudFormationPort();
  for (const [name, { status = 'UPDATE_COMPLETE', tags = {} }] of Object.entries(described)) {
    const stack = port.stacks.get(port.addStack(name, status));
    if (stack) stack.tags = tags;
  }
  return port;
}

const stacks = [
  { id: 'data', name: 'demo-data' },
  { id: 'app', name: 'demo-app' },
];
const context = {
  command: 'install' as const,
  blueprintVersion: '1.0.0',
  upgradeCommand: 'stackguide upgrade --blueprint <blueprint> --config demo.answers.yaml',
};

async function refusal(run: Promise<unknown>): Promise<StackguideError> {
  const error = await run.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(StackguideError);
  return error as StackguideError;
}

describe('refuseRevert reads both records: the stacks tags and the journal', () => {
  it('refuses on the override tag alone (no journal on this machine)', async () => {
    const error = await refusal(
      refuseRevert(
        stacks,
        stacksHolding({
          'demo-data': { tags: { 'stackguide:blueprint-version': '1.0.0' } },
          'demo-app': {
            tags: {
              'stackguide:blueprint-version': '1.0.0',
              'stackguide:template-override': 'app2.yaml sha256:d8e3df4aa89072ae',
            },
          },
        }),
        context,
      ),
    );
    expect(error.code).toBe('install.would-revert');
    expect(error.details).toEqual([
      expect.objectContaining({
        path: 'demo-app (stack app)',
        message: expect.stringContaining('runs the template app2.yaml sha256:d8e3df4aa89072ae'),
        fix: expect.stringContaining(
          'stackguide upgrade --blueprint <folder> --config demo.answers.yaml --template <template> --stack app',
        ),
      }),
    ]);
  });

  it("refuses on the journal's override and version when the tags still say the older ones", async () => {
    const tagged = stacksHolding({
      'demo-data': { tags: { 'stackguide:blueprint-version': '1.0.0' } },
      'demo-app': { tags: { 'stackguide:blueprint-version': '1.0.0' } },
    });
    const override = await refusal(
      refuseRevert(stacks, tagged, {
        ...context,
        recorded: { version: '1.0.0', templateOverrides: { app: 'app2.yaml sha256:d8e3df4aa89072ae' } },
      }),
    );
    expect(override.details?.map((detail) => detail.message)).toEqual([
      'runs the template app2.yaml sha256:d8e3df4aa89072ae given to upgrade --template (blueprint version 1.0.0); install would put back the template of blueprint version 1.0.0',
    ]);
    const newer = await refusal(
      refuseRevert(stacks, tagged, { ...context, command: 'upgrade', recorded: { version: '1.2.0' } }),
    );
    expect(newer.code).toBe('upgrade.would-revert');
    expect(newer.details?.map((detail) => detail.message)).toEqual([
      "runs blueprint version 1.2.0, newer than this blueprint's 1.0.0: upgrade would revert it",
      "runs blueprint version 1.2.0, newer than this blueprint's 1.0.0: upgrade would revert it",
    ]);
    // The newer of the two records is the one named.
    const tagNewer = await refusal(
      refuseRevert(
        [{ id: 'data', name: 'demo-data' }],
        stacksHolding({ 'demo-data': { tags: { 'stackguide:blueprint-version': '1.3.0' } } }),
        { ...context, recorded: { version: '1.2.0' } },
      ),
    );
    expect(tagNewer.details?.[0]?.message).toContain('runs blueprint version 1.3.0');
  });

  it('goes ahead when neither record says newer, when the overridden stack is gone, and for upgrade over an override', async () => {
    const recorded = { version: '1.0.0', templateOverrides: { app: 'app2.yaml sha256:d8e3df4aa89072ae' } };
    // It gives back the stacks as read, for the review's deployed → new, without a second call.
    const read = await refuseRevert(stacks, stacksHolding({ 'demo-data': {} }), { ...context, recorded });
    expect(read.map(({ id, description }) => [id, description?.stackName])).toEqual([
      ['data', 'demo-data'],
      ['app', undefined],
    ]);
    await expect(
      refuseRevert(stacks, stacksHolding({ 'demo-data': {}, 'demo-app': { status: 'DELETE_COMPLETE' } }), {
        ...context,
        recorded,
      }),
    ).resolves.toHaveLength(stacks.length);
    await expect(
      refuseRevert(stacks, stacksHolding({ 'demo-data': {} }), { ...context, recorded }),
    ).resolves.toHaveLength(stacks.length);
    await expect(
      refuseRevert(stacks, stacksHolding({ 'demo-data': {}, 'demo-app': {} }), {
        ...context,
        command: 'upgrade',
        recorded,
      }),
    ).resolves.toHaveLength(stacks.length);
    await expect(
      refuseRevert(stacks, stacksHolding({ 'demo-data': {}, 'demo-app': {} }), {
        ...context,
        blueprintVersion: '1.1.0',
        recorded: { version: '1.0.0' },
      }),
    ).resolves.toHaveLength(stacks.length);
  });
});

describe('readDeploymentRecord', () => {
  it("gives the journal's blueprint record, only for the same region and account", async () => {
    const dir = await tempDir();
    try {
      const journal = await Journal.open(dir.path, {
        blueprint: {
          id: 'demo',
          version: '1.1.0',
          templateOverrides: { app: 'app2.yaml sha256:0123456789abcdef' },
        },
        deployment: 'demo',
        region: 'us-east-1',
        account: '123456789012',
      });
      await journal.flush();
      const where = { deployment: 'demo', region: 'us-east-1', account: '123456789012' };
      expect(await readDeploymentRecord(dir.path, where)).toEqual({
        id: 'demo',
        version: '1.1.0',
        templateOverrides: { app: 'app2.yaml sha256:0123456789abcdef' },
      });
      expect(await readDeploymentRecord(dir.path, { ...where, region: 'eu-west-1' })).toBeUndefined();
      expect(await readDeploymentRecord(dir.path, { ...where, account: '210987654321' })).toBeUndefined();
      expect(await readDeploymentRecord(dir.path, { ...where, deployment: 'other' })).toBeUndefined();
    } finally {
      await dir.remove();
    }
  });
});
