/**
 * Writes what is generated from the blueprint format's zod schemas: the JSON Schema that blueprint.yaml
 * files reference for editor completion, and the step kinds reference. Tests check both are current.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { blueprintJsonSchema } from '../src/blueprint/blueprint-json-schema.ts';
import { stepKindsReference } from '../src/blueprint/step-kinds-reference.ts';

await writeFile('blueprints/blueprint.schema.json', `${JSON.stringify(blueprintJsonSchema(), null, 2)}\n`);
console.log('wrote blueprints/blueprint.schema.json');
await mkdir('docs', { recursive: true });
await writeFile('docs/step-kinds.md', stepKindsReference());
console.log('wrote docs/step-kinds.md');
