import type { ExpandedTwin } from '../model/expand.js';
import type { Controls } from '../model/regime.js';
import type { Twin } from '../model/twin.js';
import { SERVICE_UNITS } from '../model/vocabulary.js';
import { packDelay } from './delay.js';
import { indexById } from './members.js';
import type { CompiledModel } from './model.js';
import { shared, sharedFrom } from './shared.js';

export type ServiceArrays = Pick<
  CompiledModel,
  | 'serviceDemand'
  | 'serviceUnit'
  | 'serviceDiversion'
  | 'serviceSite'
  | 'serviceSupport'
  | 'serviceKind'
  | 'serviceKindCount'
  | 'nodeServiceOffsets'
  | 'nodeServices'
  | 'nodeServiceWeight'
  | 'nodeServiceSlot'
  | 'requiredSlotSize'
  | 'serviceSlotOffsets'
  | 'serviceNeedOffsets'
  | 'serviceNeeds'
  | 'serviceNeedShare'
  | 'serviceClosureOffsets'
  | 'serviceClosure'
  | 'serviceAffectedOffsets'
  | 'serviceAffected'
  | 'serviceWorkaroundOffsets'
  | 'workaroundCeiling'
  | 'workaroundDelays'
  | 'workaroundSpeedup'
  | 'workaroundRamp'
>;

/** A service's kind: its `kind`, else its id after the last "/". */
export function serviceKindOf(service: Twin['services'][number]): string {
  return service.kind ?? service.id.slice(service.id.lastIndexOf('/') + 1);
}

/** The service kinds of a twin, in order of first appearance (the `service.<kind>.*` metric columns). */
export function serviceKinds(twin: Twin): string[] {
  return [...new Set(twin.services.map(serviceKindOf))];
}

/**
 * The services (docs/model.md "Services"): which members support which service and how, what each service
 * needs of the others, and its workarounds.
 *
 * - Links, CSR by member: its `services` and `criticalFor` (additive: an ordinary supporter weighs 1; a
 *   member on which the service depends critically (share c) weighs c · n / (1 − C), where n counts the
 *   ordinary supporters and C sums the critical shares, so that its loss takes c of the capacity), then its
 *   `requiredFor` (multiplicative: `nodeServiceSlot` names the entry's slot, whose members up multiply the
 *   service's capacity by their share; -1 for an additive link).
 * - `needs`: per service the services it needs and the share of its work that needs each; `serviceClosure`
 *   lists each service and every service it needs, directly or not; `serviceAffected` each service and every
 *   service that needs it, directly or not, in an order where a service comes after all it needs.
 * - Workarounds per service: ceiling, set-up delay and ramp (mutual aid's divided by the regime's
 *   `mutualAidSpeedup`).
 */
export function compileServices(twin: Twin, expanded: ExpandedTwin, controls: Pick<Controls, 'mutualAidSpeedup'> = {}): ServiceArrays {
  const n = expanded.nodeCount;
  const { entryStart } = expanded;
  const serviceIndex = indexById(twin.services);
  const siteIndex = indexById(twin.sites);
  const serviceCount = twin.services.length;
  const ordinary = new Float64Array(serviceCount);
  const criticalShare = new Float64Array(serviceCount);
  twin.nodes.forEach((node) => {
    for (const id of node.services) ordinary[serviceIndex.get(id)!]! += node.count;
    for (const c of node.criticalFor) criticalShare[serviceIndex.get(c.service)!]! += c.share * node.count;
  });
  const criticalWeight = (s: number, share: number): number => (ordinary[s]! > 0 ? (share * ordinary[s]!) / (1 - criticalShare[s]!) : share);

  // Required slots: one per (entry, service it is required for), numbered service by service.
  const slotsOf: { entry: number; size: number }[][] = Array.from({ length: serviceCount }, () => []);
  twin.nodes.forEach((node, e) => {
    for (const id of node.requiredFor) slotsOf[serviceIndex.get(id)!]!.push({ entry: e, size: node.count });
  });
  const serviceSlotOffsets = shared(Int32Array, serviceCount + 1);
  for (let s = 0; s < serviceCount; s++) serviceSlotOffsets[s + 1] = serviceSlotOffsets[s]! + slotsOf[s]!.length;
  const requiredSlotSize = sharedFrom(Float64Array, slotsOf.flat().map((slot) => slot.size));
  const slotOf = new Map<string, number>();
  slotsOf.forEach((slots, s) => slots.forEach((slot, k) => slotOf.set(`${slot.entry}:${s}`, serviceSlotOffsets[s]! + k)));

  const nodeServiceOffsets = shared(Int32Array, n + 1);
  let links = 0;
  twin.nodes.forEach((node, e) => {
    for (let i = entryStart[e]!; i < entryStart[e + 1]!; i++) {
      nodeServiceOffsets[i] = links;
      links += node.services.length + node.criticalFor.length + node.requiredFor.length;
    }
  });
  nodeServiceOffsets[n] = links;
  const nodeServices = shared(Int32Array, links);
  const nodeServiceWeight = shared(Float64Array, links);
  const nodeServiceSlot = shared(Int32Array, links);
  twin.nodes.forEach((node, e) => {
    const required = node.requiredFor.map((id) => serviceIndex.get(id)!);
    const ids = [...node.services.map((id) => serviceIndex.get(id)!), ...node.criticalFor.map((c) => serviceIndex.get(c.service)!), ...required];
    const weights = [...node.services.map(() => 1), ...node.criticalFor.map((c) => criticalWeight(serviceIndex.get(c.service)!, c.share)), ...required.map(() => 0)];
    const slots = [...node.services.map(() => -1), ...node.criticalFor.map(() => -1), ...required.map((s) => slotOf.get(`${e}:${s}`)!)];
    for (let i = entryStart[e]!; i < entryStart[e + 1]!; i++) {
      nodeServices.set(ids, nodeServiceOffsets[i]!);
      nodeServiceWeight.set(weights, nodeServiceOffsets[i]!);
      nodeServiceSlot.set(slots, nodeServiceOffsets[i]!);
    }
  });
  const serviceSupport = shared(Float64Array, serviceCount);
  for (let s = 0; s < serviceCount; s++) {
    serviceSupport[s] = criticalShare[s] === 0 ? ordinary[s]! : ordinary[s]! > 0 ? ordinary[s]! / (1 - criticalShare[s]!) : 1;
  }

  const needs = twin.services.map((service) => service.needs.map((need) => ({ service: serviceIndex.get(need.service)!, share: need.share })));
  const order = topologicalOrder(needs);
  const closure = needs.map((_, s) => reachable(s, needs));
  const dependents = Array.from({ length: serviceCount }, () => [] as number[]);
  needs.forEach((list, s) => list.forEach((need) => dependents[need.service]!.push(s)));
  const rank = new Int32Array(serviceCount);
  order.forEach((s, i) => (rank[s] = i));
  const affected = dependents.map((_, s) => reachable(s, dependents.map((list) => list.map((d) => ({ service: d })))).sort((a, b) => rank[a]! - rank[b]!));

  const kinds = serviceKinds(twin);
  const speedup = controls.mutualAidSpeedup ?? 1;
  const workarounds = twin.services.map((service) =>
    service.workarounds.map((w) => {
      const scale = w.kind === 'mutual-aid' ? speedup : 1;
      return { ceiling: w.ceiling, after: packDelay(w.after), scale, ramp: w.rampMinutes / scale };
    }),
  );

  return {
    serviceDemand: sharedFrom(Float64Array, twin.services.map((s) => s.demandPerHour)),
    serviceUnit: sharedFrom(Uint8Array, twin.services.map((s) => SERVICE_UNITS.indexOf(s.unit))),
    serviceDiversion: sharedFrom(Uint8Array, twin.services.map((s) => (s.diversion ? 1 : 0))),
    serviceSite: sharedFrom(Int32Array, twin.services.map((s) => (s.site === undefined ? -1 : siteIndex.get(s.site)!))),
    serviceSupport,
    serviceKind: sharedFrom(Int32Array, twin.services.map((s) => kinds.indexOf(serviceKindOf(s)))),
    serviceKindCount: kinds.length,
    nodeServiceOffsets,
    nodeServices,
    nodeServiceWeight,
    nodeServiceSlot,
    requiredSlotSize,
    serviceSlotOffsets,
    ...csr(needs.map((list) => list.map((x) => x.service)), 'serviceNeedOffsets', 'serviceNeeds'),
    serviceNeedShare: sharedFrom(Float64Array, needs.flatMap((list) => list.map((x) => x.share))),
    ...csr(closure, 'serviceClosureOffsets', 'serviceClosure'),
    ...csr(affected, 'serviceAffectedOffsets', 'serviceAffected'),
    serviceWorkaroundOffsets: csr(workarounds.map((list) => list.map(() => 0)), 'offsets', 'values').offsets,
    workaroundCeiling: sharedFrom(Float64Array, workarounds.flatMap((list) => list.map((w) => w.ceiling))),
    workaroundDelays: sharedFrom(Float64Array, workarounds.flatMap((list) => list.flatMap((w) => [...w.after]))),
    workaroundSpeedup: sharedFrom(Float64Array, workarounds.flatMap((list) => list.map((w) => w.scale))),
    workaroundRamp: sharedFrom(Float64Array, workarounds.flatMap((list) => list.map((w) => w.ramp))),
  };
}

function csr<O extends string, V extends string>(lists: number[][], offsetsName: O, valuesName: V): Record<O, Int32Array> & Record<V, Int32Array> {
  const offsets = shared(Int32Array, lists.length + 1);
  lists.forEach((list, i) => (offsets[i + 1] = offsets[i]! + list.length));
  const values = sharedFrom(Int32Array, lists.flat());
  return { [offsetsName]: offsets, [valuesName]: values } as Record<O, Int32Array> & Record<V, Int32Array>;
}

/** s and every service reachable from it along `next`, s first (check-twin.ts refuses cycles). */
function reachable(s: number, next: { service: number }[][]): number[] {
  const seen = new Set([s]);
  const stack = [s];
  while (stack.length > 0) {
    for (const { service } of next[stack.pop()!]!) {
      if (!seen.has(service)) {
        seen.add(service);
        stack.push(service);
      }
    }
  }
  return [...seen];
}

/** Services ordered so that each comes after every service it needs. */
function topologicalOrder(needs: { service: number }[][]): number[] {
  const order: number[] = [];
  const done = new Uint8Array(needs.length);
  const visit = (s: number): void => {
    if (done[s] === 1) return;
    done[s] = 1;
    for (const need of needs[s]!) visit(need.service);
    order.push(s);
  };
  for (let s = 0; s < needs.length; s++) visit(s);
  return order;
}
