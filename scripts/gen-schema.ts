// Writes schema/*.schema.json from the zod schemas the types come from. A test fails when the
// committed files differ from what this would write: run `npm run schema` after changing a schema.
import { writeFileSync, mkdirSync } from 'node:fs';
import { SCHEMAS, jsonSchemaText } from '../lib/model/json-schemas.ts';

mkdirSync('schema', { recursive: true });
for (const name of Object.keys(SCHEMAS)) {
  writeFileSync(`schema/${name}.schema.json`, jsonSchemaText(name));
  console.log(`wrote schema/${name}.schema.json`);
}
