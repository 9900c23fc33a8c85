import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StackguideError } from '../../src/errors.ts';
import { checkOutputsFileTarget, writeDeployedOutputs } from '../../src/output/outputs-file.ts';
import { tempDir } from '../support/temp-dir.ts';

/** The file writer install and upgrade share; the CLI paths are in test/cli/deploy-options.test.ts. */
let work: { path: string; remove: () => Promise<void> };
beforeAll(async () => {
  work = await tempDir();
});
afterAll(async () => {
  await work?.remove();
});

const plan = {
  deployment: 'd',
  region: 'eu-west-1',
  account: '123456789012',
  stacks: [
    { id: 'net', name: 'd-net' },
    { id: 'app', name: 'd-app' },
  ],
  secretAnswerIds: ['password', 'empty'],
  answers: { password: 's3cret-value', empty: '', size: 3 },
} as unknown as Parameters<typeof writeDeployedOutputs>[2]['plan'];

describe('writeDeployedOutputs', () => {
  it('writes the stacks in plan order, a stack the run did not reach as UNKNOWN, and withholds secrets', async () => {
    const path = join(work.path, 'outputs.json');
    await writeDeployedOutputs(path, 'upgrade', {
      plan,
      stacks: {
        app: {
          stackId: 'arn:app',
          status: 'UPDATE_COMPLETE',
          outputs: { Url: 'https://x', Dsn: 'postgres://a:s3cret-value@h/db', Empty: '' },
        },
      },
    });
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({
      deployment: 'd',
      region: 'eu-west-1',
      account: '123456789012',
      stacks: {
        net: { name: 'd-net', stackId: '', status: 'UNKNOWN', outputs: {} },
        // An empty secret answer masks nothing: the empty output is kept.
        app: {
          name: 'd-app',
          stackId: 'arn:app',
          status: 'UPDATE_COMPLETE',
          outputs: { Url: 'https://x', Empty: '' },
        },
      },
      withheld: [{ stack: 'app', output: 'Dsn', reason: 'its value holds a secret answer' }],
    });
  });

  it('fails as the command that succeeded says, leaving no temporary file and the earlier file whole', async () => {
    const folder = join(work.path, 'held');
    await mkdir(folder);
    // A folder where the file should be: the rename over it fails after the temporary file is written.
    const path = join(folder, 'outputs.json');
    await mkdir(path);
    await writeFile(join(path, 'keep'), 'earlier');
    const failure = await writeDeployedOutputs(path, 'upgrade', { plan, stacks: {} }).catch((error) => error);
    expect(failure).toBeInstanceOf(StackguideError);
    expect(failure).toMatchObject({ code: 'outputs-file.write', exitCode: 1 });
    expect((failure as StackguideError).nextSteps).toEqual([
      'The upgrade itself succeeded: stackguide status shows the outputs again.',
    ]);
    expect(await readdir(folder)).toEqual(['outputs.json']);
    expect(await readFile(join(path, 'keep'), 'utf8')).toBe('earlier');
  });
});

describe('checkOutputsFileTarget', () => {
  it('passes an absent option through and resolves a given path', () => {
    expect(checkOutputsFileTarget(undefined)).toBeUndefined();
    expect(checkOutputsFileTarget(join(work.path, 'o.json'))).toBe(join(work.path, 'o.json'));
  });
});
