import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Journal } from '../../src/journal/journal.ts';
import { missingAnswersFile } from '../../src/upgrade/missing-answers-file.ts';
import { tempDir } from '../support/temp-dir.ts';

let work: { path: string; remove: () => Promise<void> };
beforeEach(async () => {
  work = await tempDir();
});
afterEach(() => work.remove());

// Trial finding 83: `upgrade` without --config said "Pass --config <the answers file install wrote>"
// while the state folder held the deployment and demo.answers.yaml was beside it.
describe('upgrade without --config', () => {
  const request = () => ({
    blueprintPath: 'blueprints/demo',
    stateDir: join(work.path, '.stackguide'),
    cwd: work.path,
  });
  const detail = async (extra: { deployment?: string } = {}) =>
    (await missingAnswersFile({ ...request(), ...extra })).details[0];

  it('names the answers file install wrote for the last deployment of the blueprint, as status finds it', async () => {
    await Journal.open(request().stateDir, {
      blueprint: { id: 'demo', version: '1.0.0' },
      deployment: 'slow',
      region: 'us-east-1',
    });
    // Recorded, but the answers file is not here: the fix says so rather than naming a missing file.
    expect(await detail()).toMatchObject({
      path: '--config',
      message: 'not given',
      fix: 'Pass --config <the answers file install wrote> (slow.answers.yaml is not in this folder).',
    });
    await writeFile(join(work.path, 'slow.answers.yaml'), 'deployment: slow\n');
    expect(await detail()).toMatchObject({
      message: 'not given (slow.answers.yaml is the answers file install wrote for slow)',
      fix: 'Pass --config slow.answers.yaml.',
    });
    // --name names the deployment: its file, not the last one's.
    await writeFile(join(work.path, 'other.answers.yaml'), 'deployment: other\n');
    expect(await detail({ deployment: 'other' })).toMatchObject({ fix: 'Pass --config other.answers.yaml.' });
  });

  it('says only what to pass when no deployment of the blueprint is recorded', async () => {
    const error = await missingAnswersFile(request());
    expect(error).toMatchObject({ code: 'answers.missing', kind: 'user' });
    expect(error.message).toBe('upgrade needs the answers file of the deployment it upgrades');
    expect(error.details[0]).toMatchObject({ fix: 'Pass --config <the answers file install wrote>.' });
  });
});
