import type { Twin, TwinNode } from '../../../engine/model/twin.js';

/** Members (expanded nodes) of the entries a predicate picks. */
export function members(twin: Twin, pick: (node: TwinNode) => boolean): number {
  let sum = 0;
  for (const node of twin.nodes) if (pick(node)) sum += node.count;
  return sum;
}

const IOT_KINDS = new Set(['infusion-pump', 'patient-monitor', 'insulin-pump']);

/** Zones holding devices at the patient, and whether desktops share them (Unit 42's "mixed" VLANs). */
export function clinicalVlans(twin: Twin): { zone: string; mixed: boolean }[] {
  const kinds = new Map<string, Set<string>>();
  for (const node of twin.nodes) {
    if (node.zone === undefined) continue;
    if (!kinds.has(node.zone)) kinds.set(node.zone, new Set());
    kinds.get(node.zone)!.add(node.kind);
  }
  return [...kinds]
    .filter(([, k]) => [...k].some((kind) => IOT_KINDS.has(kind)))
    .map(([zone, k]) => ({ zone, mixed: k.has('clinical-workstation') }));
}
