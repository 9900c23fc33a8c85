import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StackguideError } from '../../src/errors.ts';
import { Journal } from '../../src/journal/journal.ts';
import { answersFileToUpgrade } from '../../src/upgrade/answers-file-to-upgrade.ts';
import { tempDir } from '../support/temp-dir.ts';

let work: { path: string; remove: () => Promise<void> };
beforeEach(async () => {
  work = await tempDir();
});
afterEach(() => work.remove());

/** The refusal's --config detail, when upgrade finds no answers file it may take. */
async function refusal(promise: Promise<unknown>): Promise<StackguideError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown as StackguideError,
  );
  if (!error) throw new Error('upgrade took an answers file');
  expect(error).toMatchObject({
    message: 'upgrade needs the answers file of the deployment it upgrades',
    code: 'answers.missing',
    kind: 'user',
    exitCode: 2,
  });
  return error;
}

// upgrade without --config takes the answers file status reads (the journal's record, else
// <name>.answers.yaml), only when it is for that deployment and region; else it refuses naming where it
// looked. Trial finding 83 (a placeholder where a file could be found) and 81 (install used answers.yaml).
describe('upgrade without --config', () => {
  const target = (extra: { deployment?: string; region?: string; configPath?: string } = {}) => ({
    blueprintPath: 'blueprints/demo',
    stateDir: join(work.path, '.stackguide'),
    cwd: work.path,
    configPath: undefined,
    ...extra,
  });
  const record = (deployment: string, answersFile?: string) =>
    Journal.open(target().stateDir, {
      blueprint: { id: 'demo', version: '1.0.0' },
      deployment,
      region: 'us-east-1',
      ...(answersFile ? { answersFile } : {}),
    }).then((journal) => journal.flush());

  it('takes the answers file the journal records, else <name>.answers.yaml, of the last deployment', async () => {
    // Outside the current folder, as an absolute path: shown as recorded.
    const elsewhere = await tempDir();
    try {
      const recorded = join(elsewhere.path, 'answers.yaml');
      await writeFile(recorded, 'blueprint: demo\ndeployment: slow\nregion: us-east-1\n');
      await record('slow', recorded);
      expect(await answersFileToUpgrade(target())).toEqual({
        path: recorded,
        chosen: { from: 'journal', deployment: 'slow' },
      });
      // Moved away: the file install writes beside the operator, said as the operator types it.
      await writeFile(join(work.path, 'slow.answers.yaml'), 'blueprint: demo\ndeployment: slow\n');
      await elsewhere.remove();
      expect(await answersFileToUpgrade(target())).toEqual({
        path: 'slow.answers.yaml',
        chosen: { from: 'beside', deployment: 'slow' },
      });
    } finally {
      await elsewhere.remove();
    }
  });

  it('--config is taken as given, and nothing is looked for', async () => {
    expect(await answersFileToUpgrade(target({ configPath: 'mine.yaml' }))).toEqual({ path: 'mine.yaml' });
  });

  it('refuses, naming each file it looked for and what one that was there is for', async () => {
    const recorded = join(work.path, 'answers.yaml');
    await record('slow', recorded);
    const gone = await refusal(answersFileToUpgrade(target()));
    expect(gone.details[0]).toEqual({
      path: '--config',
      message:
        'not given, and no answers file of slow was found: looked for answers.yaml and slow.answers.yaml',
      fix: 'Pass --config <the answers file install wrote for slow>.',
    });
    // There, but for the deployment of that name in another region, and for another deployment.
    await writeFile(recorded, 'blueprint: demo\ndeployment: slow\nregion: eu-west-1\n');
    await writeFile(join(work.path, 'slow.answers.yaml'), 'blueprint: demo\ndeployment: fast\n');
    const others = await refusal(answersFileToUpgrade(target()));
    expect(others.details[0]?.message).toBe(
      'not given, and no answers file of slow was found: looked for answers.yaml (for slow in eu-west-1) and slow.answers.yaml (for fast)',
    );
    // --region names the region: the file for eu-west-1 is then the one.
    expect(await answersFileToUpgrade(target({ region: 'eu-west-1' }))).toMatchObject({
      path: 'answers.yaml',
    });
  });

  it('--name with no journal of it: its <name>.answers.yaml, whatever region that names', async () => {
    await writeFile(
      join(work.path, 'other.answers.yaml'),
      'blueprint: demo\ndeployment: other\nregion: eu-west-1\n',
    );
    expect(await answersFileToUpgrade(target({ deployment: 'other' }))).toEqual({
      path: 'other.answers.yaml',
      chosen: { from: 'beside', deployment: 'other' },
    });
  });

  it('says only what to pass when no deployment of the blueprint is recorded', async () => {
    const error = await refusal(answersFileToUpgrade(target()));
    expect(error.details[0]).toEqual({
      path: '--config',
      message: 'not given',
      fix: 'Pass --config <the answers file install wrote>.',
    });
  });
});
