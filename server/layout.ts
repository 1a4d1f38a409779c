import { parseCvss } from '../engine/model/cvss.js';
import type { Twin } from '../engine/model/twin.js';

/**
 * A twin as the cascade view draws it, in columns (a national twin has tens of thousands of entries):
 * each node entry's layer, kind, site, zone, owner and member count. Members are `id#k`, as in a trace.
 * Above `AGGREGATE_MEMBERS` members the view starts aggregated (by site, then zone and kind).
 */
export const AGGREGATE_MEMBERS = 50_000;

export interface TwinLayout {
  twin: string;
  members: number;
  aggregate: boolean;
  sites: string[];
  zones: string[];
  owners: string[];
  entries: { id: string[]; layer: number[]; kind: string[]; site: number[]; zone: number[]; owner: number[]; count: number[] };
  /** The twin's edges between entries on different layers (each pair and relation once): the risers drawn faint. */
  risers: { from: number[]; to: number[]; relation: string[] };
}

/** At most this many faint risers are sent (a national twin has hundreds of thousands). */
export const MAX_RISERS = 20_000;

export function twinLayout(twin: Twin): TwinLayout {
  const index = <T extends { id: string }>(items: T[]) => new Map(items.map((x, i) => [x.id, i]));
  const sites = index(twin.sites);
  const zones = index(twin.zones);
  const owners = index(twin.owners);
  const zoneSite = new Map(twin.zones.map((z) => [z.id, z.site]));
  const layers = { cloud: 0, network: 1, physical: 2 } as const;
  const entries: TwinLayout['entries'] = { id: [], layer: [], kind: [], site: [], zone: [], owner: [], count: [] };
  let members = 0;
  for (const node of twin.nodes) {
    const site = node.site ?? (node.zone !== undefined ? zoneSite.get(node.zone) : undefined);
    entries.id.push(node.id);
    entries.layer.push(layers[node.layer]);
    entries.kind.push(node.kind);
    entries.site.push(site === undefined ? -1 : sites.get(site)!);
    entries.zone.push(node.zone === undefined ? -1 : zones.get(node.zone)!);
    entries.owner.push(owners.get(node.owner)!);
    entries.count.push(node.count);
    members += node.count;
  }
  const entryIndex = new Map(twin.nodes.map((n, i) => [n.id, i]));
  const risers: TwinLayout['risers'] = { from: [], to: [], relation: [] };
  const seen = new Set<string>();
  for (const edge of twin.edges) {
    const a = entryIndex.get(edge.from)!;
    const b = entryIndex.get(edge.to)!;
    if (entries.layer[a] === entries.layer[b] || risers.from.length >= MAX_RISERS) continue;
    const key = `${Math.min(a, b)}|${Math.max(a, b)}|${edge.relation}`;
    if (seen.has(key)) continue;
    seen.add(key);
    risers.from.push(a);
    risers.to.push(b);
    risers.relation.push(edge.relation);
  }
  return {
    twin: twin.name,
    members,
    risers,
    aggregate: members > AGGREGATE_MEMBERS,
    sites: twin.sites.map((s) => s.id),
    zones: twin.zones.map((z) => z.id),
    owners: twin.owners.map((o) => o.id),
    entries,
  };
}

/** What clicking a node shows: its entry's owner, vulnerabilities with their CVSS base scores, controls and services. */
export function entryDetail(twin: Twin, id: string) {
  const hash = id.lastIndexOf('#');
  const entryId = hash >= 0 ? id.slice(0, hash) : id;
  const node = twin.nodes.find((n) => n.id === entryId);
  if (!node) return undefined;
  // A member of the entry, `entry#i`, exists for i from 0 to count − 1 (as a trace numbers them); another, an
  // index not a whole number or a `#` alone is no member (a trial was shown `#999999` of 129).
  if (hash >= 0) {
    const index = id.slice(hash + 1);
    if (!/^(0|[1-9]\d*)$/.test(index) || Number(index) >= node.count) return undefined;
  }
  const owner = twin.owners.find((o) => o.id === node.owner);
  return {
    id,
    entry: node.id,
    name: node.name ?? null,
    layer: node.layer,
    kind: node.kind,
    owner: { id: node.owner, kind: owner?.kind ?? null, name: owner?.name ?? null },
    // Its own site, else its zone's (as the layout and a trace place it).
    site: node.site ?? (node.zone !== undefined ? twin.zones.find((z) => z.id === node.zone)?.site : undefined) ?? null,
    zone: node.zone ?? null,
    count: node.count,
    patientsAttached: node.patientsAttached,
    vulns: node.vulns.map((v) => {
      const rating = parseCvss(v.cvss);
      return { cve: v.cve, cvss: v.cvss, score: typeof rating === 'string' ? null : rating.baseScore, source: v.source, share: v.share };
    }),
    controls: node.controls,
    services: [...node.services, ...node.criticalFor.map((c) => c.service), ...node.requiredFor],
    tags: node.tags,
  };
}
