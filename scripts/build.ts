/**
 * Bundles the CLI into dist/ with esbuild. Code splitting turns every lazy `import()` of a command or a
 * screen into its own chunk, so `stackguide --help` loads commander and nothing else.
 */

import { rm } from 'node:fs/promises';
import { build } from 'esbuild';

await rm('dist', { recursive: true, force: true });
const result = await build({
  entryPoints: { cli: 'src/cli.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  sourcemap: 'linked',
  // Smaller chunks compile faster at start-up; the source map keeps stack traces readable.
  minify: true,
  metafile: true,
  jsx: 'automatic',
  chunkNames: 'chunks/[name]-[hash]',
  // Some dependencies are CommonJS and call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __stackguideRequire } from 'node:module'; const require = __stackguideRequire(import.meta.url);",
  },
  // react-devtools-core is an optional peer of Ink, loaded only when DEV is set.
  external: ['react-devtools-core'],
  logLevel: 'warning',
});
const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.js'));
const kib = Math.round(outputs.reduce((total, [, output]) => total + output.bytes, 0) / 1024);
console.log(`built dist/cli.js and ${outputs.length - 1} lazy chunks (${kib} KiB in all)`);
