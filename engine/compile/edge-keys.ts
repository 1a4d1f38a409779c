import { edgeKey, edgeSalt } from '../kernel/rng.js';
import type { CompiledModel } from './model.js';

/**
 * Each explicit edge's stream key — its attempts' random numbers — is a hash of (source, target, relation)
 * and of how many edges with the same three came before it in the source's list (its repeat, 0 almost
 * always), so an edge draws the same attempt delays in every regime and in every variant of the twin that
 * keeps its two ends: removing or closing another edge entry shifts CSR positions, never another edge's
 * key (docs/engine.md "Coupled runs"). The key is computed where it is drawn (kernel/rng.ts `edgeKey`), from
 * the edge's class tag (relation + 8 × repeat, CompiledModel.classTag), not stored per edge (62 MB on
 * nhs-england).
 */

/** Edge k's stream key (the entity of its attempts' draws), out of `source`. */
export function edgeKeyOf(m: Pick<CompiledModel, 'targets' | 'edgeClass' | 'classTag'>, source: number, k: number): number {
  return edgeKey(edgeSalt(source), m.targets[k]!, m.classTag[m.edgeClass[k]!]!);
}

/**
 * The edges whose repeat is not 0, by CSR position. Per target: the last source that reached it, and the
 * relations it used (a bit each), so a repeat of (source, target, relation) is found in constant time; only
 * a repeat pays for counting its predecessors.
 */
export function edgeRepeats(offsets: Int32Array, targets: Int32Array, edgeGroup: Int32Array, groupRelation: Uint8Array): Map<number, number> {
  const repeats = new Map<number, number>();
  const nodes = offsets.length - 1;
  const lastSource = new Int32Array(nodes).fill(-1);
  const relationsSeen = new Uint8Array(nodes);
  for (let source = 0; source < nodes; source++) {
    const start = offsets[source]!;
    const end = offsets[source + 1]!;
    for (let k = start; k < end; k++) {
      const target = targets[k]!;
      const r = groupRelation[edgeGroup[k]!]!;
      if (lastSource[target] !== source) {
        lastSource[target] = source;
        relationsSeen[target] = 1 << r;
      } else if ((relationsSeen[target]! & (1 << r)) === 0) relationsSeen[target]! |= 1 << r;
      else {
        let repeat = 0;
        for (let j = start; j < k; j++) if (targets[j] === target && groupRelation[edgeGroup[j]!] === r) repeat++;
        repeats.set(k, repeat);
      }
    }
  }
  return repeats;
}
