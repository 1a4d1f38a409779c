import type { ExpandedTwin } from '../model/expand.js';
import { hashUnit } from '../model/expand.js';
import type { Twin } from '../model/twin.js';
import { indexById } from './members.js';
import { shared, sharedFrom } from './shared.js';

/**
 * Zones → implicit IP reachability. A flat zone reaches itself; `reaches` lists the other zones its hosts
 * can connect to. Segmentation s closes each non-essential cross-zone flow when a hash of the flow falls
 * below s (so s = 1 closes them all, and the same flows close in every run). Scan targets are the zone's
 * members carrying an exploitable vulnerability, patched or not: a worm probes a patched host too, and
 * the patch is what stops it (counted for the accountability view).
 */
export function compileZones(twin: Twin, expanded: ExpandedTwin, zone: Int32Array, exploitEase: Float32Array, segmentation: number) {
  const zoneIndex = indexById(twin.zones);
  const reach: number[] = [];
  const open: number[] = [];
  const essential: number[] = [];
  const zoneReachOffsets = shared(Int32Array, twin.zones.length + 1);
  twin.zones.forEach((z, i) => {
    if (z.flat) {
      reach.push(i);
      open.push(1);
      essential.push(1);
    }
    for (const to of z.reaches) {
      const isEssential = z.essential.includes(to);
      reach.push(zoneIndex.get(to)!);
      essential.push(isEssential ? 1 : 0);
      open.push(isEssential || hashUnit(`segment/${z.id}/${to}`) >= segmentation ? 1 : 0);
    }
    zoneReachOffsets[i + 1] = reach.length;
  });

  const counts = new Int32Array(twin.zones.length);
  for (let i = 0; i < expanded.nodeCount; i++) if (zone[i]! >= 0 && exploitEase[i]! > 0) counts[zone[i]!]!++;
  const zoneTargetOffsets = shared(Int32Array, twin.zones.length + 1);
  for (let z = 0; z < twin.zones.length; z++) zoneTargetOffsets[z + 1] = zoneTargetOffsets[z]! + counts[z]!;
  const zoneTargets = shared(Int32Array, zoneTargetOffsets[twin.zones.length]!);
  const fill = zoneTargetOffsets.slice(0, twin.zones.length);
  for (let i = 0; i < expanded.nodeCount; i++) if (zone[i]! >= 0 && exploitEase[i]! > 0) zoneTargets[fill[zone[i]!]!++] = i;

  return {
    zoneReachOffsets,
    zoneReach: sharedFrom(Int32Array, reach),
    zoneReachOpen: sharedFrom(Uint8Array, open),
    zoneReachEssential: sharedFrom(Uint8Array, essential),
    zoneTargetOffsets,
    zoneTargets,
  };
}
