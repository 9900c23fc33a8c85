import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { makePemFixtures, type PemFixtures } from '../support/pem-fixtures.ts';
import { type RecordingProxy, startRecordingProxy } from '../support/recording-proxy.ts';
import { projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * Issue 16: importing a certificate from PEM files that cannot work is refused before any AWS call,
 * through the built CLI, unattended. Every call goes through a recording proxy in front of moto, so
 * "zero AWS calls" is what the proxy saw, not what the code meant to do.
 */
const domain = 'codeocean.example.test';
const blueprint = join(projectRoot, 'test', 'fixtures', 'blueprints', 'certificate-import');

let moto: MotoServer;
let proxy: RecordingProxy;
let pems: PemFixtures;
let work: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  [moto, pems, work] = await Promise.all([startMotoServer(), makePemFixtures(domain), tempDir()]);
  proxy = await startRecordingProxy(moto.endpoint);
}, 120_000);
afterAll(async () => {
  await Promise.all([proxy?.stop(), moto?.stop(), pems?.remove(), work?.remove()]);
});

async function install(files: { certificate: string; key: string; chain?: string }, deployment: string) {
  const answers = join(work.path, `${deployment}.answers.yaml`);
  await writeFile(
    answers,
    [
      'blueprint: certificate-import',
      `deployment: ${deployment}`,
      'region: us-east-1',
      'answers:',
      `  domain: ${domain}`,
      'steps:',
      '  cert:',
      `    certificatePath: ${files.certificate}`,
      `    privateKeyPath: ${files.key}`,
      ...(files.chain ? [`    chainPath: ${files.chain}`] : []),
      '',
    ].join('\n'),
  );
  const before = proxy.operations.length;
  const result = await runCli(
    [
      'install',
      '--blueprint',
      blueprint,
      '--config',
      answers,
      '--yes',
      '--endpoint-url',
      proxy.endpoint,
      '--state-dir',
      join(work.path, 'state'),
      '--output',
      'json',
    ],
    { cwd: work.path, env: { CI: 'true' } },
  );
  return { ...result, calls: proxy.operations.slice(before).map((operation) => operation.action) };
}

describe('certificate import, checked locally first', () => {
  const bad: Array<{
    name: string;
    files: () => { certificate: string; key: string; chain?: string };
    says: () => string[];
  }> = [
    {
      name: 'the key of another certificate',
      files: () => ({ certificate: pems.certificate, key: pems.otherKey }),
      says: () => [pems.otherKey, 'does not belong to the certificate'],
    },
    {
      name: 'an expired certificate',
      files: () => ({ certificate: pems.expired, key: pems.key }),
      says: () => [pems.expired, 'expired on 2021-01-01'],
    },
    {
      name: 'a certificate for another name',
      files: () => ({ certificate: pems.wrongName, key: pems.key }),
      says: () => [pems.wrongName, `does not cover ${domain}`],
    },
    {
      name: 'garbage',
      files: () => ({ certificate: pems.garbage, key: pems.key }),
      says: () => [pems.garbage, 'is not a PEM certificate'],
    },
    {
      name: 'a DER certificate',
      files: () => ({ certificate: pems.der, key: pems.key }),
      says: () => [pems.der, 'is DER (binary), not PEM'],
    },
    {
      name: 'an encrypted key',
      files: () => ({ certificate: pems.certificate, key: pems.encryptedKey }),
      says: () => [pems.encryptedKey, 'is encrypted with a passphrase'],
    },
    {
      name: 'an Ed25519 key',
      files: () => ({ certificate: pems.ed25519Certificate, key: pems.ed25519Key }),
      says: () => [pems.ed25519Key, 'ed25519, which ACM does not import'],
    },
    {
      name: 'a missing file',
      files: () => ({ certificate: join(work.path, 'missing.pem'), key: pems.key }),
      says: () => [join(work.path, 'missing.pem'), 'does not exist'],
    },
    {
      name: 'a chain that did not issue the certificate',
      files: () => ({ certificate: pems.certificate, key: pems.key, chain: pems.impostorChain }),
      says: () => [pems.impostorChain, 'did not issue the certificate'],
    },
  ];

  for (const [index, { name, files, says }] of bad.entries()) {
    it(`refuses ${name} with exit 2, kind user, the file and the problem, and no AWS call`, async () => {
      const result = await install(files(), `bad${index}`);
      expect(result.code, result.stderr).toBe(2);
      expect(result.calls).toEqual([]);
      const error = result.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { type: string; kind?: string; code?: string; details?: unknown })
        .find((event) => event.type === 'error');
      expect(error).toMatchObject({ kind: 'user', code: 'certificate.import-refused' });
      for (const text of says()) expect(JSON.stringify(error?.details)).toContain(text);
    });
  }

  it('imports a good set (the proxy sees the calls then), so the refusals above are not a broken setup', async () => {
    const result = await install({ certificate: pems.certificate, key: pems.key, chain: pems.chain }, 'good');
    expect(result.code, result.stderr).toBe(0);
    expect(result.calls).toContain('ImportCertificate');
  });
});
