/** Writes the blueprint JSON Schema that blueprint.yaml files reference for editor completion. */
import { writeFile } from 'node:fs/promises';
import { blueprintJsonSchema } from '../src/blueprint/blueprint-json-schema.ts';

await writeFile('blueprints/blueprint.schema.json', `${JSON.stringify(blueprintJsonSchema(), null, 2)}\n`);
console.log('wrote blueprints/blueprint.schema.json');
