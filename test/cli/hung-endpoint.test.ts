import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { type RecordingProxy, startRecordingProxy } from '../support/recording-proxy.ts';
import { projectRoot, runCli, startCli } from '../support/run-cli.ts';
import { type SilentEndpoint, startSilentEndpoint } from '../support/silent-endpoint.ts';
import { tempDir } from '../support/temp-dir.ts';

const demo = join(projectRoot, 'blueprints', 'demo');
const answers = join(demo, 'answers.yaml');

let silent: SilentEndpoint;
let work: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  silent = await startSilentEndpoint();
  work = await tempDir();
});
afterAll(async () => {
  await silent?.stop();
  await work?.remove();
});

describe('an endpoint that accepts connections and never answers', () => {
  it('ends every command within its call deadline with exit 124, naming the call and the resume command', async () => {
    const connection = ['--endpoint-url', silent.endpoint, '--state-dir', join(work.path, 'state')];
    const where = ['--blueprint', demo, '--name', 'demo', '--region', 'us-east-1'];
    const runs = {
      install: ['install', '--blueprint', demo, '--config', answers, '--yes'],
      status: ['status', ...where],
      watch: ['watch', ...where],
      preflight: ['preflight', '--blueprint', demo, '--config', answers],
      upgrade: ['upgrade', ...where, '--config', answers, '--yes'],
      destroy: ['destroy', ...where, '--confirm', 'demo'],
    };
    const started = Date.now();
    const results = await Promise.all(
      Object.entries(runs).map(async ([command, args]) => {
        // The deadline from the flag for some commands, from the environment for the others.
        const byFlag = command === 'install' || command === 'status' || command === 'destroy';
        const result = await runCli(
          [...args, ...connection, '--read-timeout', '1', ...(byFlag ? ['--call-deadline', '4'] : [])],
          { cwd: work.path, env: byFlag ? {} : { STACKGUIDE_CALL_DEADLINE: '4' } },
        );
        return { command, ...result };
      }),
    );
    for (const result of results) {
      expect({ command: result.command, code: result.code }).toEqual({ command: result.command, code: 124 });
      expect(result.stderr).toMatch(/AWS did not answer within 4 s \(waiting for \w+ \w+\)/);
      expect(result.stderr).toContain('with --endpoint-url or AWS_ENDPOINT_URL that the endpoint is up');
      expect(result.stderr).toContain(`Then resume: stackguide ${result.command} --blueprint ${demo}`);
    }
    // Six runs side by side, each given 4 s of silence: far below the default deadline's 100 s.
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('refuses a timeout that is not a number of seconds before any AWS call', async () => {
    const result = await runCli(['status', '--blueprint', demo, '--name', 'demo', '--region', 'us-east-1'], {
      cwd: work.path,
      env: { STACKGUIDE_READ_TIMEOUT: 'soon', AWS_ENDPOINT_URL: silent.endpoint },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('STACKGUIDE_READ_TIMEOUT must be a number of seconds');
  });

  it('stops at once on Ctrl+C while a call hangs, with the default timeouts', async () => {
    const before = silent.connections;
    const run = startCli(['status', '--blueprint', demo, '--name', 'demo', '--region', 'us-east-1'], {
      cwd: work.path,
      env: { AWS_ENDPOINT_URL: silent.endpoint },
    });
    await silent.connected(before + 1);
    const sent = Date.now();
    run.child.kill('SIGINT');
    const ended = await run.result;
    expect(ended.code).toBe(130);
    expect(ended.endedAt - sent).toBeLessThan(2_000);
    expect(ended.stderr).toContain('Interrupted');
  });
});

describe('SIGTERM during a hung call', () => {
  let moto: MotoServer;
  let proxy: RecordingProxy;
  beforeAll(async () => {
    moto = await startMotoServer();
    // Everything reaches moto except the change set, which hangs: the run is well past its journal.
    proxy = await startRecordingProxy(moto.endpoint, { hold: ['CreateChangeSet'] });
  });
  afterAll(async () => {
    await proxy?.stop();
    await moto?.stop();
  });

  it('is a Ctrl+C nobody answers: stops at once, exit 143, run.completed in the NDJSON and in the event log', async () => {
    const stateDir = join(work.path, 'term-state');
    const run = startCli(
      [
        'install',
        '--blueprint',
        demo,
        '--config',
        answers,
        '--yes',
        '--output',
        'json',
        '--endpoint-url',
        proxy.endpoint,
        '--state-dir',
        stateDir,
      ],
      { cwd: work.path },
    );
    await expect
      .poll(() => proxy.operations.some((operation) => operation.action === 'CreateChangeSet'), {
        timeout: 90_000,
        interval: 100,
      })
      .toBe(true);
    const sent = Date.now();
    run.child.kill('SIGTERM');
    const ended = await run.result;
    expect(ended.code).toBe(143);
    expect(ended.endedAt - sent).toBeLessThan(2_000);
    const events = ended.stdout
      .trim()
      .split('\n')
      .map(
        (line) => JSON.parse(line) as { type: string; code?: string; outcome?: string; exitCode?: number },
      );
    expect(events.slice(-2)).toMatchObject([
      { type: 'error', code: 'cancelled.terminated' },
      { type: 'run.completed', outcome: 'cancelled', exitCode: 143 },
    ]);
    expect(ended.stderr).toContain('Stopped by SIGTERM');
    // The journal's event log ends the same way: the error, then run.completed with 143.
    const log = await readFile(join(stateDir, 'demo', 'events.ndjson'), 'utf8');
    const logged = log
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; code?: string; exitCode?: number });
    expect(logged.slice(-2)).toMatchObject([
      { type: 'error', code: 'cancelled.terminated' },
      { type: 'run.completed', outcome: 'cancelled', exitCode: 143 },
    ]);
  });
});
