import { describe, expect, it } from 'vitest';
import type { StatusItem } from '../../src/events.ts';
import { statusWatchPrinter, type WatchRefresh } from '../../src/output/status-watch.ts';
import type { DeploymentStatus } from '../../src/status/deployment-status.ts';

/**
 * `status --watch` as an operator's 80-column terminal shows it (trial finding 43: a line per refresh,
 * twelve a minute, in the scrollback), and as a pipe receives it.
 */

const stack: StatusItem = {
  id: 'stack.demo-app',
  title: 'demo-app',
  state: 'healthy',
  summary: 'CREATE_COMPLETE',
};
const gone: StatusItem = { ...stack, state: 'needs-action', summary: 'does not exist' };
const statusOf = (item: StatusItem): DeploymentStatus => ({
  deployment: 'demo',
  region: 'us-east-1',
  stacks: [],
  steps: [],
  healthy: item.state === 'healthy',
  state: item.state,
  sections: [{ section: 'stacks', title: 'Stacks', state: item.state, items: [item] }],
});
const at = (seconds: number) => new Date(2026, 11, 3, 14, 32, seconds);
const refreshes: WatchRefresh[] = [
  { title: 'Demo', status: statusOf(stack), at: at(0), changed: undefined },
  { title: 'Demo', status: statusOf(stack), at: at(5), changed: [] },
  { title: 'Demo', status: statusOf(stack), at: at(10), changed: [] },
  { title: 'Demo', status: statusOf(gone), at: at(15), changed: [gone] },
  { title: 'Demo', status: statusOf(gone), at: at(20), changed: [] },
];

/** What a terminal ends up showing (scrollback included) for what was written: \r and erase-line applied. */
function terminalLines(written: string): string[] {
  const lines: string[] = [''];
  const rewrite = '\r\u001b[2K';
  for (const part of written.split(new RegExp(`(${rewrite.replace('[', '\\[')}|\n)`))) {
    if (part === '\n') lines.push('');
    else if (part === rewrite) lines[lines.length - 1] = '';
    else lines[lines.length - 1] += part;
  }
  return lines;
}

function watch(inPlace: boolean): string {
  let written = '';
  const printer = statusWatchPrinter({
    write: (text) => {
      written += text;
    },
    columns: () => (inPlace ? 80 : undefined),
    inPlace,
    everySeconds: 5,
  });
  for (const refresh of refreshes) printer.show(refresh);
  printer.end();
  return written;
}

describe('status --watch', () => {
  it('in a terminal: the status once, then one line rewritten in place, a change printed above it', () => {
    const lines = terminalLines(watch(true));
    expect(lines).toEqual([
      'Demo · deployment demo · us-east-1 · healthy',
      '',
      'Stacks: healthy',
      '✔ demo-app: CREATE_COMPLETE',
      '',
      '14:32:15 1 changed · needs action',
      '✖ demo-app: does not exist',
      'Watching every 5 s · 14:32:20 · needs action · no change · Ctrl+C stops',
      '',
    ]);
    for (const line of lines) expect(line.length).toBeLessThan(80);
  });

  it('never lets the rewritten line wrap in a narrow window: it is cut with …', () => {
    let written = '';
    const printer = statusWatchPrinter({
      write: (text) => {
        written += text;
      },
      columns: () => 40,
      inPlace: true,
      everySeconds: 5,
    });
    printer.show(refreshes[0] as WatchRefresh);
    printer.show(refreshes[1] as WatchRefresh);
    expect(terminalLines(written).at(-1)).toBe('Watching every 5 s · 14:32:05 · health…');
  });

  it('into a pipe: a line per refresh with the full time, as before', () => {
    const lines = watch(false).split('\n');
    expect(lines.filter((line) => line.includes('no change'))).toHaveLength(3);
    expect(lines[0]).toBe(at(0).toISOString());
    expect(watch(false)).not.toContain('\r');
    expect(watch(false)).not.toContain('Ctrl+C');
  });
});
