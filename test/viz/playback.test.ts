import { describe, expect, it } from 'vitest';
import { clock, COMPROMISED, DISRUPTED, FLAG_ALTERED, FLAG_DETECTED, HEALTHY, Playback, RESTORED, type TraceDoc } from '../../viz/src/playback.js';

const trace: TraceDoc = {
  schema: 'strata.trace/v1',
  twin: 't',
  scenario: 's',
  regime: 'r',
  seed: 1,
  run: 0,
  horizonMinutes: 1000,
  nodes: [
    { id: 'pacs', layer: 'network', kind: 'pacs', zone: null, site: null },
    { id: 'ws#3', layer: 'physical', kind: 'radiology-workstation', zone: null, site: null },
  ],
  events: [
    { t: 0, kind: 'entry', node: 0, from: null, detail: null, crossing: null },
    { t: 0, kind: 'compromise', node: 0, from: null, detail: null, crossing: null },
    { t: 134, kind: 'compromise', node: 1, from: 0, detail: 'data', crossing: 'down' },
    { t: 140, kind: 'alter', node: 1, from: null, detail: null, crossing: null },
    { t: 200, kind: 'detect', node: 1, from: null, detail: null, crossing: null },
    { t: 200, kind: 'disrupt', node: 1, from: null, detail: null, crossing: null },
    { t: 500, kind: 'restore', node: 1, from: null, detail: null, crossing: null },
  ],
  serviceStepMinutes: 60,
  services: [],
  outcome: {},
};

describe('replaying a trace', () => {
  it('gives each node its state and flags at any time, forward and back', () => {
    const p = new Playback(trace);
    p.seek(100);
    expect([p.state[0], p.state[1]]).toEqual([COMPROMISED, HEALTHY]);
    p.seek(150);
    expect(p.state[1]).toBe(COMPROMISED);
    expect(p.flags[1]! & FLAG_ALTERED).toBeTruthy();
    p.seek(300);
    expect(p.state[1]).toBe(DISRUPTED);
    expect(p.flags[1]! & FLAG_DETECTED).toBeTruthy();
    p.seek(600);
    expect(p.state[1]).toBe(RESTORED);
    expect(p.flags[1]! & FLAG_ALTERED).toBe(0);
    // Back in time: replayed from the start.
    p.seek(150);
    expect([p.state[1], p.flags[1]! & FLAG_DETECTED]).toEqual([COMPROMISED, 0]);
  });

  it('steps to the next event and tells each layer crossing in words', () => {
    const p = new Playback(trace);
    p.seek(0);
    expect(p.nextEventTime()).toBe(134);
    p.seek(134);
    expect(p.crossings).toEqual([2]);
    expect(p.describe(2)).toBe('T+2h14 a PACS (network) → a radiology workstation (devices) via a data flow');
    expect(p.describeIds(2)).toBe('T+2h14 pacs (network) → ws#3 (physical) via a data flow');
    expect(p.counts()[1]).toEqual([0, 1, 0, 0]);
  });

  it('writes the clock as T+hours and minutes, and in days past two days', () => {
    expect(clock(134)).toBe('T+2h14');
    expect(clock(3 * 1440 + 4 * 60)).toBe('T+3d 4h00');
    expect(clock(2 * 1440 + 4 * 60 + 5)).toBe('T+2d 4h05');
  });
});
