import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccountPrepTarget, startAccountPrepTarget } from '../support/account-prep-target.ts';
import {
  describeKillPoint,
  eventKillPoints,
  type KillPoint,
  type MatrixCase,
  matrixSummary,
  parseNdjson,
  runMatrix,
  takeInventory,
} from '../support/kill-matrix.ts';
import { writeSelfSignedCertificate } from '../support/pem-fixtures.ts';
import { projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * Issue 13's kill matrix on blueprints/opensarlab (three stacks and the account preparation: SES, the
 * cost tag, the registry secret, the imported certificate), against moto and the stand-ins: install
 * killed with kill -9 at every event type its NDJSON stream emits (first occurrence per stack) and with
 * each preparation step's create call in flight (held by the gate proxy before AWS sees it, and after
 * AWS did it); destroy killed after each stack's deletion. Each time the same command again must finish
 * within 45 s, leaving AWS as one clean run does.
 */
const blueprint = join(projectRoot, 'blueprints', 'opensarlab');
const PASSWORD = 'osl-Dockerhub-Token-9d1';

let target: AccountPrepTarget;
let certs: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  [target, certs] = await Promise.all([startAccountPrepTarget(), tempDir()]);
  target.registry.addUser('osl-builder', PASSWORD);
  await writeSelfSignedCertificate(certs.path, 'opensarlab.example.edu', 'opensarlab');
}, 120_000);
afterAll(async () => {
  await target?.stop();
  await certs?.remove();
});

const env = () => ({ ...target.env, STACKGUIDE_SECRET_DOCKERHUB_PASSWORD: PASSWORD, CI: 'true' });

/** A fresh account (moto reset) and directory with the sample answers and the certificate files. */
async function freshCase(command: string[], before: string[][] = []): Promise<MatrixCase> {
  await target.moto.reset();
  const work = await tempDir();
  await copyFile(join(blueprint, 'answers.yaml'), join(work.path, 'answers.yaml'));
  await mkdir(join(work.path, 'certs'));
  for (const file of ['opensarlab.pem', 'opensarlab.key'])
    await copyFile(join(certs.path, file), join(work.path, 'certs', file));
  const args = (words: string[]) => [
    ...words,
    '--blueprint',
    blueprint,
    '--config',
    'answers.yaml',
    '--state-dir',
    'state',
    '--output',
    'json',
  ];
  for (const words of before) {
    const done = await runCli(args(words), { cwd: work.path, env: env(), timeoutMs: 170_000 });
    expect(done.code, done.stderr).toBe(0);
  }
  return { cwd: work.path, args: args(command), env: env(), remove: work.remove };
}

async function cleanRun(command: string[], before: string[][]) {
  const c = await freshCase(command, before);
  const result = await runCli(c.args, { cwd: c.cwd, env: c.env, timeoutMs: 170_000 });
  expect(result.code, result.stderr).toBe(0);
  const expected = await takeInventory(target.moto.endpoint);
  await c.remove();
  return { events: parseNdjson(result.stdout), expected };
}

const install = ['install', '--yes'];
const stacks = ['geo-class-container', 'geo-class', 'geo-class-cluster-pipeline'];

/** The preparation steps' create calls that moto serves, each held before and after AWS acts on it. */
const createCalls: KillPoint[] = ['CreateSecret', 'ImportCertificate'].flatMap((action) =>
  (['before', 'after'] as const).map((when) => ({
    kind: 'call' as const,
    gate: { action, occurrence: 1, when },
  })),
);

describe('blueprints/opensarlab killed with kill -9, then run again', () => {
  it('install: at every event and every preparation create call in flight, the re-run finishes with one of everything', async () => {
    const { events, expected } = await cleanRun(install, []);
    expect(expected.stacks).toEqual(stacks.map((name) => `${name} CREATE_COMPLETE`).sort());
    expect(expected.secrets).toBe(1);
    expect(expected.certificates).toBe(1);
    const points = [...eventKillPoints(events), ...createCalls];
    for (const stack of stacks)
      expect(points.map(describeKillPoint)).toContain(`changeset.created of ${stack}`);
    const outcome = await runMatrix({
      points,
      endpoint: target.moto.endpoint,
      expected,
      start: () => freshCase(install),
    });
    console.log(matrixSummary('opensarlab install', outcome));
    expect(outcome.problems).toEqual([]);
  }, 3_600_000);

  it('destroy: killed after each stack is deleted, the re-run deletes the rest, the certificate too', async () => {
    const destroy = ['destroy', '--confirm', 'geo-class'];
    const { events, expected } = await cleanRun(destroy, [install]);
    expect(expected.stacks).toEqual([]);
    expect(expected.certificates).toBe(0);
    const points = eventKillPoints(events).filter(
      (point) => point.kind === 'event' && point.type === 'stack.completed',
    );
    expect(points.map(describeKillPoint).sort()).toEqual(
      stacks.map((name) => `stack.completed of ${name}`).sort(),
    );
    const outcome = await runMatrix({
      points,
      endpoint: target.moto.endpoint,
      expected,
      start: () => freshCase(destroy, [install]),
    });
    console.log(matrixSummary('opensarlab destroy', outcome));
    expect(outcome.problems).toEqual([]);
  }, 3_600_000);
});
