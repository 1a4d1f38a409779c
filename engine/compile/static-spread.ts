import type { Scenario } from '../model/scenario.js';
import { easeOf, needsExploit, relationOf, type CompiledModel } from './model.js';
import { shared } from './shared.js';

/**
 * Whether nothing can close a path or stop a source once an attempt is scheduled: a worm (operators and
 * updates are not attempts), no
 * detection within the horizon, no responses, no kill switch (see CompiledModel.staticSpread).
 */
export function isStaticSpread(scenario: Scenario): boolean {
  const { threat, detection } = scenario;
  return (
    threat.kind === 'worm' &&
    detection.compromised === undefined &&
    detection.disrupted.dist === 'fixed' &&
    detection.disrupted.minutes > scenario.horizonHours * 60 &&
    scenario.responses.length === 0 &&
    !(threat.kind === 'worm' && threat.killSwitchAtMinutes !== undefined)
  );
}

/**
 * Static-spread models only (else empty): per edge, 0 when the threat does not use the relation or the ease
 * is 0; the ease for a sure attempt; minus the ease for one that may be stopped (a pass below 1, or a
 * target on an edge that needs an exploit that may be patched, or may not carry the flaw, in a run).
 */
export function compileEdgeSpread(
  staticSpread: boolean,
  relationMask: number,
  edges: Pick<CompiledModel, 'targets' | 'edgeGroup' | 'edgeClass' | 'classRelation' | 'classEase' | 'groupPass'>,
  vulnerabilities: Pick<CompiledModel, 'carryChance' | 'patchChance'>,
): Float32Array {
  const { carryChance, patchChance } = vulnerabilities;
  const { targets, groupPass, edgeGroup } = edges;
  const m = targets.length;
  const edgeSpread = shared(Float32Array, staticSpread ? m : 0);
  if (!staticSpread) return edgeSpread;
  for (let k = 0; k < m; k++) {
    const relation = relationOf(edges, k);
    const ease = easeOf(edges, k);
    if ((relationMask & (1 << relation)) === 0 || ease === 0) continue;
    const t = targets[k]!;
    edgeSpread[k] = groupPass[edgeGroup[k]!] === 1 && (!needsExploit(relation) || (patchChance[t] === 0 && carryChance[t] === 1)) ? ease : -ease;
  }
  return edgeSpread;
}

/**
 * Whether, in a static-spread model, restoring a compromised member changes nothing anything reads: no
 * payload, no patients (see CompiledModel.quietRestore; only worms are static-spread, and they take no records).
 */
export function isQuietRestore(scenario: Scenario, staticSpread: boolean, patients: Float32Array): boolean {
  const threat = scenario.threat;
  if (!staticSpread || threat.kind !== 'worm') return false;
  return threat.payload.effect === 'none' && patients.every((x) => x === 0);
}
