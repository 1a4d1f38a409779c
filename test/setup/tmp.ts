import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The prefix of a test run's temporary directory; the pid of the run that made it follows. */
const PREFIX = 'strata-test-run-';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * vitest's global setup: every temporary directory the tests make (stores, exports, Chromium profiles, the
 * CLI's scratch directories and model caches) goes under one directory of this run, removed when the run
 * ends. The tests made theirs in the system's temporary directory and left them there: ~4,000 directories,
 * some of 250 MB, 68 GB in all on this machine, until its disk filled and the shell failed (2026-12-05). A
 * run that was killed leaves its directory; the next run removes it once no process has that run's pid.
 */
export default function setup(): () => void {
  const system = tmpdir();
  for (const name of readdirSync(system)) {
    const pid = name.startsWith(PREFIX) ? Number.parseInt(name.slice(PREFIX.length), 10) : NaN;
    if (Number.isInteger(pid) && !alive(pid)) rmSync(join(system, name), { recursive: true, force: true });
  }
  const dir = mkdtempSync(join(system, `${PREFIX}${process.pid}-`));
  const before = process.env.TMPDIR;
  // os.tmpdir() reads TMPDIR at each call, here, in the test workers (forked after this) and in the CLI's children.
  process.env.TMPDIR = dir;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    rmSync(dir, { recursive: true, force: true });
  };
}
