import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointFor, resolveAwsSettings } from '../../src/aws/aws-settings.ts';
import { StackguideError } from '../../src/errors.ts';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * The AWS CLI's documented order (docs.aws.amazon.com/cli/latest/userguide/cli-configure-precedence):
 * command line options, then environment variables, then the profile (named by --profile or
 * AWS_PROFILE) in the shared config and credentials files. The README's settings table states the same.
 */
let work: { path: string; remove: () => Promise<void> };
let files: { AWS_CONFIG_FILE: string; AWS_SHARED_CREDENTIALS_FILE: string };

beforeAll(async () => {
  work = await tempDir();
  files = {
    AWS_CONFIG_FILE: join(work.path, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(work.path, 'credentials'),
  };
  await writeFile(
    files.AWS_CONFIG_FILE,
    [
      '[default]',
      'region = ap-southeast-2',
      '',
      '[profile lab]',
      'region = eu-west-1',
      'endpoint_url = http://lab.example:4566',
      'services = lab-services',
      '',
      '[profile ci]',
      'region = us-west-2',
      '',
      '[services lab-services]',
      'cloudformation =',
      '  endpoint_url = http://cfn.example:5000',
      '',
      '[profile broken]',
      'services = nowhere',
      '',
    ].join('\n'),
  );
  await writeFile(
    files.AWS_SHARED_CREDENTIALS_FILE,
    ['[keys-only]', 'aws_access_key_id = AKIAEXAMPLE', 'aws_secret_access_key = example', ''].join('\n'),
  );
});
afterAll(() => work?.remove());

const resolve = (flags: { profile?: string; region?: string }, env: Record<string, string> = {}) =>
  resolveAwsSettings(flags, { ...files, ...env });

describe('region: flag, then AWS_REGION, then AWS_DEFAULT_REGION, then the profile', () => {
  const env = { AWS_REGION: 'us-east-2', AWS_DEFAULT_REGION: 'ca-central-1', AWS_PROFILE: 'ci' };
  it.each([
    ['--region beats everything', { region: 'eu-north-1', profile: 'lab' }, env, 'eu-north-1', 'flag'],
    [
      'AWS_REGION beats AWS_DEFAULT_REGION and the profile',
      { profile: 'lab' },
      env,
      'us-east-2',
      'AWS_REGION',
    ],
    [
      'AWS_DEFAULT_REGION beats the profile',
      { profile: 'lab' },
      { AWS_DEFAULT_REGION: 'ca-central-1' },
      'ca-central-1',
      'AWS_DEFAULT_REGION',
    ],
    ["--profile's region", { profile: 'lab' }, { AWS_PROFILE: 'ci' }, 'eu-west-1', 'profile'],
    ["AWS_PROFILE's region", {}, { AWS_PROFILE: 'ci' }, 'us-west-2', 'profile'],
    ["the default profile's region", {}, {}, 'ap-southeast-2', 'profile'],
  ])('%s', async (_, flags, given, value, source) => {
    expect((await resolve(flags, given)).region).toEqual({ value, source });
  });

  it('is absent when nothing names one', async () => {
    expect((await resolve({ profile: 'keys-only' })).region).toBeUndefined();
  });
});

describe('profile: --profile, then AWS_PROFILE, then default', () => {
  it('names the profile and where it came from', async () => {
    expect(await resolve({ profile: 'lab' }, { AWS_PROFILE: 'ci' })).toMatchObject({
      profile: 'lab',
      profileSource: 'flag',
    });
    expect(await resolve({}, { AWS_PROFILE: 'ci' })).toMatchObject({
      profile: 'ci',
      profileSource: 'AWS_PROFILE',
    });
    expect(await resolve({})).toMatchObject({ profile: 'default', profileSource: 'default' });
    // A profile only in the credentials file is a profile too.
    expect(await resolve({ profile: 'keys-only' })).toMatchObject({ profile: 'keys-only' });
  });

  it.each([
    [{ profile: 'nope' }, {}, '--profile nope'],
    [{}, { AWS_PROFILE: 'nope' }, 'AWS_PROFILE=nope'],
  ])('a profile neither file holds is exit 3 naming it and both files (%o %o)', async (flags, env, named) => {
    const error = await resolve(flags, env).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(StackguideError);
    const problem = error as StackguideError;
    expect(problem).toMatchObject({ code: 'credentials.profile-missing', exitCode: 3 });
    expect(problem.message).toContain(`"nope" (${named})`);
    expect(problem.details.map((detail) => detail.path)).toEqual([
      files.AWS_CONFIG_FILE,
      files.AWS_SHARED_CREDENTIALS_FILE,
    ]);
  });

  it('a services section the profile names but the file lacks is an error naming both', async () => {
    await expect(resolve({ profile: 'broken' })).rejects.toMatchObject({
      code: 'credentials.profile-services-missing',
      details: [{ path: files.AWS_CONFIG_FILE }],
    });
  });
});

describe('endpoints: service variable, --endpoint-url, AWS_ENDPOINT_URL, services section, endpoint_url', () => {
  const cfn = 'AWS_ENDPOINT_URL_CLOUDFORMATION';
  const sts = 'AWS_ENDPOINT_URL_STS';

  it('gives each service the first one set', async () => {
    const lab = (await resolve({ profile: 'lab' })).endpoints;
    // The profile's services section for CloudFormation, its endpoint_url for the rest.
    expect(endpointFor(cfn, { configured: lab })).toBe('http://cfn.example:5000');
    expect(endpointFor(sts, { configured: lab })).toBe('http://lab.example:4566');
    // AWS_ENDPOINT_URL beats both.
    const withEnv = (await resolve({ profile: 'lab' }, { AWS_ENDPOINT_URL: 'http://env.example' })).endpoints;
    expect(endpointFor(cfn, { configured: withEnv })).toBe('http://env.example');
    // --endpoint-url beats the environment and the profile.
    expect(endpointFor(cfn, { configured: withEnv, endpointUrl: 'http://flag.example' })).toBe(
      'http://flag.example',
    );
    // The service's own variable beats the flag (one emulator for most, a stand-in for the rest).
    expect(
      endpointFor(cfn, {
        configured: withEnv,
        endpointUrl: 'http://flag.example',
        serviceEndpoints: { [cfn]: 'http://own.example' },
      }),
    ).toBe('http://own.example');
    // Nothing set: the SDK's regional endpoint.
    expect(endpointFor(cfn, { configured: (await resolve({ profile: 'ci' })).endpoints })).toBeUndefined();
  });

  it('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS leaves only the command line', async () => {
    const ignored = (
      await resolve(
        { profile: 'lab' },
        { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true', AWS_ENDPOINT_URL: 'http://env.example' },
      )
    ).endpoints;
    expect(endpointFor(cfn, { configured: ignored })).toBeUndefined();
    expect(endpointFor(cfn, { configured: ignored, endpointUrl: 'http://flag.example' })).toBe(
      'http://flag.example',
    );
  });
});

describe('the CLI reads the profile as the AWS CLI does', () => {
  let moto: MotoServer;
  let shared: { AWS_CONFIG_FILE: string; AWS_SHARED_CREDENTIALS_FILE: string };
  beforeAll(async () => {
    moto = await startMotoServer();
    shared = {
      AWS_CONFIG_FILE: join(work.path, 'cli-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(work.path, 'cli-credentials'),
    };
    await writeFile(
      shared.AWS_CONFIG_FILE,
      `[profile moto]\nregion = us-east-1\nendpoint_url = ${moto.endpoint}\n\n[profile default]\nregion = eu-west-1\n`,
    );
    await writeFile(
      shared.AWS_SHARED_CREDENTIALS_FILE,
      '[moto]\naws_access_key_id = testing\naws_secret_access_key = testing\n',
    );
  });
  afterAll(() => moto?.stop());

  const demo = join(projectRoot, 'blueprints', 'demo');
  const noKeys = { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined };

  it('--profile brings its credentials, region and endpoint_url: status runs unattended with no other flag', async () => {
    const result = await runCli(
      ['status', '--blueprint', demo, '--name', 'demo', '--profile', 'moto', '--output', 'json'],
      {
        cwd: work.path,
        env: { ...shared, ...noKeys },
      },
    );
    // No stacks in moto yet: status says they need action (exit 4, issue 16), from the profile's us-east-1, through its endpoint_url (moto).
    expect(result.stderr).not.toContain('no region');
    expect(result.stdout).toContain('"type":"stack.status"');
    expect(result.stdout).toContain('Availability zones of us-east-1');
    expect(result.code).toBe(4);
  });

  it('AWS_PROFILE does the same, and AWS_REGION still wins over the profile region', async () => {
    const result = await runCli(['status', '--blueprint', demo, '--name', 'demo', '--output', 'json'], {
      cwd: work.path,
      env: { ...shared, ...noKeys, AWS_PROFILE: 'moto', AWS_REGION: 'us-west-2' },
    });
    expect(result.stdout).toContain('Availability zones of us-west-2');
    expect(result.code).toBe(4);
  });

  it('a wrong profile is exit 3 naming the profile and the files, before any AWS call', async () => {
    const result = await runCli(['status', '--blueprint', demo, '--name', 'demo'], {
      cwd: work.path,
      env: { ...shared, AWS_PROFILE: 'nope' },
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('The AWS profile "nope" (AWS_PROFILE=nope) is in neither shared file');
    expect(result.stderr).toContain(shared.AWS_CONFIG_FILE);
    expect(result.stderr).toContain(shared.AWS_SHARED_CREDENTIALS_FILE);
  });
});
