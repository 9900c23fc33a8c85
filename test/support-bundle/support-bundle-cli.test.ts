import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { freePort } from '../support/free-port.ts';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

// `stackguide support-bundle` of an install on moto that took a registry password, a secret answer and
// an answer the template takes NoEcho, run with AWS credentials of the AKIA/ASIA shape in the
// environment and more in a shared credentials file. Every byte of the archive is searched for each of
// those values and for every run of 8 of their characters: the raw .tar.gz, the tar inside it, and each
// file the system's tar extracts.

const run = promisify(execFile);
const blueprint = join(projectRoot, 'test', 'fixtures', 'blueprints', 'support-bundle');

const DB_PASSWORD = 'Db-Master-9f3c2a71e5';
const REGISTRY_PASSWORD = 'Hub-Pass-4e8d1b60c2';
const API_TOKEN = 'api-Token-7c5a9e13f8d2';
// Shaped like AWS's documented examples: moto takes any credentials.
const KEY_ID = 'ASIAZ7EXAMPLE2QWERTY';
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEK1';
const SESSION_TOKEN = 'FwoGZXIvYXdzEXAMPLEsessionTOKEN0123456789abcdefghijklmnop';
const SHARED_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SHARED_SECRET_KEY = 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY';

const SECRETS = {
  'secret answer': DB_PASSWORD,
  'registry password': REGISTRY_PASSWORD,
  'sensitive answer': API_TOKEN,
  'access key id': KEY_ID,
  'secret access key': SECRET_KEY,
  'session token': SESSION_TOKEN,
  'shared access key id': SHARED_KEY_ID,
  'shared secret access key': SHARED_SECRET_KEY,
};

let moto: MotoServer;
let work: { path: string; remove: () => Promise<void> };
let env: Record<string, string>;
const state = () => join(work.path, 'state');

beforeAll(async () => {
  [moto, work] = await Promise.all([startMotoServer(), tempDir()]);
  const credentialsFile = join(work.path, 'credentials');
  await writeFile(
    credentialsFile,
    `[vendor]\naws_access_key_id = ${SHARED_KEY_ID}\naws_secret_access_key = ${SHARED_SECRET_KEY}\n`,
  );
  env = {
    AWS_ACCESS_KEY_ID: KEY_ID,
    AWS_SECRET_ACCESS_KEY: SECRET_KEY,
    AWS_SESSION_TOKEN: SESSION_TOKEN,
    AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
    AWS_CONFIG_FILE: join(work.path, 'config'),
    STACKGUIDE_SECRET_DBPASSWORD: DB_PASSWORD,
    STACKGUIDE_SECRET_DOCKERHUB_PASSWORD: REGISTRY_PASSWORD,
  };
  await writeFile(
    join(work.path, 'lab.answers.yaml'),
    [
      'blueprint: bundle-lab',
      'deployment: lab',
      'region: us-east-1',
      'answers:',
      '  adminEmail: ops@example.com',
      `  apiToken: ${API_TOKEN}`,
      'steps:',
      '  dockerhub:',
      '    username: lab-builder',
      '',
    ].join('\n'),
  );
  const installed = await runCli(
    [
      'install',
      '--blueprint',
      blueprint,
      '--config',
      'lab.answers.yaml',
      '--yes',
      '--endpoint-url',
      moto.endpoint,
      '--state-dir',
      state(),
    ],
    { cwd: work.path, env },
  );
  expect(installed.code, installed.stderr).toBe(0);
  // The install used the registry password: it is the secret's value in Secrets Manager.
  const secrets = new SecretsManagerClient({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET_KEY },
  });
  const stored = await secrets.send(new GetSecretValueCommand({ SecretId: 'bundle-lab/dockerhub' }));
  secrets.destroy();
  expect(stored.SecretString).toBe(`lab-builder ${REGISTRY_PASSWORD}`);
  // Then the operator wrote the secrets into the answers file by hand (the next install refuses it):
  // the bundle must still carry the file, with each secret replaced by its kind.
  const answers = await readFile(join(work.path, 'lab.answers.yaml'), 'utf8');
  await writeFile(
    join(work.path, 'lab.answers.yaml'),
    answers
      .replace('answers:\n', `answers:\n  dbPassword: ${DB_PASSWORD}\n`)
      .replace(
        '    username: lab-builder\n',
        `    username: lab-builder\n    password: ${REGISTRY_PASSWORD}\n`,
      ),
  );
}, 180_000);
afterAll(async () => {
  await moto?.stop();
  await work?.remove();
});

function supportBundle(out: string, ...extra: string[]) {
  return runCli(
    ['support-bundle', '--out', out, '--blueprint', blueprint, '--state-dir', state(), ...extra],
    {
      cwd: work.path,
      env,
    },
  );
}

/** Each secret (by what it is) with every run of 8 of its characters that `haystack` holds. */
function leaks(haystack: string): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  for (const [what, secret] of Object.entries(SECRETS)) {
    const fragments: string[] = [];
    for (let at = 0; at + 8 <= secret.length; at++) {
      const fragment = secret.slice(at, at + 8);
      if (haystack.includes(fragment)) fragments.push(fragment);
    }
    if (fragments.length > 0) found[what] = fragments;
  }
  return found;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

describe('stackguide support-bundle', () => {
  it('writes one archive with the local parts and AWS, and no byte of any secret or credential', async () => {
    const out = join(work.path, 'bundle.tar.gz');
    const result = await supportBundle(out, '--endpoint-url', moto.endpoint);
    expect(result.code, result.stderr).toBe(0);

    // The report: where, AWS reached, what was redacted by kind and count, never a value.
    expect(result.stdout).toContain(`Support bundle of lab (us-east-1) written to ${out}`);
    expect(result.stdout).toContain('AWS: reached');
    const redactedLine = /^Redacted before writing \(\d+\): (.+)$/m.exec(result.stdout)?.[1] ?? '';
    const counts = Object.fromEntries(
      redactedLine.split(', ').map((part) => {
        const [kind, count] = part.split(' ×');
        return [kind, Number(count)];
      }),
    );
    // The answers file's dbPassword and the registry password, the answer fed to NoEcho.
    expect(counts['secret answer']).toBeGreaterThanOrEqual(1);
    expect(counts['registry password']).toBeGreaterThanOrEqual(1);
    expect(counts['sensitive answer']).toBeGreaterThanOrEqual(1);
    expect(leaks(result.stdout + result.stderr)).toEqual({});

    expect((await stat(out)).mode & 0o777).toBe(0o600);

    // Every byte: the compressed file, the tar stream inside it (headers and all), then every file.
    const raw = await readFile(out);
    expect(leaks(raw.toString('latin1'))).toEqual({});
    const tarStream = gunzipSync(raw);
    expect(leaks(tarStream.toString('latin1'))).toEqual({});
    expect(leaks(tarStream.toString('utf8'))).toEqual({});

    // The system's tar lists and extracts it.
    const listed = (await run('tar', ['-tzf', out])).stdout.trim().split('\n');
    const folder = listed[0]?.split('/')[0] ?? '';
    expect(folder).toMatch(/^stackguide-support-lab-\d{8}T\d{6}Z$/);
    const extracted = join(work.path, 'extracted');
    await run('mkdir', ['-p', extracted]);
    await run('tar', ['-xzf', out, '-C', extracted]);
    const root = join(extracted, folder);
    const files = await filesUnder(root);
    expect(files).toEqual(
      [
        'answers.yaml',
        'aws/stack-events.json',
        'aws/stacks.json',
        'journal/events.ndjson',
        'journal/state.json',
        'last-error.json',
        'manifest.json',
        'versions.json',
      ].sort(),
    );
    expect(
      listed
        .filter((path) => !path.endsWith('/'))
        .map((path) => path.slice(folder.length + 1))
        .sort(),
    ).toEqual(files);
    for (const file of files) expect(leaks(await readFile(join(root, file), 'utf8')), file).toEqual({});

    // The manifest lists every other file with its size and checksum, and says AWS was reached.
    const manifest = JSON.parse(await readFile(join(root, 'manifest.json'), 'utf8'));
    expect(manifest.files.map((file: { path: string }) => file.path).sort()).toEqual(
      files.filter((file) => file !== 'manifest.json'),
    );
    for (const file of manifest.files as Array<{ path: string; bytes: number }>)
      expect((await stat(join(root, file.path))).size, file.path).toBe(file.bytes);
    expect(manifest).toMatchObject({
      deployment: 'lab',
      region: 'us-east-1',
      aws: { reached: true, stacks: 1 },
    });
    expect(manifest.redactions).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'registry password' })]),
    );

    // The event log and the journal are the deployment's own.
    const log = await readFile(join(state(), 'lab', 'events.ndjson'), 'utf8');
    const bundledLog = await readFile(join(root, 'journal', 'events.ndjson'), 'utf8');
    const types = (text: string) =>
      text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).type);
    expect(types(bundledLog)).toEqual(types(log));
    expect(types(bundledLog)).toEqual(expect.arrayContaining(['step.completed', 'stack.completed']));
    const journal = JSON.parse(await readFile(join(root, 'journal', 'state.json'), 'utf8'));
    expect(journal).toMatchObject({ deployment: 'lab', blueprint: { id: 'bundle-lab', version: '1.2.0' } });
    expect(journal.operations.at(-1)).toMatchObject({ command: 'install', status: 'completed' });

    // The answers file: every secret replaced by its kind, the rest as the operator wrote it.
    const answers = parse(await readFile(join(root, 'answers.yaml'), 'utf8'));
    expect(answers).toMatchObject({
      deployment: 'lab',
      answers: {
        adminEmail: 'ops@example.com',
        dbPassword: '[redacted: secret answer]',
        apiToken: '[redacted: sensitive answer]',
      },
      steps: { dockerhub: { username: 'lab-builder', password: '[redacted: registry password]' } },
    });

    // The stacks and their events as AWS has them, the versions, and no error.
    const stacks = JSON.parse(await readFile(join(root, 'aws', 'stacks.json'), 'utf8'));
    expect(stacks.stacks).toEqual([expect.objectContaining({ name: 'lab-main', status: 'CREATE_COMPLETE' })]);
    const events = JSON.parse(await readFile(join(root, 'aws', 'stack-events.json'), 'utf8'));
    expect(events['lab-main'].length).toBeGreaterThan(0);
    expect(events['lab-main'][0]).toMatchObject({ stackName: 'lab-main', status: expect.any(String) });
    const versions = JSON.parse(await readFile(join(root, 'versions.json'), 'utf8'));
    expect(versions).toMatchObject({
      blueprint: { id: 'bundle-lab', version: '1.2.0' },
      deployed: { id: 'bundle-lab', version: '1.2.0' },
      node: expect.stringMatching(/^v\d+\./),
      os: { platform: process.platform },
    });
    const pkg = JSON.parse(await readFile(join(projectRoot, 'package.json'), 'utf8'));
    expect(versions.stackguide).toBe(pkg.version);
    const lastError = JSON.parse(await readFile(join(root, 'last-error.json'), 'utf8'));
    expect(lastError).toEqual({ run: null, event: null, stacks: [] });
  });

  it('still writes the local parts when AWS cannot be reached, and says so in the manifest', async () => {
    const out = join(work.path, 'offline.tar.gz');
    const closed = `http://127.0.0.1:${await freePort()}`;
    const result = await supportBundle(out, '--endpoint-url', closed, '--call-deadline', '20');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^AWS: not reached \(.+\); the local parts are in$/m);
    const listed = (await run('tar', ['-tzf', out])).stdout;
    expect(listed).toContain('/journal/events.ndjson');
    expect(listed).toContain('/journal/state.json');
    expect(listed).not.toContain('/aws/');
    const folder = listed.split('/')[0] ?? '';
    const manifest = JSON.parse(
      (await run('tar', ['-xzOf', out, `${folder}/manifest.json`], { maxBuffer: 1 << 24 })).stdout,
    );
    expect(manifest.aws).toMatchObject({ reached: false, reason: expect.any(String) });
    expect(manifest.notes.join('\n')).toContain('AWS was not reached');
    expect(leaks((await readFile(out)).toString('latin1'))).toEqual({});
    expect(leaks(gunzipSync(await readFile(out)).toString('latin1'))).toEqual({});
  });

  it('run from another folder, takes the answers file the journal records the install used, redacted; says where it looked when it is gone', async () => {
    const elsewhere = join(work.path, 'elsewhere');
    await mkdir(elsewhere, { recursive: true });
    const recorded = join(work.path, 'lab.answers.yaml');
    const bundleFrom = (out: string) =>
      runCli(
        [
          'support-bundle',
          '--out',
          out,
          '--blueprint',
          blueprint,
          '--state-dir',
          state(),
          '--endpoint-url',
          moto.endpoint,
        ],
        { cwd: elsewhere, env },
      );
    const out = join(elsewhere, 'recorded.tar.gz');
    const result = await bundleFrom(out);
    expect(result.code, result.stderr).toBe(0);
    const listed = (await run('tar', ['-tzf', out])).stdout.trim().split('\n');
    const folder = listed[0]?.split('/')[0] ?? '';
    expect(listed).toContain(`${folder}/answers.yaml`);
    const answers = parse((await run('tar', ['-xzOf', out, `${folder}/answers.yaml`])).stdout);
    expect(answers.answers).toMatchObject({
      adminEmail: 'ops@example.com',
      dbPassword: '[redacted: secret answer]',
    });
    const manifest = JSON.parse(
      (await run('tar', ['-xzOf', out, `${folder}/manifest.json`], { maxBuffer: 1 << 24 })).stdout,
    );
    expect(JSON.stringify(manifest)).toContain(`the answers file (${recorded})`);
    expect(leaks(gunzipSync(await readFile(out)).toString('latin1'))).toEqual({});

    // Moved away: no answers file, and the manifest's note names both places looked.
    await rename(recorded, join(work.path, 'moved.yaml'));
    try {
      const without = join(elsewhere, 'without.tar.gz');
      const gone = await bundleFrom(without);
      expect(gone.code, gone.stderr).toBe(0);
      expect(gone.stdout.replace(/\s+/g, ' ')).toContain(
        `Note: No answers file: none was given with --config, and none of lab was found (looked for ${recorded} and lab.answers.yaml).`,
      );
      expect((await run('tar', ['-tzf', without])).stdout).not.toContain('answers.yaml');
    } finally {
      await rename(join(work.path, 'moved.yaml'), recorded);
    }
  });

  it('refuses to replace an existing file unless --force, and says the same in NDJSON', async () => {
    const out = join(work.path, 'taken.tar.gz');
    await writeFile(out, 'not mine to replace');
    const refused = await supportBundle(out, '--endpoint-url', moto.endpoint);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${out} already exists`);
    expect(refused.stderr).toContain('--force');
    expect(await readFile(out, 'utf8')).toBe('not mine to replace');

    const forced = await supportBundle(out, '--endpoint-url', moto.endpoint, '--force', '--output', 'json');
    expect(forced.code, forced.stderr).toBe(0);
    const events = forced.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events.map((event) => event.type)).toEqual(['run.started', 'support.bundle', 'run.completed']);
    expect(events[1]).toMatchObject({
      path: out,
      aws: { reached: true },
      files: expect.arrayContaining(['manifest.json']),
    });
    expect(events[1].redactions).toEqual(
      expect.arrayContaining([{ kind: 'secret answer', count: expect.any(Number) }]),
    );
    expect(leaks(forced.stdout)).toEqual({});
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    await run('tar', ['-tzf', out]);
    // No temp file was left beside it.
    expect((await readdir(work.path)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
