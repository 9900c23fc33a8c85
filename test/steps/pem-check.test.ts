import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRefused, readAndCheckPemFiles } from '../../src/steps/certificate/pem-check.ts';
import { makePemFixtures, type PemFixtures } from '../support/pem-fixtures.ts';

/** The local check of PEM files to import, on files openssl made: each bad set names its file and why. */
const domain = 'codeocean.example.test';
const names = [domain, `*.${domain}`];
let pems: PemFixtures;

beforeAll(async () => {
  pems = await makePemFixtures(domain);
}, 60_000);
afterAll(() => pems?.remove());

const check = (certificatePath: string, privateKeyPath: string, chainPath?: string) =>
  readAndCheckPemFiles('cert', { certificatePath, privateKeyPath, chainPath }, names, Date.now());

describe('readAndCheckPemFiles', () => {
  it('accepts a certificate with its key and the chain that issued it, and says what it is', async () => {
    const result = await check(pems.certificate, pems.key, pems.chain);
    expect(result.check.problems).toEqual([]);
    expect(result.check.facts).toMatchObject({ names, keyType: 'RSA_2048', chainLength: 1 });
    expect(result.files?.privateKey).toContain('PRIVATE KEY');
  });

  const cases: Array<{
    name: string;
    files: () => [string, string, string?];
    path: () => string;
    message: RegExp;
    fix: RegExp;
  }> = [
    {
      name: 'the key of another certificate',
      files: () => [pems.certificate, pems.otherKey],
      path: () => pems.otherKey,
      message: /does not belong to the certificate/,
      fix: /generated with the certificate signing request/,
    },
    {
      name: 'an expired certificate',
      files: () => [pems.expired, pems.key],
      path: () => pems.expired,
      message: /^expired on 2021-01-01T00:00:00.000Z$/,
      fix: /Renew the certificate/,
    },
    {
      name: 'a certificate for another name',
      files: () => [pems.wrongName, pems.key],
      path: () => pems.wrongName,
      message:
        /^does not cover codeocean.example.test \(it is for other.example.test, \*.other.example.test\)$/,
      fix: /subject alternative names include codeocean.example.test/,
    },
    {
      name: 'garbage',
      files: () => [pems.garbage, pems.key],
      path: () => pems.garbage,
      message: /is not a PEM certificate/,
      fix: /in PEM format/,
    },
    {
      name: 'a DER certificate',
      files: () => [pems.der, pems.key],
      path: () => pems.der,
      message: /^is DER \(binary\), not PEM$/,
      fix: /openssl x509 -inform der/,
    },
    {
      name: 'an encrypted key',
      files: () => [pems.certificate, pems.encryptedKey],
      path: () => pems.encryptedKey,
      message: /is encrypted with a passphrase/,
      fix: /openssl pkey -in key.pem -out key-plain.pem/,
    },
    {
      name: 'an Ed25519 key',
      files: () => [pems.ed25519Certificate, pems.ed25519Key],
      path: () => pems.ed25519Key,
      message: /is a key of type ed25519, which ACM does not import/,
      fix: /RSA key of 1024 to 4096 bits or an ECDSA key/,
    },
    {
      name: 'a missing file',
      files: () => [join(pems.dir, 'nope.pem'), pems.key],
      path: () => join(pems.dir, 'nope.pem'),
      message: /^does not exist$/,
      fix: /Check the path in steps.cert.certificatePath/,
    },
    {
      name: 'a chain that did not issue the certificate (same CA name, another key)',
      files: () => [pems.certificate, pems.key, pems.impostorChain],
      path: () => pems.impostorChain,
      message: /did not issue the certificate/,
      fix: /the intermediate that signed it first/,
    },
    {
      name: 'a key and a certificate given the wrong way round',
      files: () => [pems.key, pems.certificate],
      path: () => pems.key,
      message: /holds a private key, not a certificate/,
      fix: /Give the certificate file/,
    },
  ];

  for (const { name, files, path, message, fix } of cases) {
    it(`refuses ${name}, naming the file, the problem and the fix`, async () => {
      const [certificatePath, privateKeyPath, chainPath] = files();
      const result = await check(certificatePath, privateKeyPath, chainPath);
      const problem = result.check.problems.find((candidate) => candidate.path === path());
      expect(problem, JSON.stringify(result.check.problems)).toBeDefined();
      expect(problem?.message).toMatch(message);
      expect(problem?.fix).toMatch(fix);
      const error = importRefused(names, result.check.problems);
      expect(error).toMatchObject({ code: 'certificate.import-refused', kind: 'user', exitCode: 2 });
      // Never a fragment of the key in what is reported.
      const key = result.files?.privateKey ?? '';
      for (const line of key.split('\n').filter((text) => text.length > 20 && !text.startsWith('-----')))
        expect(JSON.stringify({ error, problems: result.check.problems })).not.toContain(line);
    });
  }
});
