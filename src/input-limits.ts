import { open } from 'node:fs/promises';
import type { Document } from 'yaml';
import { StackguideError } from './errors.ts';

/**
 * Limits on what stackguide reads from files, so a hostile or broken file (a 50 MB blueprint, a YAML
 * alias bomb) is refused in milliseconds with exit 2 instead of exhausting memory or CPU. Documented in
 * the README; generous for real files (the largest shipped blueprint is under 20 kB).
 */
export const INPUT_LIMITS = {
  /** blueprint.yaml, an answers file, a file template. */
  yamlBytes: 1_048_576,
  /** A CloudFormation template: CloudFormation itself takes no more than 1,000,000 bytes. */
  templateBytes: 1_000_000,
  /** YAML aliases (`*name`) resolved per file: real files use a handful. */
  aliases: 100,
  /** Nested `[` / `{` collections, or `- - -` sequences on one line: the parser's time grows fast past this. */
  nesting: 64,
} as const;

/**
 * Reads a text file after checking its size, from the open handle so a file growing meanwhile is still
 * refused. `what` names the file in the error ("the blueprint", "the answers file").
 */
export async function readLimitedFile(path: string, limit: number, what: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size > limit) throw tooLarge(path, size, limit, what);
    const buffer = Buffer.alloc(size);
    const { bytesRead } = await handle.read(buffer, 0, size, 0);
    // One byte more than the limit is enough to know it is too large, whatever stat said.
    const extra = await handle.read(Buffer.alloc(1), 0, 1, size);
    if (extra.bytesRead > 0) throw tooLarge(path, size + 1, limit, what);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

function tooLarge(path: string, size: number, limit: number, what: string): StackguideError {
  return new StackguideError(
    `${capitalize(what)} ${path} is ${size.toLocaleString('en-US')} bytes, over the limit of ${limit.toLocaleString('en-US')}`,
    {
      code: 'input.too-large',
      kind: 'user',
      nextSteps: [
        `Check that ${path} is the file you meant; ${what} is read whole and must stay under the limit.`,
      ],
    },
  );
}

/**
 * Refuses YAML (or JSON) nested deeper than the limit before the parser sees it: a 600 kB file of
 * brackets takes the parser seconds and hundreds of MB. Counted without regard to quotes, so a string
 * holding many unclosed brackets counts too; real files stay far below the limit either way.
 */
export function checkYamlNesting(text: string, what: string): void {
  let depth = 0;
  let deepest = 0;
  let lineStart = true;
  let indicators = 0;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (char === 0x5b || char === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (char === 0x5d || char === 0x7d) depth = Math.max(0, depth - 1);
    if (char === 0x0a) {
      lineStart = true;
      indicators = 0;
    } else if (lineStart && (char === 0x2d || char === 0x3f) && text.charCodeAt(index + 1) === 0x20) {
      // `- - - x`: one more block sequence per indicator.
      deepest = Math.max(deepest, ++indicators);
    } else if (char !== 0x20) lineStart = false;
    if (deepest > INPUT_LIMITS.nesting)
      throw new StackguideError(
        `${capitalize(what)} nests collections more than ${INPUT_LIMITS.nesting} deep`,
        {
          code: 'input.too-deep',
          kind: 'user',
          nextSteps: [`Flatten it: at most ${INPUT_LIMITS.nesting} nested lists or maps are read.`],
        },
      );
  }
}

/**
 * The plain data of a parsed YAML document, with aliases capped: a document whose aliases would expand
 * past the limit is refused as an attack or a mistake, never expanded.
 */
export function yamlData(document: Document, what: string): unknown {
  try {
    return document.toJS({ json: true, maxAliasCount: INPUT_LIMITS.aliases });
  } catch (cause) {
    throw new StackguideError(`${capitalize(what)} cannot be read: ${(cause as Error).message}`, {
      code: 'input.yaml-aliases',
      kind: 'user',
      cause,
      nextSteps: [
        `Write the repeated values out: at most ${INPUT_LIMITS.aliases} aliases (*name) are expanded per file.`,
      ],
    });
  }
}

function capitalize(text: string): string {
  return `${text[0]?.toUpperCase() ?? ''}${text.slice(1)}`;
}
