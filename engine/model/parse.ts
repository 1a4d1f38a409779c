import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { DocumentReadError, formatPath, type ModelIssue } from './errors.js';
import { documentBytes, LIMITS, tooLarge } from './vocabulary.js';

/**
 * Bytes → a plain JSON-like value, or a DocumentReadError naming the file. Safe on hostile input: invalid
 * UTF-8 is refused, YAML alias bombs are capped by the yaml package (maxAliasCount), keys that could
 * reach a prototype are refused, and nesting is bounded so later walks cannot overflow the stack.
 */
/** A document's bytes as text: UTF-8 only (invalid bytes refused, not replaced), a byte-order mark dropped. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DocumentReadError([{ file, path: '', message: 'expected UTF-8 text, got invalid UTF-8 bytes' }]);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function parseText(bytes: Uint8Array | string, file: string): unknown {
  const fail = (message: string, path = ''): never => {
    throw new DocumentReadError([{ file, path, message }]);
  };
  // Before decoding or parsing: a string's length counts UTF-16 units, a byte or more each.
  const size = typeof bytes === 'string' ? bytes.length : bytes.byteLength;
  if (size > documentBytes(file).bytes) fail(tooLarge(file, size));
  let text = typeof bytes === 'string' ? bytes : decodeUtf8(bytes, file);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') fail('expected a document, got an empty file');
  // A NUL byte is never text (YAML forbids it; JSON allows it only escaped): a binary file or a corruption.
  const nul = text.indexOf('\u0000');
  if (nul >= 0) fail(`expected text, got a NUL byte at character ${nul}`);

  let value: unknown;
  if (/\.json$/i.test(file)) {
    try {
      value = JSON.parse(text);
    } catch (error) {
      fail(`expected JSON, got invalid JSON (${oneLine((error as Error).message)})`);
    }
    // JSON.parse keeps the last of a repeated key silently; YAML refuses it, and so does Strata.
    const repeated = repeatedJsonKey(text);
    if (repeated) throw new DocumentReadError([{ file, path: formatPath(repeated.path), message: `expected each key once in a mapping, got "${oneLine(repeated.key)}" again` }]);
  } else {
    // JSON is YAML 1.2, so one parser serves both when the extension says nothing.
    const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
    if (doc.errors.length > 0) {
      const first = doc.errors[0]!;
      const where = first.linePos ? ` at line ${first.linePos[0].line}, column ${first.linePos[0].col}` : '';
      // A key given twice is said with its field path, as in JSON (the parser gives only its line).
      const repeated = first.code === 'DUPLICATE_KEY' ? repeatedYamlKey(parseDocument(text, { uniqueKeys: false }).contents) : undefined;
      if (repeated) throw new DocumentReadError([{ file, path: formatPath(repeated.path), message: `expected each key once in a mapping, got "${oneLine(repeated.key)}" again${where}` }]);
      fail(`expected YAML, got a syntax error${where} (${oneLine(first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''))})`);
    }
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (error) {
      fail(`expected YAML without excessive aliases, got too many (${oneLine((error as Error).message)})`);
    }
  }
  const problems: ModelIssue[] = [];
  // Aliases are counted by the yaml package but not how much they expand to: a small file can alias a
  // large list a thousand times. A document without aliases never holds more values than twice its length.
  const budget = { values: Math.max(100_000, 2 * text.length) };
  walk(value, [], 0, file, problems, budget);
  if (problems.length > 0) throw new DocumentReadError(problems);
  return value;
}

/** The first key a YAML mapping repeats, with the path of its mapping, in document order. */
function repeatedYamlKey(node: unknown, path: PropertyKey[] = []): { path: PropertyKey[]; key: string } | undefined {
  if (isSeq(node)) {
    for (const [i, item] of node.items.entries()) {
      const found = repeatedYamlKey(item, [...path, i]);
      if (found) return found;
    }
  } else if (isMap(node)) {
    const seen = new Set<unknown>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      if (seen.has(key)) return { path, key: String(key) };
      seen.add(key);
      const found = repeatedYamlKey(pair.value, [...path, String(key)]);
      if (found) return found;
    }
  }
  return undefined;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function walk(value: unknown, path: PropertyKey[], depth: number, file: string, problems: ModelIssue[], budget: { values: number }): void {
  if (problems.length >= 50) return;
  if (--budget.values < 0) {
    if (budget.values === -1) problems.push({ file, path: '', message: 'expected a document whose aliases expand to a reasonable size, got an alias expansion larger than the file' });
    return;
  }
  if (depth > LIMITS.depth) {
    problems.push({ file, path: formatPath(path), message: `expected at most ${LIMITS.depth} levels of nesting, got deeper` });
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) walk(value[i], [...path, i], depth + 1, file, problems, budget);
  } else if (value !== null && typeof value === 'object') {
    if (value instanceof Map || value instanceof Set || value instanceof Date || value instanceof Uint8Array) {
      problems.push({ file, path: formatPath(path), message: `expected plain data (a mapping, list, string, number or boolean), got ${value.constructor.name}` });
      return;
    }
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) {
        problems.push({ file, path: formatPath([...path, key]), message: `expected a field name, got the reserved key "${key}"` });
        continue;
      }
      walk((value as Record<string, unknown>)[key], [...path, key], depth + 1, file, problems, budget);
    }
  } else if (typeof value === 'number' && !Number.isFinite(value)) {
    problems.push({ file, path: formatPath(path), message: `expected a finite number, got ${value}` });
  }
}

/**
 * The first key that appears twice in one JSON object, with the path of that object; undefined when none.
 * A single pass over valid JSON (JSON.parse has already accepted it): strings are skipped whole, and a
 * string followed by ':' inside an object is a key. Each open container keeps where it is: its current
 * key (an object) or index (a list).
 */
export function repeatedJsonKey(text: string): { key: string; path: PropertyKey[] } | undefined {
  const frames: { keys: Set<string> | null; at: PropertyKey }[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let j = i + 1;
      while (text.charCodeAt(j) !== 0x22) j += text.charCodeAt(j) === 0x5c ? 2 : 1;
      const top = frames[frames.length - 1];
      let k = j + 1;
      while (k < text.length && (text[k] === ' ' || text[k] === '\n' || text[k] === '\r' || text[k] === '\t')) k++;
      if (top?.keys && text[k] === ':') {
        const literal = text.slice(i + 1, j);
        const key = literal.includes('\\') ? (JSON.parse(`"${literal}"`) as string) : literal;
        if (top.keys.has(key)) return { key, path: frames.slice(0, -1).map((f) => f.at) };
        top.keys.add(key);
        top.at = key;
      }
      i = j;
    } else if (c === 0x7b) frames.push({ keys: new Set(), at: '' });
    else if (c === 0x5b) frames.push({ keys: null, at: 0 });
    else if (c === 0x7d || c === 0x5d) frames.pop();
    else if (c === 0x2c) {
      const top = frames[frames.length - 1];
      if (top && !top.keys) top.at = (top.at as number) + 1;
    }
  }
  return undefined;
}
