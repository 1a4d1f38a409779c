import { describe, expect, it } from 'vitest';
import { compile } from '../../../engine/compile/compile.js';
import { KernelState } from '../../../engine/kernel/state.js';
import { resolveRegime, resolveScenario } from '../../../scenarios/index.js';

/** The healthy scan targets (kernel/targets.ts), on wannacry-down's acute trust: its zones and reach lists. */
const { scenario, twin } = resolveScenario('wannacry-down', 'acute-trust', { beds: 200 });
const { model } = compile(twin, scenario, resolveRegime('baseline'));

/** A state at run `run`'s start, with some targets compromised and a zone isolated (so some entries are closed). */
function midRun(run: number): KernelState {
  const s = new KernelState(model);
  s.streams.seed(3, run);
  s.reset();
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
  it('keepOnly (the kill switch) leaves every count, flag and pick as setting each other target unhealthy one by one', () => {
    expect(model.zoneCount).toBeGreaterThan(10);
    for (let run = 0; run < 4; run++) {
      const bulk = midRun(run);
      const single = midRun(run);
      bulk.targets.keepOnly(bulk.blind);
      for (const i of model.zoneTargets) if (single.blind[i] === 0) single.targets.set(i, 0);
      const after = snapshot(bulk);
      expect(after).toEqual(snapshot(single));
      // Not a vacuous comparison: some targets were healthy before and some, blind, still are.
      expect(after.picks.length).toBeGreaterThan(0);
      expect(snapshot(midRun(run)).picks.length).toBeGreaterThan(after.picks.length);
    }
  });
});
