import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENT_REGISTRY } from '../../src/events.ts';
import { eventTableMarkdown, withEventTable } from '../../src/output/event-table.ts';

const readmePath = resolve(import.meta.dirname, '../../README.md');

describe('the README event table', () => {
  it('is the one generated from the registry (run `npm run docs` after changing src/events.ts)', async () => {
    const readme = await readFile(readmePath, 'utf8');
    expect(readme).toBe(withEventTable(readme));
  });

  it('has one row per registered event, with its level and every field', () => {
    const rows = eventTableMarkdown()
      .split('\n')
      .filter((line) => line.startsWith('| `'));
    expect(rows.map((row) => row.split('`')[1])).toEqual(Object.keys(EVENT_REGISTRY));
    expect(rows).toContain(
      "| `stack.started` | info | A stack operation began or was attached to. | `stack`, `stackId`, `operation` (`create`, `update`, `delete`, `attach`), `status` (for `attach`: the stack's status when joined), `resourceCount` |",
    );
  });

  it('refuses a README whose markers are missing', () => {
    expect(() => withEventTable('# no table here\n')).toThrow(/event-table markers/);
  });
});
