import type { z } from 'zod';
import { checkScenario } from './check-scenario.js';
import { checkTwin, referenceIssues } from './check-twin.js';
import { PROBLEMS_SHOWN, ValidationError, type ModelIssue } from './errors.js';
import { fromZodIssues } from './issues.js';
import { parseText } from './parse.js';
import { Regime, REGIME_SCHEMA_ID } from './regime.js';
import { Scenario, SCENARIO_SCHEMA_ID } from './scenario.js';
import { shareNodeFields } from './share.js';
import { Edge, Node, Twin, TWIN_SCHEMA_ID } from './twin.js';

/**
 * From text or plain values to validated documents. Nothing here touches the file system, so the browser
 * can load documents too; `load-file.ts` adds reading from disk.
 */

function validate<S extends z.ZodType>(schema: S, schemaId: string, value: unknown, file: string): z.infer<S> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationError([{ file, path: '', message: `expected a ${schemaId} document (a mapping), got ${Array.isArray(value) ? 'a list' : excerpt(JSON.stringify(value) ?? String(value))}` }]);
  }
  const declared = (value as { schema?: unknown }).schema;
  if (declared !== schemaId) {
    throw new ValidationError([{ file, path: 'schema', message: `expected "${schemaId}", got ${declared === undefined ? 'nothing' : JSON.stringify(declared)}` }]);
  }
  const result = schema.safeParse(value, { reportInput: true });
  if (!result.success) throw new ValidationError(fromZodIssues(result.error.issues, file, schema));
  return result.data;
}

/** How many leading entries of each list are checked ahead, and from what length on. */
const EARLY_ENTRIES = 10_000;

/**
 * A twin of a million entries that are all wrong in the same way would build a million issues (seconds and
 * gigabytes) to print fifty. So a long node or edge list has its first entries checked one by one first: if
 * they already hold PROBLEMS_SHOWN problems, those are reported, and the rest of the document is not
 * checked. Otherwise the whole document is validated as usual (a valid twin's leading entries are checked
 * twice: 10,000 of them, milliseconds).
 */
function firstBadEntries(value: unknown, file: string): void {
  if (value === null || typeof value !== 'object') return;
  for (const [key, schema] of [['nodes', Node], ['edges', Edge]] as const) {
    const list = (value as Record<string, unknown>)[key];
    if (!Array.isArray(list) || list.length <= EARLY_ENTRIES) continue;
    const issues: ModelIssue[] = [];
    let i = 0;
    for (; i < EARLY_ENTRIES && issues.length < PROBLEMS_SHOWN; i++) {
      const result = schema.safeParse(list[i], { reportInput: true });
      // The twin's schema for its "did you mean"s: the paths are the document's.
      if (!result.success) issues.push(...fromZodIssues(result.error.issues.map((issue) => ({ ...issue, path: [key, i, ...issue.path] })), file, Twin));
    }
    if (issues.length >= PROBLEMS_SHOWN) {
      const stopped = `stopped at ${key}[${i - 1}] of ${list.length.toLocaleString('en-GB')} entries; the rest of the document is not checked`;
      throw new ValidationError([...issues.slice(0, PROBLEMS_SHOWN - 1), { file, path: key, message: `expected fewer problems, got ${PROBLEMS_SHOWN} or more in the first entries; ${stopped}` }]);
    }
  }
}

/**
 * A twin the schema refused, with the references that can still be checked (`referenceIssues`: an unknown
 * owner, an edge to a missing node) after the schema's problems, so one pass reports both. A document that
 * is not a twin at all (not a mapping, another schema) is left as refused.
 */
function withReferences(error: unknown, value: unknown, file: string): unknown {
  if (!(error instanceof ValidationError) || (value as { schema?: unknown } | null)?.schema !== TWIN_SCHEMA_ID) return error;
  const refused = new Set(error.issues.map((issue) => issue.path));
  const more = referenceIssues(value, file, refused).filter((issue) => !refused.has(issue.path));
  return more.length === 0 ? error : new ValidationError([...error.issues, ...more]);
}

function raise(issues: ModelIssue[]): void {
  if (issues.length > 0) throw new ValidationError(issues);
}

/** A twin from a parsed value: schema, then the model's rules. Throws ValidationError listing every issue. */
export function twinFromValue(value: unknown, file: string): Twin {
  firstBadEntries(value, file);
  let twin: Twin;
  try {
    twin = validate(Twin, TWIN_SCHEMA_ID, value, file);
  } catch (error) {
    throw withReferences(error, value, file);
  }
  raise(checkTwin(twin, file));
  return shareNodeFields(twin);
}

/** A scenario from a parsed value; with a twin, its selectors and exploits are checked against it. */
export function scenarioFromValue(value: unknown, file: string, twin?: Twin): Scenario {
  const scenario = validate(Scenario, SCENARIO_SCHEMA_ID, value, file);
  if (twin) raise(checkScenario(scenario, twin, file));
  return scenario;
}

export function regimeFromValue(value: unknown, file: string): Regime {
  return validate(Regime, REGIME_SCHEMA_ID, value, file);
}

export function parseTwin(text: string | Uint8Array, file: string): Twin {
  return twinFromValue(parseText(text, file), file);
}

export function parseScenario(text: string | Uint8Array, file: string, twin?: Twin): Scenario {
  return scenarioFromValue(parseText(text, file), file, twin);
}

export function parseRegime(text: string | Uint8Array, file: string): Regime {
  return regimeFromValue(parseText(text, file), file);
}

/** At most 60 characters of what a file held where a document was expected (a wrong file is not echoed whole). */
function excerpt(text: string): string {
  return text.length <= 60 ? text : `${text.slice(0, 57)}… (${text.length.toLocaleString('en-GB')} characters)`;
}
