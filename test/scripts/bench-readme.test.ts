import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type BenchReport,
  readmeMarkers,
  renderReport,
  resultsDir,
  withBenchBlock,
} from '../../bench/support/bench-report.ts';

/**
 * The README's bench figures are what the benches measured: each block between a bench's markers is the
 * rendering of bench/results/<name>.json, which `npm run bench -- <name>` writes together with the
 * block. A block edited by hand, or a results file re-run without its README block, fails here.
 */
const root = resolve(import.meta.dirname, '..', '..');
const benches = ['events', 'empty-bucket', 'dns', 'dns-install', 'faults', 'parallel'];

async function report(name: string): Promise<BenchReport> {
  return JSON.parse(await readFile(join(resultsDir, `${name}.json`), 'utf8')) as BenchReport;
}

describe("the README's bench figures", () => {
  it('has a results file for every bench that writes one, and no stray one', async () => {
    const files = (await readdir(resultsDir)).filter((file) => file.endsWith('.json')).sort();
    expect(files).toEqual(benches.map((name) => `${name}.json`).sort());
  });

  it.each(benches)('%s: the README block is the rendering of bench/results/%s.json', async (name) => {
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    const results = await report(name);
    expect(readme).toBe(withBenchBlock(readme, name, results));
    expect(readme).toContain(renderReport(results));
  });

  it.each(benches)(
    '%s: names a commit of this repository, the machine, n ≥ 3 and n samples a row',
    async (name) => {
      const results = await report(name);
      expect(results.bench).toBe(`bench/${name}`);
      expect(results.n).toBeGreaterThanOrEqual(3);
      for (const row of results.rows) expect(row.samples, row.label).toHaveLength(results.n);
      expect(results.info.cpus).toBeGreaterThan(0);
      expect(results.info.loadAverage).toMatch(/^\d+\.\d\d \d+\.\d\d \d+\.\d\d$/);
      // The commit measured is one git knows (a clean clone has every commit of main).
      const commit = results.info.commit.replace(/\+dirty$/, '');
      expect(() =>
        execFileSync('git', ['cat-file', '-e', `${commit}^{commit}`], { cwd: root, stdio: 'ignore' }),
      ).not.toThrow();
    },
  );

  it('renders the header, median/min/max per row with its unit, the goal and the notes', () => {
    const text = renderReport({
      bench: 'bench/example',
      info: {
        commit: 'abc1234',
        node: '24.21.0',
        cpus: 2,
        cpuModel: 'Test CPU',
        loadAverage: '0.10 0.20 0.30',
      },
      n: 3,
      heading: ['what was measured'],
      rows: [
        {
          label: 'fast path',
          unit: 'ms',
          samples: [1_500, 1_200, 2_400],
          goal: 'every run <= 2,500 ms: met',
        },
        { label: 'rate', unit: 'per-second', samples: [100, 300, 200] },
      ],
      notes: ['ratio of medians: 2.0x'],
    });
    expect(text).toBe(
      [
        'bench/example · commit abc1234 · Node 24.21.0 · 2 × Test CPU · load 0.10 0.20 0.30 · n=3',
        'what was measured',
        '',
        '                median       min       max  goal',
        'fast path     1,500 ms  1,200 ms  2,400 ms  every run <= 2,500 ms: met',
        'rate             200/s     100/s     300/s',
        '',
        'ratio of medians: 2.0x',
      ].join('\n'),
    );
  });

  it('refuses a README without the markers of the bench', () => {
    expect(() => withBenchBlock('# no figures\n', 'events', {} as BenchReport)).toThrow(
      readmeMarkers('events').start.slice(0, 20),
    );
  });
});
