/**
 * `npm run bench -- [name...] [--runs N]`: runs the named benchmarks (all of them when none is named),
 * one after another so they do not measure each other, each with `--readme`: each prints its figures
 * and rewrites its own block of the README (the start-up table; the other benches' blocks come from
 * bench/results/<name>.json, which test/scripts/bench-readme.test.ts renders again). Other flags
 * (`--runs N`, `--versions N`) go to every bench named. `npm run bench` builds first: startup and
 * dns-install measure the built CLI.
 *
 * Re-run on an idle machine and commit README.md with bench/results/ to refresh every figure.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const BENCHES = ['startup', 'events', 'empty-bucket', 'dns', 'dns-install', 'faults', 'parallel'] as const;

const args = process.argv.slice(2);
const names = args.filter((arg, index) => !arg.startsWith('--') && !args[index - 1]?.startsWith('--'));
const flags = args.filter((arg) => !names.includes(arg));
const unknown = names.filter((name) => !(BENCHES as readonly string[]).includes(name));
if (unknown.length > 0) {
  console.error(`unknown bench: ${unknown.join(', ')} (one of ${BENCHES.join(', ')})`);
  process.exit(2);
}

let failed = 0;
for (const name of names.length > 0 ? names : BENCHES) {
  console.log(`\n=== bench/${name} ${flags.join(' ')}`.trimEnd());
  const run = spawnSync(process.execPath, [join(import.meta.dirname, `${name}.ts`), ...flags, '--readme'], {
    stdio: 'inherit',
  });
  if (run.status !== 0) {
    console.error(`bench/${name} exited ${run.status ?? run.signal}`);
    failed++;
  }
}
process.exit(failed > 0 ? 1 : 0);
