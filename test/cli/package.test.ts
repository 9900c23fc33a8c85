import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

const run = promisify(execFile);

let work: { path: string; remove: () => Promise<void> };
let tarball: string;
let packed: { size: number; files: Array<{ path: string }> };
const pkg = JSON.parse(await readFile(join(projectRoot, 'package.json'), 'utf8')) as {
  version: string;
  engines: { node: string };
  dependencies?: Record<string, string>;
  private?: boolean;
};
// npm and the package's own `#!/usr/bin/env node` find the project's Node first, as on a user's PATH.
const env = {
  ...process.env,
  PATH: [dirname(process.execPath), process.env.PATH ?? ''].join(delimiter),
  npm_config_cache: '',
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
};

beforeAll(async () => {
  work = await tempDir();
  env.npm_config_cache = join(work.path, 'npm-cache');
  // The bundle the suite's global setup built; --ignore-scripts so packing does not rebuild dist/ under
  // the feet of the tests running beside this one.
  const { stdout } = await run(
    'npm',
    ['pack', '--ignore-scripts', '--json', '--pack-destination', work.path],
    { cwd: projectRoot, env },
  );
  const [result] = JSON.parse(stdout) as Array<{
    filename: string;
    size: number;
    files: Array<{ path: string }>;
  }>;
  if (!result) throw new Error(`npm pack said nothing: ${stdout}`);
  packed = result;
  tarball = join(work.path, result.filename);
});
afterAll(() => work?.remove());

describe('the npm package', () => {
  it('is publishable, small, licensed, and carries no source maps and no dependency the bundle holds', () => {
    expect(pkg.private).toBeUndefined();
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(packed.size).toBeLessThan(5 * 1024 * 1024);
    const paths = packed.files.map((file) => file.path);
    expect(paths).toContain('LICENSE');
    expect(paths).toContain('dist/stackguide.cjs');
    expect(paths).toContain('dist/cli.js');
    expect(paths).toContain('blueprints/demo/blueprint.yaml');
    expect(paths.filter((path) => path.endsWith('.map'))).toEqual([]);
    expect(paths.filter((path) => /^(src|test|scripts|screens|tasks)\//.test(path))).toEqual([]);
  });

  it('installs globally from the tarball into an empty prefix, with nothing else, and runs', async () => {
    const prefix = join(work.path, 'prefix');
    await run('npm', ['install', '--global', '--offline', '--prefix', prefix, tarball], {
      cwd: work.path,
      env,
    });
    const installed = join(prefix, 'lib', 'node_modules', 'stackguide');
    // The bundle holds every dependency: nothing is installed beside it.
    expect(existsSync(join(installed, 'node_modules'))).toBe(false);
    expect(await readdir(join(prefix, 'lib', 'node_modules'))).toEqual(['stackguide']);
    const binary = join(prefix, 'bin', 'stackguide');
    expect((await run(binary, ['--version'], { env })).stdout.trim()).toBe(pkg.version);
    const validated = await run(binary, ['validate', join(installed, 'blueprints', 'demo')], { env });
    expect(validated.stdout + validated.stderr).toContain('demo 1.0.0 is valid');
  });

  it('runs with npx straight from the tarball, in a clean folder', async () => {
    const clean = join(work.path, 'clean');
    await mkdir(clean);
    const { stdout } = await run('npx', ['--yes', `file:${tarball}`, '--version'], { cwd: clean, env });
    expect(stdout.trim()).toBe(pkg.version);
  });

  // The machine's system Node is older than the one required (the project's comes from npm): the entry
  // must say which Node is needed instead of failing on the bundle's syntax.
  const systemNode = ['/usr/bin/node', '/usr/local/bin/node'].find((path) => existsSync(path));
  it.runIf(systemNode !== undefined)('names the Node it needs when started by an older one', async () => {
    const { stdout: version } = await run(systemNode as string, ['--version']);
    const [major = 0, minor = 0] = version.trim().slice(1).split('.').map(Number);
    const [needMajor = 0, needMinor = 0] = (/(\d+)\.(\d+)/.exec(pkg.engines.node) ?? []).slice(1).map(Number);
    const old = major < needMajor || (major === needMajor && minor < needMinor);
    const result = await run(systemNode as string, [
      join(projectRoot, 'dist', 'stackguide.cjs'),
      '--version',
    ]).then(
      (done) => ({ code: 0, ...done }),
      (failed: { code: number; stdout: string; stderr: string }) => failed,
    );
    if (old) {
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        `stackguide needs Node ${pkg.engines.node}; this is Node ${version.trim().slice(1)}`,
      );
    } else {
      expect(result.stdout.trim()).toBe(pkg.version);
    }
  });
});
