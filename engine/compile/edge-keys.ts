import { lowbias32 } from '../kernel/rng.js';
import { shared } from './shared.js';

/**
 * Each explicit edge's stream key (CompiledModel.edgeKey): a hash of (source, target, relation) and of how
 * many edges with the same three came before it, so an edge draws the same attempt delays in every regime
 * and in every variant of the twin that keeps its two ends — removing or closing another edge entry shifts
 * CSR positions, never another edge's key (docs/engine.md "Coupled runs").
 */
export function edgeKeys(offsets: Int32Array, targets: Int32Array, edgeClass: Uint8Array | Uint16Array, classRelation: Uint8Array): Uint32Array {
  const keys = shared(Uint32Array, targets.length);
  // Per target: the last source that reached it, and the relations it used (a bit each), so a repeat of
  // (source, target, relation) is found in constant time; only a repeat pays for counting its predecessors.
  const nodes = offsets.length - 1;
  const lastSource = new Int32Array(nodes).fill(-1);
  const relationsSeen = new Uint8Array(nodes);
  for (let source = 0; source < nodes; source++) {
    const start = offsets[source]!;
    const end = offsets[source + 1]!;
    const salt = lowbias32(source ^ 0x5bd1e995);
    for (let k = start; k < end; k++) {
      const target = targets[k]!;
      const r = classRelation[edgeClass[k]!]!;
      let repeat = 0;
      if (lastSource[target] !== source) {
        lastSource[target] = source;
        relationsSeen[target] = 1 << r;
      } else if ((relationsSeen[target]! & (1 << r)) === 0) relationsSeen[target]! |= 1 << r;
      else for (let j = start; j < k; j++) if (targets[j] === target && classRelation[edgeClass[j]!] === r) repeat++;
      keys[k] = lowbias32(lowbias32(salt ^ target) ^ (r + 8 * repeat));
    }
  }
  return keys;
}
