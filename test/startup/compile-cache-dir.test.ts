import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileCacheDir } from '../../src/compile-cache-dir.ts';
import { projectRoot, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

const demo = join(projectRoot, 'blueprints', 'demo');

let work: { path: string; remove: () => Promise<void> };
beforeAll(async () => {
  work = await tempDir();
});
afterAll(async () => {
  await work?.remove();
});

const home = () => '/home/ann';

describe('compileCacheDir', () => {
  it('is the user cache folder of each platform, under stackguide/', () => {
    expect(compileCacheDir({}, 'linux', home)).toBe('/home/ann/.cache/stackguide/compile-cache');
    expect(compileCacheDir({}, 'darwin', home)).toBe('/home/ann/Library/Caches/stackguide/compile-cache');
    expect(compileCacheDir({}, 'win32', () => 'C:\\Users\\ann')).toBe(
      'C:\\Users\\ann\\AppData\\Local\\stackguide\\compile-cache',
    );
  });

  it('follows XDG_CACHE_HOME on Linux and LOCALAPPDATA on Windows when they are absolute', () => {
    expect(compileCacheDir({ XDG_CACHE_HOME: '/var/cache/ann' }, 'linux', home)).toBe(
      '/var/cache/ann/stackguide/compile-cache',
    );
    // A relative XDG_CACHE_HOME is invalid by the XDG spec: it would land in the operator's project.
    expect(compileCacheDir({ XDG_CACHE_HOME: 'cache' }, 'linux', home)).toBe(
      '/home/ann/.cache/stackguide/compile-cache',
    );
    expect(compileCacheDir({ XDG_CACHE_HOME: '/var/cache/ann' }, 'darwin', home)).toBe(
      '/home/ann/Library/Caches/stackguide/compile-cache',
    );
    expect(compileCacheDir({ LOCALAPPDATA: 'D:\\AppData' }, 'win32', home)).toBe(
      'D:\\AppData\\stackguide\\compile-cache',
    );
  });

  it('is undefined (no cache) when there is no home folder', () => {
    expect(compileCacheDir({}, 'linux', () => '')).toBeUndefined();
    expect(compileCacheDir({}, 'linux', () => 'relative')).toBeUndefined();
    expect(
      compileCacheDir({}, 'linux', () => {
        throw new Error('no passwd entry');
      }),
    ).toBeUndefined();
  });
});

describe("Node's compile cache", () => {
  it("lives in the user's cache folder, never in the working folder", async () => {
    const home = join(work.path, 'home');
    const project = join(work.path, 'project');
    await mkdir(home);
    await mkdir(project);
    const result = await runCli(['validate', demo], {
      cwd: project,
      // vitest's coverage run sets NODE_DISABLE_COMPILE_CACHE for its workers: the CLI is run as a user's shell would.
      env: {
        HOME: home,
        XDG_CACHE_HOME: undefined,
        NODE_COMPILE_CACHE: undefined,
        NODE_DISABLE_COMPILE_CACHE: undefined,
      },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(await readdir(project)).toEqual([]);
    const cache = join(home, '.cache', 'stackguide', 'compile-cache');
    expect(existsSync(cache)).toBe(true);
    // Node keeps one folder per Node version and user, with the compiled chunks in it.
    const [versioned] = await readdir(cache);
    expect(versioned).toMatch(/^v\d+\.\d+\.\d+-/);
    expect((await readdir(join(cache, versioned ?? ''))).length).toBeGreaterThan(0);
  });

  it('is no error when its folder cannot be created', async () => {
    // A path under a regular file: mkdir fails with ENOTDIR, as under a read-only home it fails with EROFS.
    const file = join(work.path, 'a-file');
    await writeFile(file, '');
    const result = await runCli(['validate', demo], {
      cwd: work.path,
      env: { XDG_CACHE_HOME: file, NODE_COMPILE_CACHE: undefined, NODE_DISABLE_COMPILE_CACHE: undefined },
    });
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(result.stdout).toContain('demo 1.0.0 is valid');
  });
});
