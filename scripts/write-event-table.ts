/** Regenerates the README's NDJSON event table from the event registry; test/events checks it is current. */
import { readFile, writeFile } from 'node:fs/promises';
import { withEventTable } from '../src/output/event-table.ts';

const readme = await readFile('README.md', 'utf8');
await writeFile('README.md', withEventTable(readme));
console.log('wrote the event table in README.md');
