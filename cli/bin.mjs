#!/usr/bin/env node
// The `strata` command. `npm install` builds the CLI ahead of time into dist/ (scripts/build.mjs); while that
// build is newer than every source it runs, otherwise (an edited source, no build) the TypeScript sources run
// through tsx. STRATA_SOURCES=1 forces the sources.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';
import { distIsFresh } from '../scripts/fresh.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (process.env.STRATA_SOURCES !== '1' && distIsFresh(root)) {
  await import('../dist/cli/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./main.ts');
}
