import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EVENT_LOG_TAIL_BYTES, readLogTail } from '../../src/support/log-tail.ts';
import { FRAGMENT_LENGTH, Redactor } from '../../src/support/redaction.ts';
import { projectRoot } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * The event log read for the support bundle: one pass in chunks, only its tail kept, lines whole so
 * a secret split across two chunks is still redacted, and memory bounded whatever the file's size.
 */
const SECRET = 'Tail-Secret-7c1e94b2d5';
let work: { path: string; remove: () => Promise<void> };
beforeEach(async () => {
  work = await tempDir();
});
afterEach(() => work.remove());

/** Every run of FRAGMENT_LENGTH characters of the secret that is still in the text. */
const fragmentsLeft = (text: string): string[] => {
  const left: string[] = [];
  for (let at = 0; at + FRAGMENT_LENGTH <= SECRET.length; at++) {
    const fragment = SECRET.slice(at, at + FRAGMENT_LENGTH);
    if (text.includes(fragment)) left.push(fragment);
  }
  return left;
};

describe('readLogTail', () => {
  it('redacts a secret that straddles a chunk boundary: the line is whole again before redaction', async () => {
    const chunkBytes = 64;
    // The secret starts 10 bytes before the end of the second chunk and ends in the third.
    const firstLine = '{"type":"run.started"}\n';
    const before = '{"type":"stack.failed","reason":"';
    const padding = 'x'.repeat(2 * chunkBytes - 10 - firstLine.length - before.length);
    const line = `${before}${padding}${SECRET} is not valid"}`;
    const start = Buffer.byteLength(firstLine + before + padding);
    expect(start % chunkBytes).toBe(chunkBytes - 10);
    const path = join(work.path, 'events.ndjson');
    await writeFile(path, `${firstLine}${line}\n`);

    const tail = await readLogTail(path, { tailBytes: 1024, chunkBytes });
    const redacted = new Redactor([{ kind: 'secret answer', value: SECRET }]).redact(tail?.text ?? '');
    expect(fragmentsLeft(redacted)).toEqual([]);
    expect(redacted).toContain('[redacted: secret answer] is not valid');
    // What a chunk-by-chunk redaction would have seen: neither chunk holds the whole secret, and one
    // of them holds less than FRAGMENT_LENGTH of it, which no fragment could match.
    const file = Buffer.from(`${firstLine}${line}\n`);
    const chunks = [0, 1, 2, 3].map((index) =>
      file.subarray(index * chunkBytes, (index + 1) * chunkBytes).toString(),
    );
    expect(chunks.some((chunk) => chunk.includes(SECRET))).toBe(false);
  });

  it('keeps only the last lines within the limit, passes every line to `each`, and counts what it left out', async () => {
    const lines = Array.from(
      { length: 50 },
      (_, i) => `{"type":"heartbeat","n":${String(i).padStart(3, '0')}}`,
    );
    const path = join(work.path, 'events.ndjson');
    // The last line lacks its line break (a run killed mid-write): it is still read.
    await writeFile(path, `${lines.join('\n')}`);
    const seen: string[] = [];
    const lineBytes = Buffer.byteLength(lines[0] as string) + 1;
    const tail = await readLogTail(path, {
      tailBytes: lineBytes * 10,
      chunkBytes: 17,
      each: (line) => seen.push(line),
    });
    expect(seen).toEqual(lines);
    expect(tail?.text).toBe(`${lines.slice(-10).join('\n')}\n`);
    expect(tail).toMatchObject({ omittedLines: 40, omittedBytes: lineBytes * 40, cutLines: 0 });
    expect(tail?.totalBytes).toBe(lineBytes * 50 - 1);
  });

  it('cuts an over-long line with a marker, leaves no 8 characters of a secret at the cut, and does not parse it', async () => {
    const path = join(work.path, 'events.ndjson');
    const long = `{"type":"stack.failed","reason":"${'y'.repeat(100)}${SECRET}${'z'.repeat(100)}"}`;
    // Cut 5 characters into the secret: less than a fragment of it is left before the marker.
    const maxLineBytes = long.indexOf(SECRET) + 5;
    await writeFile(path, `${long}\n{"type":"run.completed"}\n`);
    const seen: string[] = [];
    const tail = await readLogTail(path, { tailBytes: 4096, maxLineBytes, each: (line) => seen.push(line) });
    expect(tail?.cutLines).toBe(1);
    expect(seen).toEqual(['{"type":"run.completed"}']);
    expect(tail?.text).toContain(`[stackguide: line cut at ${maxLineBytes} of its ${long.length} bytes]`);
    expect(
      fragmentsLeft(new Redactor([{ kind: 'secret answer', value: SECRET }]).redact(tail?.text ?? '')),
    ).toEqual([]);
  });

  it('says undefined for a file that is not there', async () => {
    expect(await readLogTail(join(work.path, 'none.ndjson'), { tailBytes: 10 })).toBeUndefined();
  });

  it('holds memory to about the limit, not the file: a 160 MiB log, read in a fresh process', async () => {
    const path = join(work.path, 'events.ndjson');
    const line = `{"type":"stack.status","stack":"lab-main","status":"UPDATE_IN_PROGRESS","reason":"${'r'.repeat(120)}"}\n`;
    const block = Buffer.from(line.repeat(4096));
    const fileBytes = 160 * 1024 * 1024;
    await new Promise<void>((resolve, reject) => {
      const out = createWriteStream(path);
      out.on('error', reject);
      let written = 0;
      const pump = (): void => {
        while (written < fileBytes) {
          written += block.length;
          if (!out.write(block)) {
            out.once('drain', pump);
            return;
          }
        }
        out.end(resolve);
      };
      pump();
    });
    // The peak resident memory of a process that only reads the log, against the file's size.
    const script = `
      import { readLogTail } from ${JSON.stringify(join(projectRoot, 'src', 'support', 'log-tail.ts'))};
      let lines = 0;
      const tail = await readLogTail(${JSON.stringify(path)}, { tailBytes: ${EVENT_LOG_TAIL_BYTES}, each: (line) => { JSON.parse(line); lines++; } });
      console.log(JSON.stringify({ lines, kept: tail.text.length, omitted: tail.omittedLines, maxRssKiB: process.resourceUsage().maxRSS }));
    `;
    const run = spawnSync(
      join(projectRoot, 'node_modules', '.bin', 'node'),
      ['--input-type=module', '-e', script],
      {
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as {
      lines: number;
      kept: number;
      omitted: number;
      maxRssKiB: number;
    };
    const written = Math.ceil(fileBytes / block.length) * 4096;
    expect(result.lines).toBe(written);
    expect(result.kept).toBeLessThanOrEqual(EVENT_LOG_TAIL_BYTES);
    expect(result.kept).toBeGreaterThan(EVENT_LOG_TAIL_BYTES - line.length);
    expect(result.omitted).toBeGreaterThan(0);
    // Read whole (readFile, then split), this peaks at about 440 MiB here; read in chunks, parsing every
    // line as the bundle's scan does, at about 120 MiB: Node's own footprint, the 8 MiB tail, and the
    // young garbage of the lines. The bound leaves room for a loaded machine's slower collector.
    expect(result.maxRssKiB / 1024).toBeLessThan(200);
  }, 180_000);
});
