#!/usr/bin/env node
/** Entry point of the stackguide binary; everything it does is in main.ts. */
import { enableCompileCache, flushCompileCache } from 'node:module';
import { compileCacheDir } from './compile-cache-dir.ts';

// Node keeps the compiled bundle on disk between runs (Node 22.1+), which takes most of the start-up
// cost of the SDK and UI chunks off every run after the first. A cache is optional: a folder that
// cannot be written (read-only home, full disk) only means compiling again, and Node reports that in
// the return value, not on the screen. NODE_COMPILE_CACHE and NODE_DISABLE_COMPILE_CACHE still win.
try {
  const cacheDir = compileCacheDir(process.env, process.platform);
  if (cacheDir) enableCompileCache?.(cacheDir);
} catch {
  // Never a reason not to run.
}
// zod compiles a parser per object schema the first time it parses with it (code generated through
// `new Function`). A command parses each schema once or twice, so the compiling never pays back: it
// was about a twentieth of `validate`'s CPU time. Set before zod loads; zod reads it at every parse.
(globalThis as { __zod_globalConfig?: { jitless?: boolean } }).__zod_globalConfig = { jitless: true };

const { main } = await import('./main.ts');
const exitCode = await main(process.argv);
process.exitCode = exitCode;
// Exit once stdout and stderr have drained: idle keep-alive sockets must not hold the process open,
// and a piped NDJSON stream must not lose its last lines.
// process.exit() does not wait for Node to write the compile cache it gathered: flush it first, or a
// busy machine ends every run before the cache is on disk and no run ever starts from it.
process.stdout.write('', () =>
  process.stderr.write('', () => {
    try {
      flushCompileCache?.();
    } catch {
      // A cache that cannot be written only means compiling again next time.
    }
    process.exit(exitCode);
  }),
);
