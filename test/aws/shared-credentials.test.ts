import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAwsSession } from '../../src/aws/aws-context.ts';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * One credential provider for the whole run: the SDK's own chain, which caches what it resolved, shared
 * by every client in every region. An assume-role profile with an MFA device asks for the code once.
 */
let moto: MotoServer;
let work: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  moto = await startMotoServer();
  work = await tempDir();
  await writeFile(
    join(work.path, 'config'),
    [
      '[profile base]',
      'region = us-east-1',
      '',
      '[profile operator]',
      'role_arn = arn:aws:iam::123456789012:role/operator',
      'source_profile = base',
      'mfa_serial = arn:aws:iam::123456789012:mfa/ops',
      '',
    ].join('\n'),
  );
  await writeFile(
    join(work.path, 'credentials'),
    ['[base]', 'aws_access_key_id = testing', 'aws_secret_access_key = testing', ''].join('\n'),
  );
});
afterEach(() => {
  vi.unstubAllEnvs();
});
afterAll(async () => {
  await moto?.stop();
  await work?.remove();
});

describe('credentials shared across clients and regions', () => {
  it('asks an MFA profile for its code once, however many clients and regions call', async () => {
    vi.stubEnv('AWS_CONFIG_FILE', join(work.path, 'config'));
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(work.path, 'credentials'));
    vi.stubEnv('AWS_ENDPOINT_URL', moto.endpoint);
    vi.stubEnv('AWS_ACCESS_KEY_ID', '');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', '');
    const asked: string[] = [];
    const session = createAwsSession({
      profile: 'operator',
      endpointUrl: moto.endpoint,
      mfaCodeProvider: async (serial) => {
        asked.push(serial);
        return '123456';
      },
    });
    const east = session.forRegion('us-east-1');
    const west = session.forRegion('eu-west-1');
    const [first, second] = await Promise.all([east.identity.whoAmI(), west.identity.whoAmI()]);
    await east.cloudFormation.describeStack('no-such-stack');
    await west.cloudFormation.describeStack('no-such-stack');
    expect(first.arn).toMatch(/assumed-role\/operator\//);
    expect(second.arn).toBe(first.arn);
    expect(asked).toEqual(['arn:aws:iam::123456789012:mfa/ops']);
  });
});
