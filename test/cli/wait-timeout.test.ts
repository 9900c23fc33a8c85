import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScenarioServer, startScenarioServer } from '../scenario-server/server.ts';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * A stack operation that never ends (the scenario server's long-create, never released): --timeout ends
 * the wait with exit 124, says the operation goes on in AWS, and gives the commands that follow it and
 * pick the run up again.
 */
let moto: MotoServer;
let server: ScenarioServer;
let work: { path: string; remove: () => Promise<void> };
const blueprint = join(projectRoot, 'test', 'fixtures', 'blueprints', 'platform');

beforeAll(async () => {
  moto = await startMotoServer();
  server = await startScenarioServer({ scenarios: { default: 'long-create' }, speed: 5 });
  work = await tempDir();
});
afterAll(async () => {
  await server?.stop();
  await moto?.stop();
  await work?.remove();
});

describe('--timeout', () => {
  it('ends a wait that never ends with exit 124 and the exact commands that resume', async () => {
    const args = ['install', '--blueprint', blueprint, '--name', 'slow', '--region', 'us-east-1', '--yes'];
    const stateDir = ['--state-dir', join(work.path, 'state')];
    const started = Date.now();
    const result = await runCli([...args, ...stateDir, '--timeout', '20'], {
      cwd: work.path,
      env: { AWS_ENDPOINT_URL: moto.endpoint, AWS_ENDPOINT_URL_CLOUDFORMATION: server.endpoint, CI: 'true' },
      timeoutMs: 90_000,
    });
    expect(result.code, result.stderr).toBe(124);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(result.stderr).toContain(
      'Stopped waiting after 20s (--timeout): slow is still changing in AWS, and nothing was cancelled',
    );
    expect(result.stderr).toMatch(/Follow it: stackguide watch slow/);
    expect(result.stderr).toContain(
      `Pick the run up again (it resumes from its journal): stackguide ${[...args, ...stateDir, '--timeout', '20'].join(' ')}`,
    );
    const refused = await runCli([...args, '--timeout', 'soon'], { cwd: work.path });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--timeout soon is not a number of seconds');
  });
});
