import { readFileSync } from 'node:fs';

/** Strata's version, from package.json: stored with every batch. */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
