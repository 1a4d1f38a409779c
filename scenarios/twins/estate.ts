import { GeneratorParameterError } from './params.js';
import { PROFILES, type TrustKind } from './profiles.js';
import { REGIONS, REGION_WEIGHTS } from './regions.js';
import { apportion, randomInt, randomLognormal, seededRandom, shuffled } from './random.js';

/**
 * The national roster, as numbers: which trusts and practices exist, where, how big, and how many devices
 * each has. The nhs-england generator then builds each one from the building blocks.
 */
export interface EstateInput {
  trusts: Readonly<Record<TrustKind, number>>;
  gpPractices: number;
  gpWorkstationsPerPractice: number;
  gpSupplierAShare: number;
  /** Physical-layer devices in the whole estate (trusts' devices and practices' desktops). */
  devices: number;
}

export interface TrustPlan {
  id: string;
  name: string;
  kind: TrustKind;
  region: string;
  beds: number;
  devices: number;
}

export interface PracticePlan {
  id: string;
  region: string;
  supplier: 'a' | 'b';
  workstations: number;
}

/**
 * Trust sizes in beds (vehicles for ambulance trusts): lognormal draws, clamped. Medians are set so that
 * the means match where a public figure exists: acute ≈ 780 G&A beds (KH03, median 705 with σ = 0.45);
 * mental health ≈ 340 beds (KH03 2017: ~18,000 mental-illness beds over 54 trusts). The rest are
 * assumptions: specialist trusts 250, community trusts 120 community beds, ambulance trusts 450 vehicles.
 */
const SIZES: Record<TrustKind, { median: number; sigma: number; min: number; max: number }> = {
  acute: { median: 705, sigma: 0.45, min: 150, max: 2500 },
  specialist: { median: 250, sigma: 0.6, min: 40, max: 1000 },
  'mental-health': { median: 315, sigma: 0.4, min: 50, max: 1200 },
  community: { median: 120, sigma: 0.6, min: 20, max: 600 },
  ambulance: { median: 450, sigma: 0.3, min: 150, max: 1000 },
};

const KINDS = Object.keys(PROFILES) as TrustKind[];

export function planEstate(input: EstateInput, seed: number, generator: string): { trusts: TrustPlan[]; practices: PracticePlan[] } {
  const practices = planPractices(input, seed);
  const gpDevices = practices.reduce((sum, p) => sum + p.workstations, 0);

  const trusts: TrustPlan[] = [];
  for (const kind of KINDS) {
    const count = input.trusts[kind];
    const regions = shuffled(seededRandom(seed, `regions/${kind}`), regionList(count));
    for (let i = 0; i < count; i++) {
      const id = `${kind}-${String(i + 1).padStart(3, '0')}`;
      const size = SIZES[kind];
      const beds = Math.round(Math.min(size.max, Math.max(size.min, randomLognormal(seededRandom(seed, `${id}/size`), size.median, size.sigma))));
      trusts.push({ id, name: `${capitalise(kind)} trust ${i + 1}`, kind, region: regions[i]!, beds, devices: 0 });
    }
  }
  // The devices left after the practices are shared in proportion to beds × the profile's density, so the
  // estate totals exactly `devices` whatever the draws.
  const trustDevices = input.devices - gpDevices;
  if (trustDevices < trusts.length) {
    throw new GeneratorParameterError(generator, 'params.devices', `expected at least ${(gpDevices + trusts.length).toLocaleString('en-GB')} (the practices' ${gpDevices.toLocaleString('en-GB')} desktops and one device a trust), got ${input.devices.toLocaleString('en-GB')}`);
  }
  const shares = apportion(trustDevices, trusts.map((t) => t.beds * PROFILES[t.kind].densityPerBed));
  trusts.forEach((t, i) => (t.devices = shares[i]!));
  return { trusts, practices };
}

/**
 * Practices by region (population-weighted), grouped by region in id order. Exactly round(share × N) are on
 * supplier A, which practices by a seeded shuffle: suppliers' shares differ by region in reality too.
 * Desktops per practice are drawn uniformly within ±3 of the mean.
 */
function planPractices(input: EstateInput, seed: number): PracticePlan[] {
  const n = input.gpPractices;
  const regions = regionList(n);
  const onA = Math.round(input.gpSupplierAShare * n);
  const suppliers = shuffled(seededRandom(seed, 'gp/suppliers'), Array.from({ length: n }, (_, i) => (i < onA ? 'a' : 'b') as 'a' | 'b'));
  const random = seededRandom(seed, 'gp/workstations');
  const mean = input.gpWorkstationsPerPractice;
  return regions.map((region, i) => ({
    id: `gp-${String(i + 1).padStart(4, '0')}`,
    region,
    supplier: suppliers[i]!,
    workstations: randomInt(random, Math.max(1, mean - 3), mean + 3),
  }));
}

/** `count` region ids, apportioned by population, in region order. */
function regionList(count: number): string[] {
  const parts = apportion(count, REGION_WEIGHTS);
  return REGIONS.flatMap((r, i) => new Array<string>(parts[i]!).fill(r.id));
}

function capitalise(kind: string): string {
  const words = kind.replace('-', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
