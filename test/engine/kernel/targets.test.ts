import { describe, expect, it } from 'vitest';
import { compile } from '../../../engine/compile/compile.js';
import { drawEstate } from '../../../engine/kernel/estate.js';
import { KernelState } from '../../../engine/kernel/state.js';
import { resolveRegime, resolveScenario } from '../../../scenarios/index.js';

/** The healthy scan targets (kernel/targets.ts), on wannacry-down's acute trust: its zones and reach lists. */
const { scenario, twin } = resolveScenario('wannacry-down', 'acute-trust', { beds: 200 });
const { model } = compile(twin, scenario, resolveRegime('baseline'));
/** The zone with the most scan targets. */
const widest = Array.from({ length: model.zoneCount }, (_, z) => z).reduce((a, z) => (model.zoneTargetOffsets[z + 1]! - model.zoneTargetOffsets[z]! > model.zoneTargetOffsets[a + 1]! - model.zoneTargetOffsets[a]! ? z : a), 0);

/**
 * A state at run `run`'s start with two zones in three opened (their estates drawn: KernelState.openZone),
 * some targets compromised and a zone isolated (so some entries are closed).
 */
function midRun(run: number): KernelState {
  const s = new KernelState(model);
  s.streams.seed(3, run);
  s.reset();
  for (let z = 0; z < model.zoneCount; z++) if (z % 3 !== run % 3) s.openZone(z);
  for (let k = run; k < model.zoneTargets.length; k += 7) s.targets.set(model.zoneTargets[k]!, 0);
  // Isolated as responses.ts isolates a zone.
  const zone = run % model.zoneCount;
  s.targets.touchZone(zone, -1);
  s.zoneIsolated[zone] = 1;
  s.targets.touchZone(zone, 1);
  return s;
}

function snapshot(s: KernelState) {
  const t = s.targets;
  const picks: number[] = [];
  for (let z = 0; z < model.zoneCount; z++) for (let k = 0; k < t.zoneHealthy[z]!; k++) picks.push(t.select(z, k));
  return { flag: Array.from(t.flag), zone: Array.from(t.zoneHealthy), reach: Array.from(t.reachHealthy), open: Array.from(t.open), picks };
}

describe('healthy scan targets', () => {
  it('counts, once every zone is opened, what the run\'s whole estate gives, whatever the order the zones open in', () => {
    for (let run = 0; run < 3; run++) {
      const forward = new KernelState(model);
      const backward = new KernelState(model);
      for (const s of [forward, backward]) {
        s.streams.seed(5, run);
        s.reset();
      }
      for (let z = 0; z < model.zoneCount; z++) forward.openZone(z);
      for (let z = model.zoneCount - 1; z >= 0; z--) backward.openZone(z);
      backward.openZone(widest); // a second opening in one run changes nothing
      const [patched, unexposed, blind] = [0, 0, 0].map(() => new Uint8Array(model.nodeCount));
      drawEstate(model, forward.streams.keys, patched!, unexposed!, blind!);
      expect(Array.from(forward.patched)).toEqual(Array.from(patched!));
      expect(Array.from(forward.unexposed)).toEqual(Array.from(unexposed!));
      expect(Array.from(forward.blind)).toEqual(Array.from(blind!));
      const t = forward.targets;
      expect(Array.from(t.flag)).toEqual(Array.from(model.zoneTargets, (i) => (patched![i] === 0 && unexposed![i] === 0 ? 1 : 0)));
      const reach = Array.from(t.reachHealthy);
      t.recount();
      expect(Array.from(t.reachHealthy)).toEqual(reach);
      expect(snapshot(backward)).toEqual(snapshot(forward));
      expect(reach.some((x) => x > 0)).toBe(true);
      // The tree: the k-th healthy target of each zone, in target order, read off the flags.
      const healthy: number[] = [];
      for (let z = 0; z < model.zoneCount; z++) for (let k = model.zoneTargetOffsets[z]!; k < model.zoneTargetOffsets[z + 1]!; k++) if (t.flag[k] === 1) healthy.push(model.zoneTargets[k]!);
      expect(snapshot(forward).picks).toEqual(healthy);
    }
  });

  it('keepOnly (the kill switch) leaves every count, flag and pick as setting each other target unhealthy one by one', () => {
    expect(model.zoneCount).toBeGreaterThan(10);
    for (let run = 0; run < 4; run++) {
      const bulk = midRun(run);
      const single = midRun(run);
      bulk.targets.keepOnly(bulk.blind, bulk.openedZones, bulk.openedCount);
      for (const i of model.zoneTargets) if (single.blind[i] === 0) single.targets.set(i, 0);
      const after = snapshot(bulk);
      expect(after).toEqual(snapshot(single));
      // Not a vacuous comparison: some targets were healthy before and some, blind, still are.
      expect(after.picks.length).toBeGreaterThan(0);
      expect(snapshot(midRun(run)).picks.length).toBeGreaterThan(after.picks.length);
    }
  });
});
