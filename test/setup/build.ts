import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { distIsFresh } from '../../scripts/fresh.mjs';

/**
 * vitest's global setup: the CLI tests run cli/bin.mjs, which runs the build in dist/ while it is fresh, as
 * users get it. A build older than the sources (an edit since the last build) is rebuilt first, so the tests
 * never run the sources in its place (nor see the notice that says so). A fresh build is left alone: CI's
 * install has just made it.
 */
export default function setup(): void {
  const root = resolve(import.meta.dirname, '..', '..');
  if (!distIsFresh(root)) execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
}
