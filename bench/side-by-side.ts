import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Two checkouts of Strata measured side by side in one run: launches of one bench alternate between them
 * (A, B, A, B, …, after one discarded warm-up launch each), so a drift in machine load falls on both, and
 * the figures are given as medians and as the ratio B ÷ A of medians. For "no loss beyond noise" checks of a
 * change against the commit before it:
 *
 *   git worktree add ../before <commit> && ln -s "$PWD/node_modules" ../before/node_modules
 *   npx tsx bench/side-by-side.ts ../before . --bench scenario/acute-trust.ts --args "--scenario wannacry-down" \
 *     --launches 3 --fields runsPerSecondThread,kernelEventsPerSecond [--out bench/results/x.json]
 *
 * Each launch runs `node --import tsx <checkout>/bench/<bench> <args>` in that checkout and reads the JSON
 * line it prints (bench/harness/launch.ts).
 */
function option(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? process.argv[i + 1] : fallback;
  if (value === undefined) throw new TypeError(`side-by-side: --${name} is required`);
  return value;
}

function launch(checkout: string, bench: string, args: string[], index: number): Record<string, number> {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(checkout, 'bench', bench), ...args], {
    cwd: checkout,
    env: { ...process.env, STRATA_BENCH_QUICK: '0', STRATA_BENCH_LAUNCH: String(index) },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`side-by-side: ${checkout} ${bench} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as Record<string, number>;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const [a, b] = [resolve(process.argv[2]!), resolve(process.argv[3]!)];
const bench = option('bench');
const args = option('args', '').split(' ').filter(Boolean);
const launches = Number(option('launches', '3'));
const fields = option('fields').split(',');
launch(a, bench, args, 0);
launch(b, bench, args, 0);
const runs: Record<'a' | 'b', Record<string, number>[]> = { a: [], b: [] };
for (let i = 1; i <= launches; i++) {
  runs.a.push(launch(a, bench, args, i));
  runs.b.push(launch(b, bench, args, i));
}
const report = Object.fromEntries(
  fields.map((f) => {
    const ma = median(runs.a.map((r) => r[f]!));
    const mb = median(runs.b.map((r) => r[f]!));
    return [f, { a: runs.a.map((r) => r[f]), b: runs.b.map((r) => r[f]), medianA: ma, medianB: mb, ratioBoverA: Number((mb / ma).toFixed(3)) }];
  }),
);
const record = { bench, args, a, b, launches, date: new Date().toISOString(), node: process.version, fields: report };
console.log(JSON.stringify(record, null, 2));
const out = process.argv.indexOf('--out');
if (out >= 0) writeFileSync(process.argv[out + 1]!, `${JSON.stringify(record, null, 2)}\n`);
