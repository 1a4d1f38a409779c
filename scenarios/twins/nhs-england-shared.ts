import type { TwinBuilder } from './builder.js';
import type { PracticePlan, TrustPlan } from './estate.js';
import type { NationalRefs } from './national.js';
import { PROFILES } from './profiles.js';
import { REGIONS, REGION_WEIGHTS } from './regions.js';
import { apportion, seededRandom, shuffled } from './random.js';
import { addPathologyNetwork } from './pathology.js';

/**
 * ~25 million GP appointments a month in England (NHS Digital, Appointments in General Practice, first
 * published 2018) ≈ 300 million a year, over ~7,400 practices and 8,760 hours.
 */
const CONSULTATIONS_PER_PRACTICE_HOUR = 300e6 / 7400 / 8760;

/**
 * GP consultations as one service per region and supplier, so that losing supplier A's platform costs
 * exactly its practices' consultations, without a service per practice.
 */
export function addRegionalGpServices(b: TwinBuilder, practices: readonly PracticePlan[]) {
  const key = (region: string, supplier: string): string => `gp/${region}/supplier-${supplier}`;
  const counts = new Map<string, number>();
  for (const p of practices) counts.set(key(p.region, p.supplier), (counts.get(key(p.region, p.supplier)) ?? 0) + 1);
  const bySupplier: { a: string[]; b: string[] } = { a: [], b: [] };
  for (const region of REGIONS) {
    for (const supplier of ['a', 'b'] as const) {
      const count = counts.get(key(region.id, supplier));
      if (!count) continue;
      bySupplier[supplier].push(
        b.service({
          id: key(region.id, supplier),
          name: `GP consultations, ${region.name}, supplier ${supplier.toUpperCase()} practices`,
          unit: 'consultations',
          demandPerHour: Math.round(count * CONSULTATIONS_PER_PRACTICE_HOUR * 100) / 100,
          criticality: 3,
        }),
      );
    }
  }
  return { bySupplier, of: (p: PracticePlan): string => key(p.region, p.supplier) };
}

/**
 * Pathology networks (NHS Improvement, 2017: 29 networks of acute and specialist trusts' labs), shared
 * out by region population. Each network's platform serves its region's trusts with labs (dealt in a
 * seeded order) and practices (dealt in order) — the hub-and-spoke shape that made one supplier's
 * outage (Synnovis, June 2024) stop blood tests for several trusts and their GPs at once.
 */
export function addPathologyNetworks(b: TwinBuilder, national: NationalRefs, count: number, estate: { trusts: TrustPlan[]; practices: PracticePlan[] }, seed: number) {
  const perRegion = apportion(count, REGION_WEIGHTS);
  const ofTrust = new Map<string, string>();
  const ofPractice = new Map<string, string>();
  const lims = new Map<string, string>();
  let next = 1;
  REGIONS.forEach((region, r) => {
    const networks = Array.from({ length: perRegion[r]! }, () => String(next++).padStart(2, '0'));
    if (networks.length === 0) return;
    const trusts = estate.trusts.filter((t) => t.region === region.id && PROFILES[t.kind].deviceShares['lab-analyser'] > 0);
    const served = new Map<string, TrustPlan[]>(networks.map((n) => [n, []]));
    shuffled(seededRandom(seed, `pathology/${region.id}`), trusts).forEach((t, i) => {
      const n = networks[i % networks.length]!;
      served.get(n)!.push(t);
      ofTrust.set(t.id, `pathology/network-${n}/platform`);
    });
    estate.practices.filter((p) => p.region === region.id).forEach((p, i) => ofPractice.set(p.id, `pathology/network-${networks[i % networks.length]!}/platform`));
    for (const n of networks) {
      const owner = b.owner({ id: `pathology-network-${n}`, kind: 'supplier', name: `Pathology network ${n} (hub laboratory or its private partner)` });
      const trusts = served.get(n)!.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
      const network = addPathologyNetwork(b, national, { key: `pathology/network-${n}`, owner, name: `Pathology network ${n}, ${region.name}`, region: region.id, trusts });
      lims.set(network.platform, network.lims);
    }
  });
  return { ofTrust, ofPractice, limsOf: (platform: string | undefined): string | undefined => (platform === undefined ? undefined : lims.get(platform)) };
}
