import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fresh temporary folder and a function that removes it. The removal retries: a CLI or a lab a test
 * has just stopped may still be writing its last files (state, compile cache) into the folder, and a
 * recursive rm racing such a writer fails with ENOTEMPTY (seen on a loaded machine).
 */
export async function tempDir(
  prefix = 'stackguide-',
): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }) };
}
