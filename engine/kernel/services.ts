import type { CompiledModel } from '../compile/model.js';
import { Blocks } from './blocks.js';
import { SERVICE_SAMPLE_MINUTES } from './metrics.js';
import { HarmBook } from './harm.js';
import { delayAt, STREAM } from './rng.js';

/**
 * The services' capacity over a run (docs/model.md "Services"). A service's capacity at time t is
 *
 *   own(t) = Π_required (members up / members) × (1 − weight down / support)      (its own systems)
 *   c(t)   = [own + (1 − own) × (1 − (1 − paper) Π_k (1 − w_k(t)))] × Π_needs (1 − share × (1 − c_need(t)))
 *
 * where `paper` is the scenario's and regime's downtime capacity (at once), and workaround k gives
 * w_k(t) = ceiling × clamp((t − t0 − after_k) / ramp, 0, 1) from the moment t0 the service's own systems first
 * fell short (reset once they are whole again), its set-up delay after_k drawn once per run. Between events `own` is constant and every factor is
 * non-decreasing, so a service's capacity never falls between events, and it is a polynomial between the
 * workarounds' kinks: its loss is integrated piece by piece with 5-point Gauss–Legendre (exact up to
 * degree 9, i.e. nine workarounds ramping at once along a chain of needs), and the crossings of 50% and
 * 90% are found by bisection inside a piece. Allocated once per run context; nothing is allocated per event.
 */

const GL_X = [0, -0.5384693101056831, 0.5384693101056831, -0.906179845938664, 0.906179845938664] as const;
const GL_W = [0.5688888888888889, 0.4786286704993665, 0.4786286704993665, 0.2369268850561891, 0.2369268850561891] as const;
/** The capacity levels whose recovery is an outcome (SERVICE_FIGURES backTo50, backTo90), and the one whose hours below count. */
export const LEVELS = [0.5, 0.9] as const;

/**
 * A capacity figure as reported (day samples, the lowest): to 12 decimals, so that two regimes reaching the
 * same capacity along different floating-point paths (a ramp read at t − t0 for different t0) report the
 * same number, and a paired difference is 0 rather than 1e-17.
 */
function roundCapacity(c: number): number {
  return Math.round(c * 1e12) / 1e12;
}

export class ServiceBook {
  /** Additive supporters down now and their summed weights; members down per required slot. */
  readonly down: Float64Array;
  readonly downWeight: Float64Array;
  readonly requiredDown: Float64Array;
  /** Capacity of each service's own systems now, and when they first fell short (Infinity while whole). */
  readonly own: Float64Array;
  readonly episode: Float64Array;
  /** Integrated up to this time: units lost, minutes below 50%, minutes diverting. */
  readonly last: Float64Array;
  readonly lost: Float64Array;
  readonly below: Float64Array;
  readonly diverting: Float64Array;
  readonly minimum: Float64Array;
  /** First time the service's capacity fell below 1 (Infinity: never). */
  readonly firstLoss: Float64Array;
  /** Per (level, service): when it was last back at the level, whether it is below now, whether it ever was. */
  readonly backAt: Float64Array;
  readonly pending: Uint8Array;
  readonly wentBelow: Uint8Array;
  /**
   * The incident as the services saw it: the first time any service's capacity fell below 1 (Infinity: not
   * yet). Samples are taken SERVICE_SAMPLE_MINUTES after it — `day1` is a day into the disruption — and
   * stored per (sample, service); `nextSample` is when the next one is due.
   */
  incidentStart = Infinity;
  nextSample = Infinity;
  private sampled = 0;
  readonly samples: Float64Array;
  readonly siteServiceLoss: Uint8Array;
  readonly siteDiverted: Uint8Array;
  /** Each workaround's set-up delay this run (drawn at reset). */
  readonly after: Float64Array;
  private readonly kinks: Float64Array;
  /** The patients' ledger (harm.ts): kept here, beside the services', so both kernels reset and close it alike. */
  readonly harm: HarmBook;

  constructor(readonly m: CompiledModel, blocks = new Blocks()) {
    const n = m.serviceCount;
    this.harm = new HarmBook(m, blocks);
    this.down = blocks.array(Float64Array, n);
    this.downWeight = blocks.array(Float64Array, n);
    this.requiredDown = blocks.array(Float64Array, m.requiredSlotSize.length);
    this.own = blocks.array(Float64Array, n);
    this.episode = blocks.array(Float64Array, n);
    this.last = blocks.array(Float64Array, n);
    this.lost = blocks.array(Float64Array, n);
    this.below = blocks.array(Float64Array, n);
    this.diverting = blocks.array(Float64Array, n);
    this.minimum = blocks.array(Float64Array, n);
    this.firstLoss = blocks.array(Float64Array, n);
    this.backAt = blocks.array(Float64Array, LEVELS.length * n);
    this.pending = blocks.array(Uint8Array, LEVELS.length * n);
    this.wentBelow = blocks.array(Uint8Array, LEVELS.length * n);
    this.samples = blocks.array(Float64Array, 3 * n);
    this.siteServiceLoss = blocks.array(Uint8Array, m.siteCount);
    this.siteDiverted = blocks.array(Uint8Array, m.siteCount);
    this.after = blocks.array(Float64Array, m.workaroundCeiling.length);
    let most = 0;
    for (let s = 0; s < n; s++) {
      let count = 0;
      for (let k = m.serviceClosureOffsets[s]!; k < m.serviceClosureOffsets[s + 1]!; k++) {
        const x = m.serviceClosure[k]!;
        count += 2 * (m.serviceWorkaroundOffsets[x + 1]! - m.serviceWorkaroundOffsets[x]!);
      }
      most = Math.max(most, count);
    }
    this.kinks = blocks.array(Float64Array, most + 2);
  }

  /** Resets for a new run and draws its workarounds' set-up delays from the run's stream keys. */
  reset(keys: Int32Array): void {
    const m = this.m;
    for (let k = 0; k < this.after.length; k++) this.after[k] = delayAt(m.workaroundDelays, k * 3, m.workaroundSpeedup[k]!, keys, STREAM.workaround, k, 0);
    this.down.fill(0);
    this.downWeight.fill(0);
    this.requiredDown.fill(0);
    this.own.fill(1);
    this.episode.fill(Infinity);
    this.last.fill(0);
    this.lost.fill(0);
    this.below.fill(0);
    this.diverting.fill(0);
    this.minimum.fill(1);
    this.firstLoss.fill(Infinity);
    this.backAt.fill(0);
    this.pending.fill(0);
    this.wentBelow.fill(0);
    this.samples.fill(NaN);
    this.incidentStart = Infinity;
    this.nextSample = Infinity;
    this.sampled = 0;
    this.siteServiceLoss.fill(0);
    this.siteDiverted.fill(0);
    this.harm.reset();
  }

  /**
   * Capacity of service s at time t under the current state: the limit from the right at t, or from the
   * left when `left` (they differ only where a workaround without a ramp starts exactly at t).
   */
  capacity(s: number, t: number, left = false): number {
    const m = this.m;
    let c = 1;
    const own = this.own[s]!;
    if (own < 1) {
      let keep = 1 - m.downtimeCapacity;
      const elapsed = t - this.episode[s]!;
      for (let k = m.serviceWorkaroundOffsets[s]!; k < m.serviceWorkaroundOffsets[s + 1]!; k++) {
        const start = this.after[k]!;
        const ramp = m.workaroundRamp[k]!;
        if (elapsed < start || (left && elapsed === start)) continue;
        keep *= 1 - (ramp === 0 ? m.workaroundCeiling[k]! : m.workaroundCeiling[k]! * Math.min(1, (elapsed - start) / ramp));
      }
      c = own + (1 - own) * (1 - keep);
    }
    for (let k = m.serviceNeedOffsets[s]!; k < m.serviceNeedOffsets[s + 1]!; k++) {
      c *= 1 - m.serviceNeedShare[k]! * (1 - this.capacity(m.serviceNeeds[k]!, t, left));
    }
    return c;
  }

  /** Member `node` goes down (delta 1) or comes back (−1) for every service it supports. */
  change(node: number, delta: number, t: number): void {
    const m = this.m;
    for (let k = m.nodeServiceOffsets[node]!, end = m.nodeServiceOffsets[node + 1]!; k < end; k++) {
      const s = m.nodeServices[k]!;
      const from = m.serviceAffectedOffsets[s]!;
      const to = m.serviceAffectedOffsets[s + 1]!;
      for (let a = from; a < to; a++) this.touch(m.serviceAffected[a]!, t);
      const slot = m.nodeServiceSlot[k]!;
      if (slot >= 0) this.requiredDown[slot]! += delta;
      else {
        this.down[s]! += delta;
        // The weighted count returns to exactly 0 with the last member back (no rounding residue).
        this.downWeight[s] = this.down[s] === 0 ? 0 : this.downWeight[s]! + delta * m.nodeServiceWeight[k]!;
      }
      const before = this.own[s]!;
      const own = this.ownCapacity(s);
      this.own[s] = own;
      if (own === 1) this.episode[s] = Infinity;
      else if (before === 1) this.episode[s] = t;
      for (let a = from; a < to; a++) this.settle(m.serviceAffected[a]!, t);
    }
  }

  /** Takes every sample due before t (the state after all events up to its time). */
  sampleUntil(t: number): void {
    const n = this.m.serviceCount;
    while (this.nextSample < t) {
      const j = this.sampled++;
      for (let s = 0; s < n; s++) this.samples[j * n + s] = roundCapacity(this.capacity(s, this.nextSample));
      this.nextSample = this.sampled < SERVICE_SAMPLE_MINUTES.length ? this.incidentStart + SERVICE_SAMPLE_MINUTES[this.sampled]! : Infinity;
      // Day N is seen only strictly inside the horizon, as for a run with no loss (clinical.ts serviceFigures).
      if (this.nextSample >= this.m.horizonMinutes) this.nextSample = Infinity;
    }
  }

  /** Writes every service's capacity at t into `series` from `base`. */
  record(series: Float64Array, base: number, t: number): void {
    for (let s = 0; s < this.m.serviceCount; s++) series[base + s] = this.capacity(s, t);
  }

  /** Integrates every service, and the patients' ledger, up to the horizon. */
  close(horizon: number): void {
    for (let s = 0; s < this.m.serviceCount; s++) this.touch(s, horizon);
    this.harm.close(horizon);
  }

  private ownCapacity(s: number): number {
    const m = this.m;
    let own = this.downWeight[s] === 0 ? 1 : Math.max(0, 1 - this.downWeight[s]! / m.serviceSupport[s]!);
    for (let slot = m.serviceSlotOffsets[s]!; slot < m.serviceSlotOffsets[s + 1]!; slot++) {
      if (this.requiredDown[slot]! > 0) own *= Math.max(0, 1 - this.requiredDown[slot]! / m.requiredSlotSize[slot]!);
    }
    return own;
  }

  /** After a change at t: the lowest capacity, the first loss, the levels it fell below or is back at, the site's flags. */
  private settle(s: number, t: number): void {
    const m = this.m;
    const n = m.serviceCount;
    const c = this.capacity(s, t);
    if (roundCapacity(c) < this.minimum[s]!) this.minimum[s] = roundCapacity(c);
    if (c < 1 && this.firstLoss[s] === Infinity) {
      this.firstLoss[s] = t;
      if (this.incidentStart === Infinity) {
        this.incidentStart = t;
        this.nextSample = t + SERVICE_SAMPLE_MINUTES[0] < m.horizonMinutes ? t + SERVICE_SAMPLE_MINUTES[0] : Infinity;
      }
    }
    for (let l = 0; l < LEVELS.length; l++) {
      const i = l * n + s;
      if (c < LEVELS[l]!) {
        this.pending[i] = 1;
        this.wentBelow[i] = 1;
      } else if (this.pending[i] === 1) {
        this.pending[i] = 0;
        this.backAt[i] = t;
      }
    }
    const site = m.serviceSite[s]!;
    if (site >= 0 && c < 1) {
      this.siteServiceLoss[site] = 1;
      if (m.serviceDiversion[s] === 1 && c < m.diversionBelow) this.siteDiverted[site] = 1;
    }
  }

  /** Integrates service s from its last touch up to t under the current state. */
  private touch(s: number, t: number): void {
    const a = this.last[s]!;
    if (t <= a) return;
    this.last[s] = t;
    if (this.capacity(s, a) >= 1) return;
    const m = this.m;
    // The kinks of every workaround shaping s's capacity inside (a, t), sorted.
    const kinks = this.kinks;
    let count = 0;
    for (let k = m.serviceClosureOffsets[s]!; k < m.serviceClosureOffsets[s + 1]!; k++) {
      const x = m.serviceClosure[k]!;
      const t0 = this.episode[x]!;
      if (t0 === Infinity) continue;
      for (let w = m.serviceWorkaroundOffsets[x]!; w < m.serviceWorkaroundOffsets[x + 1]!; w++) {
        const p = t0 + this.after[w]!;
        if (p > a && p < t) kinks[count++] = p;
        const q = p + m.workaroundRamp[w]!;
        if (q !== p && q > a && q < t) kinks[count++] = q;
      }
    }
    for (let i = 1; i < count; i++) {
      const x = kinks[i]!;
      let j = i - 1;
      while (j >= 0 && kinks[j]! > x) kinks[j + 1] = kinks[j--]!;
      kinks[j + 1] = x;
    }
    let u = a;
    for (let i = 0; i <= count; i++) {
      const v = i < count ? kinks[i]! : t;
      if (v > u) this.piece(s, u, v);
      u = v;
    }
  }

  /** One piece [u, v] without kinks inside: its loss, time below 50% and diverting, and the levels crossed. */
  private piece(s: number, u: number, v: number): void {
    const m = this.m;
    const n = m.serviceCount;
    const cu = this.capacity(s, u);
    for (let l = 0; l < LEVELS.length; l++) {
      const i = l * n + s;
      if (this.pending[i] === 1 && cu >= LEVELS[l]!) {
        this.pending[i] = 0;
        this.backAt[i] = u;
      }
    }
    if (cu >= 1) return;
    const cv = this.capacity(s, v, true);
    let missing: number;
    if (cu === cv) missing = (1 - cu) * (v - u);
    else {
      const half = (v - u) / 2;
      const mid = (u + v) / 2;
      missing = 0;
      for (let g = 0; g < GL_X.length; g++) missing += GL_W[g]! * (1 - this.capacity(s, mid + half * GL_X[g]!));
      missing *= half;
    }
    this.lost[s]! += (m.serviceDemand[s]! * missing) / 60;
    this.below[s]! += this.timeBelow(s, LEVELS[0], u, v, cu, cv);
    if (m.serviceDiversion[s] === 1) this.diverting[s]! += this.timeBelow(s, m.diversionBelow, u, v, cu, cv);
    for (let l = 0; l < LEVELS.length; l++) {
      const i = l * n + s;
      if (this.pending[i] === 1 && cv >= LEVELS[l]!) {
        this.pending[i] = 0;
        this.backAt[i] = this.crossing(s, LEVELS[l]!, u, v);
      }
    }
  }

  private timeBelow(s: number, level: number, u: number, v: number, cu: number, cv: number): number {
    if (cu >= level) return 0;
    if (cv < level) return v - u;
    return this.crossing(s, level, u, v) - u;
  }

  /** The first time in [u, v] the (non-decreasing) capacity reaches `level`, to floating-point precision. */
  private crossing(s: number, level: number, u: number, v: number): number {
    let lo = u;
    let hi = v;
    for (let i = 0; i < 64 && hi - lo > 1e-9 * Math.max(1, hi); i++) {
      const mid = (lo + hi) / 2;
      if (this.capacity(s, mid) >= level) hi = mid;
      else lo = mid;
    }
    return hi;
  }
}
