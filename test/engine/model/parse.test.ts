import { describe, expect, it } from 'vitest';
import { DocumentReadError } from '../../../engine/model/errors.js';
import { parseText, repeatedJsonKey } from '../../../engine/model/parse.js';
import { LIMITS } from '../../../engine/model/vocabulary.js';
import { expectPrototypesClean, expectWellFormed, pathsOf, prototypeSnapshot, refusal } from '../../fixtures/model/helpers.js';

/**
 * parse.ts: bytes → plain JSON-like data, or a DocumentReadError naming the file and, where there is one,
 * the field path. Nothing here knows about twins; the broken-document suite covers the whole pipeline.
 */

const prototypesBefore = prototypeSnapshot();

function readError(text: string | Uint8Array, file = 'doc.yaml'): DocumentReadError {
  const refused = refusal(() => parseText(text, file));
  expect(refused).toBeInstanceOf(DocumentReadError);
  expectWellFormed(refused);
  expect(refused.issues.every((issue) => issue.file === file)).toBe(true);
  return refused;
}

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('parseText reads', () => {
  it('YAML into plain values', () => {
    expect(parseText('a: 1\nb: [x, true, null]\nc: { d: 2.5 }\n', 'doc.yaml')).toEqual({ a: 1, b: ['x', true, null], c: { d: 2.5 } });
  });

  it('JSON when the file ends in .json, in any case', () => {
    expect(parseText('{"a": [1, 2]}', 'doc.json')).toEqual({ a: [1, 2] });
    expect(parseText('{"a": [1, 2]}', 'DOC.JSON')).toEqual({ a: [1, 2] });
  });

  it('JSON as YAML when the extension says nothing', () => {
    expect(parseText('{"a": [1, 2]}', 'doc')).toEqual({ a: [1, 2] });
  });

  it('UTF-8 bytes, multi-byte characters included', () => {
    expect(parseText(utf8('name: Hôpital Saint-Louis — ward 3 🏥\n'), 'doc.yaml')).toEqual({ name: 'Hôpital Saint-Louis — ward 3 🏥' });
  });

  it('through a byte-order mark, as bytes or as a string', () => {
    expect(parseText(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8('a: 1\n')]), 'doc.yaml')).toEqual({ a: 1 });
    expect(parseText('\uFEFF{"a": 1}', 'doc.json')).toEqual({ a: 1 });
  });

  it('anchors and aliases used sparingly', () => {
    expect(parseText('base: &b { x: 1 }\nuse: [*b, *b]\n', 'doc.yaml')).toEqual({ base: { x: 1 }, use: [{ x: 1 }, { x: 1 }] });
  });

  it('a comment-only file as null (the loaders then refuse it as no mapping)', () => {
    expect(parseText('# nothing here\n', 'doc.yaml')).toBeNull();
  });

  it('reserved words as values, and harmless built-in names as keys', () => {
    const value = parseText('name: __proto__\ntoString: 1\nvalueOf: 2\nhasOwnProperty: 3\n', 'doc.yaml') as Record<string, unknown>;
    expect(value.name).toBe('__proto__');
    expect(Object.keys(value)).toEqual(['name', 'toString', 'valueOf', 'hasOwnProperty']);
    expectPrototypesClean(prototypesBefore);
  });

  it(`exactly ${LIMITS.depth} levels of nesting below the root`, () => {
    const depth = LIMITS.depth + 1; // brackets: the innermost list sits at depth LIMITS.depth
    expect(() => parseText(`${'['.repeat(depth)}${']'.repeat(depth)}`, 'doc.yaml')).not.toThrow();
  });
});

describe('parseText refuses', () => {
  it.each([
    ['an empty text', ''],
    ['whitespace only', '  \n\t\r\n'],
    ['a byte-order mark only', '\uFEFF'],
  ])('%s, as a document with no path', (_, text) => {
    expect(pathsOf(readError(text))).toEqual(['']);
  });

  it('a NUL byte, in YAML or JSON, naming where it is', () => {
    expect(() => parseText('name: "a\u0000b"\n', 'x.yaml')).toThrow('x.yaml: expected text, got a NUL byte at character 8');
    expect(() => parseText('{"name": "a\u0000b"}', 'x.json')).toThrow(/expected text, got a NUL byte/);
    // Escaped, it is a character like any other.
    expect(parseText('{"name": "a\\u0000b"}', 'x.json')).toEqual({ name: 'a\u0000b' });
  });

  it.each([
    ['a lone continuation byte', bytes(0x80)],
    ['0xFF', bytes(0x61, 0x3a, 0x20, 0xff)],
    ['an overlong encoding of "/"', bytes(0x61, 0x3a, 0x20, 0xc0, 0xaf)],
    ['an encoded UTF-16 surrogate', bytes(0x61, 0x3a, 0x20, 0xed, 0xa0, 0x80)],
    ['a code point beyond U+10FFFF', bytes(0x61, 0x3a, 0x20, 0xf4, 0x90, 0x80, 0x80)],
    ['a truncated multi-byte sequence at the end', bytes(0x61, 0x3a, 0x20, 0xe2, 0x82)],
    ['UTF-16 with its byte-order mark', bytes(0xff, 0xfe, 0x61, 0x00, 0x3a, 0x00)],
  ])('invalid UTF-8: %s', (_, input) => {
    expect(pathsOf(readError(input))).toEqual(['']);
  });

  it.each([
    ['an unclosed flow list', 'a: 1\nb: [1, 2\nc: 3\n', 3],
    ['a tab used as indentation', 'a:\n\tb: 1\n', 2],
    ['a duplicate key', 'a: 1\nb: 2\na: 3\n', 3],
    // The yaml package reports an unterminated string where the input runs out.
    ['an unterminated quoted string', 'a: 1\nb: "open\n', 3],
  ])('YAML with %s, naming the line', (_, text, line) => {
    const refused = readError(text);
    expect(pathsOf(refused)).toEqual(['']);
    expect(refused.issues[0]!.message).toContain(`line ${line}`);
  });

  it('more than one YAML document', () => {
    expect(pathsOf(readError('a: 1\n---\nb: 2\n'))).toEqual(['']);
  });

  it.each([
    ['a trailing comma', '{"a": 1,}'],
    ['single quotes', "{'a': 1}"],
    ['a comment', '{"a": 1} // note'],
    ['NaN', '{"a": NaN}'],
    ['YAML', 'a: 1\n'],
  ])('JSON with %s', (_, text) => {
    expect(pathsOf(readError(text, 'doc.json'))).toEqual(['']);
  });

  it.each([
    ['__proto__', 'a: { __proto__: { polluted: 1 } }\n', 'a.__proto__'],
    ['quoted "__proto__"', 'a: [{ "__proto__": { polluted: 1 } }]\n', 'a[0].__proto__'],
    ['!!str __proto__', '!!str __proto__: { polluted: 1 }\n', '__proto__'],
    ['constructor', 'constructor: { prototype: { polluted: 1 } }\n', 'constructor'],
    ['prototype', 'a: { b: { prototype: 1 } }\n', 'a.b.prototype'],
  ])('the reserved key %s in YAML', (_, text, path) => {
    expect(pathsOf(readError(text))).toEqual([path]);
    expectPrototypesClean(prototypesBefore);
  });

  it.each([
    ['__proto__', '{"a": {"__proto__": {"polluted": 1}}}', 'a.__proto__'],
    ['constructor', '[{"constructor": {"prototype": {"polluted": 1}}}]', '[0].constructor'],
  ])('the reserved key %s in JSON', (_, text, path) => {
    expect(pathsOf(readError(text, 'doc.json'))).toEqual([path]);
    expectPrototypesClean(prototypesBefore);
  });

  it('a reserved key brought in by a YAML 1.1 merge key', () => {
    expect(pathsOf(readError('%YAML 1.1\n---\nbase: &b { x: 1 }\nc: { <<: [*b, { __proto__: { polluted: 1 } }] }\n'))).toEqual(['c.__proto__']);
    expectPrototypesClean(prototypesBefore);
  });

  it('every reserved key, each with its path, up to 50 of them', () => {
    expect(pathsOf(readError('__proto__: 1\nb: { constructor: 2 }\nc: [{ prototype: 3 }]\n'))).toEqual(['__proto__', 'b.constructor', 'c[0].prototype']);
    const many = Array.from({ length: 120 }, (_, i) => `k${i}: { __proto__: ${i} }`).join('\n');
    expect(readError(many).issues).toHaveLength(50);
  });

  it(`${LIMITS.depth + 1} levels of nesting below the root`, () => {
    const depth = LIMITS.depth + 2;
    const refused = readError(`${'['.repeat(depth)}${']'.repeat(depth)}`);
    expect(refused.issues[0]!.path).toBe('[0]'.repeat(LIMITS.depth + 1));
  });

  it('deep mappings, path included', () => {
    const depth = LIMITS.depth + 5;
    const text = `${Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}k:`).join('\n')} 1\n`;
    expect(readError(text).issues[0]!.path.startsWith('k.k.k.k')).toBe(true);
  });

  it.each([
    ['100,000 nested flow lists', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, 'doc.yaml'],
    ['100,000 nested JSON arrays', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, 'doc.json'],
    ['100,000 nested JSON objects', `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`, 'doc.json'],
    ['a self-referencing alias', 'a: &a [*a]\n', 'doc.yaml'],
    ['a self-referencing mapping alias', 'a: &a { b: *a }\n', 'doc.yaml'],
  ])('%s, without overflowing the stack', (_, text, file) => {
    const started = performance.now();
    readError(text, file);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it.each([
    ['.nan', 'a: .nan\n', 'a', 'NaN'],
    ['.inf', 'a: [1, .inf]\n', 'a[1]', 'Infinity'],
    ['-.inf', 'a: { b: -.INF }\n', 'a.b', '-Infinity'],
    ['an overflowing literal', `a: 1e400\n`, 'a', 'Infinity'],
  ])('the non-finite number %s', (_, text, path, value) => {
    const refused = readError(text);
    expect(pathsOf(refused)).toEqual([path]);
    expect(refused.issues[0]!.message).toContain(value);
  });

  it('an overflowing number in JSON', () => {
    expect(pathsOf(readError('{"count": 1e400}', 'doc.json'))).toEqual(['count']);
  });

  it.each([
    ['!!binary', 'a: !!binary aGVsbG8=\n', 'a'],
    ['!!set', 'a: !!set { x, y }\n', 'a'],
    ['!!omap', 'a: !!omap [ { x: 1 }, { y: 2 } ]\n', 'a'],
    ['a YAML 1.1 timestamp', '%YAML 1.1\n---\na: 2017-05-12T07:44:00Z\n', 'a'],
  ])('non-plain data: %s', (_, text, path) => {
    expect(pathsOf(readError(text))).toEqual([path]);
  });

  it('an alias bomb, quickly', () => {
    const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i <= 12; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
    const started = performance.now();
    expect(pathsOf(readError(`${lines.join('\n')}\n`))).toEqual(['']);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('leaves Object.prototype and Array.prototype untouched after all of the above', () => {
    expectPrototypesClean(prototypesBefore);
  });
});

describe('repeated keys in JSON (JSON.parse keeps the last silently)', () => {
  it('finds the first key repeated in one object, with the path of that object', () => {
    expect(repeatedJsonKey('{"a":1,"a":2}')).toEqual({ key: 'a', path: [] });
    expect(repeatedJsonKey('{"a" : 1, "b": {"c": 1}, "a" :2}')).toEqual({ key: 'a', path: [] });
    expect(repeatedJsonKey('{"nodes":[{"id":"x"},{"id":"y","id":"z"}]}')).toEqual({ key: 'id', path: ['nodes', 1] });
    expect(repeatedJsonKey('{"s":{"t":[[1],[2,{"k":1,"k":1}]]}}')).toEqual({ key: 'k', path: ['s', 't', 1, 1] });
  });

  it('is not fooled by the same key in different objects, or by quotes, colons and commas inside strings', () => {
    expect(repeatedJsonKey('{"a\\"b":1,"c":{"a\\"b":2}}')).toBeUndefined();
    expect(repeatedJsonKey('{"x":"a:b,\\"c\\":","y":["\\"",":",","],"z":{"x":1}}')).toBeUndefined();
    expect(repeatedJsonKey('[{"a":1},{"a":1}]')).toBeUndefined();
  });

  it('refuses a JSON document with a repeated key, naming its path', () => {
    expect(() => parseText('{"controls": {"mfa": true, "mfa": false}}', 'r.json')).toThrow(/controls: expected each key once in a mapping, got "mfa" again/);
  });

  it('refuses a YAML document with a repeated key, naming its path and line', () => {
    expect(() => parseText('controls:\n  stages:\n    - { a: 1 }\n    - { b: 1, b: 2 }\n', 'r.yaml')).toThrow(/r\.yaml: controls\.stages\[1\]: expected each key once in a mapping, got "b" again at line 4, column \d+$/);
    expect(() => parseText('a: 1\na: 2\n', 'r.yaml')).toThrow(/^r\.yaml: expected each key once in a mapping, got "a" again at line 2, column 1$/);
  });
});

describe('a file that is not a document at all', () => {
  it('is named with an excerpt of what it holds, not echoed whole', async () => {
    const { parseTwin } = await import('../../../engine/model/load.js');
    const passwd = Array.from({ length: 40 }, (_, i) => `user${i}:x:${i}:${i}::/home/user${i}:/bin/sh`).join('\n');
    try {
      parseTwin(passwd, '/etc/passwd');
      expect.unreachable();
    } catch (error) {
      const message = (error as DocumentReadError).issues[0]!.message;
      expect(message).toMatch(/^expected a strata\.twin\/v1 document \(a mapping\), got "user0:x:0:0::\/home\/user0:\/bin\/sh user1.*… \([\d,]+ characters\)$/);
      expect(message.length).toBeLessThan(140);
    }
  });
});
