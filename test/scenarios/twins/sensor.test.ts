import { describe, expect, it } from 'vitest';
import { SENSOR_DEFAULTS, deployingIds } from '../../../scenarios/twins/sensor.js';

const IDS = Array.from({ length: 236 }, (_, i) => `trust-${String(i + 1).padStart(3, '0')}`);

describe('deployingIds', () => {
  it('picks exactly round(share × n) of the ids', () => {
    for (const share of [0, 0.02, 0.1, 0.5, 0.999, 1]) expect(deployingIds(1, 'sensor/trusts', IDS, share).size, String(share)).toBe(Math.round(share * IDS.length));
    expect(deployingIds(1, 'sensor/trusts', [], 0.5).size).toBe(0);
  });

  it('is reproducible, differs between seeds and streams, and a higher share picks a superset', () => {
    const tenth = deployingIds(1, 'sensor/trusts', IDS, 0.1);
    expect(deployingIds(1, 'sensor/trusts', IDS, 0.1)).toEqual(tenth);
    expect(deployingIds(2, 'sensor/trusts', IDS, 0.1)).not.toEqual(tenth);
    expect(deployingIds(1, 'sensor/practices', IDS, 0.1)).not.toEqual(tenth);
    const fifth = deployingIds(1, 'sensor/trusts', IDS, 0.2);
    for (const id of tenth) expect(fifth.has(id), id).toBe(true);
  });

  it('spreads the pick evenly: over many seeds each id is chosen about share of the time', () => {
    const seeds = 400;
    const chosen = new Map<string, number>();
    for (let seed = 1; seed <= seeds; seed++) for (const id of deployingIds(seed, 'sensor/trusts', IDS.slice(0, 20), 0.25)) chosen.set(id, (chosen.get(id) ?? 0) + 1);
    // Binomial(400, 0.25): mean 100, sd ≈ 8.7; 5 sd either side.
    for (const id of IDS.slice(0, 20)) expect(Math.abs((chosen.get(id) ?? 0) - 100), id).toBeLessThan(44);
  });
});

describe('SENSOR_DEFAULTS', () => {
  it('are shares, with no practice desktops on the sensor (the record: EMIS Web, not practices, failed)', () => {
    for (const [name, share] of Object.entries(SENSOR_DEFAULTS)) {
      expect(share, name).toBeGreaterThanOrEqual(0);
      expect(share, name).toBeLessThanOrEqual(1);
    }
    expect(SENSOR_DEFAULTS.trustShare).toBeLessThan(0.2);
    expect(SENSOR_DEFAULTS.practiceShare).toBe(0);
  });
});
