/** Types of scripts/fresh.mjs (plain JavaScript: cli/bin.mjs loads it before any TypeScript can run). */
export const SOURCE_DIRECTORIES: readonly string[];
export const STAMP: string;
export function sourceFiles(root: string): string[];
export function distIsFresh(root: string): boolean;
