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

/** The trust (or practice) an entry belongs to: generated ids start with it (`acute-001/server/pacs`). */
export function orgOf(id: string): string {
  return id.split('/')[0]!;
}

/** Entries on the sensor version the faulty update breaks (of a twin, or of a generator's document). */
export function sensorAffected<N extends { tags?: readonly string[] }>(twin: { nodes: readonly N[] }): N[] {
  return twin.nodes.filter((n) => n.tags?.includes('sensor-affected') === true);
}

/**
 * A generated twin document with its sensor deployment taken out (the `sensor-affected` tags and the
 * generator's `sensor*` parameters): two deployments of one estate must compare equal after it.
 */
export function withoutSensor(value: unknown): unknown {
  const copy = structuredClone(value) as { generator: { parameters: Record<string, unknown> }; nodes: { tags?: string[] }[] };
  for (const key of Object.keys(copy.generator.parameters)) if (key.startsWith('sensor')) delete copy.generator.parameters[key];
  for (const node of copy.nodes) {
    if (node.tags) node.tags = node.tags.filter((t) => t !== 'sensor-affected');
    if (node.tags?.length === 0) delete node.tags;
  }
  return copy;
}
