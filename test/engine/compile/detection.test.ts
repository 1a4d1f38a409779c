import { describe, expect, it } from 'vitest';
import { compileDetection, DEFAULT_EDR_SPEEDUP } from '../../../engine/compile/detection.js';
import { DIST_CODE } from '../../../engine/compile/model.js';
import { ETERNAL_BLUE, expand, indicesOf, node, tinyScenario, tinyTwin } from './tiny.js';

describe('compileDetection', () => {
  const twin = tinyTwin({ nodes: [node('edr', { controls: ['edr'], vulns: [ETERNAL_BLUE] }), node('pcs', { count: 10 })] });
  const scenario = tinyScenario(twin, {
    detection: { compromised: { dist: 'exponential', meanMinutes: 240 }, disrupted: { dist: 'fixed', minutes: 30 } },
  });

  it('speeds detection up on members carrying EDR in the twin, by 4 unless the regime says', () => {
    expect(DEFAULT_EDR_SPEEDUP).toBe(4);
    expect([...compileDetection(twin, expand(twin), scenario, {}).detectSpeedup]).toEqual([4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(compileDetection(twin, expand(twin), scenario, { edrDetectionSpeedup: 3 }).detectSpeedup[0]).toBe(3);
  });

  it('adds EDR to edrCoverage of each group', () => {
    const { detectSpeedup } = compileDetection(twin, expand(twin), scenario, { edrCoverage: 0.3, edrDetectionSpeedup: 2 });
    const covered = indicesOf(detectSpeedup.map((x) => x - 1)).filter((i) => i > 0);
    expect(covered).toHaveLength(3); // 0.3 × 10 members
    expect(detectSpeedup[0]).toBe(2); // carried in the twin: covered whatever the share
    expect(compileDetection(twin, expand(twin), scenario, { edrCoverage: 1 }).detectSpeedup.every((x) => x === 4)).toBe(true);
  });

  it('packs the scenario\'s detection delays', () => {
    const detection = compileDetection(twin, expand(twin), scenario, {});
    expect([...detection.detectCompromised]).toEqual([DIST_CODE.exponential, 240, 0]);
    expect([...detection.detectDisrupted]).toEqual([DIST_CODE.fixed, 30, 0]);
    const never = compileDetection(twin, expand(twin), tinyScenario(twin), {});
    expect([...never.detectCompromised]).toEqual([DIST_CODE.fixed, Infinity, 0]);
  });
});
