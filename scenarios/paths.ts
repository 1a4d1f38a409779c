import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DocumentReadError } from '../engine/model/errors.js';
import { packageRoot } from '../engine/package-root.js';

/**
 * Where the built-in scenarios and regimes live and how a name resolves to a file — without loading the
 * twin generators or the schemas (scenarios/index.ts), so a command can name files cheaply (the compiled-model
 * cache's key, the CLI's help).
 */
export const HERE = join(packageRoot(import.meta.url), 'scenarios');

/** The built-in twins' names (scenarios/index.ts has their loaders). */
export const BUILTIN_TWIN_NAMES = ['ward', 'acute-trust', 'nhs-england'] as const;

export function builtinScenarios(): string[] {
  return readdirSync(HERE).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)).sort();
}

export function builtinRegimes(): string[] {
  return readdirSync(resolve(HERE, 'regimes')).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)).sort();
}

export function looksLikePath(name: string): boolean {
  return /[/\\]|\.(ya?ml|json|graphml|gexf)$/i.test(name);
}

export function unknown(what: string, name: string, known: string[]): never {
  throw new DocumentReadError([{ file: name, path: '', message: `expected a ${what} file or one of ${known.join(', ')}, got neither` }]);
}

/** A scenario's file: a built-in name, or a path. */
export function scenarioPath(name: string, base = process.cwd()): string {
  if (builtinScenarios().includes(name)) return resolve(HERE, `${name}.yaml`);
  if (looksLikePath(name) || existsSync(resolve(base, name))) return resolve(base, name);
  return unknown('scenario', name, builtinScenarios());
}

export function regimePath(name: string, base = process.cwd()): string {
  if (builtinRegimes().includes(name)) return resolve(HERE, 'regimes', `${name}.yaml`);
  if (looksLikePath(name) || existsSync(resolve(base, name))) return resolve(base, name);
  return unknown('regime', name, builtinRegimes());
}
