import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Runs each registered benchmark in a fresh Node process (so one bench's heap, JIT state and peak memory
 * never leak into another's), a warm-up launch first and discarded, then N measured launches; prints
 * the median and min–max of every numeric field and writes them to bench/results/<name>.json.
 *
 *   npx tsx bench/run.ts [--runs N] [--quick] [name...]
 *
 * --quick: one launch, no warm-up, and STRATA_BENCH_QUICK=1 so benches that support it use tiny inputs.
 */
const BENCHES: readonly { name: string; file: string }[] = [{ name: 'nhs-england-expand', file: 'model/nhs-england-expand.ts' }];

const here = dirname(fileURLToPath(import.meta.url));

interface Options {
  runs: number;
  quick: boolean;
  names: string[];
}

function parseArgs(args: readonly string[]): Options {
  const options: Options = { runs: 5, quick: false, names: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--quick') options.quick = true;
    else if (arg === '--runs') {
      const runs = Number(args[++i]);
      if (!Number.isInteger(runs) || runs < 1) fail(`bench: --runs expects a positive integer, got ${JSON.stringify(args[i])}`);
      options.runs = runs;
    } else if (arg.startsWith('--')) fail(`bench: unknown option ${arg} (known: --runs N, --quick)`);
    else options.names.push(arg);
  }
  for (const name of options.names) {
    if (!BENCHES.some((b) => b.name === name)) fail(`bench: unknown benchmark "${name}" (known: ${BENCHES.map((b) => b.name).join(', ')})`);
  }
  if (options.quick) options.runs = 1;
  return options;
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

/** One launch: `node --import tsx <file>`, whose last stdout line is a JSON object of measurements. */
function launch(file: string, quick: boolean): Record<string, unknown> {
  const start = performance.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(here, file)], {
    env: { ...process.env, STRATA_BENCH_QUICK: quick ? '1' : '0' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) fail(`bench: ${file} exited with ${result.status ?? result.signal}:\n${result.stderr}`);
  const last = result.stdout.trim().split('\n').pop() ?? '';
  const processMs = Math.round(performance.now() - start); // the whole launch: Node, tsx and the bench
  try {
    return { ...(JSON.parse(last) as Record<string, unknown>), processMs };
  } catch {
    return fail(`bench: ${file} did not end its output with a JSON line, got ${JSON.stringify(last.slice(0, 200))}`);
  }
}

interface Summary {
  median: number;
  min: number;
  max: number;
}

function summarise(samples: readonly Record<string, unknown>[]): Record<string, Summary> {
  const out: Record<string, Summary> = {};
  for (const key of Object.keys(samples[0] ?? {})) {
    const values = samples.map((s) => s[key]).filter((v): v is number => typeof v === 'number').sort((a, b) => a - b);
    if (values.length === 0) continue;
    const mid = values.length >> 1;
    const median = values.length % 2 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
    out[key] = { median, min: values[0]!, max: values[values.length - 1]! };
  }
  return out;
}

function printTable(name: string, summary: Record<string, Summary>, runs: number): void {
  const rows = Object.entries(summary).map(([key, s]) => [key, fmt(s.median), `${fmt(s.min)} – ${fmt(s.max)}`]);
  const header = ['measure', `median of ${runs}`, 'min – max'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]): string => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  console.log(`\n${name}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

function fmt(x: number): string {
  return Number.isInteger(x) ? x.toLocaleString('en-GB') : x.toLocaleString('en-GB', { maximumFractionDigits: 1 });
}

const options = parseArgs(process.argv.slice(2));
const selected = options.names.length > 0 ? BENCHES.filter((b) => options.names.includes(b.name)) : BENCHES;
for (const bench of selected) {
  if (!options.quick) launch(bench.file, false); // warm-up: disk cache, tsx's transform cache
  const samples = Array.from({ length: options.runs }, () => launch(bench.file, options.quick));
  const summary = summarise(samples);
  printTable(bench.name, summary, options.runs);
  const results = join(here, 'results');
  mkdirSync(results, { recursive: true });
  const record = {
    name: bench.name,
    quick: options.quick,
    runs: options.runs,
    node: process.version,
    cpus: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    date: new Date().toISOString(),
    summary,
    samples,
  };
  writeFileSync(join(results, `${bench.name}${options.quick ? '.quick' : ''}.json`), `${JSON.stringify(record, null, 2)}\n`);
}
