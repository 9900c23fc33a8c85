import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for Docker Hub's login endpoint (`POST /v2/users/login`, JSON `{ username,
 * password }`), as Docker Hub answers it:
 * - the right credentials: 200 `{ "token": "<jwt>" }`;
 * - wrong ones: 401 `{ "detail": "Incorrect authentication credentials" }`;
 * - the right password of an account with two-factor authentication: 401 `{ "detail": "Require secondary
 *   authentication on MFA enabled account", "login_2fa_token": "<jwt>" }`;
 * - a body that is not JSON or lacks a field: 400.
 * A test can queue a status (`failNext`, e.g. 429 or 503). Requests are recorded by username only: the
 * stand-in compares passwords but keeps none. Reached by pointing the step's `verifyLoginUrl` or
 * STACKGUIDE_REGISTRY_LOGIN_URL at `loginUrl`.
 */
export interface RegistryLoginStandIn {
  readonly loginUrl: string;
  /** Usernames of the login attempts, in order. */
  readonly attempts: readonly string[];
  addUser(username: string, password: string, options?: { twoFactor?: boolean }): void;
  failNext(status: number): void;
  reset(): void;
  stop(): Promise<void>;
}

export async function startRegistryLoginStandIn(): Promise<RegistryLoginStandIn> {
  const users = new Map<string, { password: string; twoFactor: boolean }>();
  const attempts: string[] = [];
  const failures: number[] = [];

  const server = createServer((request, response) => {
    void handle(request, response).catch(() => send(response, 500, { detail: 'Internal error' }));
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const text = await readBody(request);
    if (request.method !== 'POST' || request.url !== '/v2/users/login') {
      send(response, 404, { detail: 'Not found' });
      return;
    }
    let body: { username?: unknown; password?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      send(response, 400, { detail: 'JSON parse error' });
      return;
    }
    if (typeof body.username !== 'string' || typeof body.password !== 'string') {
      send(response, 400, { detail: 'username and password are required' });
      return;
    }
    attempts.push(body.username);
    const failure = failures.shift();
    if (failure !== undefined) {
      send(response, failure, { detail: `HTTP ${failure}` });
      return;
    }
    const user = users.get(body.username);
    if (!user || user.password !== body.password) {
      send(response, 401, { detail: 'Incorrect authentication credentials' });
      return;
    }
    if (user.twoFactor) {
      send(response, 401, {
        detail: 'Require secondary authentication on MFA enabled account',
        login_2fa_token: 'eyJ.2fa.token',
      });
      return;
    }
    send(response, 200, { token: 'eyJ.session.token' });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    loginUrl: `http://127.0.0.1:${port}/v2/users/login`,
    attempts,
    addUser(username, password, options) {
      users.set(username, { password, twoFactor: options?.twoFactor ?? false });
    },
    failNext: (status) => failures.push(status),
    reset() {
      users.clear();
      attempts.length = 0;
      failures.length = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
}
