import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOCUMENTS, jsonSchema, type DocumentKind } from '../../../engine/model/json-schema.js';

describe('JSON Schema', () => {
  for (const kind of Object.keys(DOCUMENTS) as DocumentKind[]) {
    it(`schemas/${kind}.schema.json is up to date with the zod source (npm run schemas)`, () => {
      const committed = JSON.parse(readFileSync(`schemas/${kind}.schema.json`, 'utf8'));
      expect(committed).toEqual(jsonSchema(kind));
    });
  }

  it('describes the enumerations editors should complete', () => {
    const twin = JSON.stringify(jsonSchema('twin'));
    for (const word of ['physical', 'network', 'cloud', 'infusion-pump', 'management', 'one-to-one']) expect(twin).toContain(`"${word}"`);
  });
});
