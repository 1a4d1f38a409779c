import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../engine/package-root.js';

/** Strata's version, from package.json: stored with every batch. */
export const VERSION: string = (JSON.parse(readFileSync(join(packageRoot(import.meta.url), 'package.json'), 'utf8')) as { version: string }).version;
