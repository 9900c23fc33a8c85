import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A real terminal for end-to-end tests: the command runs in a detached tmux session; the test types
 * with send-keys and reads the screen with capture-pane, as an operator would.
 */
export interface TmuxTerminal {
  screen(): Promise<string>;
  /** Only what is on the screen now, the window's rows: none of the scrollback. */
  visible(): Promise<string>;
  /** The screen with its colours and attributes, as SGR escape sequences (capture-pane -e). */
  styled(): Promise<string>;
  /** Everything the terminal printed, from the top of its scrollback (wrapped lines joined). */
  scrollback(): Promise<string>;
  /** Sends tmux key names (`Enter`, `Down`, `C-c`) or literal text (`{ text: 'abc' }`). */
  press(...keys: Array<string | { text: string }>): Promise<void>;
  waitFor(pattern: string | RegExp | ((screen: string) => boolean), timeoutMs?: number): Promise<string>;
  kill(): Promise<void>;
}

/**
 * What an operator's terminal gives the CLI in these tests, and nothing else: PATH, a HOME of the
 * test's own, a colour terminal and the fake credentials the emulators accept; `more` adds to it.
 */
export function operatorEnv(home: string, more: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: home,
    TERM: 'xterm-256color',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    ...more,
  };
}

export async function openTmuxTerminal(
  command: string,
  options: { cwd: string; env: Record<string, string>; width?: number; height?: number },
): Promise<TmuxTerminal> {
  const session = `sg-${randomUUID().slice(0, 8)}`;
  // `env -i` so the terminal sees exactly the environment the test chose (no CI, no AWS profile).
  const environment = Object.entries(options.env).map(([key, value]) => `${key}=${shellQuote(value)}`);
  // The exit code is printed as a shell's prompt is, on one line with the cursor left on it: what is
  // on screen above it is what an operator reads with the prompt under the output.
  const script = `cd ${shellQuote(options.cwd)} && env -i ${environment.join(' ')} ${command}; printf 'EXIT=%s' "$?"; sleep 600`;
  // A tmux server of its own per terminal (-L): tests in parallel never race one server's shutdown.
  const tmux = (args: string[]) => run('tmux', ['-L', session, ...args]);
  // Room for a whole run's scrollback (set before the pane exists), so a test can read every line.
  await tmux([
    'start-server',
    ';',
    'set-option',
    '-g',
    'history-limit',
    '50000',
    ';',
    'new-session',
    '-d',
    '-s',
    session,
    '-x',
    String(options.width ?? 140),
    '-y',
    String(options.height ?? 50),
    script,
  ]);

  const screen = async (): Promise<string> =>
    (await tmux(['capture-pane', '-p', '-J', '-S', '-200', '-t', session])).stdout;
  return {
    screen,
    visible: async () => (await tmux(['capture-pane', '-p', '-J', '-t', session])).stdout,
    styled: async () => (await tmux(['capture-pane', '-p', '-e', '-J', '-S', '-200', '-t', session])).stdout,
    scrollback: async () => (await tmux(['capture-pane', '-p', '-J', '-S', '-', '-t', session])).stdout,
    async press(...keys) {
      for (const key of keys) {
        await tmux(
          typeof key === 'string'
            ? ['send-keys', '-t', session, key]
            : ['send-keys', '-t', session, '-l', '--', key.text],
        );
      }
    },
    async waitFor(pattern, timeoutMs = 90_000) {
      const deadline = Date.now() + timeoutMs;
      let last = '';
      while (Date.now() < deadline) {
        last = await screen();
        if (matches(pattern, last)) return last;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`Timed out waiting for ${String(pattern)}. The screen showed:\n${last}`);
    },
    async kill() {
      await tmux(['kill-server']).catch(() => undefined);
    },
  };
}

function matches(pattern: string | RegExp | ((screen: string) => boolean), screen: string): boolean {
  if (typeof pattern === 'string') return screen.includes(pattern);
  return typeof pattern === 'function' ? pattern(screen) : pattern.test(screen);
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}
