import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The commit measured, and the files under engine/ that differed from it (a figure belongs to a kernel
 * version). A snapshot outside git (`git archive`) says which commit it is in STRATA_BENCH_REVISION.
 */
export function revision(): { commit: string; engineChanges: string[] } | undefined {
  const pinned = process.env.STRATA_BENCH_REVISION;
  if (pinned) return { commit: pinned, engineChanges: [] };
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' });
  if (head.status !== 0) return undefined;
  const status = spawnSync('git', ['status', '--porcelain', '--', 'engine'], { cwd: root, encoding: 'utf8' });
  return { commit: head.stdout.trim(), engineChanges: status.stdout.split('\n').filter(Boolean).map((l) => l.slice(3)) };
}
