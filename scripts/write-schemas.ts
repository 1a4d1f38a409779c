// Regenerates schemas/*.schema.json from the zod schemas; a test fails if the committed files are stale.
import { writeFileSync } from 'node:fs';
import { DOCUMENTS, jsonSchema, type DocumentKind } from '../engine/model/json-schema.js';

for (const kind of Object.keys(DOCUMENTS) as DocumentKind[]) {
  const file = new URL(`../schemas/${kind}.schema.json`, import.meta.url);
  writeFileSync(file, `${JSON.stringify(jsonSchema(kind), null, 2)}\n`);
  console.log(`wrote schemas/${kind}.schema.json`);
}
