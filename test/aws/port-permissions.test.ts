import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AcmPort } from '../../src/aws/acm-port.ts';
import {
  call,
  grantsForAction,
  grantsOf,
  type PermissionsOf,
  registeredPorts,
} from '../../src/aws/port-permissions.ts';
import type { PortToken } from '../../src/aws/port-token.ts';
import { s3Port } from '../../src/aws/s3-port.ts';
import { projectRoot } from '../support/run-cli.ts';

/** Every port token the project declares: `export const xPort = portToken<...>(` in src/aws/*-port.ts. */
async function declaredTokens(): Promise<Array<{ file: string; name: string; token: PortToken<object> }>> {
  const dir = join(projectRoot, 'src', 'aws');
  const found = [];
  for (const file of (await readdir(dir)).filter((name) => name.endsWith('-port.ts')).sort()) {
    const source = await readFile(join(dir, file), 'utf8');
    const module = (await import(join(dir, file))) as Record<string, unknown>;
    for (const [, name] of source.matchAll(/export const (\w+) = portToken</g))
      found.push({ file, name: name ?? '', token: module[name ?? ''] as PortToken<object> });
  }
  return found;
}

describe('the IAM permissions of every port method', () => {
  it('registers every port the project declares: a new port fails here until its permissions are written', async () => {
    const tokens = await declaredTokens();
    expect(tokens.length).toBeGreaterThanOrEqual(18);
    const registered = registeredPorts();
    const missing = tokens
      .filter(({ token }) => !registered.includes(token))
      .map(({ file, name }) => `${file} ${name}`);
    expect(missing).toEqual([]);
  });

  it('gives every method of every port its IAM actions, named as IAM names them', async () => {
    const problems: string[] = [];
    let methods = 0;
    for (const { token } of await declaredTokens())
      for (const method of token.methods) {
        methods++;
        const grants = grantsOf(call(token as PortToken<never>, method as never));
        for (const grant of grants)
          for (const action of grant.actions)
            if (!/^[a-z0-9-]+:[A-Z][A-Za-z0-9]+$/.test(action))
              problems.push(`${token.service} ${method}: ${action}`);
        // Only GetCallerIdentity needs no permission at all.
        if (grants.length === 0 && !(token.service === 'STS' && method === 'whoAmI'))
          problems.push(`${token.service} ${method}: no grant`);
      }
    expect(problems).toEqual([]);
    expect(methods).toBeGreaterThanOrEqual(86);
  });

  it('maps the actions IAM names differently from the API to what IAM checks', () => {
    // HeadBucket is authorized as s3:ListBucket, HeadObject as s3:GetObject.
    expect(grantsOf(call(s3Port, 'bucketExists'))).toEqual([
      { actions: ['s3:ListBucket'], resource: 'artifacts-bucket' },
    ]);
    expect(grantsOf(call(s3Port, 'objectExists'))[0]?.actions).toEqual(['s3:GetObject']);
    expect(grantsForAction('CLOUDFORMATION:createchangeset')).toEqual([
      expect.objectContaining({ service: 'CloudFormation', method: 'createChangeSet' }),
    ]);
    expect(grantsForAction('s3:Nothing')).toEqual([]);
  });

  it('refuses, at compile time, permissions that leave a method out', () => {
    // @ts-expect-error: every method of AcmPort must be listed; one is missing here.
    const incomplete: PermissionsOf<AcmPort> = {
      requestCertificate: [],
      describeCertificate: [],
      importCertificate: [],
      resendValidationEmail: [],
      listCertificates: [],
      listTagsForCertificate: [],
    };
    expect(Object.keys(incomplete)).toHaveLength(6);
  });
});
