import type { CompiledModel } from '../compile/model.js';
import { laneA, laneB, STREAM, uniformOf } from './rng.js';

/**
 * A run's estate: which members carry the exploited flaw and which the regime patched, drawn per member per
 * run from their chances (compile/vulnerabilities.ts) on the estate stream — entity the member, counter 0
 * for carrying, 1 for the patch. A share in the twin is a per-node probability, not a fixed count, so two
 * runs differ in which hosts are open, and a regime with more coverage patches a superset of the hosts a
 * lower one does in the same run (the same uniform, a higher threshold). The reference kernel draws the
 * whole estate at a run's start (drawEstate); the fast kernel member by member as it opens zones (drawMember).
 *
 * `unexposed[i]` = 1: the member could carry a flaw but does not this run (an exploit cannot take it);
 * `patched[i]` = 1: it carries one and the regime patched it (counted against the patch when it stops one).
 * `blind[i]` = 1: it cannot see a worm's kill switch (counter 2), so the kill switch never stops it.
 */
export function drawEstate(m: CompiledModel, keys: Int32Array, patched: Uint8Array, unexposed: Uint8Array, blind: Uint8Array): void {
  patched.fill(0);
  unexposed.fill(0);
  blind.fill(0);
  for (let i = 0; i < m.nodeCount; i++) drawMember(m, keys, i, patched, unexposed, blind);
}

/**
 * Member i's estate into the three arrays, which hold 0 for it before. The fast kernel draws members zone by
 * zone, when a run first needs them (KernelState.openZone); each draw is a function of the member alone, so
 * the order changes nothing.
 */
export function drawMember(m: CompiledModel, keys: Int32Array, i: number, patched: Uint8Array, unexposed: Uint8Array, blind: Uint8Array): void {
  if (m.exploitEase[i] === 0) return;
  const share = m.killSwitchBlindShare;
  const carry = m.carryChance[i]!;
  const patch = m.patchChance[i]!;
  if (share === 0 && carry >= 1 && patch <= 0) return;
  // A member's three draws share its lanes: hashed once (the draws are uniformAt's, bit for bit).
  const a = laneA(keys, STREAM.estate, i);
  const b = laneB(keys, STREAM.estate, i);
  if (share > 0 && uniformOf(a, b, 2) < share) blind[i] = 1;
  if (carry < 1 && uniformOf(a, b, 0) >= carry) {
    unexposed[i] = 1;
    return;
  }
  if (patch > 0 && (patch >= 1 || uniformOf(a, b, 1) < patch)) patched[i] = 1;
}
