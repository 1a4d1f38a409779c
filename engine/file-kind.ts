import type { Stats } from 'node:fs';

/**
 * What a path is, in the words of an error that refuses it ("expected a regular file, got a named pipe"):
 * one wording for the documents read, the files written and the results database.
 */
export function fileKind(stats: Stats): string {
  if (stats.isFile()) return 'a regular file';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  return 'a device';
}
