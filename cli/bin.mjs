#!/usr/bin/env node
// The `strata` command. `npm install` builds the CLI ahead of time into dist/ (scripts/build.mjs); while that
// build is newer than every source it runs, otherwise (an edited source, no build) the TypeScript sources run
// through tsx. STRATA_SOURCES=1 forces the sources.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';
import { existsSync } from 'node:fs';
import { distIsFresh, STAMP } from '../scripts/fresh.mjs';

// A reader that stops early (`strata harm … | head`) closes the pipe: stop quietly, as other Unix tools do.
// Any other failure to write the output (a full disk: `> /dev/full`) is said in one line, not a stack.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  process.stderr.write(`strata: stdout: expected to write the output, got ${error.code ?? 'an error'} (${String(error.message).replace(/^\w+: /, '')})\n`);
  process.exit(1);
});

// A reader that takes stderr too (`strata … 2>&1 | head`) may be gone before a last note ("wrote t.svg"): a
// note nobody can read is dropped and the work goes on to its own exit code (an unhandled EPIPE here had
// ended finished work with exit 1 and no word: a trial). Any other failure of stderr is left to Node.
process.stderr.on('error', (error) => {
  if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
  throw error;
});

// Ctrl-C (or SIGTERM, taken as one) while the CLI itself loads: said, not silent (main() installs the real
// handler, cli/interrupt.ts).
const early = () => {
  process.stderr.write('strata: interrupted before any run began; nothing is stored\n');
  process.exit(130);
};
process.on('SIGINT', early);
process.on('SIGTERM', early);

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let cli;
if (process.env.STRATA_SOURCES !== '1' && distIsFresh(root)) {
  cli = await import('../dist/cli/main.js');
} else {
  // Said once, so a stale build (sources pulled or edited since `npm install`) is not a silent 0.3 – 1 s
  // slower start; STRATA_SOURCES=1 asks for the sources and is not told.
  if (process.env.STRATA_SOURCES !== '1') {
    const built = existsSync(join(root, 'dist', STAMP));
    process.stderr.write(`strata: dist/ is ${built ? 'older than the sources' : 'not built'}, so the sources run through tsx (a slower start); \`npm run build\` ${built ? 'rebuilds' : 'builds'} it\n`);
  }
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('./main.ts');
}
process.off('SIGINT', early);
process.off('SIGTERM', early);
process.exitCode = await cli.main(process.argv);
