import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { blueprintJsonSchema } from '../../src/blueprint/blueprint-json-schema.ts';
import { stepKindsReference } from '../../src/blueprint/step-kinds-reference.ts';
import { stepKinds } from '../../src/steps/step-kinds.ts';

describe('the published blueprint JSON Schema', () => {
  it('is the one the loader would write today (run `npm run schema` after changing the format)', async () => {
    const committed = JSON.parse(await readFile('blueprints/blueprint.schema.json', 'utf8'));
    expect(committed).toEqual(blueprintJsonSchema());
  });

  it('describes the top-level keys and requires the essential ones', () => {
    const schema = blueprintJsonSchema() as { required: string[]; properties: Record<string, unknown> };
    expect(schema.required).toEqual(
      expect.arrayContaining(['schemaVersion', 'product', 'regions', 'stacks']),
    );
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining([
        'product',
        'deployment',
        'costTag',
        'regions',
        'questions',
        'stacks',
        'steps',
        'upgrade',
        'decommission',
      ]),
    );
  });

  it('has a current step kinds reference in docs/step-kinds.md, a section per kind', async () => {
    const committed = await readFile('docs/step-kinds.md', 'utf8');
    expect(committed).toBe(stepKindsReference());
    for (const kind of stepKinds) expect(committed).toContain(`## \`${kind.kind}\``);
    // Nested settings get their own rows, so a vendor sees every key a list of objects takes.
    expect(committed).toMatch(/\| `vcpus\[\]\.quota` \|/);
  });
});
