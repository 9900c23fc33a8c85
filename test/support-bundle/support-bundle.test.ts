import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IdentityPort } from '../../src/aws/identity-port.ts';
import { loadBlueprint } from '../../src/blueprint/load-blueprint.ts';
import { supportBundleCommand } from '../../src/commands/support-bundle-command.ts';
import { StackguideError } from '../../src/errors.ts';
import { Journal } from '../../src/journal/journal.ts';
import {
  type BundleEntry,
  gatherSupportBundle,
  type SupportBundleInput,
} from '../../src/support/support-bundle.ts';
import { writeArchive } from '../../src/support/write-archive.ts';
import { FakeCloudFormationPort } from '../support/fake-cloudformation-port.ts';
import { projectRoot } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

// The bundle's contents and the archive writer in the test process, on a journal and event log
// written by the real Journal, with fake ports for AWS: what goes in when AWS answers, when it does
// not, and when the local parts are missing or broken.

const blueprintDir = join(projectRoot, 'test', 'fixtures', 'blueprints', 'support-bundle');
const DB_PASSWORD = 'Db-Inline-5b2e8c41a9';
const REGISTRY_PASSWORD = 'Hub-Inline-0d7f3a92b6';

let work: { path: string; remove: () => Promise<void> };
beforeEach(async () => {
  work = await tempDir();
});
afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  await work.remove();
});

const identity: IdentityPort = {
  whoAmI: async () => ({ account: '123456789012', arn: 'arn:aws:iam::123456789012:user/op', userId: 'U' }),
};

/** A deployment `lab` whose install failed: its stack rolled back, the reason quoting the secret. */
async function failedInstall(stateDir: string): Promise<{ cloudFormation: FakeCloudFormationPort }> {
  const cloudFormation = new FakeCloudFormationPort();
  const stackId = cloudFormation.addStack('lab-main', 'ROLLBACK_COMPLETE');
  const stack = cloudFormation.stacks.get(stackId);
  if (stack) stack.statusReason = 'The following resource(s) failed to create: [Database]';
  cloudFormation.addEvent(stackId, 'Database', 'AWS::RDS::DBInstance', 'CREATE_FAILED', new Date(1_000), {
    reason: `MasterUserPassword "${DB_PASSWORD}" is not valid`,
  });
  const journal = await Journal.open(stateDir, {
    blueprint: { id: 'bundle-lab', version: '1.2.0' },
    deployment: 'lab',
    region: 'us-east-1',
  });
  await journal.begin('install');
  await journal.recordStack('main', { name: 'lab-main', stackId, status: 'ROLLBACK_COMPLETE' });
  await journal.appendEvent({
    type: 'stack.failed',
    stack: 'lab-main',
    stackId,
    status: 'ROLLBACK_COMPLETE',
    message: 'lab-main did not reach CREATE_COMPLETE',
    rootCause: {
      stackName: 'lab-main',
      logicalResourceId: 'Database',
      resourceType: 'AWS::RDS::DBInstance',
      status: 'CREATE_FAILED',
      reason: `MasterUserPassword "${DB_PASSWORD}" is not valid`,
    },
  });
  await journal.finish('failed');
  await journal.flush();
  return { cloudFormation };
}

async function input(overrides: Partial<SupportBundleInput>): Promise<SupportBundleInput> {
  return {
    stateDir: join(work.path, 'state'),
    deployment: 'lab',
    region: 'us-east-1',
    blueprint: await loadBlueprint(blueprintDir),
    answersPath: undefined,
    env: { STACKGUIDE_SECRET_DBPASSWORD: DB_PASSWORD },
    sharedFiles: [],
    aws: undefined,
    toolVersion: '9.9.9',
    nodeVersion: 'v24.0.0',
    now: new Date('2026-12-03T10:00:00.123Z'),
    ...overrides,
  };
}

const entry = (entries: readonly BundleEntry[], path: string) =>
  entries.find((e) => e.path === path)?.text ?? '';

describe('gatherSupportBundle', () => {
  it('puts in the failed run, the root cause and the failed stack, every copy of the secret redacted', async () => {
    const stateDir = join(work.path, 'state');
    const { cloudFormation } = await failedInstall(stateDir);
    const bundle = await gatherSupportBundle(await input({ aws: () => ({ cloudFormation, identity }) }));

    expect(bundle.folder).toBe('stackguide-support-lab-20261203T100000Z');
    expect(bundle.entries.map((e) => e.path)).toEqual([
      'journal/state.json',
      'journal/events.ndjson',
      'aws/stacks.json',
      'aws/stack-events.json',
      'last-error.json',
      'versions.json',
      'manifest.json',
    ]);
    for (const { path, text } of bundle.entries) expect(text, path).not.toContain(DB_PASSWORD);
    const lastError = JSON.parse(entry(bundle.entries, 'last-error.json'));
    expect(lastError.run).toMatchObject({ command: 'install', status: 'failed' });
    expect(lastError.event).toMatchObject({
      type: 'stack.failed',
      rootCause: { reason: 'MasterUserPassword "[redacted: secret answer]" is not valid' },
    });
    expect(lastError.stacks).toEqual([
      {
        name: 'lab-main',
        status: 'ROLLBACK_COMPLETE',
        reason: 'The following resource(s) failed to create: [Database]',
      },
    ]);
    const events = JSON.parse(entry(bundle.entries, 'aws/stack-events.json'));
    expect(events['lab-main'][0].reason).toBe('MasterUserPassword "[redacted: secret answer]" is not valid');
    // In the event log, in last-error.json and in the stack events from AWS.
    expect(bundle.redactions).toEqual([{ kind: 'secret answer', count: 3 }]);
    expect(bundle.aws).toEqual({ reached: true, stacks: 1, events: 1 });
    expect(bundle.notes).toEqual([expect.stringContaining('No answers file')]);
    const manifest = JSON.parse(entry(bundle.entries, 'manifest.json'));
    expect(manifest.files.map((f: { path: string }) => f.path)).toEqual(
      bundle.entries.map((e) => e.path).filter((path) => path !== 'manifest.json'),
    );
    expect(JSON.parse(entry(bundle.entries, 'versions.json'))).toMatchObject({
      stackguide: '9.9.9',
      blueprint: { id: 'bundle-lab', version: '1.2.0' },
      node: 'v24.0.0',
    });
  });

  it('says why AWS is missing: no region, or the first call refused, and keeps the local parts', async () => {
    const stateDir = join(work.path, 'state');
    const { cloudFormation } = await failedInstall(stateDir);
    const noRegion = await gatherSupportBundle(await input({ region: undefined }));
    expect(noRegion.aws).toEqual({
      reached: false,
      reason: 'no region is known for the deployment',
      stacks: 0,
      events: 0,
    });
    expect(noRegion.entries.map((e) => e.path)).not.toContain('aws/stacks.json');

    cloudFormation.failNext(
      new StackguideError(`AWS refused the key ${'AKIAIOSFODNN7EXAMPLE'}`, {
        code: 'aws.credentials',
        kind: 'user',
      }),
    );
    const refused = await gatherSupportBundle(await input({ aws: () => ({ cloudFormation, identity }) }));
    expect(refused.aws).toMatchObject({
      reached: false,
      reason: 'aws.credentials: AWS refused the key [redacted: access key id]',
    });
    expect(refused.notes.join('\n')).toContain('AWS was not reached (aws.credentials');
    expect(JSON.parse(entry(refused.entries, 'last-error.json')).stacks).toEqual([]);

    const plain = await gatherSupportBundle(
      await input({
        aws: () => ({
          cloudFormation,
          identity: { whoAmI: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:9')) },
        }),
      }),
    );
    expect(plain.aws.reason).toBe('connect ECONNREFUSED 127.0.0.1:9');
  });

  it('stops on Ctrl+C instead of calling it "AWS not reached"', async () => {
    const controller = new AbortController();
    controller.abort();
    const cancelled = new StackguideError('Interrupted', { code: 'cancelled', kind: 'cancelled' });
    await expect(
      gatherSupportBundle(
        await input({
          signal: controller.signal,
          aws: () => ({
            cloudFormation: new FakeCloudFormationPort(),
            identity: { whoAmI: () => Promise.reject(cancelled) },
          }),
        }),
      ),
    ).rejects.toBe(cancelled);
  });

  it('replaces secret keys of the answers file by their kind, and redacts one that is not YAML as text', async () => {
    const answersPath = join(work.path, 'lab.answers.yaml');
    await writeFile(
      answersPath,
      [
        '# the operator wrote secrets in',
        'blueprint: bundle-lab',
        'deployment: lab',
        'answers:',
        `  dbPassword: ${DB_PASSWORD}`,
        '  apiToken: tok-Inline-8c1d2e3f4a',
        'steps:',
        '  dockerhub:',
        '    username: builder',
        `    password: ${REGISTRY_PASSWORD}`,
        '',
      ].join('\n'),
    );
    const bundle = await gatherSupportBundle(await input({ answersPath, env: {} }));
    const answers = entry(bundle.entries, 'answers.yaml');
    expect(answers).toContain('# the operator wrote secrets in');
    expect(answers).toContain('dbPassword: "[redacted: secret answer]"');
    expect(answers).toContain('apiToken: "[redacted: sensitive answer]"');
    expect(answers).toContain('password: "[redacted: registry password]"');
    expect(answers).toContain('username: builder');
    expect(bundle.redactions).toEqual([
      { kind: 'registry password', count: 1 },
      { kind: 'secret answer', count: 1 },
      { kind: 'sensitive answer', count: 1 },
    ]);
    // Neither journal nor event log: the manifest says so.
    expect(bundle.notes).toEqual(
      expect.arrayContaining([
        expect.stringContaining('No journal at'),
        expect.stringContaining('No event log at'),
      ]),
    );

    await writeFile(answersPath, `answers: [\n  dbPassword: ${DB_PASSWORD}\n`);
    const broken = await gatherSupportBundle(
      await input({ answersPath, blueprint: undefined, blueprintProblem: 'no blueprint.yaml' }),
    );
    expect(entry(broken.entries, 'answers.yaml')).toBe(
      'answers: [\n  dbPassword: [redacted: secret answer]\n',
    );
    expect(broken.notes).toEqual(
      expect.arrayContaining([
        expect.stringContaining('The blueprint did not load (no blueprint.yaml)'),
        'The answers file is not valid YAML: it is included as text, redacted.',
      ]),
    );
    expect(JSON.parse(entry(broken.entries, 'versions.json')).blueprint).toEqual({
      problem: 'no blueprint.yaml',
    });

    const missing = await gatherSupportBundle(await input({ answersPath: join(work.path, 'gone.yaml') }));
    expect(missing.notes).toContain(`The answers file ${join(work.path, 'gone.yaml')} could not be read.`);

    // None found without --config: the note says where bundle-target looked, and what a file there is for.
    const looked = await gatherSupportBundle(
      await input({
        answersLooked: {
          path: undefined,
          looked: ['/srv/answers.yaml', 'lab.answers.yaml'],
          others: [{ path: '/srv/answers.yaml', deployment: 'lab', region: 'eu-west-1' }],
        },
      }),
    );
    expect(looked.notes).toContain(
      'No answers file: none was given with --config, and none of lab was found (looked for /srv/answers.yaml (for lab in eu-west-1) and lab.answers.yaml).',
    );
  });

  it('bundles a corrupt journal as it is, says it does not read, and asks AWS about the stacks the log names', async () => {
    const stateDir = join(work.path, 'state');
    const { cloudFormation } = await failedInstall(stateDir);
    await writeFile(join(stateDir, 'lab', 'state.json'), '{"schemaVersion": 2, "deploy');
    const bundle = await gatherSupportBundle(await input({ aws: () => ({ cloudFormation, identity }) }));
    expect(entry(bundle.entries, 'journal/state.json')).toBe('{"schemaVersion": 2, "deploy');
    expect(bundle.notes.join('\n')).toContain('The journal does not read: The journal');
    // The log's stack.failed named lab-main with its id: AWS is asked by that id.
    expect(JSON.parse(entry(bundle.entries, 'aws/stacks.json')).stacks).toEqual([
      expect.objectContaining({ name: 'lab-main', status: 'ROLLBACK_COMPLETE' }),
    ]);
    expect(cloudFormation.calls[0]).toEqual({
      method: 'describeStack',
      arg: expect.stringContaining('stack/lab-main/'),
    });
    expect(JSON.parse(entry(bundle.entries, 'last-error.json')).run).toBeNull();
  });

  it('puts in only the tail of a long event log, and still finds the stacks and the last error in all of it', async () => {
    const stateDir = join(work.path, 'state');
    const { cloudFormation } = await failedInstall(stateDir);
    // The journal is gone: the stack is known only from the stack.failed line, which the tail leaves out.
    await writeFile(join(stateDir, 'lab', 'state.json'), '{"schemaVersion": 2, "deploy');
    const log = join(stateDir, 'lab', 'events.ndjson');
    const heartbeat = `{"type":"heartbeat","status":"waiting","note":"${'h'.repeat(80)}"}`;
    await writeFile(log, `${await readFile(log, 'utf8')}${`${heartbeat}\n`.repeat(200)}`);
    const bundle = await gatherSupportBundle(
      await input({ aws: () => ({ cloudFormation, identity }), eventLogTailBytes: 2048 }),
    );
    const kept = entry(bundle.entries, 'journal/events.ndjson');
    expect(Buffer.byteLength(kept)).toBeLessThanOrEqual(2048);
    expect(
      kept
        .split('\n')
        .filter(Boolean)
        .every((line) => line === heartbeat),
    ).toBe(true);
    expect(bundle.notes.join('\n')).toMatch(
      /The event log is \d+ KiB: only its last 2 KiB are in \(\d+ earlier line\(s\) left out, the limit is 2 KiB\); the stacks and the last error were looked for in all of it\./,
    );
    expect(JSON.parse(entry(bundle.entries, 'aws/stacks.json')).stacks).toEqual([
      expect.objectContaining({ name: 'lab-main', status: 'ROLLBACK_COMPLETE' }),
    ]);
    expect(JSON.parse(entry(bundle.entries, 'last-error.json')).event).toMatchObject({
      type: 'stack.failed',
      rootCause: { reason: 'MasterUserPassword "[redacted: secret answer]" is not valid' },
    });
    for (const { path, text } of bundle.entries) expect(text, path).not.toContain(DB_PASSWORD);
  });

  it('takes the credentials of the shared files and the environment as values to redact', async () => {
    const credentials = join(work.path, 'credentials');
    await writeFile(
      credentials,
      '[vendor]\naws_access_key_id = AKIDSHAREDKEY0000001\naws_secret_access_key = shared/Secret+Key/0123456789abcdefghijkl\nregion = us-east-1\n',
    );
    const dir = join(work.path, 'state', 'lab');
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, 'events.ndjson'),
      `${JSON.stringify({ type: 'warning', code: 'x', message: 'keys AKIDSHAREDKEY0000001 shared/Secret+Key/0123456789abcdefghijkl tok-Env-Session-123456 Hub-Env-Password-77' })}\n`,
    );
    const bundle = await gatherSupportBundle(
      await input({
        sharedFiles: [credentials, join(work.path, 'no-such-config')],
        env: {
          AWS_SESSION_TOKEN: 'tok-Env-Session-123456',
          STACKGUIDE_SECRET_DOCKERHUB_PASSWORD: 'Hub-Env-Password-77',
          UNRELATED: 'Hub-Env',
        },
      }),
    );
    expect(JSON.parse(entry(bundle.entries, 'journal/events.ndjson')).message).toBe(
      'keys [redacted: access key id] [redacted: secret access key] [redacted: session token] [redacted: registry password]',
    );
  });
});

describe('writeArchive', () => {
  const entries: BundleEntry[] = [{ path: 'a/b.txt', text: 'hello', description: 'a file' }];

  it('writes 0600, refuses an existing file without force, replaces it with force', async () => {
    const out = join(work.path, 'out', 'bundle.tar.gz');
    const { bytes } = await writeArchive(out, 'top', entries, { force: false });
    expect(bytes).toBe((await stat(out)).size);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    const before = await readFile(out);
    await expect(writeArchive(out, 'top', entries, { force: false })).rejects.toMatchObject({
      code: 'support.exists',
      exitCode: 2,
    });
    expect(await readFile(out)).toEqual(before);
    await writeArchive(out, 'top', [{ path: 'c.txt', text: 'other', description: '' }], { force: true });
    expect(await readFile(out)).not.toEqual(before);
  });

  it('says it could not write, and leaves no temp file, when the folder cannot hold it', async () => {
    const blocker = join(work.path, 'file');
    await writeFile(blocker, '');
    await expect(
      writeArchive(join(blocker, 'bundle.tar.gz'), 'top', entries, { force: true }),
    ).rejects.toMatchObject({
      code: 'support.write',
      exitCode: 1,
    });
  });
});

describe('supportBundleCommand', () => {
  it('picks the deployment written last in the state folder, and prints the report on stdout', async () => {
    const stateDir = join(work.path, 'state');
    await failedInstall(stateDir);
    const out = join(work.path, 'b.tar.gz');
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    vi.stubEnv('STACKGUIDE_SECRET_DBPASSWORD', DB_PASSWORD);
    // No region: the AWS part is left out without a call.
    await writeFile(join(stateDir, 'lab', 'state.json'), '{"deployment":"lab"}');
    const code = await supportBundleCommand({ out, stateDir, blueprint: blueprintDir });
    expect(code).toBe(0);
    const text = written.join('');
    expect(text).toContain(`Support bundle of lab written to ${out}`);
    expect(text).toContain('AWS: not reached (no region is known for the deployment)');
    expect(text).toMatch(/^Redacted before writing \(2\): secret answer ×2$/m);
    expect(text).toContain('Note: No answers file');
  });

  it('refuses without --out, with a name that leaves the state folder, with none there, or a name not there', async () => {
    const stateDir = join(work.path, 'state');
    await expect(supportBundleCommand({ stateDir, blueprint: blueprintDir })).rejects.toMatchObject({
      code: 'usage.out',
    });
    const out = join(work.path, 'b.tar.gz');
    await expect(
      supportBundleCommand({ out, stateDir, name: '../etc', blueprint: blueprintDir }),
    ).rejects.toMatchObject({ code: 'usage.name', exitCode: 2 });
    await expect(supportBundleCommand({ out, stateDir, blueprint: blueprintDir })).rejects.toMatchObject({
      code: 'answers.missing',
      exitCode: 2,
    });
    await expect(
      supportBundleCommand({ out, stateDir, name: 'nope', blueprint: join(work.path, 'no-blueprint') }),
    ).rejects.toMatchObject({ code: 'support.no-deployment', exitCode: 2 });
    const answers = join(work.path, 'other.answers.yaml');
    await writeFile(answers, "deployment: 'other'\nregion: us-west-2\n");
    await expect(
      supportBundleCommand({ out, stateDir, config: answers, blueprint: blueprintDir }),
    ).rejects.toMatchObject({ code: 'support.no-deployment', message: expect.stringContaining('other') });
  });
});
