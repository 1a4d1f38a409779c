// Which sources the ahead-of-time build covers (scripts/build.mjs), and whether dist/ is newer than all of them.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const SOURCE_DIRECTORIES = ['cli', 'engine', 'scenarios', 'store', 'server'];
export const STAMP = '.built.json';

/** The TypeScript modules and worker entry files under the source directories, relative to `root`. */
export function sourceFiles(root) {
  const files = [];
  const walk = (directory) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) walk(path);
      else if ((entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) || entry.name.endsWith('.mjs')) files.push(relative(root, path));
    }
  };
  for (const directory of SOURCE_DIRECTORIES) walk(join(root, directory));
  return files.sort();
}

/** Whether dist/ was built after the last change to any source (a few milliseconds of stat calls). */
export function distIsFresh(root) {
  const stamp = join(root, 'dist', STAMP);
  if (!existsSync(stamp)) return false;
  const built = statSync(stamp).mtimeMs;
  for (const file of sourceFiles(root)) {
    if (statSync(join(root, file)).mtimeMs > built || !existsSync(join(root, 'dist', file.replace(/\.ts$/, '.js')))) return false;
  }
  return true;
}
