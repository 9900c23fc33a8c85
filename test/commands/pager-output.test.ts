import { describe, expect, it } from 'vitest';
import { pagerMayHoldScreen } from '../../src/commands/output-mode.ts';
import { attachPlainPrinter, warningsOnly } from '../../src/output/plain-printer.ts';
import { RunEvents } from '../../src/output/run-events.ts';

/**
 * `destroy --dry-run | less` (trial finding 98): the plan went to less, and the run's progress lines on
 * stderr were drawn over its screen ("[     0s] succeeded" on less's prompt row).
 */
describe('a pager reading the results', () => {
  const text = { interactive: true, json: false };
  const piped = { resultsOnStdout: true, stdoutIsPipe: true, stderrIsTerminal: true };

  it('holds the screen only when results go to a pipe and stderr is the terminal', () => {
    expect(pagerMayHoldScreen(text, piped)).toBe(true);
    // A file (`> plan.txt`), stderr redirected too, a command whose stdout is no result, NDJSON.
    expect(pagerMayHoldScreen(text, { ...piped, stdoutIsPipe: false })).toBe(false);
    expect(pagerMayHoldScreen(text, { ...piped, stderrIsTerminal: false })).toBe(false);
    expect(pagerMayHoldScreen(text, { ...piped, resultsOnStdout: false })).toBe(false);
    expect(pagerMayHoldScreen({ interactive: false, json: true }, piped)).toBe(false);
  });

  it('then lets only warnings through to stderr, not the progress lines', () => {
    const lines: string[] = [];
    const run = new RunEvents('destroy');
    attachPlainPrinter(run, { write: (line) => lines.push(line), now: () => 0, only: warningsOnly });
    run.emit({ type: 'run.started', command: 'destroy', blueprint: 'demo', region: 'us-east-1' });
    run.emit({
      type: 'identity.resolved',
      account: '123456789012',
      arn: 'arn:aws:iam::123456789012:user/ops',
      region: 'us-east-1',
    });
    run.emit({ type: 'warning', code: 'destroy.export-check-skipped', message: 'The order was not checked' });
    run.end(0);
    expect(lines).toEqual([expect.stringContaining('The order was not checked')]);
  });
});
