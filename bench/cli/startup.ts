import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main, round, type LaunchOptions, type Measurements } from '../harness/launch.js';

/**
 * How long the CLI takes to answer, wall clock, as a user types it (`node cli/bin.mjs`, what `npx strata`
 * runs — the ahead-of-time build in dist/ when it is fresh, which `npm install` makes it): `--help`, and a
 * one-run batch of WannaCry on acute-trust (twin generation, compile, one run, the store). Each is timed
 * `repeats` times in fresh processes; the launch reports the medians. `sources: true` in the result means
 * the build was stale or missing and tsx ran the sources.
 *
 * Then a second call on nhs-england (`run wannacry-down --twin nhs-england --runs 2`, the first call having
 * filled a compiled-model cache of the launch's own): from the process's start to its batch's start
 * (`timing.batchStartMs` of `--json`), and its peak resident memory (`timing.peakRssMB`); medians of the
 * repeats. Not in the quick form (the first call alone takes ~15 s).
 *
 *   npx tsx bench/run.ts cli-startup
 */
function call(args: string[], env: Record<string, string> = {}): { ms: number; stdout: string } {
  const start = performance.now();
  const result = spawnSync(process.execPath, [resolve('cli/bin.mjs'), ...args], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  if (result.status !== 0) throw new Error(`strata ${args.join(' ')} failed: ${result.stderr}`);
  return { ms: performance.now() - start, stdout: result.stdout };
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function measure(options: LaunchOptions): Promise<Measurements> {
  const repeats = options.quick ? 1 : 5;
  const directory = mkdtempSync(join(tmpdir(), 'strata-bench-cli-'));
  const db = join(directory, 'results.duckdb');
  try {
    const { distIsFresh } = await import('../../scripts/fresh.mjs');
    const sources = !distIsFresh(resolve('.'));
    const help = Array.from({ length: repeats }, () => call(['--help']).ms);
    const run = Array.from({ length: repeats }, () => call(['run', 'wannacry-down', '--runs', '1', '--db', db, '--json']).ms);
    const out: Measurements = { sources, helpMs: round(median(help), 0), runOneMs: round(median(run), 0) };
    if (options.quick) return out;
    const env = { STRATA_CACHE: 'on', STRATA_CACHE_DIR: join(directory, 'cache') };
    const national = ['run', 'wannacry-down', '--twin', 'nhs-england', '--runs', '2', '--db', db, '--json'];
    const timing = (stdout: string) => (JSON.parse(stdout) as { timing: { cache: string; batchStartMs: number; peakRssMB: number } }).timing;
    const first = timing(call(national, env).stdout);
    const seconds = Array.from({ length: repeats }, () => timing(call(national, env).stdout));
    if (seconds.some((t) => t.cache !== 'hit')) throw new Error('cli-startup: a second nhs-england call missed the cache');
    return {
      ...out,
      nhsFirstBatchStartMs: first.batchStartMs,
      nhsFirstPeakRssMB: first.peakRssMB,
      nhsSecondBatchStartMs: median(seconds.map((t) => t.batchStartMs)),
      nhsSecondPeakRssMB: median(seconds.map((t) => t.peakRssMB)),
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

await main(import.meta.url, measure);
