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
 * fixed: no draw; exponential: ziggurat; lognormal: e^(μ + σZ) with Z from the normal ziggurat; weibull: a
 * ziggurat exponential raised to 1/shape (E^(1/k) is Weibull when E is standard exponential).
 */
export function sampleDelay(packed: Float64Array, offset: number, ease: number): number {
  const dist = packed[offset]!;
  const p = packed[offset + 1]!;
  if (dist === 0) return p / ease;
  if (dist === 1) return (p * standardExponential()) / ease;
  const q = packed[offset + 2]!;
  if (dist === 2) return Math.exp(p + q * standardNormal()) / ease;
  return (q * Math.pow(standardExponential(), 1 / p)) / ease;
}

/** An exponential delay with the given mean. */
export function exponential(mean: number): number {
  return mean * standardExponential();
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

/** A standard exponential variate (mean 1). */
export function standardExponential(): number {
  const j = next();
  const i = j & 255;
  if (j < ke[i]!) return j * we[i]!;
  return exponentialTail(j, i);
}

/** The ziggurat's slow path: the base strip's tail beyond R, or a wedge test against e^-x. */
function exponentialTail(j: number, i: number): number {
  for (;;) {
    if (i === 0) return ZIGGURAT_R - Math.log(uniform());
    const x = j * we[i]!;
    if (fe[i]! + uniform() * (fe[i - 1]! - fe[i]!) < Math.exp(-x)) return x;
    j = next();
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

/** A standard normal variate. */
export function standardNormal(): number {
  const h = next() | 0;
  const i = h & 127;
  if (Math.abs(h) < kn[i]!) return h * wn[i]!;
  return normalTail(h, i);
}

function normalTail(h: number, i: number): number {
  for (;;) {
    if (i === 0) {
      let x: number;
      let y: number;
      do {
        x = -Math.log(uniform()) / NORMAL_R;
        y = -Math.log(uniform());
      } while (y + y < x * x);
      return h > 0 ? NORMAL_R + x : -NORMAL_R - x;
    }
    const x = h * wn[i]!;
    if (fn[i]! + uniform() * (fn[i - 1]! - fn[i]!) < Math.exp(-0.5 * x * x)) return x;
    h = next() | 0;
    i = h & 127;
    if (Math.abs(h) < kn[i]!) return h * wn[i]!;
  }
}
