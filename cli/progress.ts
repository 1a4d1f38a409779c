import cliProgress from 'cli-progress';
import type { BatchProgress } from '../engine/batch/batch.js';
import { envNumber } from './args.js';

/** Milliseconds between progress lines when stderr is not a terminal (a log file, a CI job). */
export const LOG_INTERVAL_MS = 30_000;

/**
 * The interval between progress lines in a log: `$STRATA_LOG_INTERVAL_S` seconds (0 writes a line each
 * time runs are stored), or LOG_INTERVAL_MS. A value that is not a number ≥ 0 is ignored.
 */
export function logIntervalMs(): number {
  const seconds = envNumber('STRATA_LOG_INTERVAL_S');
  return seconds === undefined ? LOG_INTERVAL_MS : seconds * 1000;
}
/** How long a batch runs before its first estimate (the pilot), ms. */
const PILOT_MS = 2000;
/** From when in the pilot its rate is measured, ms. */
const SETTLED_MS = 1000;

/**
 * A progress bar on stderr with runs/s and ETA on a terminal; where stderr is not a terminal (a log), plain
 * lines instead — an estimate after a two-second pilot when more than ten seconds are left (at the rate
 * the threads ran their warm runs, `BatchProgress.busyMs`, or else at the rate after the pilot's first second),
 * then one line every 30 s (`$STRATA_LOG_INTERVAL_S`, at the rate since the first second), and a last one
 * when the batch ends — so a half-hour national batch says so up front and is not silent in its log.
 * Never with --json.
 */
export function progressBar(label: string, total: number, enabled: boolean, intervalMs = logIntervalMs()): { update: (p: BatchProgress) => void; stop: () => void } {
  if (!enabled) return { update: () => {}, stop: () => {} };
  if (!process.stderr.isTTY) return logLines(label, total, intervalMs);
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: `${label} {bar} {percentage}% | {value}/{total} runs | {rate} runs/s | ETA {eta_formatted}`, hideCursor: true, etaBuffer: 50 },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { rate: '0' });
  return {
    update: (p) => bar.update(p.completedRuns, { rate: (p.completedRuns / Math.max(p.elapsedMs / 1000, 1e-3)).toFixed(0) }),
    stop: () => bar.stop(),
  };
}

function logLines(label: string, total: number, intervalMs: number): { update: (p: BatchProgress) => void; stop: () => void } {
  let last = performance.now();
  let latest: BatchProgress | undefined;
  let estimated = false;
  let said = false;
  // The count the last line gave: a stop where it stands says nothing new (an interrupt printed it twice).
  let printed = -1;
  // The first progress from a second in: rates are taken from it on, past the workers' start and the JIT's
  // warm-up (a 1,000-run batch estimated 51 s from its first two seconds and took 11).
  let settled: BatchProgress | undefined;
  const rateAt = (p: BatchProgress) => {
    if (settled && p.elapsedMs - settled.elapsedMs >= SETTLED_MS / 2 && p.completedRuns > settled.completedRuns) {
      return (p.completedRuns - settled.completedRuns) / ((p.elapsedMs - settled.elapsedMs) / 1000);
    }
    return p.completedRuns / Math.max(p.elapsedMs / 1000, 1e-3);
  };
  // At the pilot, the threads' own rate on warm runs: on nhs-england with two workers the second was still
  // loading the model at two seconds, and the wall-clock rate put the end 3.4 times too far (40 s for 11.7).
  const pilotRate = (p: BatchProgress) => (p.busyRuns && p.busyMs && p.busyMs > 0 ? (p.busyRuns * (p.threads ?? 1)) / (p.busyMs / 1000) : rateAt(p));
  const line = (p: BatchProgress, rate = rateAt(p)) => {
    said = true;
    printed = p.completedRuns;
    const eta = rate > 0 ? Math.round((total - p.completedRuns) / rate) : NaN;
    process.stderr.write(`${label}: ${p.completedRuns.toLocaleString('en-GB')}/${total.toLocaleString('en-GB')} runs · ${rate.toFixed(1)} runs/s · ${Number.isFinite(eta) ? `about ${eta} s left` : 'no estimate yet'}\n`);
  };
  return {
    update: (p) => {
      latest = p;
      if (!settled && p.elapsedMs >= SETTLED_MS) settled = { ...p };
      // The estimate up front: after a pilot of two seconds, if what is left looks longer than ten.
      if (!estimated && p.elapsedMs >= PILOT_MS && p.completedRuns > 0) {
        estimated = true;
        const rate = pilotRate(p);
        if ((total - p.completedRuns) / rate > 10) {
          last = performance.now();
          return line(p, rate);
        }
      }
      // The last runs are said by stop() ("N/N runs in X s"), not as "about 0 s left" before it.
      if (p.completedRuns >= total || performance.now() - last < intervalMs) return;
      last = performance.now();
      line(p);
    },
    stop: () => {
      if (!latest) return;
      if (latest.completedRuns < total) {
        if (latest.completedRuns !== printed) line(latest);
      }
      // A log that gave an estimate says when the batch ended, so the last line is not a stale one.
      else if (said || intervalMs === 0 || latest.elapsedMs >= intervalMs) process.stderr.write(`${label}: ${total.toLocaleString('en-GB')}/${total.toLocaleString('en-GB')} runs in ${(latest.elapsedMs / 1000).toFixed(1)} s\n`);
    },
  };
}
