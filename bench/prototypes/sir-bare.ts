import { DIST_CODE, type CompiledModel } from '../../engine/compile/model.js';
import { EventHeap } from '../../engine/kernel/heap.js';
import { edgeKey, edgeSalt, exponentialAt, RunStreams, STREAM, uniformAt } from '../../engine/kernel/rng.js';

/** Event kinds. */
const ATTEMPT = 0;
const RESTORE = 1;
/** Member status. */
const SUSCEPTIBLE = 0;
const INFECTED = 1;
const RECOVERED = 2;

/**
 * PROTOTYPE (bench only): the general path's design with no model in it — Strata's event queue (the radix
 * heap of engine/kernel/heap.ts, its slots and sequence numbers), its counter-based draws with the same
 * stream keys and edge keys, every attempt that falls before the source's restore queued (no pruning by the
 * target's earliest pending attempt, as the general path cannot prune), and stale attempts skipped when
 * served — in one plain loop over a compiled SIR model. No layers, owners, sites, controls, metrics, trace,
 * services or event kinds beyond two.
 *
 * It draws exactly what the kernel draws on the general path, so its outbreaks are the kernel's, run for run
 * (the SIR bench checks the final sizes: `bareRunsDiffering`). Its speed against the kernel's general path
 * is what the model and the kernel's structure (its handlers, event kinds and checks) cost on that path;
 * against C lazy, what the engine's design (queue and streams) reaches in JavaScript without them. Only a
 * plain SIR model is accepted (the SIR twin of bench/sir/er-twin.ts).
 */
export class SirBare {
  private readonly status: Uint8Array;
  private readonly edgeKeys: Int32Array;
  /** Each edge's ease (its class's). */
  private readonly edgeEase: Float64Array;
  private readonly heap = new EventHeap(1 << 12);
  private readonly streams = new RunStreams();

  constructor(private readonly model: CompiledModel) {
    const m = model;
    // Static spread (no detection, responses or kill switch), quiet restores (no payload, patients or
    // exfiltration), no zones, operators or update, every edge a sure attempt: nothing but attempts and
    // restores happens, and nothing stops an attempt but its target's state.
    const plain = m.staticSpread === 1 && m.quietRestore === 1 && m.zoneCount === 0 && m.operatorCount === 0;
    const quiet = m.releaseMinutes > m.horizonMinutes && m.killSwitchMinutes > m.horizonMinutes;
    const sure = m.edgeSpread.length === m.targets.length && m.edgeSpread.every((code) => code > 0);
    if (!plain || !quiet || !sure) {
      throw new TypeError('SirBare: the model must be plain SIR (static spread, quiet restores, every edge a sure attempt)');
    }
    if (m.spread[0] !== DIST_CODE.exponential || m.autoRestore[0] !== DIST_CODE.exponential) {
      throw new TypeError('SirBare: spread and restore delays must be exponential');
    }
    this.status = new Uint8Array(m.nodeCount);
    // The kernel keeps the same keys per state, filled at a source's first draw (spread.ts keysFrom).
    this.edgeKeys = new Int32Array(m.targets.length);
    this.edgeEase = Float64Array.from(m.edgeClass, (c) => m.classEase[c]!);
    for (let u = 0; u < m.nodeCount; u++) {
      const salt = edgeSalt(u);
      for (let k = m.offsets[u]!; k < m.offsets[u + 1]!; k++) this.edgeKeys[k] = edgeKey(salt, m.targets[k]!, m.classTag[m.edgeClass[k]!]!);
    }
  }

  /** Run `runIndex` of a batch with seed `seed`; returns the members compromised. */
  run(seed: number, runIndex: number): number {
    const m = this.model;
    const { status, edgeKeys, edgeEase, heap } = this;
    const { offsets, targets, horizonMinutes: horizon } = m;
    const meanSpread = m.spread[1]!;
    const meanRestore = m.autoRestore[1]!;
    this.streams.seed(seed, runIndex);
    const keys = this.streams.keys;
    status.fill(SUSCEPTIBLE);
    heap.clear();
    // The scenario's entries, drawn as seedEntries (spread.ts) draws them.
    for (let e = 0; e < m.entryOffsets.length - 1; e++) {
      const first = m.entryOffsets[e]!;
      const candidates = m.entryOffsets[e + 1]! - first;
      if (candidates === 0) continue;
      const at = m.entryParams[e * 3 + 1]!;
      const width = m.entryParams[e * 3 + 2]!;
      for (let c = 0; c < m.entryParams[e * 3]!; c++) {
        const node = m.entryCandidates[first + Math.floor(uniformAt(keys, STREAM.entryMember, e, c) * candidates)]!;
        const time = width > 0 ? at + uniformAt(keys, STREAM.entryTime, e, c) * width : at;
        if (time <= horizon) heap.push(time, ATTEMPT, node, -1);
      }
    }
    let compromised = 0;
    while (heap.size > 0) {
      const slot = heap.first();
      const t = heap.time[slot]!;
      if (t > horizon) break;
      const kind = heap.kind[slot]!;
      const u = heap.node[slot]!;
      heap.pop();
      if (kind === RESTORE) {
        status[u] = RECOVERED;
        continue;
      }
      if (status[u] !== SUSCEPTIBLE) continue;
      status[u] = INFECTED;
      compromised++;
      // delayAt's exponential branch with ease 1 (x / 1 is x): the kernel's restore time, bit for bit.
      const restoreAt = t + meanRestore * exponentialAt(keys, STREAM.autoRestore, u, 0);
      if (restoreAt <= horizon) heap.push(restoreAt, RESTORE, u, 0);
      const limit = restoreAt < horizon ? restoreAt : horizon;
      for (let k = offsets[u]!, end = offsets[u + 1]!; k < end; k++) {
        const v = targets[k]!;
        if (status[v] !== SUSCEPTIBLE) continue;
        const due = t + (meanSpread * exponentialAt(keys, STREAM.attempt, edgeKeys[k]!, 0)) / edgeEase[k]!;
        if (due < limit) heap.push(due, ATTEMPT, v, k);
      }
    }
    return compromised;
  }
}
