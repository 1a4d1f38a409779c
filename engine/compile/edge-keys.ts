import { lowbias32 } from '../kernel/rng.js';
import { shared } from './shared.js';

/**
 * Each explicit edge's stream key (CompiledModel.edgeKey): a hash of (source, target, relation) and of how
 * many edges with the same three came before it, so an edge draws the same attempt delays in every regime
 * and in every variant of the twin that keeps its two ends — removing or closing another edge entry shifts
 * CSR positions, never another edge's key (docs/engine.md "Coupled runs").
 */
export function edgeKeys(offsets: Int32Array, targets: Int32Array, relation: Uint8Array): Uint32Array {
  const keys = shared(Uint32Array, targets.length);
  const seen = new Map<number, number>();
  for (let source = 0; source + 1 < offsets.length; source++) {
    seen.clear();
    for (let k = offsets[source]!; k < offsets[source + 1]!; k++) {
      const pair = targets[k]! * 8 + relation[k]!;
      const repeat = seen.get(pair) ?? 0;
      seen.set(pair, repeat + 1);
      keys[k] = lowbias32(lowbias32(lowbias32(source ^ 0x5bd1e995) ^ targets[k]!) ^ (relation[k]! + 8 * repeat));
    }
  }
  return keys;
}
