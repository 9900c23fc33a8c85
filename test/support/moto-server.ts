import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { freePort } from './free-port.ts';
import { startMotoGapsProxy } from './moto-gaps-proxy.ts';

/**
 * Starts moto's server on a free loopback port for one test file and stops it afterwards. Clients
 * reach it through the proxy that fills moto's known gaps (moto-gaps-proxy.ts): `endpoint` is the
 * proxy's.
 *
 * moto is looked up as `$MOTO_SERVER`, then `.venv/bin/moto_server` (where `.ci/run` installs it on a
 * machine that lacks it), then `moto_server` on PATH.
 */
export interface MotoServer {
  readonly endpoint: string;
  readonly port: number;
  /** Wipes every service's state, as `POST /moto-api/reset`. */
  reset(): Promise<void>;
  /**
   * With IAM enforcement (INITIAL_NO_AUTH_ACTION_COUNT in `env`): the next `count` calls go unchecked
   * again, as moto's `POST /moto-api/reset-auth` sets them; after them every call is checked.
   */
  resetAuth(count: number): Promise<void>;
  /** With IAM enforcement: the credentials the gaps proxy signs its own calls with. */
  signProxyCallsWith(credentials: { accessKeyId: string; secretAccessKey: string }): void;
  stop(): Promise<void>;
}

const projectRoot = resolve(import.meta.dirname, '..', '..');

function findMotoServer(): string {
  const candidates = [
    process.env.MOTO_SERVER,
    join(projectRoot, '.venv', 'bin', 'moto_server'),
    ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'moto_server')),
  ];
  for (const candidate of candidates) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  throw new Error(
    'moto_server was not found (looked at $MOTO_SERVER, .venv/bin/moto_server and PATH). ' +
      'Install it with: python3 -m venv .venv && .venv/bin/pip install "moto[server]"',
  );
}

export async function startMotoServer(env: Record<string, string> = {}): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(findMotoServer(), ['-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));

  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited early:\n${stderr}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto_server did not answer on ${endpoint} within 90 s:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  // With enforcement moto checks signatures, which cover the Host header the client signed.
  const proxy = await startMotoGapsProxy(endpoint, {
    keepHost: env.INITIAL_NO_AUTH_ACTION_COUNT !== undefined,
  });
  return {
    endpoint: proxy.endpoint,
    port: Number(new URL(proxy.endpoint).port),
    async reset() {
      await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
    },
    async resetAuth(count) {
      const answer = await fetch(`${endpoint}/moto-api/reset-auth`, { method: 'POST', body: String(count) });
      if (!answer.ok) throw new Error(`moto refused reset-auth: HTTP ${answer.status}`);
    },
    signProxyCallsWith(credentials) {
      proxy.signOwnCallsWith(credentials);
    },
    async stop() {
      await proxy.stop();
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
