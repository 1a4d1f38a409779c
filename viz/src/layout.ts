import type { TwinLayout } from '../../server/layout.js';

/**
 * Where the cascade view draws each member (pure; tested in test/viz/layout.test.ts). Three stacked bands —
 * cloud on top, network in the middle, devices at the bottom — each filled column by column with member
 * dots, entries kept together and ordered by site, zone and kind, a gap between sites. A twin above
 * AGGREGATE members is drawn aggregated: one tile per (site, band), its colour the share of members hit.
 */

/** What the server sends (server/layout.ts): the twin's entries in columns. */
export type LayoutInput = TwinLayout;

export const BANDS = ['cloud', 'network', 'physical'] as const;
export const BAND_TITLES = ['Cloud — vendors, suppliers, national services', 'Network — the hospital’s servers, gateways and plumbing', 'Devices — at the patient and the clinical desk'] as const;

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface MemberLayout {
  mode: 'members';
  width: number;
  height: number;
  bands: Box[];
  /** Per band, the dot pitch and size in pixels. */
  pitch: number[];
  size: number[];
  /** Per member (in entry order, member k of entry e at entryStart[e] + k): its dot's centre. */
  x: Float32Array;
  y: Float32Array;
  band: Uint8Array;
  entryStart: Int32Array;
  /** Entry index of each member. */
  entryOf: Int32Array;
}

export interface AggregateLayout {
  mode: 'aggregate';
  width: number;
  height: number;
  bands: Box[];
  /** How members are grouped into tiles: by zone and kind where that gives few enough tiles, else by site. */
  by: 'zone-kind' | 'site';
  /** One tile per group with members: its box, band, site (-1: none), zone (-1: none or by site), kind ('' by site) and member count. */
  tiles: { box: Box; band: number; site: number; zone: number; kind: string; members: number }[];
  /** Tile of each entry. */
  tileOf: Int32Array;
  entryStart: Int32Array;
}

export type Layout = MemberLayout | AggregateLayout;

const BAND_GAP = 26;
const TOP = 22;

/** The bands stacked, each `heights[b]` tall (equal thirds by default), a title's gap between them. */
function bandBoxes(width: number, height: number, heights?: number[]): Box[] {
  const equal = (height - TOP - 2 * BAND_GAP) / 3;
  let y = TOP;
  return BANDS.map((_, b) => {
    const h = heights?.[b] ?? equal;
    const box = { x: 0, y, w: width, h };
    y += h + BAND_GAP;
    return box;
  });
}

/**
 * The largest dot pitch (2–40 px, in quarter pixels) at which a band's members and a one-column gap per site
 * fit its box. Whole pixels left a dense band's last step short: acute-trust's devices filled 60% of a 1024-px
 * projector's width at 3 px, where 4 px did not fit (a trial read the band as a faint texture).
 */
function pitchFor(members: number, sites: number, w: number, h: number): number {
  let p = 40;
  while (p > 2 && Math.ceil(members / Math.max(1, Math.floor(h / p))) + sites > Math.floor(w / p)) p -= 0.25;
  return p;
}

/**
 * The bands' heights when drawn member by member: each band with members at least a fifth of the room (a layer
 * stays a layer), an empty one none (its title says the layer has nothing here: a site drawn alone has no
 * cloud), the rest a pixel at a time to whichever band's dots are then smallest, until every band's are at
 * 40 px. On acute-trust the cloud's 18 members and the devices' 7,900 had shared it in thirds, the devices drawn
 * at 2.5 px on a 1024×768 projector while the cloud's sat at 40 in a mostly empty band (a trial).
 */
export function bandHeights(members: number[], sites: number[], width: number, height: number): number[] {
  const room = Math.max(3, height - TOP - 2 * BAND_GAP);
  const heights = members.map((m) => (m > 0 ? Math.floor(room / 5) : 0));
  const pitch = heights.map((h, b) => pitchFor(members[b]!, sites[b]!, width, h));
  let left = room - heights.reduce((a, b) => a + b, 0);
  // A pixel at a time is at most a few hundred steps of a band's pitch search: nothing beside drawing.
  while (left >= 1) {
    let b = -1;
    for (let i = 0; i < heights.length; i++) if (members[i]! > 0 && pitch[i]! < 40 && (b < 0 || pitch[i]! < pitch[b]!)) b = i;
    if (b < 0) break;
    heights[b]! += 1;
    pitch[b] = pitchFor(members[b]!, sites[b]!, width, heights[b]!);
    left -= 1;
  }
  // What no band's dots can use is shared equally among the bands with members.
  const used = members.filter((m) => m > 0).length;
  return heights.map((h, b) => (used === 0 ? room / heights.length : members[b]! > 0 ? h + left / used : 0));
}

/** Entries of each band in drawing order: by site, zone, kind, then document order. */
export function bandOrder(input: LayoutInput): number[][] {
  const e = input.entries;
  const order: number[][] = [[], [], []];
  e.id.forEach((_, i) => order[e.layer[i]!]!.push(i));
  for (const list of order) list.sort((a, b) => e.site[a]! - e.site[b]! || e.zone[a]! - e.zone[b]! || (e.kind[a]! < e.kind[b]! ? -1 : e.kind[a]! > e.kind[b]! ? 1 : 0) || a - b);
  return order;
}

export function layout(input: LayoutInput, width: number, height: number): Layout {
  const e = input.entries;
  const n = e.id.length;
  const entryStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) entryStart[i + 1] = entryStart[i]! + e.count[i]!;
  const order = bandOrder(input);
  if (input.aggregate) return aggregateLayout(input, bandBoxes(width, height), order, entryStart, width, height);
  const members = order.map((list) => list.reduce((sum, i) => sum + e.count[i]!, 0));
  const sites = order.map((list) => new Set(list.map((i) => e.site[i])).size);
  return memberLayout(input, bandBoxes(width, height, bandHeights(members, sites, width, height)), order, entryStart, width, height);
}

function memberLayout(input: LayoutInput, bands: Box[], order: number[][], entryStart: Int32Array, width: number, height: number): MemberLayout {
  const e = input.entries;
  const total = entryStart[e.id.length]!;
  const x = new Float32Array(total);
  const y = new Float32Array(total);
  const band = new Uint8Array(total);
  const entryOf = new Int32Array(total);
  const pitch: number[] = [];
  const size: number[] = [];
  order.forEach((list, b) => {
    const box = bands[b]!;
    const p = pitchFor(
      list.reduce((s, i) => s + e.count[i]!, 0),
      new Set(list.map((i) => e.site[i])).size,
      box.w,
      box.h,
    );
    pitch.push(p);
    size.push(Math.max(1.5, p * 0.7));
    const rows = Math.max(1, Math.floor(box.h / p));
    let column = 0;
    let row = 0;
    let site = -2;
    for (const i of list) {
      if (e.site[i] !== site) {
        if (site !== -2 && row > 0) column++;
        if (site !== -2) column++;
        row = 0;
        site = e.site[i]!;
      }
      for (let k = 0; k < e.count[i]!; k++) {
        const m = entryStart[i]! + k;
        x[m] = box.x + column * p + p / 2;
        y[m] = box.y + row * p + p / 2;
        band[m] = b;
        entryOf[m] = i;
        if (++row === rows) {
          row = 0;
          column++;
        }
      }
    }
  });
  return { mode: 'members', width, height, bands, pitch, size, x, y, band, entryStart, entryOf };
}

/** Above this many (zone, kind) groups a twin is tiled by site instead. */
export const MAX_ZONE_KIND_TILES = 3000;

function aggregateLayout(input: LayoutInput, bands: Box[], order: number[][], entryStart: Int32Array, width: number, height: number): AggregateLayout {
  const e = input.entries;
  const tiles: AggregateLayout['tiles'] = [];
  const tileOf = new Int32Array(e.id.length).fill(-1);
  const zoneKinds = new Set(e.id.map((_, i) => `${e.layer[i]}|${e.zone[i]}|${e.kind[i]}`)).size;
  const by = zoneKinds <= MAX_ZONE_KIND_TILES ? 'zone-kind' : 'site';
  order.forEach((list, b) => {
    const groups = new Map<string, number>();
    for (const i of list) {
      const key = by === 'site' ? `${e.site[i]}` : `${e.zone[i]}|${e.kind[i]}`;
      let t = groups.get(key);
      if (t === undefined) {
        groups.set(key, (t = tiles.length));
        tiles.push({ box: { x: 0, y: 0, w: 0, h: 0 }, band: b, site: e.site[i]!, zone: by === 'site' ? -1 : e.zone[i]!, kind: by === 'site' ? '' : e.kind[i]!, members: 0 });
      }
      tiles[t]!.members += e.count[i]!;
      tileOf[i] = t;
    }
    // Tiles in a grid filling the band.
    const mine = tiles.filter((t) => t.band === b);
    const box = bands[b]!;
    const cols = Math.max(1, Math.ceil(Math.sqrt((mine.length * box.w) / box.h)));
    const rows = Math.max(1, Math.ceil(mine.length / cols));
    const w = box.w / cols;
    const h = box.h / rows;
    mine.forEach((t, j) => (t.box = { x: box.x + (j % cols) * w, y: box.y + Math.floor(j / cols) * h, w: Math.max(1, w - 1), h: Math.max(1, h - 1) }));
  });
  return { mode: 'aggregate', width, height, bands, by, tiles, tileOf, entryStart };
}

/** The entry index and member number of a trace node id (`entry#k`, or `entry` for a single node). */
export function memberIndex(id: string, entryIndex: Map<string, number>, entryStart: Int32Array): number {
  const hash = id.lastIndexOf('#');
  if (hash < 0) {
    const e = entryIndex.get(id);
    return e === undefined ? -1 : entryStart[e]!;
  }
  const e = entryIndex.get(id.slice(0, hash));
  if (e === undefined) return -1;
  const k = Number(id.slice(hash + 1));
  return Number.isInteger(k) && k >= 0 && entryStart[e]! + k < entryStart[e + 1]! ? entryStart[e]! + k : -1;
}

/** Above this many members a twin is drawn aggregated: as server/layout.ts's AGGREGATE_MEMBERS (a test holds them equal). */
export const DRAWN_MEMBERS = 50_000;

/**
 * The twin's layout narrowed to one site's entries (`site`, an index into `input.sites`): its members drawn one
 * by one where they are few enough, the twin's cross-layer edges among them kept. Zone, site and owner indexes
 * still point into the whole twin's lists, so decisions and names read as before; members of other sites are
 * not drawn (memberIndex finds no entry for them). A national twin is drawn as tiles, one per site: this is
 * what clicking one opens.
 */
export function focusOn(input: LayoutInput, site: number): LayoutInput {
  const e = input.entries;
  const keep: number[] = [];
  for (let i = 0; i < e.id.length; i++) if (e.site[i] === site) keep.push(i);
  const at = new Map(keep.map((old, i) => [old, i]));
  const pick = <T>(column: T[]): T[] => keep.map((i) => column[i]!);
  const risers: LayoutInput['risers'] = { from: [], to: [], relation: [] };
  for (let j = 0; j < input.risers.from.length; j++) {
    const a = at.get(input.risers.from[j]!);
    const b = at.get(input.risers.to[j]!);
    if (a === undefined || b === undefined) continue;
    risers.from.push(a);
    risers.to.push(b);
    risers.relation.push(input.risers.relation[j]!);
  }
  const members = keep.reduce((sum, i) => sum + e.count[i]!, 0);
  return {
    ...input,
    members,
    aggregate: members > DRAWN_MEMBERS,
    risers,
    entries: { id: pick(e.id), layer: pick(e.layer), kind: pick(e.kind), site: pick(e.site), zone: pick(e.zone), owner: pick(e.owner), count: pick(e.count) },
  };
}

/** The canvas's height off projector mode: 45% of its width, 360–620 px. */
export function canvasHeight(width: number): number {
  return Math.round(Math.min(620, Math.max(360, width * 0.45)));
}

/** What projector mode keeps under the cascade on the same screen: the timeline, the strip's heading and chart. */
const UNDER_CANVAS = 22 + 64;

/**
 * Projector mode's sizes: the cascade and the clinical strip's chart on one screen. At 1024×768, 1280×720 and
 * 1920×1080 the strip had sat a screen below the fold, and at 1024×768 half the devices band with it (a trial):
 * a room saw the cascade or the services, never both. `top` is the canvas's distance from the page's top; with
 * `pair` two canvases (a run beside another, `extra` the second's title and words) share the screen, the strip
 * below them; `chart` the strip's chart height (a participant's screen off projector mode has the normal one).
 * No canvas gets smaller than it can be read: on a screen too short the page scrolls.
 */
export function projectorSizes(viewport: number, top: number, width: number, pair?: { extra: number }, chart = projectorChart(viewport)): { canvas: number; chart: number } {
  // A pair cannot leave room for the chart too (at 1920×1080 each canvas was cut to its least and the chart still
  // sat below: a review): the two canvases, the second's title and words and the timeline fill the screen.
  const each = pair ? (viewport - top - pair.extra - 34) / 2 : viewport - top - UNDER_CANVAS - chart;
  return { canvas: Math.round(Math.min(canvasHeight(width), Math.max(220, each))), chart };
}

/** The clinical strip's chart height in projector mode: 28% of the window, 180–280 px. */
export function projectorChart(viewport: number): number {
  return Math.round(Math.min(280, Math.max(180, viewport * 0.28)));
}
