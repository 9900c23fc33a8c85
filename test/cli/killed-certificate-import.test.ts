import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ACMClient, ListCertificatesCommand, ListTagsForCertificateCommand } from '@aws-sdk/client-acm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGateProxy } from '../support/gate-proxy.ts';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { makePemFixtures, type PemFixtures } from '../support/pem-fixtures.ts';
import { projectRoot, runCli, startCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * Issue 13: an install killed (kill -9) while ACM imports its certificate. The step was journaled as
 * `applying` before the call, with no ARN (the answer never came back); the certificate exists in ACM
 * with the deployment tag the import call carried. destroy finds it by that tag and deletes it, with
 * the journal and without one.
 */
const domain = 'lab.example.test';
const blueprint = join(projectRoot, 'test', 'fixtures', 'blueprints', 'certificate-import');

let moto: MotoServer;
let pems: PemFixtures;
let acm: ACMClient;
let work: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  [moto, pems] = await Promise.all([startMotoServer(), makePemFixtures(domain)]);
  acm = new ACMClient({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
}, 120_000);
afterAll(async () => {
  acm?.destroy();
  await Promise.all([moto?.stop(), pems?.remove()]);
});
beforeEach(async () => {
  await moto.reset();
  work = await tempDir();
  await writeFile(
    join(work.path, 'lab.answers.yaml'),
    [
      'blueprint: certificate-import',
      'deployment: lab',
      'region: us-east-1',
      'answers:',
      `  domain: ${domain}`,
      'steps:',
      '  cert:',
      `    certificatePath: ${pems.certificate}`,
      `    privateKeyPath: ${pems.key}`,
      '',
    ].join('\n'),
  );
  return () => work.remove();
});

const args = (command: string, endpoint: string, ...extra: string[]) => [
  command,
  '--blueprint',
  blueprint,
  '--config',
  join(work.path, 'lab.answers.yaml'),
  '--endpoint-url',
  endpoint,
  '--state-dir',
  join(work.path, 'state'),
  ...extra,
];

async function certificates(): Promise<Array<{ arn: string; deployment: string | undefined }>> {
  const { CertificateSummaryList } = await acm.send(new ListCertificatesCommand({}));
  return Promise.all(
    (CertificateSummaryList ?? []).map(async (summary) => {
      const { Tags } = await acm.send(
        new ListTagsForCertificateCommand({ CertificateArn: summary.CertificateArn }),
      );
      return {
        arn: summary.CertificateArn ?? '',
        deployment: Tags?.find((tag) => tag.Key === 'stackguide:deployment')?.Value,
      };
    }),
  );
}

/** The install, killed once ACM has imported the certificate and before the CLI hears the ARN. */
async function installKilledAfterImport(): Promise<void> {
  const proxy = await startGateProxy(moto.endpoint, {
    action: 'ImportCertificate',
    occurrence: 1,
    when: 'after',
  });
  const { child, result } = startCli(args('install', proxy.endpoint, '--yes'), {
    cwd: work.path,
    env: { CI: 'true' },
  });
  const outcome = await Promise.race([proxy.reached.then(() => 'reached' as const), result]);
  expect(outcome, 'the install never imported the certificate').toBe('reached');
  child.kill('SIGKILL');
  await result;
  await proxy.stop();
}

describe('a certificate imported just before a kill', () => {
  it('is journaled before the call, carries the deployment tag, and destroy finds and deletes it', async () => {
    await installKilledAfterImport();
    const imported = await certificates();
    expect(imported).toEqual([{ arn: expect.stringMatching(/^arn:aws:acm:/), deployment: 'lab' }]);
    const state = JSON.parse(await readFile(join(work.path, 'state', 'lab', 'state.json'), 'utf8')) as {
      steps?: Record<string, { status: string; outputs?: Record<string, string> }>;
    };
    expect(state.steps?.cert?.status).toBe('applying');
    expect(state.steps?.cert?.outputs?.certificateArn).toBeUndefined();

    const destroyed = await runCli(args('destroy', moto.endpoint, '--confirm', 'lab'), {
      cwd: work.path,
      env: { CI: 'true' },
    });
    expect(destroyed.code, destroyed.stderr).toBe(0);
    expect(destroyed.stderr).toContain(`certificate ${imported[0]?.arn}: deleted`);
    expect(await certificates()).toEqual([]);
  });

  it('is found by its tag when the journal is gone too', async () => {
    await installKilledAfterImport();
    await rm(join(work.path, 'state'), { recursive: true });
    const destroyed = await runCli(args('destroy', moto.endpoint, '--confirm', 'lab'), {
      cwd: work.path,
      env: { CI: 'true' },
    });
    expect(destroyed.code, destroyed.stderr).toBe(0);
    expect(await certificates()).toEqual([]);
  });

  it('is imported once when the install is run again', async () => {
    await installKilledAfterImport();
    const before = await certificates();
    const again = await runCli(args('install', moto.endpoint, '--yes'), {
      cwd: work.path,
      env: { CI: 'true' },
    });
    expect(again.code, again.stderr).toBe(0);
    // The very certificate the killed run imported, not a second one replacing it.
    expect(await certificates()).toEqual(before);
    expect(before).toHaveLength(1);
  });
});
