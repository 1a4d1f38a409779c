// Ahead-of-time build of the CLI (issue 15): esbuild transpiles every TypeScript module the CLI, the batch
// workers and the dashboard's server load into dist/, one file per source, same tree (dist/cli/main.js, …),
// and copies the worker entry files. No bundling: each module keeps its own URL, so packageRoot() finds the
// data files and Piscina finds the worker entries exactly as from the sources. `npm install` runs this
// (the `prepare` script); cli/bin.mjs runs dist/ only while it is newer than every source (scripts/fresh.mjs),
// and the sources through tsx otherwise — an edited source is never shadowed by a stale build.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { SOURCE_DIRECTORIES, sourceFiles, STAMP } from './fresh.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist');
const started = performance.now();
const files = sourceFiles(root);
rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: files.filter((f) => f.endsWith('.ts')).map((f) => join(root, f)),
  outdir: out,
  outbase: root,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
});
for (const file of files.filter((f) => f.endsWith('.mjs'))) {
  mkdirSync(dirname(join(out, file)), { recursive: true });
  copyFileSync(join(root, file), join(out, file));
}
// Written last: a build that failed part way leaves no stamp, and the CLI runs the sources.
writeFileSync(join(out, STAMP), `${JSON.stringify({ files: files.length, directories: SOURCE_DIRECTORIES, builtAt: new Date().toISOString() })}\n`);
process.stdout.write(`strata: built ${files.length} modules into dist/ in ${Math.round(performance.now() - started)} ms\n`);
