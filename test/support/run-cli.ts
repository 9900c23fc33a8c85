import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const projectRoot = resolve(import.meta.dirname, '..', '..');
export const cliPath = resolve(projectRoot, 'dist', 'cli.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI as a user would without a terminal: stdin is not a TTY, CI is unset unless given.
 * AWS credentials are fake ones the emulators accept.
 */
export function runCli(
  args: string[],
  options: { env?: Record<string, string | undefined>; cwd?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  return startCli(args, options).result;
}

/**
 * The CLI on one deployment in moto: each call runs the command `args` with the deployment's blueprint,
 * answers file and state folder, against moto's endpoint, from `cwd`.
 */
export function cliOnMoto(deployment: {
  endpoint: string;
  blueprint: string;
  answers: string;
  stateDir: string;
  cwd: string;
}): (...args: string[]) => Promise<CliResult> {
  const { endpoint, blueprint, answers, stateDir, cwd } = deployment;
  return (...args) =>
    runCli(
      [
        ...args,
        '--blueprint',
        blueprint,
        '--config',
        answers,
        '--endpoint-url',
        endpoint,
        '--state-dir',
        stateDir,
      ],
      { cwd },
    );
}

/** The same, as a child the test can signal while it runs; `endedAt` is when it exited. */
export function startCli(
  args: string[],
  options: { env?: Record<string, string | undefined>; cwd?: string; timeoutMs?: number } = {},
): { child: ChildProcess; result: Promise<CliResult & { endedAt: number }> } {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, ...fakeCredentials, ...options.env }))
    if (value !== undefined) env[key] = value;
  const child = spawn(process.execPath, [cliPath, ...args], {
    cwd: options.cwd ?? projectRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const result = new Promise<CliResult & { endedAt: number }>((done, fail) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 150_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr, endedAt: Date.now() });
    });
  });
  return { child, result };
}

const fakeCredentials = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_SESSION_TOKEN: undefined,
  AWS_PROFILE: undefined,
  AWS_REGION: undefined,
  AWS_DEFAULT_REGION: undefined,
  AWS_ENDPOINT_URL: undefined,
} as const;
