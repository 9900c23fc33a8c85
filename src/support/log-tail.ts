import { open } from 'node:fs/promises';

/**
 * A log file (the event log, NDJSON) read for the support bundle without holding it whole: one pass
 * in fixed-size chunks, every complete line handed to `each` (so what is looked for in the whole log,
 * the stacks it names and its last error, is still found), and only the last `tailBytes` of lines kept
 * for the bundle. The log grows with every run of a deployment; read whole, a long-lived one would
 * take as much memory as the file, twice (bytes and text).
 *
 * The caller redacts what is returned, as every bundle entry: lines are only ever kept whole, after
 * they are assembled from the chunks, so a secret that straddles two chunks is whole again before the
 * Redactor sees it. (NDJSON escapes line breaks inside values, so no value spans two lines.) A line
 * longer than `maxLineBytes` keeps its first `maxLineBytes` bytes and a marker; the Redactor removes
 * any 8 characters of a secret left at the cut, as it does for a value cut short anywhere.
 */
export interface LogTailOptions {
  /** The most bytes of (whole, raw) lines kept for the bundle: the last ones. */
  tailBytes: number;
  /** What one read takes from the file. */
  chunkBytes?: number;
  /** A line longer than this is cut (it still counts in full as skipped bytes). */
  maxLineBytes?: number;
  /** Every complete line of the whole file, raw, in order (a cut line is not passed). */
  each?: (line: string) => void;
}

export interface LogTail {
  /** The kept lines, raw (the caller redacts them), each ending with a line break. */
  text: string;
  /** Size of the whole file. */
  totalBytes: number;
  /** Lines (and their bytes) left out from the start to stay within `tailBytes`. */
  omittedLines: number;
  omittedBytes: number;
  /** Lines cut at `maxLineBytes`. */
  cutLines: number;
}

/** What the support bundle keeps of the event log: the last 8 MiB of lines. */
export const EVENT_LOG_TAIL_BYTES = 8 * 1024 * 1024;
const DEFAULT_CHUNK_BYTES = 64 * 1024;
/** One event is a few hundred bytes; a line of a megabyte is no event stackguide wrote. */
const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;
const NEWLINE = 0x0a;

/**
 * Two passes over the file. The first reads it in chunks, hands every line to `each`, and remembers
 * only where the lines that fit in the tail start (a queue of offsets: no line text outlives its
 * chunk, so the garbage collector never has a file's worth of old strings to find). The second reads
 * just the tail, at most `tailBytes`, in one piece. undefined when the file cannot be opened or read
 * (the caller says it is missing).
 */
export async function readLogTail(path: string, options: LogTailOptions): Promise<LogTail | undefined> {
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch {
    return undefined;
  }
  // The start offset and length (line break included) of each line that may be kept, oldest first
  // from `first` on; compacted as lines fall out.
  const starts: number[] = [];
  const lengths: number[] = [];
  let first = 0;
  let keptBytes = 0;
  let omittedLines = 0;
  let omittedBytes = 0;
  let cutLines = 0;
  let totalBytes = 0;
  // The line being read: where it starts, its length so far, and (when it spans chunks) its first
  // maxLineBytes bytes, copied out of the reused chunk buffer.
  let lineStart = 0;
  let lineBytes = 0;
  let spanning: Buffer[] = [];
  let spanningBytes = 0;

  const keep = (start: number, bytes: number): void => {
    starts.push(start);
    lengths.push(bytes);
    keptBytes += bytes;
    while (keptBytes > options.tailBytes && first < starts.length) {
      const dropped = lengths[first] as number;
      keptBytes -= dropped;
      omittedBytes += dropped;
      omittedLines++;
      first++;
    }
    if (first > 1024 && first * 2 > starts.length) {
      starts.splice(0, first);
      lengths.splice(0, first);
      first = 0;
    }
  };
  const endLine = (last: Buffer, terminated: boolean): void => {
    lineBytes += last.length;
    if (lineBytes > maxLineBytes) cutLines++;
    else if (options.each) {
      const whole = spanning.length === 0 ? last : Buffer.concat([...spanning, last], lineBytes);
      options.each(whole.toString('utf8'));
    }
    const length = lineBytes + (terminated ? 1 : 0);
    keep(lineStart, length);
    lineStart += length;
    lineBytes = 0;
    spanning = [];
    spanningBytes = 0;
  };
  const carry = (piece: Buffer): void => {
    lineBytes += piece.length;
    const room = maxLineBytes - spanningBytes;
    if (room <= 0 || !options.each) return;
    const taken = piece.length > room ? piece.subarray(0, room) : piece;
    spanning.push(Buffer.from(taken));
    spanningBytes += taken.length;
  };

  try {
    const chunk = Buffer.alloc(chunkBytes);
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunkBytes, totalBytes);
      if (bytesRead === 0) break;
      totalBytes += bytesRead;
      const view = chunk.subarray(0, bytesRead);
      let start = 0;
      for (let at = view.indexOf(NEWLINE); at !== -1; at = view.indexOf(NEWLINE, start)) {
        endLine(view.subarray(start, at), true);
        start = at + 1;
      }
      if (start < view.length) carry(view.subarray(start));
    }
    // A last line without its line break (a run killed mid-write) is kept as it is.
    if (lineBytes > 0) endLine(Buffer.alloc(0), false);
    const from = first < starts.length ? (starts[first] as number) : totalBytes;
    const tail = Buffer.alloc(totalBytes - from);
    if (tail.length > 0) await handle.read(tail, 0, tail.length, from);
    return { text: tailText(tail, maxLineBytes), totalBytes, omittedLines, omittedBytes, cutLines };
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}

/** The tail's lines, each ending with a line break, an over-long one cut with a marker. */
function tailText(tail: Buffer, maxLineBytes: number): string {
  const lines: string[] = [];
  let start = 0;
  while (start < tail.length) {
    const at = tail.indexOf(NEWLINE, start);
    const end = at === -1 ? tail.length : at;
    const bytes = end - start;
    lines.push(
      bytes > maxLineBytes
        ? `${tail.subarray(start, start + maxLineBytes).toString('utf8')} [stackguide: line cut at ${maxLineBytes} of its ${bytes} bytes]\n`
        : `${tail.subarray(start, end).toString('utf8')}\n`,
    );
    start = end + 1;
  }
  return lines.join('');
}
