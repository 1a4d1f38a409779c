/**
 * PROTOTYPE (bench only): a sequential sfc32 stream (Chris Doty-Humphrey's Small Fast Counting generator),
 * as the C reference draws, for the plain-JS ports of sir_ref. Strata's kernel draws from counter-based
 * streams instead (engine/kernel/rng.ts).
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

function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export function seedRun(seed: number, runIndex: number): void {
  a = mix((seed >>> 0) ^ 0x9e3779b9);
  b = mix((Math.floor(seed / 4294967296) >>> 0) ^ mix(a + 0x7f4a7c15));
  c = mix((runIndex >>> 0) ^ mix(b + 0x632be5ab));
  d = 1;
  for (let i = 0; i < 15; i++) next();
}

/** A uniform number in (0, 1). */
export function uniform(): number {
  return (next() + 0.5) / 4294967296;
}
