import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main, round, type LaunchOptions, type Measurements } from '../harness/launch.js';

/**
 * How long the CLI takes to answer, wall clock, as a user types it (`node cli/bin.mjs`, what `npx strata`
 * runs): `--help`, and a one-run batch of WannaCry on acute-trust (twin generation, compile, one run, the
 * store). Each is timed `repeats` times in fresh processes; the launch reports the medians.
 *
 *   npx tsx bench/run.ts cli-startup
 */
function wall(args: string[]): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, [resolve('cli/bin.mjs'), ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`strata ${args.join(' ')} failed: ${result.stderr}`);
  return performance.now() - start;
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function measure(options: LaunchOptions): Promise<Measurements> {
  const repeats = options.quick ? 1 : 5;
  const db = join(mkdtempSync(join(tmpdir(), 'strata-bench-cli-')), 'results.duckdb');
  const help = Array.from({ length: repeats }, () => wall(['--help']));
  const run = Array.from({ length: repeats }, () => wall(['run', 'wannacry-down', '--runs', '1', '--db', db, '--json']));
  return { helpMs: round(median(help), 0), runOneMs: round(median(run), 0) };
}

await main(import.meta.url, measure);
