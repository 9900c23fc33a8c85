import { execFileSync } from 'node:child_process';

/** The CLI tests run the built binary; build it once per test run so they never test a stale bundle. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.ts'], { stdio: 'inherit' });
}
