import { DIST_CODE } from '../compile/model.js';

/**
 * Random numbers as pure functions of where they are used: every draw of a run is a function of (batch
 * seed, run index, the stream — what the draw is for —, the entity it is about — a member, an edge, an
 * entry, a site —, and a per-entity counter), never of how many numbers were drawn before it. That is the
 * synchronisation of common random numbers (Law, Simulation Modeling and Analysis, 5th ed., 2015, §11.2.3):
 * a member's detection delay, an edge's attempt delay or a site's compliance are the same in every regime
 * where that member, edge or site exists, so a control that closes one path changes only what flows
 * through that path, and run i of two regimes stays paired after their histories part.
 *
 * The generator is counter-based (Salmon, Moraes, Dror & Shaw, "Parallel random numbers: as easy as 1, 2,
 * 3", SC 2011): no state is carried from draw to draw, so nothing is reset, shared or ordered. A 32-bit
 * word is lowbias32(a ^ lowbias32(b ^ w)), where lowbias32 is Chris Wellons' integer hash found by his
 * hash prospector ("Prospecting for hash functions", nullprogram.com, 2018; two Math.imul and three
 * xor-shifts, a bijection of 32-bit integers), a and b are two independent 32-bit lanes of (run key,
 * entity) and w = 64 × counter + the index of the word within the draw. Two lanes keep two entities'
 * streams from being shifted copies of each other, as they could be if one 32-bit value carried both.
 * Checked against the distributions in test/engine/kernel/rng.test.ts, across entities and counters.
 */

/** The streams: one per source of randomness (docs/engine.md "Coupled runs"). */
export const STREAM = {
  /** Which candidate an entry seeds (entity: entry, counter: seed number). */
  entryMember: 0,
  /** When it does. */
  entryTime: 1,
  /** Automatic restoration delay (entity: member). */
  autoRestore: 2,
  /** Payload delay (entity: member). */
  payload: 3,
  /** Detection delay of a compromise (entity: member). */
  detectCompromised: 4,
  /** Detection delay of a disruption (entity: member). */
  detectDisrupted: 5,
  /** Delay from a recovery queue's first detected member until its staff start (entity: the queue; the member, from its own detection, with startDelayPer: member). */
  startDelay: 6,
  /** A traversal attempt's delay (entity: the edge's key, `edgeKey` below, computed where it is drawn). */
  attempt: 7,
  /** Whether an edge entry and direction gets through its controls this run (entity: the group). */
  groupPass: 8,
  /** In-zone scanning (entity: the scanner; counter: its scan number): the next probe's delay. */
  scanDelay: 9,
  /** Thinning of a probe scheduled when more targets were reachable. */
  scanThin: 10,
  /** Which reachable target the probe finds. */
  scanPick: 11,
  /** Whether the probe's exploit works. */
  scanHit: 12,
  /** A response's delay (entity: its zone or site + 1, 0 estate-wide; counter: the response). */
  response: 13,
  /** Whether a site follows an estate-wide call to disconnect (entity: site; counter: the response). */
  compliance: 14,
  /** An update's arrival delay at an endpoint (entity: the endpoint; counter: the update source). */
  arrival: 15,
  /** An operator's action (entity: the operator; counter: its action number × 4 + 0 time, 1 choice, 2 alert, 3 triage). */
  operator: 16,
  /** Whether a harvest on a host yields a credential class (entity: the host; counter: the class). */
  harvest: 17,
  /** Which hosts a discovery on a host finds in its zone's reach and its group (entity: the host; counter: the sample). */
  discover: 18,
  /** A member's estate this run: carries the exploited flaw, patched, blind to the kill switch (entity: member; counter 0, 1, 2). */
  estate: 19,
  /** Whether a scanner's probe goes to its own zone or a routed one (entity: the scanner; counter: its scan number). */
  scanSide: 20,
  /** The national alert's delay (entity 0, counter 0). */
  escalation: 21,
  /** A recovery team's start delay (entity: the team; counter: its start this run). */
  teamStart: 22,
  /** A lifted response's checks (entity: the zone or site + 1, or 0 estate-wide; counter: the response). */
  lift: 23,
  /** A service workaround's set-up delay this run (entity: the workaround; counter 0). */
  workaround: 24,
  /** Clinicians noticing a device's altered therapy or readings (entity: the member; counter 0). */
  detectAltered: 25,
  /** When a payload pushed through the management plane lands on a device (entity: the device; counter 0). */
  push: 26,
  /** A staged rollout's halt delay (entity 0; counter: the rule's firing this run, 0 first). */
  haltRule: 27,
} as const;
export const STREAM_COUNT = 28;

/** Words a draw may take before its counter's range runs into the next counter's (a ziggurat almost never needs 2). */
const WORDS_PER_DRAW = 64;

/** Chris Wellons' lowbias32 (see above): a 32-bit integer bijection with low avalanche bias. */
export function lowbias32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** The part of an edge's stream key that depends on its source: computed once per source (edge-keys.ts). */
export function edgeSalt(source: number): number {
  return lowbias32(source ^ 0x5bd1e995);
}

/** An edge's stream key (STREAM.attempt's entity): its source's salt, its target, its class tag (relation + 8 × repeat). */
export function edgeKey(salt: number, target: number, tag: number): number {
  return lowbias32(lowbias32(salt ^ target) ^ tag);
}

/**
 * A run's stream keys: two 32-bit words per stream from (batch seed, run index). Seeds are integers in
 * [0, 2^53); every input word goes through the hash, so nearby seeds and runs give unrelated keys. But all of
 * a run's keys come from one 32-bit word, lowbias32(H(seed) ^ run) with H(seed) 32 bits: two seeds whose H
 * XOR to d give the same runs, reordered (run r of one is run r ^ d of the other) — for two seeds chosen
 * at random, a batch of N runs shares runs with the other's N with a chance of about N / 2^32 (a trial found
 * 20170512 and 989808233, d = 1). Widening the word to 64 bits changes every stream, and so every seeded
 * figure in docs/: not done (docs/engine.md "Coupled runs").
 */
export class RunStreams {
  readonly keys = new Int32Array(2 * STREAM_COUNT);

  /** A fresh copy of run `runIndex`'s keys (the reference kernel; the fast kernel reuses its context's). */
  static keysOf(seed: number, runIndex: number): Int32Array {
    const streams = new RunStreams();
    streams.seed(seed, runIndex);
    return streams.keys;
  }

  seed(seed: number, runIndex: number): void {
    const low = seed >>> 0;
    const high = Math.floor(seed / 4294967296) >>> 0;
    const run = runIndex >>> 0;
    const base = lowbias32(lowbias32(lowbias32(low ^ 0x9e3779b9) ^ high) ^ run);
    for (let p = 0; p < STREAM_COUNT; p++) {
      this.keys[2 * p] = lowbias32(base ^ Math.imul(p + 1, 0x632be5ab));
      this.keys[2 * p + 1] = lowbias32(lowbias32(base + Math.imul(p + 1, 0x85ebca6b)) ^ 0x7f4a7c15);
    }
  }
}

/** The w-th word of the stream whose lanes are a and b. */
function word(a: number, b: number, w: number): number {
  return lowbias32(a ^ lowbias32(b ^ w));
}

/** An entity's two lanes on a stream: every draw of the entity on that stream hashes its counter with them. */
export function laneA(keys: Int32Array, stream: number, entity: number): number {
  return lowbias32(keys[2 * stream]! ^ entity);
}

export function laneB(keys: Int32Array, stream: number, entity: number): number {
  return lowbias32((keys[2 * stream + 1]! + entity) | 0);
}

/** A uniform number in (0, 1): never 0, so logarithms are finite. */
export function uniformAt(keys: Int32Array, stream: number, entity: number, counter: number): number {
  return uniformOf(laneA(keys, stream, entity), laneB(keys, stream, entity), counter);
}

/**
 * uniformAt for an entity whose two lanes (laneA, laneB) are already known: several counters of one stream
 * and entity hash the lanes once (estate.ts draws three per member on nhs-england's two million).
 */
export function uniformOf(a: number, b: number, counter: number): number {
  return (word(a, b, counter * WORDS_PER_DRAW) + 0.5) / 4294967296;
}

/**
 * A standard exponential variate (mean 1): the exponential ziggurat below. The tail's result goes through
 * unary plus (a number: no change to its bits) so that, where this is inlined, V8 keeps the variate an
 * unboxed double: merged with the untyped result of the tail's call, every draw was boxed (a heap object
 * allocated per draw). Measured with V8's sampling heap profiler on the SIR bench's graph at 10k: 125 → 57
 * bytes allocated a compromise on the fast path, 169 → 116 on the general path; kernel-ab 1.000 and 1.013
 * (6 launches each): garbage, not time. normalAt likewise.
 */
export function exponentialAt(keys: Int32Array, stream: number, entity: number, counter: number): number {
  const a = laneA(keys, stream, entity);
  const b = laneB(keys, stream, entity);
  const w = counter * WORDS_PER_DRAW;
  const j = word(a, b, w);
  const i = j & 255;
  if (j < ke[i]!) return j * we[i]!;
  return +exponentialTail(a, b, w, j, i);
}

/** A standard normal variate: the normal ziggurat below. */
export function normalAt(keys: Int32Array, stream: number, entity: number, counter: number): number {
  const a = laneA(keys, stream, entity);
  const b = laneB(keys, stream, entity);
  const w = counter * WORDS_PER_DRAW;
  const h = word(a, b, w) | 0;
  const i = h & 127;
  if (Math.abs(h) < kn[i]!) return h * wn[i]!;
  return +normalTail(a, b, w, h, i);
}

/**
 * Draws from a packed delay [dist, a, b] at `offset` (see compile/model.ts) and divides it by `ease`.
 * fixed: no draw; exponential: ziggurat; lognormal: e^(μ + σZ) with Z from the normal ziggurat; weibull: a
 * ziggurat exponential raised to 1/shape (E^(1/k) is Weibull when E is standard exponential).
 */
export function delayAt(packed: Float64Array, offset: number, ease: number, keys: Int32Array, stream: number, entity: number, counter: number): number {
  const dist = packed[offset]!;
  const p = packed[offset + 1]!;
  if (dist === DIST_CODE.fixed) return p / ease;
  if (dist === DIST_CODE.exponential) return (p * exponentialAt(keys, stream, entity, counter)) / ease;
  const q = packed[offset + 2]!;
  if (dist === DIST_CODE.lognormal) return Math.exp(p + q * normalAt(keys, stream, entity, counter)) / ease;
  return (q * Math.pow(exponentialAt(keys, stream, entity, counter), 1 / p)) / ease;
}

// --- The exponential ziggurat (Marsaglia & Tsang, "The ziggurat method for generating random variables",
// J. Stat. Softw. 5(8), 2000): 256 layers of equal area under e^-x. A draw takes one 32-bit output, a table
// lookup and a compare in ~98.9% of cases; only the rest pay for exp or log. V8's Math.log costs ~11 ns here,
// about 2x glibc's, and was a third of the kernel's time on the SIR bench (docs/performance.md).

const ZIGGURAT_R = 7.697117470131487;
const ZIGGURAT_V = 3.949659822581572e-3;
const TWO32 = 4294967296;
/** ke[i]: acceptance bound on the 32-bit draw; we[i]: its scale; fe[i]: e^-x_i. */
const ke = new Float64Array(256);
const we = new Float64Array(256);
const fe = new Float64Array(256);
{
  let de = ZIGGURAT_R;
  let te = de;
  const q = ZIGGURAT_V / Math.exp(-de);
  ke[0] = Math.floor((de / q) * TWO32);
  ke[1] = 0;
  we[0] = q / TWO32;
  we[255] = de / TWO32;
  fe[0] = 1;
  fe[255] = Math.exp(-de);
  for (let i = 254; i >= 1; i--) {
    de = -Math.log(ZIGGURAT_V / de + Math.exp(-de));
    ke[i + 1] = Math.floor((de / te) * TWO32);
    te = de;
    fe[i] = Math.exp(-de);
    we[i] = de / TWO32;
  }
}

/** The ziggurat's slow path: the base strip's tail beyond R, or a wedge test against e^-x; words w+1, w+2, … */
function exponentialTail(a: number, b: number, w: number, j: number, i: number): number {
  let n = w;
  for (;;) {
    if (i === 0) return ZIGGURAT_R - Math.log((word(a, b, ++n) + 0.5) / TWO32);
    const x = j * we[i]!;
    if (fe[i]! + (word(a, b, ++n) + 0.5) / TWO32 * (fe[i - 1]! - fe[i]!) < Math.exp(-x)) return x;
    j = word(a, b, ++n);
    i = j & 255;
    if (j < ke[i]!) return j * we[i]!;
  }
}

// --- The normal ziggurat (same paper): 128 layers under e^(-x²/2), the sign and the layer from one signed
// 32-bit output; the tail beyond R by Marsaglia's method (1964).

const NORMAL_R = 3.442619855899;
const NORMAL_V = 9.91256303526217e-3;
const TWO31 = 2147483648;
const kn = new Float64Array(128);
const wn = new Float64Array(128);
const fn = new Float64Array(128);
{
  let dn = NORMAL_R;
  let tn = dn;
  const q = NORMAL_V / Math.exp(-0.5 * dn * dn);
  kn[0] = Math.floor((dn / q) * TWO31);
  kn[1] = 0;
  wn[0] = q / TWO31;
  wn[127] = dn / TWO31;
  fn[0] = 1;
  fn[127] = Math.exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(NORMAL_V / dn + Math.exp(-0.5 * dn * dn)));
    kn[i + 1] = Math.floor((dn / tn) * TWO31);
    tn = dn;
    fn[i] = Math.exp(-0.5 * dn * dn);
    wn[i] = dn / TWO31;
  }
}

function normalTail(a: number, b: number, w: number, h: number, i: number): number {
  let n = w;
  for (;;) {
    if (i === 0) {
      let x: number;
      let y: number;
      do {
        x = -Math.log((word(a, b, ++n) + 0.5) / TWO32) / NORMAL_R;
        y = -Math.log((word(a, b, ++n) + 0.5) / TWO32);
      } while (y + y < x * x);
      return h > 0 ? NORMAL_R + x : -NORMAL_R - x;
    }
    const x = h * wn[i]!;
    if (fn[i]! + (word(a, b, ++n) + 0.5) / TWO32 * (fn[i - 1]! - fn[i]!) < Math.exp(-0.5 * x * x)) return x;
    h = word(a, b, ++n) | 0;
    i = h & 127;
    if (Math.abs(h) < kn[i]!) return h * wn[i]!;
  }
}
