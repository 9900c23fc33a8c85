import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';

/**
 * What every benchmark prints beside its figures, so a figure can be reproduced: the commit measured
 * (with `+dirty` when the tree had changes), the machine, and how busy it was when the bench started.
 */
export interface RunInfo {
  commit: string;
  node: string;
  cpus: number;
  cpuModel: string;
  loadAverage: string;
}

export function runInfo(): RunInfo {
  const git = (...args: string[]): string => {
    try {
      return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return '';
    }
  };
  const commit = git('rev-parse', '--short', 'HEAD') || 'unknown';
  // What the benches themselves write (the README's figures, bench/results/) does not change the code
  // measured: a second bench of one `npm run bench` still names a clean commit.
  const dirty =
    git('status', '--porcelain', '--untracked-files=no', '--', '.', ':!README.md', ':!bench/results') !== '';
  return {
    commit: `${commit}${dirty ? '+dirty' : ''}`,
    node: process.versions.node,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    loadAverage: loadavg()
      .map((value) => value.toFixed(2))
      .join(' '),
  };
}

export function runInfoLine(bench: string, info: RunInfo, n: number): string {
  return `${bench} · commit ${info.commit} · Node ${info.node} · ${info.cpus} × ${info.cpuModel} · load ${info.loadAverage} · n=${n}`;
}

/** Median, min and max of n measurements (the median of an even n is the mean of the middle two). */
export function spread(values: readonly number[]): { median: number; min: number; max: number; n: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median =
    sorted.length % 2 === 1
      ? (sorted[Math.floor(middle)] ?? 0)
      : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return { median, min: sorted[0] ?? 0, max: sorted[sorted.length - 1] ?? 0, n: sorted.length };
}
