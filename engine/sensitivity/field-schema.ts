/**
 * What a document's JSON Schema (engine/model/json-schema.ts) says about one numeric field: whole or not,
 * a share or not, and its bounds. Used to give an uncertain parameter a default range that the document
 * accepts. A `oneOf` (a threat's kind, a delay's dist) is resolved by the branch whose constant properties
 * match the document.
 */
export interface NumericField {
  integer: boolean;
  /**
   * Bounded to [0, 1] and described as a share (a share of nodes, of sites, of a service's capacity). A
   * rate that happens to be capped at 1 (a harm rate per patient-hour, `clinical.harm[].perPatientHour`) is not one.
   */
  share: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

type Schema = Record<string, unknown>;

export function numericField(schema: Schema, document: unknown, path: readonly string[]): NumericField | null {
  const node = fieldSchema(schema, document, path);
  if (!node || (node.type !== 'number' && node.type !== 'integer')) return null;
  const bound = (name: string) => (typeof node[name] === 'number' ? { [name]: node[name] } : {});
  const share = node.minimum === 0 && node.maximum === 1 && /\bshare\b/i.test(String(node.description ?? ''));
  return { integer: node.type === 'integer', share, ...bound('minimum'), ...bound('maximum'), ...bound('exclusiveMinimum'), ...bound('exclusiveMaximum') };
}

/** The schema of the field at `path` of `document` (the branch its values take), or null where the schema has none. */
export function fieldSchema(schema: Schema, document: unknown, path: readonly string[]): Schema | null {
  let node: Schema | undefined = branch(schema, document);
  let value = document;
  for (const key of path) {
    if (!node) return null;
    if (node.type === 'array' && Array.isArray(value)) {
      node = node.items as Schema | undefined;
      value = value[Number(key)];
    } else {
      node = (node.properties as Record<string, Schema> | undefined)?.[key];
      value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    }
    node = node && branch(node, value);
  }
  return node ?? null;
}

/** The alternative of a oneOf/anyOf that `value` takes (its `const` properties agree), or the node itself. */
function branch(node: Schema, value: unknown): Schema | undefined {
  const options = (node.oneOf ?? node.anyOf) as Schema[] | undefined;
  if (!options) return node;
  const record = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  const chosen = options.find((option) => {
    const properties = (option.properties ?? {}) as Record<string, Schema>;
    const consts = Object.entries(properties).filter(([, p]) => 'const' in p);
    if (consts.length === 0) return option.type === typeof value || (option.type === 'integer' && typeof value === 'number');
    return consts.every(([key, p]) => record[key] === p.const);
  });
  return chosen && branch(chosen, value);
}
