import { describe, expect, it } from 'vitest';
import { DEFAULT_STORE_FILE, InvalidArgumentStoreError, canonicalJson, complementRanges, contentHash, storeFile } from '../../store/index.js';

describe('canonicalJson / contentHash', () => {
  it('sorts keys at every depth and drops undefined members, keeping array order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 'x', c: null }, 2], u: undefined })).toBe('{"a":[{"c":null,"d":"x"},2],"b":1}');
    expect(contentHash({ name: 't', nodes: [1, 2] })).toBe(contentHash({ nodes: [1, 2], name: 't' }));
    expect(contentHash({ nodes: [1, 2] })).not.toBe(contentHash({ nodes: [2, 1] }));
  });

  it('matches RFC 8785 on its number and string forms', () => {
    expect(canonicalJson({ n: [1e21, 1e-7, -0, 0.1, 1 / 3] })).toBe('{"n":[1e+21,1e-7,0,0.1,0.3333333333333333]}');
    expect(canonicalJson({ '\u20ac': 1, '\r': 2, a: 'é\n' })).toBe('{"\\r":2,"a":"é\\n","€":1}');
    expect(contentHash({})).toBe('44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
  });

  it('refuses values JSON cannot carry, naming where they are', () => {
    expect(() => canonicalJson({ a: [1, NaN] })).toThrow(InvalidArgumentStoreError);
    expect(() => canonicalJson({ a: [1, NaN] })).toThrow(/\$\.a\[1\]/);
    expect(() => canonicalJson({ a: 1n })).toThrow(InvalidArgumentStoreError);
    expect(() => canonicalJson({ a: new Map() })).toThrow(InvalidArgumentStoreError);
  });
});

describe('complementRanges', () => {
  it('returns the gaps of [0, total) in order', () => {
    expect(complementRanges([], 10)).toEqual([[0, 10]]);
    expect(complementRanges([[0, 10]], 10)).toEqual([]);
    expect(
      complementRanges(
        [
          [2, 4],
          [4, 6],
          [8, 9],
        ],
        10,
      ),
    ).toEqual([
      [0, 2],
      [6, 8],
      [9, 10],
    ]);
  });
});

describe('storeFile', () => {
  it('takes --db, then STRATA_DB, then ./strata.duckdb', () => {
    expect(storeFile('a.duckdb', { STRATA_DB: 'b.duckdb' })).toBe('a.duckdb');
    expect(storeFile(undefined, { STRATA_DB: 'b.duckdb' })).toBe('b.duckdb');
    expect(storeFile(undefined, {})).toBe(DEFAULT_STORE_FILE);
    expect(DEFAULT_STORE_FILE).toBe('./strata.duckdb');
  });
});
