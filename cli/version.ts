import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../engine/package-root.js';

/** Strata's version, from package.json: stored with every batch. */
export const VERSION: string = (JSON.parse(readFileSync(join(packageRoot(import.meta.url), 'package.json'), 'utf8')) as { version: string }).version;

let digest: string | undefined;

/** A digest of every source file that can change a compiled model: engine/, scenarios/, the CLI's inputs. */
export function sourceDigest(): string {
  if (digest !== undefined) return digest;
  const root = `${packageRoot(import.meta.url)}/`;
  const hash = createHash('sha256');
  const add = (file: string) => {
    hash.update(`${file.slice(root.length)}\0`);
    hash.update(readFileSync(file));
  };
  const walk = (directory: string) => {
    for (const entry of readdirSync(directory, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|js|mjs|yaml|json)$/.test(entry.name)) add(path);
    }
  };
  walk(join(root, 'engine'));
  walk(join(root, 'scenarios'));
  // The content hashes and canonical JSON the entry stores, and the parsers' versions.
  for (const file of ['store/hash.ts', 'store/hash.js', 'package-lock.json']) if (existsSync(join(root, file))) add(join(root, file));
  for (const file of ['inputs.ts', 'overrides.ts', 'inputs.js', 'overrides.js']) if (existsSync(join(root, 'cli', file))) add(join(root, 'cli', file));
  return (digest = hash.digest('hex'));
}

/**
 * The version a batch is stored with: the package's, and a digest of the sources that decide its model
 * (`0.1.0+3f2a9c1e0b7d`). A batch is resumed only by the Strata that began it (cli/group.ts checkEngine):
 * the package version alone was never bumped, and a resume across a change to the engine would mix two
 * models' runs in one batch.
 */
export function engineVersion(): string {
  return `${VERSION}+${sourceDigest().slice(0, 12)}`;
}
