import { describe, expect, it } from 'vitest';
import { bandOrder, layout, memberIndex, type LayoutInput } from '../../viz/src/layout.js';

/** Two sites; a cloud API, a network gateway and 30 + 5 pumps; a site-less cloud entry. */
const input: LayoutInput = {
  twin: 'tiny',
  members: 38,
  aggregate: false,
  sites: ['a', 'b'],
  zones: ['wa', 'wb'],
  owners: ['o'],
  entries: {
    id: ['api', 'pumps-b', 'gateway', 'pumps-a', 'national'],
    layer: [0, 2, 1, 2, 0],
    kind: ['vendor-api', 'infusion-pump', 'on-prem-gateway', 'infusion-pump', 'national-service'],
    site: [-1, 1, 0, 0, -1],
    zone: [-1, 1, 0, 0, -1],
    owner: [0, 0, 0, 0, 0],
    count: [1, 5, 1, 30, 1],
  },
};

describe('the cascade layout', () => {
  it('puts cloud on top, network in the middle, devices at the bottom, entries by site then zone', () => {
    // Within a site (none, for the cloud entries) by zone, then kind: national-service before vendor-api.
    expect(bandOrder(input)).toEqual([[4, 0], [2], [3, 1]]);
    const l = layout(input, 800, 400);
    if (l.mode !== 'members') throw new Error('expected members');
    expect(l.bands.map((b) => b.y)).toEqual([...l.bands.map((b) => b.y)].sort((a, b) => a - b));
    const band = (m: number) => l.bands.findIndex((b) => l.y[m]! >= b.y && l.y[m]! <= b.y + b.h);
    // Every member's dot lies in its layer's band and inside the canvas.
    for (let e = 0; e < 5; e++) for (let m = l.entryStart[e]!; m < l.entryStart[e + 1]!; m++) expect(band(m), `${input.entries.id[e]} member ${m}`).toBe(input.entries.layer[e]);
    for (let m = 0; m < l.x.length; m++) expect(l.x[m]!).toBeLessThan(800);
    // Site a's pumps come before site b's, with a gap between them.
    const lastA = Math.max(...Array.from({ length: 30 }, (_, k) => l.x[l.entryStart[3]! + k]!));
    const firstB = Math.min(...Array.from({ length: 5 }, (_, k) => l.x[l.entryStart[1]! + k]!));
    expect(firstB - lastA).toBeGreaterThan(l.pitch[2]!);
  });

  it('maps trace ids to members: entry#k and single entries; unknown ids and members out of range to -1', () => {
    const l = layout(input, 800, 400);
    const index = new Map(input.entries.id.map((id, i) => [id, i]));
    expect(memberIndex('pumps-a#29', index, l.entryStart)).toBe(l.entryStart[3]! + 29);
    expect(memberIndex('gateway', index, l.entryStart)).toBe(l.entryStart[2]);
    expect(memberIndex('pumps-a#30', index, l.entryStart)).toBe(-1);
    expect(memberIndex('nothing#1', index, l.entryStart)).toBe(-1);
  });

  it('aggregates a large twin into one tile per site and band, each entry in the tile of its site', () => {
    const l = layout({ ...input, aggregate: true }, 800, 400);
    if (l.mode !== 'aggregate') throw new Error('expected aggregate');
    expect(l.tiles.map((t) => [t.band, t.site, t.members])).toEqual([
      [0, -1, 2],
      [1, 0, 1],
      [2, 0, 30],
      [2, 1, 5],
    ]);
    expect(Array.from(l.tileOf)).toEqual([0, 3, 1, 2, 0]);
  });
});
