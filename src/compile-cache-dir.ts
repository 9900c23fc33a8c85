import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';

/**
 * Where stackguide keeps Node's compile cache: the user's own cache folder (XDG_CACHE_HOME or
 * ~/.cache, ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows), never the working folder, which is
 * the operator's project. Not Node's default either, the temporary folder: every local user can write
 * there, and could create the cache folder before us and fill it with compiled code. Undefined, and
 * no cache, when no home folder is known.
 */
export function compileCacheDir(
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform,
  home: () => string = homedir,
): string | undefined {
  const { isAbsolute, join } = platform === 'win32' ? win32 : posix;
  const absolute = (path: string | undefined) => (path && isAbsolute(path) ? path : undefined);
  let base: string | undefined;
  if (platform === 'win32') base = absolute(env.LOCALAPPDATA);
  else if (platform !== 'darwin') base = absolute(env.XDG_CACHE_HOME);
  if (!base) {
    let folder: string | undefined;
    try {
      folder = absolute(home());
    } catch {
      // No home folder (a user without a passwd entry): no cache.
    }
    if (!folder) return undefined;
    base =
      platform === 'win32'
        ? join(folder, 'AppData', 'Local')
        : platform === 'darwin'
          ? join(folder, 'Library', 'Caches')
          : join(folder, '.cache');
  }
  return join(base, 'stackguide', 'compile-cache');
}
