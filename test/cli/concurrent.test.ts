import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportCsv, strataAsync, tempDir } from './cli.js';

/**
 * Two strata processes writing one database at once (issue 16): the second is refused with one line naming
 * the file and the holder's PID, exit 2, before any work — a reader too; the first finishes undisturbed, its
 * batch identical to the same batch run alone, and the file opens afterwards.
 */
const ARGS = ['run', 'wannacry-down', '--twin', 'ward', '--runs', '60000', '--workers', '1', '--seed', '3', '--json'];

/** Runs `strata args` to its end without blocking this thread; the time it ended. */
function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; at: number }> {
  const child = strataAsync(args);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((r) => child.on('exit', (code) => r({ code, stdout, stderr, at: performance.now() })));
}

describe('two writers on one database', { timeout: 180_000 }, () => {
  it('refuses the second with one line and leaves the first and the file intact', async () => {
    const dir = tempDir();
    const db = join(dir, 'shared.duckdb');
    const reference = join(dir, 'alone.duckdb');
    const alone = run([...ARGS, '--db', reference]);
    const first = run([...ARGS, '--db', db]);
    // The first holds the file from the moment it writes: its write-ahead log appears.
    for (let waited = 0; waited < 30_000 && !existsSync(`${db}.wal`); waited += 20) await new Promise((r) => setTimeout(r, 20));
    const [second, reader] = [await run(['run', 'wannacry-down', '--twin', 'ward', '--runs', '5', '--workers', '0', '--db', db]), await run(['results', 'list', '--db', db])];
    const done = await first;
    // Both were refused while the first still ran.
    expect(reader.at).toBeLessThan(done.at);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/^strata: \S*shared\.duckdb is open in another strata process \(PID \d+\); wait for it to finish, or use another file \(--db or STRATA_DB\)\n$/);
    expect(reader.code).toBe(2);
    expect(reader.stderr).toMatch(/^strata: .* is open in another strata process/);
    expect(done.code, done.stderr).toBe(0);
    const clean = await alone;
    const id = (r: { stdout: string }) => (JSON.parse(r.stdout) as { batch: string }).batch;
    expect(exportCsv(db, id(done), dir)).toBe(exportCsv(reference, id(clean), dir));
  });
});
