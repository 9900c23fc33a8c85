import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Certificates and keys made with openssl in a temp folder for the certificate-import tests: a CA and a
 * leaf for `domain` it signed, plus every way a set of PEM files goes wrong in practice. Paths only;
 * each test reads what it needs.
 */
export interface PemFixtures {
  dir: string;
  /** The leaf for `domain` and `*.domain`, signed by the CA; its key; the CA as the chain. */
  certificate: string;
  key: string;
  chain: string;
  /** A key that belongs to no certificate here. */
  otherKey: string;
  /** The leaf's key, encrypted with a passphrase. */
  encryptedKey: string;
  /** An Ed25519 key, and a self-signed certificate for `domain` made with it. */
  ed25519Key: string;
  ed25519Certificate: string;
  /** The leaf for `domain`, signed by the CA, valid 2020-2021 only. */
  expired: string;
  /** A leaf for `other.<parent>`, signed by the CA, with `key`. */
  wrongName: string;
  /** The leaf in DER. */
  der: string;
  /** Not PEM at all. */
  garbage: string;
  /** A CA with the same name as the real one but another key: it did not issue the leaf. */
  impostorChain: string;
  remove(): Promise<void>;
}

export async function makePemFixtures(domain: string): Promise<PemFixtures> {
  const dir = await mkdtemp(join(tmpdir(), 'stackguide-pems-'));
  const openssl = (...args: string[]) => run('openssl', args, { cwd: dir });
  const path = (name: string) => join(dir, name);
  const other = `other.${domain.split('.').slice(1).join('.')}`;
  const caConfig = [
    '[ca]',
    'default_ca = ca_default',
    '[ca_default]',
    'database = index.txt',
    'new_certs_dir = .',
    'serial = serial',
    'default_md = sha256',
    'policy = any',
    'copy_extensions = copy',
    'unique_subject = no',
    '[any]',
    'commonName = supplied',
    '',
  ].join('\n');
  await Promise.all([
    writeFile(path('ca.cnf'), caConfig),
    writeFile(path('index.txt'), ''),
    writeFile(path('serial'), '1000\n'),
    writeFile(path('garbage.pem'), 'this is not a certificate\n'),
  ]);
  const makeCa = (key: string, cert: string) =>
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '3650',
      '-subj',
      '/CN=Stackguide Test CA',
    );
  await Promise.all([
    makeCa('ca-key.pem', 'ca.pem'),
    makeCa('impostor-key.pem', 'impostor.pem'),
    openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'key.pem'),
    openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'other-key.pem'),
    openssl('genpkey', '-algorithm', 'ED25519', '-out', 'ed25519-key.pem'),
  ]);
  const csr = (name: string, out: string) =>
    openssl(
      'req',
      '-new',
      '-key',
      'key.pem',
      '-out',
      out,
      '-subj',
      `/CN=${name}`,
      '-addext',
      `subjectAltName=DNS:${name},DNS:*.${name}`,
    );
  await Promise.all([csr(domain, 'leaf.csr'), csr(other, 'other.csr')]);
  // One at a time: `openssl ca` keeps its serial and database in files.
  const sign = (csrFile: string, out: string, ...dates: string[]) =>
    openssl(
      'ca',
      '-batch',
      '-notext',
      '-config',
      'ca.cnf',
      '-cert',
      'ca.pem',
      '-keyfile',
      'ca-key.pem',
      '-in',
      csrFile,
      '-out',
      out,
      ...dates,
    );
  await sign('leaf.csr', 'cert.pem', '-days', '365');
  await sign('leaf.csr', 'expired.pem', '-startdate', '20200101000000Z', '-enddate', '20210101000000Z');
  await sign('other.csr', 'wrong-name.pem', '-days', '365');
  await Promise.all([
    openssl('x509', '-in', 'cert.pem', '-outform', 'der', '-out', 'cert.der'),
    openssl('pkey', '-in', 'key.pem', '-aes256', '-passout', 'pass:secret', '-out', 'encrypted-key.pem'),
    openssl(
      'req',
      '-x509',
      '-key',
      'ed25519-key.pem',
      '-out',
      'ed25519.pem',
      '-days',
      '365',
      '-subj',
      `/CN=${domain}`,
      '-addext',
      `subjectAltName=DNS:${domain},DNS:*.${domain}`,
    ),
  ]);
  return {
    dir,
    certificate: path('cert.pem'),
    key: path('key.pem'),
    chain: path('ca.pem'),
    otherKey: path('other-key.pem'),
    encryptedKey: path('encrypted-key.pem'),
    ed25519Key: path('ed25519-key.pem'),
    ed25519Certificate: path('ed25519.pem'),
    expired: path('expired.pem'),
    wrongName: path('wrong-name.pem'),
    der: path('cert.der'),
    garbage: path('garbage.pem'),
    impostorChain: path('impostor.pem'),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * A self-signed certificate for `domain` and its key, written as `<name>.pem` and `<name>.key` in
 * `dir`: what an operator imports in OpenSARlab's guide ("Store your CA certificate"), for the tests
 * and the lab that play it.
 */
export async function writeSelfSignedCertificate(dir: string, domain: string, name: string): Promise<void> {
  await run(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '90',
      '-subj',
      `/CN=${domain}`,
      '-addext',
      `subjectAltName=DNS:${domain}`,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.pem`,
    ],
    { cwd: dir },
  );
}
