import { afterEach, describe, expect, it, vi } from 'vitest';
import { LOG_INTERVAL_MS, logIntervalMs, progressBar } from '../../cli/progress.js';

describe('progress where stderr is not a terminal (a log)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes a plain line at most once per interval, with runs/s and an estimate, and none with --json', async () => {
    expect(process.stderr.isTTY).toBeFalsy(); // vitest pipes stderr
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
    const bar = progressBar('wannacry-down', 1000, true, 300);
    bar.update({ completedRuns: 100, elapsedMs: 1000 } as never);
    expect(written).toEqual([]); // within the first interval
    await new Promise((r) => setTimeout(r, 350));
    bar.update({ completedRuns: 200, elapsedMs: 2000 } as never);
    bar.update({ completedRuns: 210, elapsedMs: 2100 } as never);
    expect(written).toEqual(['wannacry-down: 200/1,000 runs · 100.0 runs/s · about 8 s left\n']);
    bar.stop(); // stopped short (interrupted): where it got to
    expect(written[1]).toBe('wannacry-down: 210/1,000 runs · 100.0 runs/s · about 8 s left\n');

    // One update, then stop: what the log says.
    const logOf = (label: string, total: number, interval: number, runs: number, elapsedMs: number) => {
      written.length = 0;
      const log = progressBar(label, total, true, interval);
      log.update({ completedRuns: runs, elapsedMs } as never);
      log.stop();
      return [...written];
    };
    // Stopped where the last line already stood (a line each time runs are stored): not said twice.
    expect(logOf('wannacry-down', 1000, 0, 100, 500)).toEqual(['wannacry-down: 100/1,000 runs · 200.0 runs/s · about 5 s left\n']);
    // Finished: one line saying so, not "about 0 s left" before it.
    expect(logOf('wannacry-down', 1000, 0, 1000, 4000)).toEqual(['wannacry-down: 1,000/1,000 runs in 4.0 s\n']);
    // Its one report at the end, past an interval: the end is said (a log showed nothing of a slow batch).
    expect(logOf('nhs', 10, 1000, 10, 1500)).toEqual(['nhs: 10/10 runs in 1.5 s\n']);

    written.length = 0;
    const quiet = progressBar('x', 10, false, 0);
    quiet.update({ completedRuns: 5, elapsedMs: 10 } as never);
    quiet.stop();
    expect(written).toEqual([]);
  });
});

describe('the estimate up front (in a log)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('comes after a two-second pilot when more than ten seconds are left, and not for a short batch', () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
    const long = progressBar('nhs', 1000, true);
    long.update({ completedRuns: 1, elapsedMs: 500 } as never);
    expect(written).toEqual([]);
    long.update({ completedRuns: 4, elapsedMs: 2100 } as never);
    expect(written).toEqual(['nhs: 4/1,000 runs · 1.9 runs/s · about 523 s left\n']);
    long.update({ completedRuns: 5, elapsedMs: 2600 } as never);
    expect(written).toHaveLength(1);

    written.length = 0;
    const short = progressBar('ward', 100, true);
    short.update({ completedRuns: 90, elapsedMs: 2100 } as never);
    expect(written).toEqual([]);
    // Nor a closing line: it said nothing before.
    short.update({ completedRuns: 100, elapsedMs: 2300 } as never);
    short.stop();
    expect(written).toEqual([]);
  });

  it('takes the rate from the first second on (past start-up), and says when a batch it estimated ended', () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
    const bar = progressBar('wannacry-down', 10_000, true);
    // Ten runs in the first second (workers starting), 400 a second after: 24 s left, not 46.
    bar.update({ completedRuns: 10, elapsedMs: 1000 } as never);
    bar.update({ completedRuns: 410, elapsedMs: 2000 } as never);
    expect(written).toEqual(['wannacry-down: 410/10,000 runs · 400.0 runs/s · about 24 s left\n']);
    bar.update({ completedRuns: 10_000, elapsedMs: 25_500 } as never);
    bar.stop();
    expect(written[1]).toBe('wannacry-down: 10,000/10,000 runs in 25.5 s\n');
  });
});

describe('the estimate up front from the threads\' own time (in a log)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('counts every thread at the rate the finished runs took, not the wall clock the workers spent starting', () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
    // nhs-england on two workers: four warm runs done 2.9 s in, 0.35 s each in the one thread that had started.
    const bar = progressBar('nhs', 100, true);
    bar.update({ completedRuns: 4, elapsedMs: 2900, busyRuns: 4, busyMs: 1400, threads: 2 } as never);
    // 2 × 4 / 1.4 = 5.7 runs/s, 96 left: about 17 s (the wall clock's 1.4 runs/s said 70).
    expect(written).toEqual(['nhs: 4/100 runs · 5.7 runs/s · about 17 s left\n']);
    // Later lines keep the wall-clock rate since the first second.
    written.length = 0;
    const long = progressBar('nhs', 1000, true, 0);
    long.update({ completedRuns: 4, elapsedMs: 2100, busyRuns: 4, busyMs: 1400, threads: 2 } as never);
    long.update({ completedRuns: 14, elapsedMs: 4100, busyRuns: 14, busyMs: 5000, threads: 2 } as never);
    expect(written).toEqual(['nhs: 4/1,000 runs · 5.7 runs/s · about 174 s left\n', 'nhs: 14/1,000 runs · 5.0 runs/s · about 197 s left\n']);
  });

  it('says nothing up front when the threads\' rate leaves ten seconds or less', () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
    const bar = progressBar('nhs', 40, true);
    bar.update({ completedRuns: 4, elapsedMs: 2900, busyRuns: 4, busyMs: 1400, threads: 2 } as never);
    expect(written).toEqual([]);
    // With only warm-up runs done, the wall clock's rate it is.
    const early = progressBar('nhs', 40, true);
    early.update({ completedRuns: 2, elapsedMs: 2900, busyRuns: 0, busyMs: 0, threads: 2 } as never);
    expect(written).toEqual(['nhs: 2/40 runs · 0.7 runs/s · about 55 s left\n']);
  });
});

describe('the interval between lines in a log', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('is $STRATA_LOG_INTERVAL_S seconds when that is a number ≥ 0, and 30 s otherwise', () => {
    const at = (value: string | undefined) => (vi.stubEnv('STRATA_LOG_INTERVAL_S', value), logIntervalMs());
    expect(at(undefined)).toBe(LOG_INTERVAL_MS);
    expect(at('5')).toBe(5000);
    expect(at('0')).toBe(0);
    expect(at('0.5')).toBe(500);
    for (const bad of ['', ' ', '-1', 'x', 'Infinity']) expect(at(bad)).toBe(LOG_INTERVAL_MS);
  });
});
