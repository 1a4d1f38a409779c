import type { ExpandedTwin } from '../model/expand.js';
import type { Twin } from '../model/twin.js';
import { SERVICE_UNITS } from '../model/vocabulary.js';
import { indexById } from './members.js';
import type { CompiledModel } from './model.js';
import { shared, sharedFrom } from './shared.js';

export type ServiceArrays = Pick<
  CompiledModel,
  'serviceDemand' | 'serviceUnit' | 'serviceDiversion' | 'serviceSite' | 'serviceSupport' | 'nodeServiceOffsets' | 'nodeServices' | 'nodeServiceWeight'
>;

/**
 * The services, and which members support which service (CSR by member: its `services`, then its
 * `criticalFor`), each link's weight, and each service's total weight. An ordinary supporter weighs 1; a
 * member on which the service depends critically (share c) weighs c · n / (1 − C), where n counts the
 * ordinary supporters and C sums the critical shares, so that its loss takes c of the capacity and the
 * ordinary ones share 1 − C. With no ordinary supporter a critical member weighs c out of a total of 1.
 * Without critical members every weight is 1 and the total is the supporter count.
 */
export function compileServices(twin: Twin, expanded: ExpandedTwin): ServiceArrays {
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

  const nodeServiceOffsets = shared(Int32Array, n + 1);
  let links = 0;
  twin.nodes.forEach((node, e) => {
    for (let i = entryStart[e]!; i < entryStart[e + 1]!; i++) {
      nodeServiceOffsets[i] = links;
      links += node.services.length + node.criticalFor.length;
    }
  });
  nodeServiceOffsets[n] = links;
  const nodeServices = shared(Int32Array, links);
  const nodeServiceWeight = shared(Float64Array, links);
  twin.nodes.forEach((node, e) => {
    const ids = [...node.services.map((id) => serviceIndex.get(id)!), ...node.criticalFor.map((c) => serviceIndex.get(c.service)!)];
    const weights = [...node.services.map(() => 1), ...node.criticalFor.map((c) => criticalWeight(serviceIndex.get(c.service)!, c.share))];
    for (let i = entryStart[e]!; i < entryStart[e + 1]!; i++) {
      nodeServices.set(ids, nodeServiceOffsets[i]!);
      nodeServiceWeight.set(weights, nodeServiceOffsets[i]!);
    }
  });
  const serviceSupport = shared(Float64Array, serviceCount);
  for (let s = 0; s < serviceCount; s++) {
    serviceSupport[s] = criticalShare[s] === 0 ? ordinary[s]! : ordinary[s]! > 0 ? ordinary[s]! / (1 - criticalShare[s]!) : 1;
  }

  return {
    serviceDemand: sharedFrom(Float64Array, twin.services.map((s) => s.demandPerHour)),
    serviceUnit: sharedFrom(Uint8Array, twin.services.map((s) => SERVICE_UNITS.indexOf(s.unit))),
    serviceDiversion: sharedFrom(Uint8Array, twin.services.map((s) => (s.diversion ? 1 : 0))),
    serviceSite: sharedFrom(Int32Array, twin.services.map((s) => (s.site === undefined ? -1 : siteIndex.get(s.site)!))),
    serviceSupport,
    nodeServiceOffsets,
    nodeServices,
    nodeServiceWeight,
  };
}
