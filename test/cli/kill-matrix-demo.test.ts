import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeKillPoint,
  eventKillPoints,
  type MatrixCase,
  matrixSummary,
  parseNdjson,
  runMatrix,
  takeInventory,
} from '../support/kill-matrix.ts';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * Issue 13's kill matrix on the demo blueprint, against moto (one server for the file, reset between
 * cases): install, upgrade and destroy each killed with kill -9 at every event type their own NDJSON
 * stream emits (at its first occurrence for each stack), then the same command again. The re-run must
 * finish within 45 s and leave AWS exactly as one clean run does: the same stacks in the same states,
 * no change set left unexecuted, no second bucket, secret, parameter or certificate, no lock.
 */
const demo = join(projectRoot, 'blueprints', 'demo');

let moto: MotoServer;
beforeAll(async () => {
  moto = await startMotoServer();
}, 120_000);
afterAll(async () => {
  await moto?.stop();
});

/** A fresh account (moto reset) and directory (its own answers file and journal), brought to `before`. */
async function freshCase(command: string[], before: string[][] = []): Promise<MatrixCase> {
  await moto.reset();
  const work = await tempDir();
  const answers = join(work.path, 'demo.answers.yaml');
  await copyFile(join(demo, 'answers.yaml'), answers);
  const args = (words: string[]) => [
    ...words,
    '--blueprint',
    demo,
    '--config',
    answers,
    '--endpoint-url',
    moto.endpoint,
    '--state-dir',
    join(work.path, 'state'),
    '--output',
    'json',
  ];
  for (const words of before) {
    const done = await runCli(args(words), { cwd: work.path, env: { CI: 'true' }, timeoutMs: 170_000 });
    expect(done.code, done.stderr).toBe(0);
  }
  return { cwd: work.path, args: args(command), env: { CI: 'true' }, remove: work.remove };
}

/** One clean run of the command: its events (the kill points) and what AWS holds after it. */
async function cleanRun(command: string[], before: string[][]) {
  const c = await freshCase(command, before);
  const result = await runCli(c.args, { cwd: c.cwd, env: c.env, timeoutMs: 170_000 });
  expect(result.code, result.stderr).toBe(0);
  const expected = await takeInventory(moto.endpoint);
  await c.remove();
  return { events: parseNdjson(result.stdout), expected };
}

const install = ['install', '--yes'];

describe('the demo blueprint killed with kill -9 at every event, then run again', () => {
  it('install: every re-run finishes within 45 s with one of everything and no change set of its own left', async () => {
    const { events, expected } = await cleanRun(install, []);
    expect(expected.stacks).toEqual(['demo-app CREATE_COMPLETE', 'demo-data CREATE_COMPLETE']);
    expect(expected.unexecutedChangeSets).toEqual([]);
    const points = eventKillPoints(events);
    // Every kind of milestone is among them, for both stacks.
    for (const type of ['changeset.created', 'stack.started', 'stack.event', 'stack.completed'])
      for (const stack of ['demo-data', 'demo-app'])
        expect(points.map(describeKillPoint)).toContain(`${type} of ${stack}`);
    const outcome = await runMatrix({
      points,
      endpoint: moto.endpoint,
      expected,
      start: () => freshCase(install),
    });
    console.log(matrixSummary('demo install', outcome));
    expect(outcome.problems).toEqual([]);
  }, 3_600_000);

  it('upgrade: every re-run finishes the upgrade within 45 s, with nothing left unexecuted', async () => {
    const upgrade = ['upgrade', '--set', 'jobTimeoutSeconds=600', '--yes'];
    const { events, expected } = await cleanRun(upgrade, [install]);
    expect(expected.stacks).toContain('demo-app UPDATE_COMPLETE');
    expect(expected.unexecutedChangeSets).toEqual([]);
    const outcome = await runMatrix({
      points: eventKillPoints(events),
      endpoint: moto.endpoint,
      expected,
      start: () => freshCase(upgrade, [install]),
    });
    console.log(matrixSummary('demo upgrade', outcome));
    expect(outcome.problems).toEqual([]);
  }, 3_600_000);

  it('destroy: killed after each stack is deleted (and at every other event), the re-run deletes the rest', async () => {
    const destroy = ['destroy', '--confirm', 'demo'];
    const { events, expected } = await cleanRun(destroy, [install]);
    expect(expected.stacks).toEqual([]);
    const points = eventKillPoints(events);
    for (const stack of ['demo-app', 'demo-data'])
      expect(points.map(describeKillPoint)).toContain(`stack.completed of ${stack}`);
    const outcome = await runMatrix({
      points,
      endpoint: moto.endpoint,
      expected,
      start: () => freshCase(destroy, [install]),
    });
    console.log(matrixSummary('demo destroy', outcome));
    expect(outcome.problems).toEqual([]);
  }, 3_600_000);
});
