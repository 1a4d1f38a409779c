import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { strata, tempDir } from '../cli/cli.js';

/**
 * Property-based fuzzing of the command line (issue 16) with fast-check: a valid command of each kind, made
 * small (the ward twin, a few runs, no workers), with one to three defects put in — an option's value
 * replaced by a bad one, an unknown option or command, a malformed `--set`, a scenario, twin or regime that
 * is not one, an excess argument, a `--db` or `-o` where none can be. Run in this process through
 * `main(argv)` (what cli/bin.mjs calls), each case must end within TIME_BOUND_MS with exit 2 and every
 * stderr line one `strata: …` problem — or, where the defect happens to be valid, exit 0 — never exit 1
 * (an internal error), 130, a stack trace or more than the 51 lines the problem cap allows. Seeded: a failure
 * prints the seed and the shrunk argument vector. The tally is printed.
 */
const SEED = 20_170_512;
const RUNS = 400;
/** Per case: the valid skeletons take under half a second on the ward twin. */
const TIME_BOUND_MS = 5000;

const dir = tempDir();
const db = join(dir, 'fuzz.duckdb');
const missing = join(dir, 'no-such-directory', 'x');
const BATCH = '@batch';
let batch = '';

/** Valid commands, small enough to run in a blink when a defect turns out to be valid. */
const SKELETONS: string[][] = [
  ['run', 'wannacry-down', '--twin', 'ward', '--runs', '3', '--workers', '0', '--seed', '7', '--db', db],
  ['compare', 'wannacry-down', '--twin', 'ward', '--regimes', 'baseline,segmented', '--runs', '3', '--workers', '0', '--db', db],
  ['sweep', 'wannacry-down', '--twin', 'ward', '--set', 'controls.patchCoverage=0,1', '--runs', '3', '--workers', '0', '--db', db],
  ['sensitivity', 'wannacry-down', '--twin', 'ward', '--param', 'scenario.threat.killSwitchBlindShare', '--trajectories', '2', '--runs', '2', '--workers', '0', '--db', db],
  ['trace', 'wannacry-down', '--twin', 'ward', '--run', '1'],
  ['twin', 'inspect', 'ward'],
  ['twin', 'validate', 'ward'],
  ['results', 'list', '--db', db],
  // BATCH stands for the id of the batch beforeAll stores.
  ['results', 'show', BATCH, '--db', db],
  ['results', 'export', BATCH, '--format', 'csv', '-o', join(dir, 'out.csv'), '--db', db],
  ['harm', 'CVE-2017-0144', '--twin', 'ward'],
  ['schema', 'twin'],
];

/** Option values no integer option accepts. */
const badInteger = fc.oneof(
  fc.integer({ min: -1_000_000, max: -1 }).map(String),
  fc.constantFrom('', 'x', 'NaN', 'Infinity', '1.5', '1e400', '0x10', '99999999999999999999', ' ', '--', '-0.5'),
  fc.string({ maxLength: 12 }).filter((s) => !/^\s*\d+\s*$/.test(s)),
);
/** Anything at all, including what looks like an option or a path. */
const anyText = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('.', '/', '/etc/passwd', '/dev/null', '-', '--', '--help-me', '..', 'ward.yaml', '\u0000', 'x'.repeat(300)));
const badSet = fc.oneof(
  anyText,
  fc.constantFrom('controls.patchCoverage=NaN', 'twin.nodes.-1.count=5', 'scenario.threat.entries.length=0', 'params.beds=400', 'nosuch.x=1', '=1', 'controls.=1', 'scenario.__proto__.x=1', 'controls.patchCoverage=2'),
  fc.tuple(fc.constantFrom('controls', 'scenario', 'regime', 'twin', 'params'), fc.array(fc.string({ maxLength: 6 }), { minLength: 1, maxLength: 3 }), anyText).map(([root, path, v]) => `${root}.${path.join('.')}=${v}`),
);

type Defect = (argv: string[]) => string[];

/** A defect: a function from a valid argument vector to one with something wrong in it. */
const defect: fc.Arbitrary<Defect> = fc.oneof(
  // An integer option's value replaced.
  fc.tuple(fc.constantFrom('--runs', '--workers', '--seed', '--trajectories', '--run'), badInteger).map(([flag, value]): Defect => (argv) => {
    const i = argv.indexOf(flag);
    return i < 0 ? [...argv, flag, value] : argv.map((a, j) => (j === i + 1 ? value : a));
  }),
  // An option no command has, with or without a value.
  fc.tuple(fc.string({ minLength: 1, maxLength: 10 }).filter((s) => /^[a-z]/.test(s)), fc.option(anyText)).map(([name, value]): Defect => (argv) => [...argv, `--zz-${name}`, ...(value === null ? [] : [value])]),
  // The command itself unknown.
  anyText.filter((s) => !['run', 'compare', 'sweep', 'trace', 'twin', 'results', 'schema', 'calibrate', 'sensitivity', 'harm', 'serve', 'help'].includes(s) && !s.startsWith('-')).map((name): Defect => (argv) => [name, ...argv.slice(1)]),
  // A --set that is not one.
  badSet.map((set): Defect => (argv) => [...argv, '--set', set]),
  // The scenario (or the twin command's twin, the batch id, the schema's kind, the CVE) replaced.
  anyText.filter((s) => !s.startsWith('-') && s !== 'ward' && s !== 'twin').map((name): Defect => (argv) => argv.map((a, j) => (j === (argv[0] === 'twin' || argv[0] === 'results' ? 2 : 1) ? name : a))),
  // --twin, --regime(s) or --calibration naming nothing.
  fc.tuple(fc.constantFrom('--twin', '--regime', '--regimes', '--calibration'), anyText.filter((s) => !['ward', 'baseline', 'segmented'].includes(s))).map(([flag, value]): Defect => (argv) => {
    const i = argv.indexOf(flag);
    return i < 0 ? [...argv, flag, value] : argv.map((a, j) => (j === i + 1 ? value : a));
  }),
  // A database or an output file where none can be.
  fc.constantFrom<Defect>(
    (argv) => [...argv.filter((_, j) => argv[j - 1] !== '--db' && argv[j] !== '--db'), '--db', `${missing}.duckdb`],
    (argv) => [...argv, '--db', dir],
    (argv) => [...argv, '-o', missing],
    (argv) => [...argv, '--resume', 'ffffffff'],
    (argv) => [...argv, 'excess', 'arguments'],
    (argv) => [...argv, '--until-precision', '1e-300'],
    (argv) => [...argv, '--workers', '100000'],
  ),
);

const cases = fc.tuple(fc.constantFrom(...SKELETONS), fc.array(defect, { minLength: 1, maxLength: 3 })).map(([skeleton, defects]) => defects.reduce((argv, d) => d(argv), skeleton));

const tally = { cases: 0, accepted: 0, 'clean error': 0 };

/** Runs one argument vector in this process, stdout and stderr captured; its exit code and stderr. */
async function strataHere(argv: string[]): Promise<{ code: number; stderr: string; ms: number }> {
  let stderr = '';
  const write = { out: process.stdout.write, err: process.stderr.write };
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  const started = performance.now();
  try {
    const code = await main(['node', 'strata', ...argv.map((a) => (a === BATCH ? batch : a))]);
    return { code, stderr, ms: performance.now() - started };
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
  }
}

describe('fuzzing the command line', { timeout: 600_000 }, () => {
  beforeAll(() => {
    // A database for `results list` and `--resume` to find (and for a run to add to).
    const stored = strata(['run', 'wannacry-down', '--twin', 'ward', '--runs', '2', '--workers', '0', '--json', '--db', db]);
    expect(stored.code, stored.stderr).toBe(0);
    batch = (JSON.parse(stored.stdout) as { batch: string }).batch;
  });

  it(`gives exit 2 and one line per problem, or runs, for ${RUNS} argument vectors with defects`, async () => {
    await fc.assert(
      fc.asyncProperty(cases, async (argv) => {
        const { code, stderr, ms } = await strataHere(argv);
        const lines = stderr.split('\n').filter((l) => l !== '');
        const where = `${JSON.stringify(argv)} → exit ${code}: ${stderr.slice(0, 400)}`;
        expect(ms, where).toBeLessThan(TIME_BOUND_MS);
        expect([0, 2], where).toContain(code);
        expect(stderr, where).not.toMatch(/internal error|^\s+at /m);
        if (code === 2) {
          expect(lines.length, where).toBeGreaterThan(0);
          expect(lines.length, where).toBeLessThanOrEqual(51);
          for (const line of lines) expect(line, where).toMatch(/^strata: \S/);
        }
        tally.cases++;
        tally[code === 0 ? 'accepted' : 'clean error']++;
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  afterAll(() => {
    console.log(`fuzz (seed ${SEED}): command line: ${tally.cases} cases, ${tally.accepted} accepted, ${tally['clean error']} clean errors, 0 other`);
    expect(tally['clean error']).toBeGreaterThan(tally.accepted);
  });
});
