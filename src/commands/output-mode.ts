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

export function decideOutputMode(
  options: CommonOptions,
  env: Readonly<Record<string, string | undefined>>,
  terminal: { stdin: boolean; stderr: boolean },
): OutputMode {
  const json = options.output === 'json';
  const inCi = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  // A terminal that says it cannot move the cursor (Emacs shell, some CI log viewers) gets plain lines:
  // a live view there would be escape codes.
  const dumb = env.TERM === 'dumb';
  return {
    json,
    interactive: !json && options.input !== false && !inCi && !dumb && terminal.stdin && terminal.stderr,
  };
}
