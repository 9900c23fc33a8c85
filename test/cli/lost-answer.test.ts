import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScenarioServer, startScenarioServer } from '../scenario-server/server.ts';
import { type GateProxy, startGateProxy } from '../support/gate-proxy.ts';
import { type MotoServer, startMotoServer } from '../support/moto-server.ts';
import { projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * A change set's execution whose answer is lost: CloudFormation executed it, the connection was reset
 * before the answer came back, and the SDK's retry is refused (the change set is executing already). The
 * install goes on and follows its own execution to the end; found by bench/faults.
 */
let moto: MotoServer;
let server: ScenarioServer;
let proxy: GateProxy;
let work: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  [moto, server, work] = await Promise.all([
    startMotoServer(),
    startScenarioServer({ speed: 20 }),
    tempDir(),
  ]);
  proxy = await startGateProxy(server.endpoint, {
    action: 'ExecuteChangeSet',
    occurrence: 1,
    when: 'reset-after',
  });
}, 120_000);
afterAll(async () => {
  await Promise.all([proxy?.stop(), server?.stop(), moto?.stop(), work?.remove()]);
});

describe('ExecuteChangeSet done by CloudFormation, its answer lost', () => {
  it('is not retried into a failure: the install follows the execution and exits 0', async () => {
    const result = await runCli(
      [
        'install',
        '--blueprint',
        join(projectRoot, 'blueprints', 'demo'),
        '--config',
        join(projectRoot, 'blueprints', 'demo', 'answers.yaml'),
        '--yes',
        '--state-dir',
        join(work.path, 'state'),
      ],
      {
        cwd: work.path,
        env: { CI: 'true', AWS_ENDPOINT_URL: moto.endpoint, AWS_ENDPOINT_URL_CLOUDFORMATION: proxy.endpoint },
        timeoutMs: 120_000,
      },
    );
    // Three executions reached CloudFormation: the data stack's, its retry after the reset (refused:
    // executing already), and the app stack's.
    expect(server.calls.filter((call) => call.action === 'ExecuteChangeSet')).toHaveLength(3);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('demo-data: CREATE_COMPLETE');
    expect(result.stderr).toContain('demo-app: CREATE_COMPLETE');
  });
});
