/**
 * Resolves when the operator stops a lab or the demo: Ctrl+C (SIGINT), a kill (SIGTERM), or the
 * terminal it runs in closed (SIGHUP). The last one matters as much as the others: left unhandled, it
 * ended the process before the lab removed its folder, and every closed tmux window left one in /tmp.
 * After SIGHUP the terminal is gone, so nothing more should be written to it (`quiet`).
 */
export function untilStopped(): Promise<{ quiet: boolean }> {
  return new Promise((done) => {
    const stop = (signal: NodeJS.Signals): void => {
      for (const each of SIGNALS) process.off(each, stop);
      done({ quiet: signal === 'SIGHUP' });
    };
    for (const each of SIGNALS) process.on(each, stop);
  });
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
