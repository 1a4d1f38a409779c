import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * What every bench script shares with the runner (bench/run.ts): how it was launched, and the one JSON
 * line it prints. A bench module exports `measure(options)` and calls `main(import.meta.url, measure)`,
 * so the smoke test (test/bench/smoke.test.ts) can run its quick form in-process.
 */
export interface LaunchOptions {
  /** Tiny inputs: a smoke test of the bench, not a measurement. */
  quick: boolean;
  /** 0 for the runner's warm-up launch, then 1..N: benches vary their seeds by it. */
  launch: number;
  /** Extra arguments from the runner's registry (e.g. `--nodes 100000`). */
  args: readonly string[];
}

/** A bench's measurements: numbers (times in ms, memory in MB, named with their unit), flags and labels. */
export type Measurements = Record<string, number | boolean | string | null>;

export type Measure = (options: LaunchOptions) => Promise<Measurements>;

export function launchOptions(argv: readonly string[] = process.argv.slice(2)): LaunchOptions {
  return { quick: process.env.STRATA_BENCH_QUICK === '1', launch: Number(process.env.STRATA_BENCH_LAUNCH ?? '1') || 0, args: argv };
}

/** The value after `--name` in args, or the fallback. */
export function argument(args: readonly string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1]! : fallback;
}

/** Runs `measure` and prints its one JSON line when `moduleUrl` is the process's entry script. */
export function main(moduleUrl: string, measure: Measure): void {
  const entry = process.argv[1];
  if (!entry || realpathSync(entry) !== realpathSync(fileURLToPath(moduleUrl))) return;
  measure(launchOptions()).then(
    (measurements) => console.log(JSON.stringify(measurements)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}

/** Rounds to `digits` decimals; a result of −0 becomes 0 (JSON has no −0, and the line must round-trip). */
export function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f + 0;
}

/** Three significant figures: for rates whose size varies by orders of magnitude. */
export function sig3(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(3)) : x;
}

export const MB = 1024 * 1024;
