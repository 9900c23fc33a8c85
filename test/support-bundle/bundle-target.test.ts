import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findBundleTarget } from '../../src/support/bundle-target.ts';
import { tempDir } from '../support/temp-dir.ts';

let work: { path: string; remove: () => Promise<void> };
let stateDir: string;

beforeEach(async () => {
  work = await tempDir();
  stateDir = join(work.path, 'state');
  await mkdir(stateDir);
});
afterEach(async () => {
  await work.remove();
});

/** A deployment folder with one file written `minutesAgo` ago. */
async function deployment(name: string, file: string, text: string, minutesAgo: number): Promise<void> {
  await mkdir(join(stateDir, name), { recursive: true });
  const path = join(stateDir, name, file);
  await writeFile(path, text);
  const at = new Date(Date.now() - minutesAgo * 60_000);
  await utimes(path, at, at);
}

describe('findBundleTarget', () => {
  it("prefers the blueprint's own deployment, else the one written last, a corrupt journal counting", async () => {
    await deployment('old', 'state.json', '{"blueprint":{"id":"demo"},"region":"eu-west-1"}', 30);
    await deployment('broken', 'state.json', '{not json', 10);
    await deployment('logged', 'events.ndjson', '{}\n', 5);
    expect(await findBundleTarget({ stateDir, blueprintId: 'demo' })).toEqual({
      deployment: 'old',
      region: 'eu-west-1',
      answersPath: undefined,
      answersLooked: { path: undefined, looked: ['old.answers.yaml'] },
    });
    expect(await findBundleTarget({ stateDir, blueprintId: 'qhub' })).toMatchObject({
      deployment: 'logged',
      region: undefined,
    });
    expect(await findBundleTarget({ stateDir, blueprintId: undefined, defaultRegion: 'us-west-1' })).toEqual({
      deployment: 'logged',
      region: 'us-west-1',
      answersPath: undefined,
      answersLooked: { path: undefined, looked: ['logged.answers.yaml'] },
    });
  });

  it('takes the region from --region, then the journal, then the answers file, then the default', async () => {
    await deployment('shop', 'state.json', '{"region":"eu-west-1"}', 1);
    await deployment('lab', 'events.ndjson', '{}\n', 1);
    const configPath = join(work.path, 'shop.answers.yaml');
    await writeFile(configPath, 'deployment: \'shop\'\nregion: "us-east-2"\n');
    const base = { stateDir, blueprintId: undefined, defaultRegion: 'us-west-1' };
    expect(await findBundleTarget({ ...base, configPath, region: 'ap-south-1' })).toEqual({
      deployment: 'shop',
      region: 'ap-south-1',
      answersPath: configPath,
    });
    expect((await findBundleTarget({ ...base, configPath })).region).toBe('eu-west-1');
    expect((await findBundleTarget({ ...base, configPath, deployment: 'lab' })).region).toBe('us-east-2');
    expect((await findBundleTarget({ ...base, deployment: 'lab' })).region).toBe('us-west-1');
  });

  it('reads an answers file it cannot parse as naming nothing', async () => {
    await deployment('lab', 'events.ndjson', '{}\n', 1);
    const configPath = join(work.path, 'missing.yaml');
    expect(await findBundleTarget({ stateDir, configPath, blueprintId: undefined })).toMatchObject({
      deployment: 'lab',
      answersPath: configPath,
    });
  });

  it('refuses an empty state folder, a name that climbs out, and a name with nothing there', async () => {
    await expect(findBundleTarget({ stateDir, blueprintId: undefined })).rejects.toMatchObject({
      code: 'answers.missing',
      exitCode: 2,
    });
    await expect(
      findBundleTarget({ stateDir, deployment: '../etc', blueprintId: undefined }),
    ).rejects.toMatchObject({ code: 'usage.name', exitCode: 2 });
    await expect(
      findBundleTarget({ stateDir, deployment: 'nope', blueprintId: undefined }),
    ).rejects.toMatchObject({ code: 'support.no-deployment', exitCode: 2 });
  });

  it('without --config, takes the answers file the journal records, of this deployment and its region only', async () => {
    const recorded = join(work.path, 'answers.yaml');
    await deployment(
      'lab',
      'state.json',
      JSON.stringify({ blueprint: { id: 'demo' }, region: 'us-east-1', answersFile: recorded }),
      1,
    );
    const base = { stateDir, blueprintId: 'demo', deployment: 'lab' };
    // Read leniently: a file that does not parse names nothing, and is taken (it may be why support is needed).
    await writeFile(recorded, 'deployment: lab\nanswers: [not: closed\n');
    expect(await findBundleTarget(base)).toEqual({
      deployment: 'lab',
      region: 'us-east-1',
      answersPath: recorded,
    });
    // For the deployment of that name in another region: not its answers, and the bundle says where it looked.
    await writeFile(recorded, 'deployment: lab\nregion: eu-west-1\n');
    expect(await findBundleTarget(base)).toEqual({
      deployment: 'lab',
      region: 'us-east-1',
      answersPath: undefined,
      answersLooked: {
        path: undefined,
        looked: [recorded, 'lab.answers.yaml'],
        others: [{ path: recorded, deployment: 'lab', region: 'eu-west-1' }],
      },
    });
    // --region names that region: then it is.
    expect((await findBundleTarget({ ...base, region: 'eu-west-1' })).answersPath).toBe(recorded);
  });
});
