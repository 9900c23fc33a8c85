import { createWriteStream } from 'node:fs';
import { chmod, link, mkdir, mkdtemp, open, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { create } from 'tar';
import { ExitCode, StackguideError } from '../errors.ts';
import type { BundleEntry } from './support-bundle.ts';

/**
 * Writes the entries as one `.tar.gz` at `out`, mode 0600, atomically: the archive is made in a temp
 * file beside `out` (same file system), flushed, and only then put in place, so a reader never sees
 * half an archive and a failed run leaves nothing behind. Without `force` an existing `out` is never
 * replaced: the temp file is hard-linked to `out`, which fails if `out` exists even when it appeared
 * since we last looked. The entries are laid out in a private temp folder (0700) for the `tar` package
 * to pack, and that folder is removed afterwards.
 */
export async function writeArchive(
  out: string,
  folder: string,
  entries: readonly BundleEntry[],
  { force }: { force: boolean },
): Promise<{ bytes: number }> {
  if (!force) await refuseExisting(out);
  const staging = await mkdtemp(join(tmpdir(), 'stackguide-support-'));
  const temporary = `${out}.${process.pid}.tmp`;
  try {
    for (const entry of entries) {
      const file = join(staging, folder, entry.path);
      await mkdir(dirname(file), { recursive: true, mode: 0o700 });
      await writeFile(file, entry.text, { mode: 0o600 });
    }
    await mkdir(dirname(out), { recursive: true });
    // portable: no user or group names, ids or device numbers of this machine in the headers.
    const pack = create({ gzip: true, cwd: staging, portable: true }, [folder]);
    await pipeline(pack, createWriteStream(temporary, { flags: 'wx', mode: 0o600 }));
    // The mode asked at open is filtered by the umask; 0600 is what we promise.
    await chmod(temporary, 0o600);
    const handle = await open(temporary, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (force) await rename(temporary, out);
    else {
      await link(temporary, out).catch((error: unknown) => {
        if ((error as { code?: string }).code === 'EEXIST') throw exists(out);
        throw error;
      });
      await unlink(temporary);
    }
    return { bytes: (await stat(out)).size };
  } catch (error) {
    await unlink(temporary).catch(() => {});
    if (error instanceof StackguideError) throw error;
    throw new StackguideError(
      `The support bundle could not be written to ${out}: ${(error as Error).message}`,
      {
        code: 'support.write',
        kind: 'user',
        exitCode: ExitCode.failed,
        cause: error,
        nextSteps: ['Give --out a path in a folder you can write to, with room for the archive.'],
      },
    );
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function refuseExisting(out: string): Promise<void> {
  const found = await stat(out).catch(() => undefined);
  if (found) throw exists(out);
}

function exists(out: string): StackguideError {
  return new StackguideError(`${out} already exists; the support bundle was not written`, {
    code: 'support.exists',
    kind: 'user',
    nextSteps: [`Give another --out, or add --force to replace ${out}.`],
  });
}
