import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import type { ErrorDetail } from '../../errors.ts';
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

export function checkPemFiles(files: PemFiles, requiredNames: readonly string[], now: number): PemCheck {
  const problems: ErrorDetail[] = [];
  const problem = (path: string, message: string, fix: string): void => {
    problems.push({ path, message, fix });
  };

  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(files.certificate);
  } catch {
    problem(
      files.paths.certificate,
      'is not a PEM certificate (-----BEGIN CERTIFICATE-----)',
      'Give the certificate file your CA issued, in PEM format (openssl x509 -in cert.der -inform der -out cert.pem converts DER).',
    );
    return { problems, facts: null };
  }

  let key: KeyObject | undefined;
  try {
    key = createPrivateKey(files.privateKey);
  } catch {
    // The error of node:crypto says nothing about the contents, but it is not passed on either way.
    problem(
      files.paths.privateKey,
      'is not an unencrypted PEM private key',
      'ACM imports only unencrypted keys: openssl pkey -in key.pem -out key-plain.pem (it asks for the passphrase).',
    );
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
        `is a ${keyType} key, which ACM does not import`,
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
  if (first && !certificate.checkIssued(first)) {
    problem(
      chainPath,
      `does not start with the issuer of the certificate (${certificate.issuer.replace(/\n/g, ', ')})`,
      'Put the intermediate that signed the certificate first, then the ones above it.',
    );
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
