import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../engine/package-root.js';

/** Strata's version, from package.json: stored with every batch. */
export const VERSION: string = (JSON.parse(readFileSync(join(packageRoot(import.meta.url), 'package.json'), 'utf8')) as { version: string }).version;

/**
 * A digest of the package's files that decide a model: the engine's, the content hashes and canonical JSON the
 * store keeps, the parsers' versions and the CLI's inputs — and, with `scenarios`, the built-in scenarios,
 * twins' generators and regimes. Files are read in a fixed order, each named in the hash with its bytes.
 */
export function digestFiles(root: string, scenarios: boolean): string {
  const hash = createHash('sha256');
  const add = (file: string) => {
    hash.update(`${file.slice(root.length)}\0`);
    hash.update(readFileSync(file));
  };
  const walk = (directory: string) => {
    if (!existsSync(directory)) return;
    for (const entry of readdirSync(directory, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|js|mjs|yaml|json)$/.test(entry.name)) add(path);
    }
  };
  walk(join(root, 'engine'));
  if (scenarios) walk(join(root, 'scenarios'));
  // The content hashes and canonical JSON the entry stores, and the parsers' versions.
  for (const file of ['store/hash.ts', 'store/hash.js', 'package-lock.json']) if (existsSync(join(root, file))) add(join(root, file));
  for (const file of ['inputs.ts', 'overrides.ts', 'inputs.js', 'overrides.js']) if (existsSync(join(root, 'cli', file))) add(join(root, 'cli', file));
  return hash.digest('hex');
}

const digests = new Map<boolean, string>();

function digestOf(scenarios: boolean): string {
  let digest = digests.get(scenarios);
  if (digest === undefined) digests.set(scenarios, (digest = digestFiles(`${packageRoot(import.meta.url)}/`, scenarios)));
  return digest;
}

/**
 * A digest of every source file that can change a compiled model made from a recipe: engine/, scenarios/ (a
 * built-in twin is generated from its code there), the CLI's inputs. The compiled-model cache is keyed on it.
 */
export function sourceDigest(): string {
  return digestOf(true);
}

/**
 * The version a batch is stored with: the package's, and a digest of the sources that decide its model from
 * its documents (`0.1.0+3f2a9c1e0b7d`). A batch is resumed only by the Strata that began it (cli/group.ts
 * checkEngine): the package version alone was never bumped, and a resume across a change to the engine would
 * mix two models' runs in one batch. The built-in scenarios are not in it: a batch keeps its documents and a
 * resume reads those, so editing a built-in scenario, twin generator or regime changes no stored batch's model
 * (it had blocked every resume); a group's resume, which is given its documents again, checks their hashes.
 */
export function engineVersion(): string {
  return `${VERSION}+${digestOf(false).slice(0, 12)}`;
}
