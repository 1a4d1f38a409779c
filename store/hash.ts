import { createHash } from 'node:crypto';
import { InvalidArgumentStoreError } from './errors.js';

/**
 * Canonical JSON after RFC 8785 (JSON Canonicalization Scheme): object keys sorted by UTF-16 code units,
 * no whitespace, numbers and strings as ECMAScript's JSON.stringify writes them. Two documents that
 * mean the same (keys in another order, a YAML file and its JSON conversion) give the same text.
 * Like JSON.stringify, `toJSON` is honoured and undefined members are dropped; unlike it, non-finite
 * numbers, bigints, functions and symbols are refused (RFC 8785 §3.2.2.3: NaN has no JSON form, and
 * writing it as null would give two different inputs one hash).
 */
export function canonicalJson(value: unknown): string {
  return write(value, '$');
}

/** sha256 (lower-case hex) of a value's canonical JSON: the content hash of a validated twin, scenario or regime. */
export function contentHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function write(value: unknown, path: string): string {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new InvalidArgumentStoreError(`canonicalJson: ${path} is ${value}, which has no JSON form`);
      return JSON.stringify(value);
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return `[${value.map((item, i) => (item === undefined ? 'null' : write(item, `${path}[${i}]`))).join(',')}]`;
      if (ArrayBuffer.isView(value) || value instanceof Map || value instanceof Set) {
        throw new InvalidArgumentStoreError(`canonicalJson: ${path} is a ${value.constructor.name}; pass plain JSON data`);
      }
      return `{${Object.keys(value)
        .sort()
        .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
        .map((key) => `${JSON.stringify(key)}:${write((value as Record<string, unknown>)[key], `${path}.${key}`)}`)
        .join(',')}}`;
    default:
      throw new InvalidArgumentStoreError(`canonicalJson: ${path} is a ${typeof value}, which has no JSON form`);
  }
}
