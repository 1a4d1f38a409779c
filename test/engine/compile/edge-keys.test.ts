import { describe, expect, it } from 'vitest';
import { edgeKeyOf, edgeRepeats } from '../../../engine/compile/edge-keys.js';

/**
 * Every edge's key from CSR arrays with a relation per edge (each edge its own group): what the kernel
 * draws with, through edgeKeyOf, with each edge's class tag (relation + 8 × repeat).
 */
function edgeKeys(offsets: Int32Array, targets: Int32Array, relation: Uint8Array): number[] {
  const repeats = edgeRepeats(offsets, targets, Int32Array.from(relation, (_r, k) => k), relation);
  const model = { targets, edgeClass: Uint16Array.from(relation, (_r, k) => k), classTag: Int32Array.from(relation, (r, k) => r + 8 * (repeats.get(k) ?? 0)) };
  const keys: number[] = [];
  for (let source = 0; source < offsets.length - 1; source++) for (let k = offsets[source]!; k < offsets[source + 1]!; k++) keys.push(edgeKeyOf(model, source, k));
  return keys;
}

describe('edge keys', () => {
  // Sources 0, 1, 2 with edges (target, relation): CSR offsets and arrays.
  const offsets = Int32Array.from([0, 3, 5, 6]);
  const targets = Int32Array.from([1, 2, 1, 0, 2, 0]);
  const relation = Uint8Array.from([0, 3, 0, 0, 0, 5]);

  it('keys an edge by its two ends and relation, not its position', () => {
    const keys = edgeKeys(offsets, targets, relation);
    // Drop source 0's second edge: every other edge keeps its key, though the CSR positions after it move.
    const fewer = edgeKeys(Int32Array.from([0, 2, 4, 5]), Int32Array.from([1, 1, 0, 2, 0]), Uint8Array.from([0, 0, 0, 0, 5]));
    expect(fewer).toEqual([keys[0], keys[2], keys[3], keys[4], keys[5]]);
  });

  it('gives a repeated (source, target, relation) a key of its own, and different relations different keys', () => {
    const keys = edgeKeys(offsets, targets, relation);
    expect(new Set(keys).size).toBe(keys.length);
    // The repeat (0 → 1 network, twice) and the same pair over another relation.
    const again = edgeKeys(Int32Array.from([0, 3, 3]), Int32Array.from([1, 1, 1]), Uint8Array.from([0, 0, 3]));
    expect(new Set(again).size).toBe(3);
    expect(again[0]).toBe(keys[0]);
  });

  it('counts a repeat only for the same source, target and relation', () => {
    // 0 → 1 network three times, 0 → 1 identity, 0 → 2 network: repeats 1 and 2 for the second and third.
    const repeats = edgeRepeats(Int32Array.from([0, 5, 5, 5]), Int32Array.from([1, 1, 1, 1, 2]), Int32Array.from([0, 1, 2, 3, 4]), Uint8Array.from([0, 0, 3, 0, 0]));
    expect([...repeats]).toEqual([
      [1, 1],
      [3, 2],
    ]);
  });
});
