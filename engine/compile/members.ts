import type { ExpandedTwin } from '../model/expand.js';
import { selectEntries, type Selector } from '../model/selector.js';
import type { Twin } from '../model/twin.js';
import { LAYERS, NODE_KINDS } from '../model/vocabulary.js';
import type { CompiledModel } from './model.js';
import { shared } from './shared.js';

export type MemberArrays = Pick<CompiledModel, 'layer' | 'kind' | 'zone' | 'site' | 'owner' | 'patients' | 'records'>;

/**
 * Where each member is and what it holds: layer, kind, zone, site (its own, else its zone's, else -1),
 * owner, patients attached and records held. Every member of a group shares its entry's values.
 */
export function compileMembers(twin: Twin, expanded: ExpandedTwin): MemberArrays {
  const n = expanded.nodeCount;
  const { entryStart } = expanded;
  const ownerIndex = indexById(twin.owners);
  const siteIndex = indexById(twin.sites);
  const zoneIndex = indexById(twin.zones);
  const zoneSite = twin.zones.map((z) => (z.site === undefined ? -1 : siteIndex.get(z.site)!));
  const layer = shared(Uint8Array, n);
  const kind = shared(Uint8Array, n);
  const zone = shared(Int32Array, n);
  const site = shared(Int32Array, n);
  const owner = shared(Int32Array, n);
  const patients = shared(Float32Array, n);
  const records = shared(Float64Array, n);
  twin.nodes.forEach((node, e) => {
    const start = entryStart[e]!;
    const end = entryStart[e + 1]!;
    const z = node.zone === undefined ? -1 : zoneIndex.get(node.zone)!;
    layer.fill(LAYERS.indexOf(node.layer), start, end);
    kind.fill(NODE_KINDS.indexOf(node.kind), start, end);
    zone.fill(z, start, end);
    site.fill(node.site !== undefined ? siteIndex.get(node.site)! : z >= 0 ? zoneSite[z]! : -1, start, end);
    owner.fill(ownerIndex.get(node.owner)!, start, end);
    patients.fill(node.patientsAttached, start, end);
    records.fill(node.records, start, end);
  });
  return { layer, kind, zone, site, owner, patients, records };
}

/** Id → position, for the twin's owners, sites, zones or services. */
export function indexById(items: readonly { id: string }[]): Map<string, number> {
  return new Map(items.map((x, i) => [x.id, i]));
}

/** The member indices of the node entries a selector matches, in document order. */
export function selectMembers(twin: Twin, entryStart: Int32Array, selector: Selector): number[] {
  const out: number[] = [];
  for (const e of selectEntries(twin, selector)) for (let i = entryStart[e]!; i < entryStart[e + 1]!; i++) out.push(i);
  return out;
}
