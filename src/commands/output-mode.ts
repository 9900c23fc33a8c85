import type { CommonOptions } from './common-options.ts';

/**
 * Who may talk to the operator. Interactive only with a terminal on both ends, no CI, no TERM=dumb, no
 * --no-input and no --output json; everything else is plain lines on stderr (and NDJSON on stdout for
 * json).
 */
export interface OutputMode {
  interactive: boolean;
  json: boolean;
}

/**
 * A CI job: `CI` or `CONTINUOUS_INTEGRATION` set to anything but empty, `false` or `0`. The one rule
 * for the whole CLI: the screens it mounts tell Ink they are interactive rather than let Ink apply its
 * own (which counts an empty `CI` as CI: it drew nothing while the review waited for a key).
 */
export function runsInCi(env: Readonly<Record<string, string | undefined>>): boolean {
  return ['CI', 'CONTINUOUS_INTEGRATION'].some((name) => {
    const value = env[name];
    return value !== undefined && value !== '' && value !== 'false' && value !== '0';
  });
}

export function decideOutputMode(
  options: CommonOptions,
  env: Readonly<Record<string, string | undefined>>,
  terminal: { stdin: boolean; stderr: boolean },
): OutputMode {
  const json = options.output === 'json';
  const inCi = runsInCi(env);
  // A terminal that says it cannot move the cursor (Emacs shell, some CI log viewers) gets plain lines:
  // a live view there would be escape codes.
  const dumb = env.TERM === 'dumb';
  return {
    json,
    interactive: !json && options.input !== false && !inCi && !dumb && terminal.stdin && terminal.stderr,
  };
}

/**
 * Whether a pager may hold the screen the plain lines would be written over: a command whose results go
 * to stdout (`destroy --dry-run`, `preflight`) piped (`| less`) while stderr is still the terminal.
 * Then stderr takes warnings only (trial finding 98: "[     0s] succeeded" was drawn over less's
 * prompt); an error is still said (main writes it), a file (`> plan.txt`) leaves the screen free.
 */
export function pagerMayHoldScreen(
  mode: OutputMode,
  streams: { resultsOnStdout: boolean; stdoutIsPipe: boolean; stderrIsTerminal: boolean },
): boolean {
  return !mode.json && streams.resultsOnStdout && streams.stdoutIsPipe && streams.stderrIsTerminal;
}
