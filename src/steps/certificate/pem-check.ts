import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { type ErrorDetail, StackguideError } from '../../errors.ts';
import { coveredBy } from './domain-coverage.ts';

/**
 * The local check of a certificate to import (seed 001, "CA certificate import"), run before any AWS
 * call so a wrong key or an expired certificate is refused with a clear message instead of an ACM
 * validation error, and nothing is half-imported. It reads the PEM text it is given and returns facts
 * about the certificate only: the private key's contents never leave this function, not even in an
 * error message.
 */
export interface PemFiles {
  certificate: string;
  privateKey: string;
  chain?: string;
  /** Where each came from, for messages: paths, never contents. */
  paths: { certificate: string; privateKey: string; chain?: string };
}

export interface PemFacts {
  subject: string;
  /** DNS names the certificate is for: its SANs, or its CN when it has none. */
  names: string[];
  notBefore: string;
  notAfter: string;
  /** Upper-case hex, without separators, as node:crypto gives it. */
  serialNumber: string;
  keyType: string;
  chainLength: number;
}

export interface PemCheck {
  problems: ErrorDetail[];
  /** Null when the certificate itself could not be read. */
  facts: PemFacts | null;
}

/** The key algorithms ACM imports (https://docs.aws.amazon.com/acm/latest/userguide/import-certificate-prerequisites.html). */
const RSA_SIZES = [1024, 2048, 3072, 4096];
const EC_CURVES: Record<string, string> = {
  prime256v1: 'EC_prime256v1',
  secp384r1: 'EC_secp384r1',
  secp521r1: 'EC_secp521r1',
};

function checkPemFiles(files: PemFiles, requiredNames: readonly string[], now: number): PemCheck {
  const problems: ErrorDetail[] = [];
  const problem = (path: string, message: string, fix: string): void => {
    problems.push({ path, message, fix });
  };

  let certificate: X509Certificate;
  try {
    // Only PEM text: node:crypto would also read DER, but ACM's ImportCertificate takes PEM.
    if (!files.certificate.includes('-----BEGIN CERTIFICATE-----')) throw new TypeError('not PEM');
    certificate = new X509Certificate(files.certificate);
  } catch {
    const [message, fix] = notACertificate(files.certificate);
    problem(files.paths.certificate, message, fix);
    return { problems, facts: null };
  }

  let key: KeyObject | undefined;
  const keyProblem = privateKeyFormProblem(files.privateKey);
  if (keyProblem) {
    problem(files.paths.privateKey, keyProblem[0], keyProblem[1]);
  } else {
    try {
      key = createPrivateKey(files.privateKey);
    } catch {
      // The error of node:crypto says nothing about the contents, but it is not passed on either way.
      problem(
        files.paths.privateKey,
        'is not a readable PEM private key',
        'Give the private key file generated with the certificate signing request (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----).',
      );
    }
  }
  const keyType = key ? describeKey(key) : 'unreadable';
  if (key) {
    if (!certificate.checkPrivateKey(key)) {
      problem(
        files.paths.privateKey,
        `does not belong to the certificate ${files.paths.certificate} (its public key is a different one)`,
        'Give the private key that was generated with the certificate signing request for this certificate.',
      );
    }
    if (!keyType.startsWith('RSA_') && !keyType.startsWith('EC_')) {
      problem(
        files.paths.privateKey,
        `is a key of type ${keyType}, which ACM does not import`,
        'Use an RSA key of 1024 to 4096 bits or an ECDSA key on P-256, P-384 or P-521.',
      );
    }
  }

  const notBefore = new Date(certificate.validFrom);
  const notAfter = new Date(certificate.validTo);
  if (notAfter.getTime() <= now) {
    problem(
      files.paths.certificate,
      `expired on ${notAfter.toISOString()}`,
      'Renew the certificate with your CA and give the new one.',
    );
  } else if (notBefore.getTime() > now) {
    problem(
      files.paths.certificate,
      `is not valid before ${notBefore.toISOString()}`,
      'Wait until then, or check the clock of the machine that issued it.',
    );
  }

  const names = certificateNames(certificate);
  for (const name of requiredNames) {
    if (!coveredBy(name, names)) {
      problem(
        files.paths.certificate,
        `does not cover ${name} (it is for ${names.join(', ') || 'no DNS name'})`,
        `Give a certificate whose subject alternative names include ${name}.`,
      );
    }
  }

  const chain = files.chain ? splitPem(files.chain) : [];
  const chainPath = files.paths.chain ?? 'chain';
  const parsed: X509Certificate[] = [];
  for (const [index, block] of chain.entries()) {
    try {
      const link = new X509Certificate(block);
      if (new Date(link.validTo).getTime() <= now) {
        problem(
          chainPath,
          `certificate ${index + 1} (${link.subject.replace(/\n/g, ', ')}) expired on ${new Date(link.validTo).toISOString()}`,
          'Download the current intermediate certificates from your CA.',
        );
      }
      parsed.push(link);
    } catch {
      problem(chainPath, `block ${index + 1} is not a PEM certificate`, 'Give the PEM chain your CA issued.');
    }
  }
  if (files.chain && chain.length === 0) {
    problem(
      chainPath,
      'holds no PEM certificate',
      'Give the PEM chain your CA issued, or leave the chain out.',
    );
  }
  const first = parsed[0];
  // Names are not enough: a CA re-created under the same name has another key. The signature decides.
  if (first && !(certificate.checkIssued(first) && certificate.verify(first.publicKey))) {
    problem(
      chainPath,
      `did not issue the certificate: its first certificate (${first.subject.replace(/\n/g, ', ')}) is not the one that signed ${files.paths.certificate} (issued by ${certificate.issuer.replace(/\n/g, ', ')})`,
      'Give the chain your CA sent with this certificate, the intermediate that signed it first, then the ones above it.',
    );
  }
  for (const [index, link] of parsed.entries()) {
    const above = parsed[index + 1];
    if (above && !(link.checkIssued(above) && link.verify(above.publicKey))) {
      problem(
        chainPath,
        `is out of order: certificate ${index + 2} did not issue certificate ${index + 1}`,
        'Order the chain from the intermediate that signed the certificate up to the root.',
      );
    }
  }

  return {
    problems,
    facts: {
      subject: certificate.subject.replace(/\n/g, ', '),
      names,
      notBefore: notBefore.toISOString(),
      notAfter: notAfter.toISOString(),
      serialNumber: certificate.serialNumber.toUpperCase(),
      keyType,
      chainLength: parsed.length,
    },
  };
}

/** Why a certificate file is not a PEM certificate, in the operator's terms, with the conversion. */
function notACertificate(text: string): [string, string] {
  if (text.includes('PRIVATE KEY-----')) {
    return [
      'holds a private key, not a certificate',
      'Give the certificate file (-----BEGIN CERTIFICATE-----) here, and the key as the private key file.',
    ];
  }
  if (text.charCodeAt(0) === 0x30 || text.includes('\ufffd')) {
    return [
      'is DER (binary), not PEM',
      'Convert it: openssl x509 -inform der -in cert.der -out cert.pem, then give cert.pem.',
    ];
  }
  return [
    'is not a PEM certificate (no readable -----BEGIN CERTIFICATE----- block)',
    'Give the certificate file your CA issued, in PEM format.',
  ];
}

/** A key file that is not an unencrypted PEM key, told apart by its form; null when it may be one. */
function privateKeyFormProblem(text: string): [string, string] | null {
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(text)) {
    return [
      'is encrypted with a passphrase, and ACM imports only unencrypted keys',
      'Decrypt a copy: openssl pkey -in key.pem -out key-plain.pem (it asks for the passphrase); give key-plain.pem and delete it afterwards.',
    ];
  }
  if (text.includes('-----BEGIN CERTIFICATE-----') && !text.includes('PRIVATE KEY-----')) {
    return [
      'holds a certificate, not a private key',
      'Give the private key file (-----BEGIN PRIVATE KEY-----) here, and the certificate as the certificate file.',
    ];
  }
  if (!text.includes('PRIVATE KEY-----')) {
    return text.charCodeAt(0) === 0x30 || text.includes('\ufffd')
      ? [
          'is DER (binary), not PEM',
          'Convert it: openssl pkey -inform der -in key.der -out key.pem, then give key.pem.',
        ]
      : [
          'is not a PEM private key (no -----BEGIN PRIVATE KEY----- block)',
          'Give the private key file generated with the certificate signing request.',
        ];
  }
  return null;
}

/** ACM's name for a key algorithm (RSA_2048, EC_prime256v1), or the node:crypto type otherwise. */
function describeKey(key: KeyObject): string {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa' && RSA_SIZES.includes(details.modulusLength ?? 0)) {
    return `RSA_${details.modulusLength}`;
  }
  if (key.asymmetricKeyType === 'ec' && details.namedCurve && EC_CURVES[details.namedCurve]) {
    return EC_CURVES[details.namedCurve] ?? 'ec';
  }
  const size = details.modulusLength ? ` ${details.modulusLength}-bit` : '';
  return `${key.asymmetricKeyType ?? 'unknown'}${size}`;
}

/** The DNS names in the SAN extension (`DNS:a, DNS:*.a`), or the CN when there is no such extension. */
function certificateNames(certificate: X509Certificate): string[] {
  const san = certificate.subjectAltName;
  if (san) {
    return san
      .split(/,\s*/)
      .filter((entry) => entry.startsWith('DNS:'))
      .map((entry) => entry.slice(4).replace(/^"|"$/g, '').toLowerCase());
  }
  const cn = /(?:^|\n)CN=([^\n]+)/.exec(certificate.subject)?.[1];
  return cn ? [cn.toLowerCase()] : [];
}

function splitPem(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/** Where the files are: the step's inputs (answers file `steps.<id>.*`), paths only. */
export interface PemPaths {
  certificatePath?: string | undefined;
  privateKeyPath?: string | undefined;
  chainPath?: string | undefined;
}

export interface PemFilesCheck {
  check: PemCheck;
  paths: PemFiles['paths'];
  /** The texts, when every file could be read; the key's text goes to ACM and nowhere else. */
  files: PemFiles | null;
}

/**
 * Reads the files named by the step's inputs and checks them, all locally: a file that is missing or
 * unreadable is a problem like any other, naming the path. `stepId` names the answers-file key when a
 * path is not given at all.
 */
export async function readAndCheckPemFiles(
  stepId: string,
  given: PemPaths,
  requiredNames: readonly string[],
  now: number,
): Promise<PemFilesCheck> {
  const paths: PemFiles['paths'] = {
    certificate: given.certificatePath ?? '',
    privateKey: given.privateKeyPath ?? '',
    ...(given.chainPath ? { chain: given.chainPath } : {}),
  };
  const unreadable: ErrorDetail[] = [];
  const read = async (path: string, key: PemKey): Promise<string> => {
    const read = await readPem(stepId, path, key);
    if ('problem' in read) unreadable.push(read.problem);
    return 'text' in read ? read.text : '';
  };
  const [certificate, privateKey, chain] = await Promise.all([
    read(paths.certificate, 'certificatePath'),
    read(paths.privateKey, 'privateKeyPath'),
    paths.chain ? read(paths.chain, 'chainPath') : Promise.resolve(undefined),
  ]);
  if (unreadable.length > 0) return { check: { problems: unreadable, facts: null }, paths, files: null };
  const files: PemFiles = { certificate, privateKey, paths, ...(chain !== undefined ? { chain } : {}) };
  return { check: checkPemFiles(files, requiredNames, now), paths, files };
}

/** The usage error (exit 2) for files that cannot be imported: every problem, each naming its file. */
export function importRefused(names: readonly string[], problems: readonly ErrorDetail[]): StackguideError {
  const what = names.length > 0 ? ` for ${names.join(' and ')}` : '';
  return new StackguideError(`The certificate to import is not usable${what}: nothing was sent to AWS.`, {
    code: 'certificate.import-refused',
    kind: 'user',
    details: problems,
    nextSteps: ['Fix the files named above, then run the same stackguide command again.'],
  });
}

type PemKey = keyof PemPaths;

/** One file's text, or why it cannot be read (naming the path, or the answers-file key when none). */
async function readPem(
  stepId: string,
  path: string,
  key: PemKey,
): Promise<{ text: string } | { problem: ErrorDetail }> {
  if (path === '')
    return {
      problem: {
        path: `steps.${stepId}.${key}`,
        message: 'no file given',
        fix: `Set steps.${stepId}.${key} to the path of the PEM file.`,
      },
    };
  try {
    return { text: await readFile(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return {
      problem: {
        path,
        message:
          code === 'ENOENT'
            ? 'does not exist'
            : code === 'EISDIR'
              ? 'is a folder, not a file'
              : `cannot be read (${code})`,
        fix:
          code === 'ENOENT'
            ? `Check the path in steps.${stepId}.${key} (relative paths start from the current folder).`
            : 'Check the path and that this user may read the file.',
      },
    };
  }
}

/**
 * One file of a certificate to import, checked as its path is given (guided), on its own and against
 * the files given before it (certificate, then key, then chain): a key that is a certificate or belongs
 * to another one, a chain that did not sign the certificate. The first problem of that file, or
 * undefined; the files not given yet are not judged.
 */
export async function pemFileProblem(
  stepId: string,
  key: PemKey,
  given: PemPaths,
  requiredNames: readonly string[],
  now: number,
): Promise<ErrorDetail | undefined> {
  const target = given[key];
  if (!target) return undefined;
  const order: PemKey[] = ['certificatePath', 'privateKeyPath', 'chainPath'];
  const texts: Partial<Record<PemKey, string>> = {};
  for (const each of order.slice(0, order.indexOf(key) + 1)) {
    const path = given[each];
    if (!path) continue;
    const read = await readPem(stepId, path, each);
    if ('problem' in read) {
      if (each === key) return read.problem;
      // A file given before it that cannot be read now was refused at its own question.
      continue;
    }
    texts[each] = read.text;
  }
  // Files not given yet stand in as absent; their problems carry no path and are not this file's.
  const check = checkPemFiles(
    {
      certificate: texts.certificatePath ?? '',
      privateKey: texts.privateKeyPath ?? '',
      ...(texts.chainPath !== undefined ? { chain: texts.chainPath } : {}),
      paths: {
        certificate: texts.certificatePath !== undefined ? (given.certificatePath ?? '') : '',
        privateKey: texts.privateKeyPath !== undefined ? (given.privateKeyPath ?? '') : '',
        ...(texts.chainPath !== undefined ? { chain: target } : {}),
      },
    },
    key === 'certificatePath' ? requiredNames : [],
    now,
  );
  return check.problems.find((problem) => problem.path === target);
}
