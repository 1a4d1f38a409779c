import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { interruptOnceStored, strata, strataAsync, tempDir } from './cli.js';

/**
 * Ctrl-C at any moment says what happened (cli/interrupt.ts): no moment between start-up and exit falls to
 * Node's default, which exits 130 silently. Here, during preparation — nhs-england uncached takes seconds to
 * build, so a SIGINT at 0.8 s lands before any batch exists. SIGTERM (`timeout`, `docker stop`, job
 * schedulers) is the same, where Node's default is to die with nothing said.
 */
describe('Ctrl-C before any run began', { timeout: 60_000 }, () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal}: exits 130 with one line saying nothing is stored`, async () => {
      const db = join(tempDir(), 'early.duckdb');
      const child = strataAsync(['run', 'wannacry-down', '--twin', 'nhs-england', '--no-cache', '--runs', '10', '--db', db]);
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      await new Promise((r) => setTimeout(r, 800));
      child.kill(signal);
      expect(await exited).toBe(130);
      // The interruption is the one line after what the (synchronous) preparation said of itself.
      expect(stderr).toMatch(/^(strata: (twin nhs-england read and checked in [\d.]+ s; compiling the model|model of [\d,]+ members ready in [\d.]+ s)\n)*strata: interrupted before any run began; nothing is stored\n$/);
    });
  }
});

/**
 * SIGTERM mid-batch is the first Ctrl-C, in every command that runs batches (they share cli/session.ts): the
 * batch stops at its next chunk, what is done is stored and the command says how to finish it, exit 130.
 */
const WARD = ['wannacry-down', '--twin', 'ward', '--workers', '1', '--seed', '3'];
const COMMANDS = [
  { name: 'run', args: ['run', ...WARD, '--runs', '200000'], hint: /interrupted: [\d,]+ of 200,000 runs are stored in batch (\w+); finish it with: strata run --resume \1 --db \S+\n$/ },
  {
    name: 'compare',
    args: ['compare', ...WARD, '--regimes', 'baseline,segmented', '--runs', '200000'],
    hint: /interrupted: regime baseline is incomplete in batch \w+ of group (\w+) \([\d,]+ of 200,000 runs stored\); finish the comparison with: strata compare wannacry-down --regimes baseline,segmented --twin ward --runs 200000 --seed 3 --resume \1 --db \S+\n$/,
  },
  {
    name: 'sweep',
    args: ['sweep', ...WARD, '--set', 'controls.patchCoverage=0,0.5', '--runs', '200000'],
    hint: /interrupted at controls.patchCoverage=0: batch \w+ of group (\w+) is incomplete \([\d,]+ of 200,000 runs stored\); finish the sweep with: strata sweep wannacry-down --twin ward --workers 1 --seed 3 --set controls.patchCoverage=0,0.5 --runs 200000 --db \S+ --resume \1\n$/,
  },
  {
    name: 'sensitivity',
    args: ['sensitivity', ...WARD, '--param', 'scenario.threat.killSwitchBlindShare', '--param', 'scenario.threat.entries.0.share', '--trajectories', '2', '--runs', '200000'],
    hint: /interrupted at design point 1 of 6: batch \w+ of group (\w+) is incomplete \([\d,]+ of 200,000 runs stored\); finish the analysis with: strata sensitivity wannacry-down --twin ward --workers 1 --seed 3 --param scenario.threat.killSwitchBlindShare --param scenario.threat.entries.0.share --trajectories 2 --runs 200000 --db \S+ --resume \1\n$/,
  },
];

describe('SIGTERM during a batch', { timeout: 90_000 }, () => {
  for (const command of COMMANDS) {
    it(`${command.name}: stops at the next chunk, keeps what is done and says how to finish it, exit 130`, async () => {
      const db = join(tempDir(), `${command.name}.duckdb`);
      const { code, stderr, reported } = await interruptOnceStored(command.args, db, 'SIGTERM', 1000);
      expect(reported, stderr).toBeGreaterThanOrEqual(1000);
      expect(code, stderr).toBe(130);
      expect(stderr).toMatch(command.hint);
      // A printed command line names the database given with --db, so it runs as printed.
      expect(stderr).toContain(` --db ${db}`);
      const [batch] = JSON.parse(strata(['results', 'list', '--json', '--db', db]).stdout) as { status: string; storedRuns: number; elapsedMs: number | null }[];
      expect(batch!.status).not.toBe('complete');
      expect(batch!.storedRuns).toBeGreaterThanOrEqual(reported);
      // The batch was closed by the command (its time kept), not left as a killed process leaves it.
      expect(batch!.elapsedMs).toBeGreaterThan(0);
    });
  }
});

/**
 * The second signal — of either kind — stops at once; a copy of the first delivered moments after it (as
 * `timeout` sends one to the command and one to its process group) is not a second. The handler itself, in a
 * process of its own holding one batch's abort that never finishes (the sources, through tsx).
 */
const HANDLER = resolve('cli/interrupt.ts');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
function holder(copy: boolean) {
  const script = `
    const { watchInterrupts, interruptible } = await import(${JSON.stringify(HANDLER)});
    watchInterrupts();
    const batch = new AbortController();
    interruptible(batch);
    batch.signal.addEventListener('abort', () => {
      process.stdout.write('aborted\\n');
      ${copy ? "process.kill(process.pid, 'SIGTERM');" : ''}
    });
    process.stdout.write('ready\\n');
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.on('data', (d) => (stdout += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  /** Once the process has printed `line` (it fails if the process exits first). */
  const said = async (line: string) => {
    while (!stdout.includes(`${line}\n`)) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited (${child.exitCode ?? child.signalCode}) before saying ${line}: ${stderr}`);
      await sleep(10);
    }
  };
  return { child, exited, said, output: () => ({ stdout, stderr }) };
}

describe('a second interrupt', { timeout: 30_000 }, () => {
  for (const [first, second] of [
    ['SIGTERM', 'SIGINT'],
    ['SIGINT', 'SIGTERM'],
    ['SIGTERM', 'SIGTERM'],
  ] as const) {
    it(`${first} aborts the batch; ${second} after it stops at once, exit 130`, async () => {
      const { child, exited, said, output } = holder(false);
      await said('ready');
      child.kill(first);
      await said('aborted');
      await sleep(400);
      expect(child.exitCode, output().stderr).toBe(null);
      child.kill(second);
      expect(await exited).toBe(130);
      expect(output().stderr).toBe('strata: interrupted: stopped at once; every run already committed is stored (strata results list shows the batch)\n');
    });
  }

  it('a copy of the signal delivered moments after it is the same signal: the command goes on to say what is stored', async () => {
    const { child, exited, said, output } = holder(true);
    await said('ready');
    child.kill('SIGTERM');
    await said('aborted');
    await sleep(400);
    expect(child.exitCode, output().stderr).toBe(null);
    expect(output().stderr).toBe('');
    child.kill('SIGINT');
    expect(await exited).toBe(130);
  });
});
