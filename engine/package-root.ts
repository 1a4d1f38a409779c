import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The directory holding Strata's package.json, found from a module's URL: the same for the TypeScript
 * sources (cli/version.ts) and for their ahead-of-time build (dist/cli/version.js), so data files — the
 * built-in scenarios and regimes, the dashboard's sources — are read from one place either way.
 */
export function packageRoot(moduleUrl: string): string {
  let directory = dirname(fileURLToPath(moduleUrl));
  while (!existsSync(join(directory, 'package.json'))) {
    const up = dirname(directory);
    if (up === directory) throw new Error(`no package.json above ${fileURLToPath(moduleUrl)}`);
    directory = up;
  }
  return directory;
}
