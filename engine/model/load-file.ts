import { readFileSync, statSync } from 'node:fs';
import { fileKind } from '../file-kind.js';
import { DocumentReadError } from './errors.js';
import { parseRegime, parseScenario, parseTwin } from './load.js';
import type { Regime } from './regime.js';
import type { Scenario } from './scenario.js';
import type { Twin } from './twin.js';
import { documentBytes, tooLarge } from './vocabulary.js';

/** Reads a document's bytes, turning every file-system failure into a one-line DocumentReadError. */
export function readDocument(file: string): Uint8Array {
  const fail = (message: string): never => {
    throw new DocumentReadError([{ file, path: '', message }]);
  };
  let size = 0;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) fail('expected a file, got a directory');
    if (!stat.isFile()) fail(`expected a regular file, got ${fileKind(stat)}`);
    size = stat.size;
  } catch (error) {
    if (error instanceof DocumentReadError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    fail(code === 'ENOENT' ? 'expected an existing file, got none at this path' : `cannot read (${code ?? (error as Error).message})`);
  }
  if (size > documentBytes(file).bytes) fail(tooLarge(file, size));
  try {
    return readFileSync(file);
  } catch (error) {
    return fail(`cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

export function loadTwinFile(file: string): Twin {
  return parseTwin(readDocument(file), file);
}

export function loadScenarioFile(file: string, twin?: Twin): Scenario {
  return parseScenario(readDocument(file), file, twin);
}

export function loadRegimeFile(file: string): Regime {
  return parseRegime(readDocument(file), file);
}
