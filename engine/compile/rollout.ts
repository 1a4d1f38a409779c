import type { Delay } from '../model/common.js';
import type { ExpandedTwin } from '../model/expand.js';
import { packDelay } from './delay.js';
import type { Controls } from '../model/regime.js';
import type { Threat } from '../model/scenario.js';
import type { Twin } from '../model/twin.js';
import { RELATIONS } from '../model/vocabulary.js';
import { selectMembers } from './members.js';
import { relationOf, type CompiledModel } from './model.js';
import { shared, sharedFrom } from './shared.js';

export type RolloutArrays = Pick<CompiledModel, 'affected' | 'wave' | 'waveOffsets' | 'waveEndpoints' | 'waveSources' | 'waveIntervalMinutes' | 'haltAfterFailures' | 'haltDelay'>;

/**
 * A halt rule's delay when the regime gives none: from the failure that reaches the threshold to the halt
 * taking effect — crashed endpoints missing from the vendor's telemetry, or their customers' reports, then
 * the decision and the pull. Assumption: lognormal, median 20 minutes, sigma 0.8 (95% within about 75 minutes). No vendor
 * publishes the figure; the bound is Channel File 291, pulled by hand 78 minutes after release with no halt
 * rule at all (CrowdStrike PIR, 24 July 2024), which an automated rule should beat. Without a delay the rule
 * would stop the rollout at exactly haltAfterFailures failures in every run, whatever the waves.
 */
export const DEFAULT_HALT_DELAY: Delay = { dist: 'lognormal', medianMinutes: 20, sigma: 0.8 };

/** A fixed pseudo-random number in [0, 1) for a member index (murmur3's finalizer). */
export function unitOf(i: number): number {
  let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/**
 * A faulty update's endpoints and staged-rollout waves. Members the threat `affects` break on receiving
 * it. Every target of an `update` edge out of a `source` member is an endpoint, once (offered by the first
 * source in member order, along its first such edge); its wave is the first whose cumulative share exceeds
 * the endpoint's fixed unit number (unitOf), so canary membership does not change between runs, as a
 * vendor's rings do not. Without staged rollout there is one wave. Other threats get empty lists.
 */
export function compileRollout(
  twin: Twin,
  expanded: ExpandedTwin,
  threat: Threat,
  stagedRollout: Controls['stagedRollout'],
  edges: Pick<CompiledModel, 'offsets' | 'targets' | 'edgeClass' | 'classRelation'>,
): RolloutArrays {
  const n = expanded.nodeCount;
  const { offsets, targets } = edges;
  const affected = shared(Uint8Array, n);
  const wave = shared(Uint8Array, n);
  const waves = stagedRollout?.waves ?? [1];
  const waveLists: number[][] = waves.map(() => []);
  const waveSourceLists: number[][] = waves.map(() => []);
  if (threat.kind === 'faulty-update') {
    for (const i of selectMembers(twin, expanded.entryStart, threat.affects)) affected[i] = 1;
    const isSource = new Uint8Array(n);
    for (const i of selectMembers(twin, expanded.entryStart, threat.source)) isSource[i] = 1;
    const seen = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      if (!isSource[i]) continue;
      for (let k = offsets[i]!; k < offsets[i + 1]!; k++) {
        const j = targets[k]!;
        if (RELATIONS[relationOf(edges, k)] !== 'update' || seen[j]) continue;
        seen[j] = 1;
        const u = unitOf(j);
        let w = 0;
        while (u >= waves[w]! && w < waves.length - 1) w++;
        wave[j] = w;
        waveLists[w]!.push(j);
        waveSourceLists[w]!.push(i);
      }
    }
  }
  const waveOffsets = shared(Int32Array, waves.length + 1);
  waveLists.forEach((list, w) => (waveOffsets[w + 1] = waveOffsets[w]! + list.length));
  return {
    affected,
    wave,
    waveOffsets,
    waveEndpoints: sharedFrom(Int32Array, waveLists.flat()),
    waveSources: sharedFrom(Int32Array, waveSourceLists.flat()),
    waveIntervalMinutes: stagedRollout?.waveIntervalMinutes ?? 0,
    haltAfterFailures: stagedRollout?.haltAfterFailures ?? Infinity,
    haltDelay: packDelay(stagedRollout ? (stagedRollout.haltDelay ?? DEFAULT_HALT_DELAY) : undefined),
  };
}
