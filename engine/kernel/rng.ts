/**
 * The run's random stream: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, PractRand-tested),
 * seeded from (batch seed, run index) only — never a worker id or a clock — so run i of a batch draws the
 * same numbers on any worker, machine or regime (common random numbers).
 *
 * The state lives in module scope, not in an object: the kernel runs one run at a time per thread and V8
 * keeps these in registers-friendly context slots. Nothing here allocates.
 */
let a = 0;
let b = 0;
let c = 0;
let d = 0;

function next(): number {
  const t = (((a + b) | 0) + d) | 0;
  d = (d + 1) | 0;
  a = b ^ (b >>> 9);
  b = (c + (c << 3)) | 0;
  c = (c << 21) | (c >>> 11);
  c = (c + t) | 0;
  return t >>> 0;
}

/** murmur3's 32-bit finalizer: a bijective mix, used only to spread seeds. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Seeds the stream for run `runIndex` of a batch with seed `seed` (integers in [0, 2^53)). */
export function seedRun(seed: number, runIndex: number): void {
  const low = seed >>> 0;
  const high = Math.floor(seed / 4294967296) >>> 0;
  a = mix(low ^ 0x9e3779b9);
  b = mix(high ^ mix(a + 0x7f4a7c15));
  c = mix((runIndex >>> 0) ^ mix(b + 0x632be5ab));
  d = 1;
  // Discard the first outputs so nearby seeds diverge (as the sfc32 author recommends).
  for (let i = 0; i < 15; i++) next();
}

/** A uniform number in (0, 1): never 0, so logarithms are finite. */
export function uniform(): number {
  return (next() + 0.5) / 4294967296;
}

/** An integer in [0, n). */
export function below(n: number): number {
  return Math.floor(uniform() * n);
}

/**
 * Draws from a packed delay [dist, a, b] at `offset` (see compile/model.ts) and divides it by `ease`.
 * fixed: no draw; exponential: inversion; lognormal: Box–Muller (two uniforms, no cached second value, so
 * every draw consumes the same count); weibull: inversion.
 */
export function sampleDelay(packed: Float64Array, offset: number, ease: number): number {
  const dist = packed[offset]!;
  const p = packed[offset + 1]!;
  if (dist === 0) return p / ease;
  if (dist === 1) return (-p * Math.log(uniform())) / ease;
  const q = packed[offset + 2]!;
  if (dist === 2) {
    const z = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    return Math.exp(p + q * z) / ease;
  }
  return (q * Math.pow(-Math.log(uniform()), 1 / p)) / ease;
}

/** An exponential delay with the given mean. */
export function exponential(mean: number): number {
  return -mean * Math.log(uniform());
}
