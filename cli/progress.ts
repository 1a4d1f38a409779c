import cliProgress from 'cli-progress';
import type { BatchProgress } from '../engine/batch/batch.js';

/**
 * A progress bar on stderr with runs/s and ETA — only on a terminal and never with --json, so pipes and
 * machines get clean output.
 */
export function progressBar(label: string, total: number, enabled: boolean): { update: (p: BatchProgress) => void; stop: () => void } {
  if (!enabled || !process.stderr.isTTY) return { update: () => {}, stop: () => {} };
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
