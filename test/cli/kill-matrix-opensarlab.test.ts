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
 * AWS did it: the secret and the certificate at moto, SES production access and the cost tag's
 * activation at their stand-ins); destroy killed after each stack's deletion. Each time the same command again must finish
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

const COST_TAG = 'osl-deployment';

/**
 * A fresh account (moto and the stand-ins reset) and directory with the sample answers and the
 * certificate files. Billing has seen the cost tag (inactive), so the step activates it, and SES is in
 * the sandbox, so the step requests production access: every preparation step makes its create call.
 */
async function freshCase(command: string[], before: string[][] = []): Promise<MatrixCase> {
  await target.moto.reset();
  target.ses.reset();
  target.costExplorer.reset();
  target.costExplorer.seeTag(COST_TAG);
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

/**
 * What the stand-ins hold for the services moto lacks: the SES production-access requests made (each
 * opens a support case: one of them, never two) and the cost tag's status.
 */
const beyond = () => ({
  sesProductionRequests: target.ses
    .submissions('us-east-1')
    .filter((request) => request.body.ProductionAccessEnabled === true).length,
  costTag: target.costExplorer.statusOf(COST_TAG),
});

async function cleanRun(command: string[], before: string[][]) {
  const c = await freshCase(command, before);
  const result = await runCli(c.args, { cwd: c.cwd, env: c.env, timeoutMs: 170_000 });
  expect(result.code, result.stderr).toBe(0);
  const expected = await takeInventory(target.moto.endpoint);
  await c.remove();
  return { events: parseNdjson(result.stdout), expected, expectedBeyond: beyond() };
}

const install = ['install', '--yes'];
const stacks = ['geo-class-container', 'geo-class', 'geo-class-cluster-pipeline'];

/**
 * Each preparation step's create call, held before and after AWS acts on it: the registry secret and the
 * certificate (moto), SES production access (PutAccountDetails) and the cost tag's activation
 * (UpdateCostAllocationTagsStatus), both at their stand-ins.
 */
const createCalls = (): KillPoint[] =>
  [
    { action: 'CreateSecret' },
    { action: 'ImportCertificate' },
    { action: 'PutAccountDetails', upstream: target.ses.endpoint },
    { action: 'UpdateCostAllocationTagsStatus', upstream: target.costExplorer.endpoint },
  ].flatMap(({ action, upstream }) =>
    (['before', 'after'] as const).map((when) => ({
      kind: 'call' as const,
      gate: { action, occurrence: 1, when },
      ...(upstream ? { upstream } : {}),
    })),
  );

describe('blueprints/opensarlab killed with kill -9, then run again', () => {
  it('install: at every event, the re-run finishes with one of everything', async () => {
    const { events, expected, expectedBeyond } = await cleanRun(install, []);
    expect(expected.stacks).toEqual(stacks.map((name) => `${name} CREATE_COMPLETE`).sort());
    expect(expected.secrets).toBe(1);
    expect(expected.certificates).toBe(1);
    expect(expectedBeyond).toEqual({ sesProductionRequests: 1, costTag: 'Active' });
    const points = eventKillPoints(events);
    for (const stack of stacks)
      expect(points.map(describeKillPoint)).toContain(`changeset.created of ${stack}`);
    const outcome = await runMatrix({
      points,
      endpoint: target.moto.endpoint,
      expected,
      start: () => freshCase(install),
      beyond,
      expectedBeyond,
    });
    console.log(matrixSummary('opensarlab install', outcome));
    expect(outcome.problems).toEqual([]);
  }, 3_600_000);

  it("install: at each preparation step's create call in flight, the re-run finishes with one of everything", async () => {
    const { expected, expectedBeyond } = await cleanRun(install, []);
    expect(expectedBeyond).toEqual({ sesProductionRequests: 1, costTag: 'Active' });
    const outcome = await runMatrix({
      points: createCalls(),
      endpoint: target.moto.endpoint,
      expected,
      start: () => freshCase(install),
      beyond,
      expectedBeyond,
    });
    console.log(matrixSummary('opensarlab install, create calls in flight', outcome));
    expect(outcome.killed).toBe(8);
    expect(outcome.problems).toEqual([]);
  }, 3_600_000);

  it('destroy: killed after each stack is deleted, the re-run deletes the rest, the certificate too', async () => {
    const destroy = ['destroy', '--confirm', 'geo-class'];
    const { events, expected, expectedBeyond } = await cleanRun(destroy, [install]);
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
      beyond,
      expectedBeyond,
    });
    console.log(matrixSummary('opensarlab destroy', outcome));
    expect(outcome.problems).toEqual([]);
  }, 3_600_000);
});
