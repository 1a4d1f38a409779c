import { describe, expect, it } from 'vitest';
import { AGGREGATE_MEMBERS } from '../../server/layout.js';
import { bandHeights, bandOrder, canvasHeight, DRAWN_MEMBERS, focusOn, layout, MAX_ZONE_KIND_TILES, memberIndex, projectorSizes, type LayoutInput } from '../../viz/src/layout.js';

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
  risers: { from: [0], to: [2], relation: ['management'] },
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

  it('gives each band with members a fifth of the height at least and the rest to the band whose dots are smallest', () => {
    // acute-trust's bands at 1024 px in projector mode: 18 cloud members in 2 sites, 367 network in 3, 7,900 devices in 2.
    const room = 240 - 22 - 2 * 26;
    const h = bandHeights([18, 367, 7900], [2, 3, 2], 980, 240);
    expect(h.reduce((a, b) => a + b, 0)).toBeCloseTo(room, 9);
    for (const x of h) expect(x).toBeGreaterThanOrEqual(Math.floor(room / 5));
    expect(h[2]).toBeGreaterThan(h[1]!);
    expect(h[1]).toBeGreaterThanOrEqual(h[0]!);
    // The devices' dots: in thirds (55 px) 7,900 members in two sites fit at 2.5 px; with the room the cloud and
    // the network did not need, at 3.25 px or more.
    const l = layout({ ...input, entries: { ...input.entries, count: [9, 3950, 367, 3950, 9] } }, 980, 240);
    if (l.mode !== 'members') throw new Error('expected members');
    expect(l.pitch[2]).toBeGreaterThanOrEqual(3.25);
    // A band that cannot use more (all at 40 px) leaves it to be shared: tiny twins keep equal thirds.
    for (const x of bandHeights([1, 1, 1], [1, 1, 1], 800, 400)) expect(x).toBeCloseTo((400 - 22 - 52) / 3, 9);
    // An empty band (a site drawn alone has no cloud) gets none: its title says so.
    const alone = bandHeights([0, 10, 5000], [0, 1, 1], 800, 400);
    expect(alone[0]).toBe(0);
    expect(alone[1]! + alone[2]!).toBeCloseTo(400 - 74, 9);
    expect(bandHeights([0, 0, 0], [0, 0, 0], 800, 400)).toEqual(Array(3).fill((400 - 74) / 3));
  });

  it("sizes projector mode's canvas so the clinical strip's chart fits under it on the same screen", () => {
    // 1024×768 with the canvas 180 px down: 768 − 180 − the timeline (22) − the strip's heading (64) − the chart.
    expect(projectorSizes(768, 180, 980)).toEqual({ canvas: 287, chart: 215 });
    // Never smaller than 220 (the page scrolls), never taller than off projector mode.
    expect(projectorSizes(600, 400, 980).canvas).toBe(220);
    expect(projectorSizes(3000, 100, 980)).toEqual({ canvas: canvasHeight(980), chart: 280 });
    // Two runs side by side fill the screen between them, the second's title and words (150 px) and the
    // timeline with its margins (34); the strip goes below.
    expect(projectorSizes(1080, 200, 1876, { extra: 150 }).canvas).toBe(348);
  });

  it("narrows a twin to one site's entries, member by member, its edges among them kept and its indexes the twin's", () => {
    const riser = { ...input, risers: { from: [0, 2], to: [2, 3], relation: ['management', 'network'] } };
    const a = focusOn({ ...riser, aggregate: true }, 0);
    expect(a.entries).toEqual({ id: ['gateway', 'pumps-a'], layer: [1, 2], kind: ['on-prem-gateway', 'infusion-pump'], site: [0, 0], zone: [0, 0], owner: [0, 0], count: [1, 30] });
    // The edge from the site-less cloud API goes; the gateway's to the pumps stays, renumbered.
    expect(a.risers).toEqual({ from: [0], to: [1], relation: ['network'] });
    expect([a.members, a.aggregate, a.sites, a.zones]).toEqual([31, false, input.sites, input.zones]);
    // A member of another site is not drawn; one of this site is.
    const l = layout(a, 800, 400);
    const index = new Map(a.entries.id.map((id, i) => [id, i]));
    expect([memberIndex('pumps-b#2', index, l.entryStart), memberIndex('pumps-a#2', index, l.entryStart)]).toEqual([-1, 3]);
    // Drawn aggregated past the server's own threshold, as a whole twin is.
    expect(DRAWN_MEMBERS).toBe(AGGREGATE_MEMBERS);
    const big = { ...input, entries: { ...input.entries, count: [1, 5, 1, DRAWN_MEMBERS + 1, 1] } };
    expect(focusOn(big, 0).aggregate).toBe(true);
  });

  it('maps trace ids to members: entry#k and single entries; unknown ids and members out of range to -1', () => {
    const l = layout(input, 800, 400);
    const index = new Map(input.entries.id.map((id, i) => [id, i]));
    expect(memberIndex('pumps-a#29', index, l.entryStart)).toBe(l.entryStart[3]! + 29);
    expect(memberIndex('gateway', index, l.entryStart)).toBe(l.entryStart[2]);
    expect(memberIndex('pumps-a#30', index, l.entryStart)).toBe(-1);
    expect(memberIndex('nothing#1', index, l.entryStart)).toBe(-1);
  });

  it('aggregates a large twin by zone and kind where that gives few tiles, each entry in its tile', () => {
    const l = layout({ ...input, aggregate: true }, 800, 400);
    if (l.mode !== 'aggregate') throw new Error('expected aggregate');
    expect(l.by).toBe('zone-kind');
    expect(l.tiles.map((t) => [t.band, t.zone, t.kind, t.members])).toEqual([
      [0, -1, 'national-service', 1],
      [0, -1, 'vendor-api', 1],
      [1, 0, 'on-prem-gateway', 1],
      [2, 0, 'infusion-pump', 30],
      [2, 1, 'infusion-pump', 5],
    ]);
    expect(Array.from(l.tileOf)).toEqual([1, 4, 2, 3, 0]);
  });

  it('aggregates by site when zones and kinds would give too many tiles (a national twin)', () => {
    const n = MAX_ZONE_KIND_TILES + 1;
    const big: LayoutInput = {
      ...input,
      aggregate: true,
      zones: Array.from({ length: n }, (_, i) => `z${i}`),
      entries: { id: Array.from({ length: n }, (_, i) => `e${i}`), layer: Array(n).fill(2), kind: Array(n).fill('patient-monitor'), site: Array.from({ length: n }, (_, i) => i % 2), zone: Array.from({ length: n }, (_, i) => i), owner: Array(n).fill(0), count: Array(n).fill(3) },
    };
    const l = layout(big, 800, 400);
    if (l.mode !== 'aggregate') throw new Error('expected aggregate');
    expect(l.by).toBe('site');
    expect(l.tiles.map((t) => [t.band, t.site, t.members])).toEqual([
      [2, 0, 3 * Math.ceil(n / 2)],
      [2, 1, 3 * Math.floor(n / 2)],
    ]);
  });
});
