import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';

/** Runs the real `strata` command in a child process, as a user would. */
export const BIN = resolve('cli/bin.mjs');

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'strata-cli-'));
}

export function strata(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function strataAsync(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  return spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? process.cwd(), env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `strata args` and sends `signal` once its database's write-ahead log has grown by `growth` bytes
 * past its first write (the batch's own row and documents): chunks are landing. A commit may be part way
 * into the log then, so the kill can land before any run is stored (interruptOnceStored waits for one).
 * Returns the exit code and stderr.
 */
export async function interruptAfter(args: string[], db: string, signal: NodeJS.Signals, growth: number): Promise<{ code: number | null; stderr: string }> {
  const child = strataAsync([...args, '--db', db]);
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  const wal = `${db}.wal`;
  const size = () => (existsSync(wal) ? statSync(wal).size : 0);
  // Waiting stops too if the child has exited (its exit code and stderr then say why).
  const running = () => child.exitCode === null && child.signalCode === null;
  for (let waited = 0; waited < 30_000 && running() && size() === 0; waited += 20) await sleep(20);
  const first = size();
  for (let waited = 0; waited < 60_000 && running() && size() < first + growth; waited += 20) await sleep(20);
  child.kill(signal);
  return { code: await exited, stderr };
}

/**
 * Starts `strata args` with a progress line each time runs are stored (`STRATA_LOG_INTERVAL_S=0`; the
 * lines count committed runs) and sends `signal` as soon as one says at least `runs` are stored. Returns
 * the exit code, stderr and the stored count that line gave.
 */
export async function interruptOnceStored(args: string[], db: string, signal: NodeJS.Signals, runs: number): Promise<{ code: number | null; stderr: string; reported: number }> {
  const child = strataAsync([...args, '--db', db], { env: { STRATA_LOG_INTERVAL_S: '0' } });
  let stderr = '';
  let reported = 0;
  const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  const stored = new Promise<void>((resolve) => {
    child.stderr.on('data', (d) => {
      stderr += d;
      for (const [, count] of stderr.matchAll(/: ([\d,]+)\/[\d,]+ runs/g)) reported = Math.max(reported, Number(count!.replaceAll(',', '')));
      if (reported >= runs) resolve();
    });
  });
  await Promise.race([stored, exited, sleep(60_000)]);
  child.kill(signal);
  return { code: await exited, stderr, reported };
}

/** A batch's runs as `strata results export --format csv` writes them (a fresh file in `dir` each call). */
export function exportCsv(db: string, id: string, dir: string): string {
  const file = join(dir, `${id}-${Math.random().toString(36).slice(2)}.csv`);
  const result = strata(['results', 'export', id, '--format', 'csv', '-o', file, '--db', db]);
  expect(result.code, result.stderr).toBe(0);
  return readFileSync(file, 'utf8');
}

/**
 * Kills a group command (compare, sweep, sensitivity) `kills` times with SIGKILL — the first run, then each
 * `--resume GROUP` — each once its write-ahead log has grown by a random amount in [low, high) bytes, so the
 * kills land at different points from one test run to the next. Returns the group id and the growths used
 * (for the failure message).
 */
export async function killRepeatedly(args: string[], db: string, kills: number, [low, high]: readonly [number, number]): Promise<{ group: string; growths: number[] }> {
  const growths: number[] = [];
  let group = '';
  for (let k = 0; k < kills; k++) {
    const growth = Math.round(low + Math.random() * (high - low));
    growths.push(growth);
    await interruptAfter(group ? [...args, '--resume', group] : args, db, 'SIGKILL', growth);
    group ||= (JSON.parse(strata(['results', 'list', '--json', '--db', db]).stdout) as { groupId: string }[])[0]?.groupId ?? '';
    if (!group) throw new Error(`killRepeatedly: no batch stored before the kill at ${growth} bytes`);
  }
  return { group, growths };
}
