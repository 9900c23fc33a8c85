/**
 * Bundles the CLI into dist/ with esbuild. Code splitting turns every lazy `import()` of a command or a
 * screen into its own chunk, so the command line loads commander and nothing else before a command runs;
 * the binary's entry (dist/stackguide.cjs) answers a bare `--help` or `--version` without the bundle.
 */

import { spawnSync } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { dirname, join } from 'node:path';
import { build, type Plugin } from 'esbuild';

/**
 * zod's `z` namespace carries `z.locales`, error messages in 40-odd languages: 255 KiB of the 455 KiB
 * zod chunk that `validate` and every command's first frame load and compile. stackguide words its own
 * messages and only ever uses zod's default, English (set by zod itself from `locales/en.js`, which
 * this keeps), so the bundle's `z.locales` holds `en` alone.
 */
const zodEnglishOnly: Plugin = {
  name: 'zod-english-only',
  setup(plugin) {
    plugin.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)
        ? { path: join(dirname(args.importer), '../locales/en.js'), namespace: 'zod-english-only' }
        : undefined,
    );
    plugin.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: dirname(args.path),
    }));
  },
};

/**
 * commander imports `node:child_process` at the top of its Command class, for executable subcommands
 * (`program.command('name', 'description')` running `stackguide-name`), which stackguide does not have.
 * Loading it also loads `net`, `dgram` and the stream stack: about a tenth of what `stackguide --help`
 * costs over `node -e 0`, and 2.5 MiB of memory. commander gets a `child_process` whose `spawn` loads the
 * real module on first use, so it would still work if ever called.
 */
const commanderLazyChildProcess: Plugin = {
  name: 'commander-lazy-child-process',
  setup(plugin) {
    plugin.onResolve({ filter: /^node:child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer)
        ? { path: 'child_process', namespace: 'commander-lazy-child-process' }
        : undefined,
    );
    plugin.onLoad({ filter: /.*/, namespace: 'commander-lazy-child-process' }, () => ({
      contents: [
        "import { createRequire } from 'node:module';",
        'const load = () => createRequire(import.meta.url)("node:child_process");',
        'export default { spawn: (...args) => load().spawn(...args) };',
      ].join('\n'),
      loader: 'js',
    }));
  },
};

/** The names a built-in module exports, as an ES import of it sees them. */
const exportNames = (name: string): string[] =>
  Object.getOwnPropertyNames(process.getBuiltinModule(name)).filter(
    (key) => key !== 'default' && /^[A-Za-z_$][\w$]*$/.test(key),
  );
/** `node:http`'s exports whose getters load undici. */
const UNDICI_GETTERS = ['WebSocket', 'CloseEvent', 'MessageEvent'];

/**
 * An ES import of a Node built-in (`import fs from 'node:fs'`) makes Node build the module's ES namespace,
 * which reads every export, getters included: `node:process` creates stdin, stdout and stderr (loading
 * `net` and the stream stack), `node:fs` loads `fs/promises`, `node:util` loads worker threads and
 * parseArgs. For `stackguide --help` through commander that was about 30 internal modules, 5 MiB of
 * memory and a tenth of its time; `validate` paid the same. In the bundle, each importing module gets
 * its own small module that takes the built-in from `process.getBuiltinModule` (Node 22.3+; the binary
 * needs 22.13) and reads only the exports that importer uses: esbuild drops the others, as each one is
 * a pure call. A dynamic `import('node:x')` is left alone (it wants the whole namespace),
 * except `node:http` (below).
 */
const builtinsOnDemand: Plugin = {
  name: 'builtins-on-demand',
  setup(plugin) {
    // One module per importer, so that each reads only its own exports when it runs.
    let importers = 0;
    plugin.onResolve({ filter: /^[a-z_:/]+$/ }, (args) =>
      args.kind === 'import-statement' && isBuiltin(args.path)
        ? { path: args.path, namespace: 'builtins-on-demand', suffix: `?${++importers}` }
        : undefined,
    );
    // A dynamic `import('node:http')` (the SDK's HTTP handler, for an http:// endpoint) makes Node build
    // the whole namespace too, and http's WebSocket, CloseEvent and MessageEvent getters load undici,
    // Node's fetch: about a tenth of the CPU time before the first question of an install against a
    // local endpoint (moto, LocalStack). The importer gets the module itself as default, and every
    // other export by name.
    plugin.onResolve({ filter: /^node:http$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: args.path, namespace: 'builtins-dynamic' } : undefined,
    );
    plugin.onLoad({ filter: /.*/, namespace: 'builtins-dynamic' }, (args) => {
      const keys = exportNames(args.path).filter((key) => !UNDICI_GETTERS.includes(key));
      return {
        contents: [
          `const $module = process.getBuiltinModule(${JSON.stringify(args.path)});`,
          'export default $module;',
          ...keys.map(
            (key, i) => `const $${i} = $module[${JSON.stringify(key)}]; export { $${i} as ${key} };`,
          ),
        ].join('\n'),
        loader: 'js',
      };
    });
    plugin.onLoad({ filter: /.*/, namespace: 'builtins-on-demand' }, (args) => {
      const name = args.path.startsWith('node:') ? args.path : `node:${args.path}`;
      const keys = exportNames(name);
      return {
        contents: [
          `const $module = process.getBuiltinModule(${JSON.stringify(name)});`,
          'const $get = (key) => $module[key];',
          'export default $module;',
          ...keys.map(
            (key, i) =>
              `const $${i} = /* @__PURE__ */ $get(${JSON.stringify(key)}); export { $${i} as ${key} };`,
          ),
        ].join('\n'),
        loader: 'js',
      };
    });
  },
};

/**
 * yaml's `node` export is CommonJS, which the bundle wraps in functions: Node's compile cache keeps only
 * a module's top level, so every run compiled yaml's module bodies again (and loaded `node:process`
 * through `require`), about a twentieth of `validate`. Its `default` export is the same code as ES
 * modules, whose top level the cache keeps, and which esbuild can tree-shake; it differs from the
 * Node build only in how it warns (console.warn, where the Node build calls process.emitWarning when
 * there is one), in its debug-only environment switches (LOG_TOKENS, LOG_STREAM) and in the YAML 1.1
 * `!!binary` tag (atob where Node's build uses Buffer; stackguide reads YAML 1.2, which has no such
 * tag). The warning is put back as the Node build has it, so a warning reads as before.
 */
const yamlAsEsModules: Plugin = {
  name: 'yaml-as-es-modules',
  setup(plugin) {
    plugin.onResolve({ filter: /^yaml$/ }, async (args) => {
      const found = await plugin.resolve('yaml/package.json', {
        resolveDir: args.resolveDir,
        kind: args.kind,
      });
      return { path: join(dirname(found.path), 'browser', 'index.js') };
    });
    plugin.onLoad(
      { filter: /[\\/]node_modules[\\/]yaml[\\/]browser[\\/]dist[\\/]log\.js$/ },
      async (args) => {
        const source = await readFile(args.path, 'utf8');
        const patched = source.replace(
          'console.warn(warning);',
          "typeof process.emitWarning === 'function' ? process.emitWarning(warning) : console.warn(warning);",
        );
        if (patched === source)
          throw new Error(`yaml-as-es-modules: ${args.path} no longer warns as expected`);
        return { contents: patched, loader: 'js' };
      },
    );
  },
};

const pkg = JSON.parse(await readFile('package.json', 'utf8')) as {
  version: string;
  engines: { node: string };
};
await rm('dist', { recursive: true, force: true });
const result = await build({
  entryPoints: { cli: 'src/cli.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  // Source maps stay out of the package (they were three quarters of it); STACKGUIDE_SOURCEMAP=1 opts in
  // for readable stack traces while developing.
  sourcemap: process.env.STACKGUIDE_SOURCEMAP === '1' ? 'linked' : false,
  // Smaller chunks compile faster at start-up.
  minify: true,
  metafile: true,
  jsx: 'automatic',
  // The AWS SDK (and most of our dependencies) publish ES modules under "module" and CommonJS under
  // "main"; esbuild's default for Node prefers "main". The ES builds can be tree-shaken (the SDK clients
  // declare sideEffects: false), so a chunk holds the commands we send, not the whole client: the EC2
  // client alone goes from 1 MB to a few KiB. It also spares the CommonJS wrappers' export copying, which
  // was a good part of the first frame's CPU time.
  mainFields: ['module', 'main'],
  // React and its reconciler pick their development builds unless told otherwise: slower, and twice in
  // the bundle.
  // `stackguide --version` is the package's version, read here rather than written twice.
  define: { 'process.env.NODE_ENV': '"production"', __STACKGUIDE_VERSION__: JSON.stringify(pkg.version) },
  chunkNames: 'chunks/[name]-[hash]',
  // Some dependencies are CommonJS and call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __stackguideRequire } from 'node:module'; const require = __stackguideRequire(import.meta.url);",
  },
  // react-devtools-core is an optional peer of Ink, loaded only when DEV is set.
  external: ['react-devtools-core'],
  plugins: [zodEnglishOnly, commanderLazyChildProcess, builtinsOnDemand, yamlAsEsModules],
  logLevel: 'warning',
});
// The binary's entry: checks the Node version in syntax any Node parses, answers `--help` and `--version`
// alone with commander's own text for them (taken from the bundle just built, as printed without a
// terminal), and loads the bundle for everything else.
const commanderSays = (arg: string): string => {
  const run = spawnSync(process.execPath, ['dist/cli.js', arg], { encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0 || !run.stdout) throw new Error(`dist/cli.js ${arg} failed: ${run.stderr}`);
  return run.stdout;
};
// A string literal any Node parses: everything outside printable ASCII escaped.
const literal = (text: string): string =>
  JSON.stringify(text).replace(
    /[^\x20-\x7e]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
const nodeCheck = await readFile('src/node-check.cjs', 'utf8');
await writeFile(
  'dist/stackguide.cjs',
  nodeCheck
    .replace('__STACKGUIDE_NODE_RANGE__', pkg.engines.node)
    .replace("'__STACKGUIDE_ROOT_HELP__'", () => literal(commanderSays('--help')))
    .replace("'__STACKGUIDE_VERSION__'", () => literal(commanderSays('--version').trimEnd())),
  { mode: 0o755 },
);
const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.js'));
const kib = Math.round(outputs.reduce((total, [, output]) => total + output.bytes, 0) / 1024);
console.log(`built dist/cli.js and ${outputs.length - 1} lazy chunks (${kib} KiB in all)`);
