/**
 * Errors raised for user mistakes. Each carries where it comes from (file and field path) so the CLI can
 * print one line per problem and exit 2 without a stack trace. Tests check the class and the paths, not
 * the wording.
 */

/** One problem in one document: `file: path: message`. */
export interface ModelIssue {
  /** The file (or a label such as `<generated:ward>`) the document came from. */
  file: string;
  /** The field path inside the document, `nodes[42].layer`; empty for the document as a whole. */
  path: string;
  /** What was expected and what was found. */
  message: string;
}

export function formatIssue(issue: ModelIssue): string {
  // A name that is empty, starts or ends with a space or holds control characters is quoted, so it shows.
  const file = /^\S(.*\S)?$/su.test(issue.file) && !/\p{Cc}/u.test(issue.file) ? issue.file : JSON.stringify(issue.file);
  const line = issue.path ? `${file}: ${issue.path}: ${issue.message}` : `${file}: ${issue.message}`;
  // One issue, one line: a newline smuggled in through a key or a library's message must not split it.
  return line.replace(/[\r\n\u2028\u2029]/g, (c) => JSON.stringify(c).slice(1, -1));
}

/**
 * The most problems shown for one bad input (the CLI prints this many lines and counts the rest); the
 * checks that could find millions stop once they have this many.
 */
export const PROBLEMS_SHOWN = 50;

/** Base class of every error Strata raises for bad input (as opposed to its own bugs). */
export class StrataInputError extends Error {
  override name = 'StrataInputError';
  readonly issues: readonly ModelIssue[];

  constructor(issues: readonly ModelIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.issues = issues;
  }
}

/**
 * `error` with the problems of more documents of the same command added, if `others` find any: a command
 * line naming a bad scenario and a bad twin hears of both at once. Anything but bad input from `error` is
 * passed on as it is, and from `others` ignored (the first error stands).
 */
export function withProblemsOf(error: unknown, ...others: (() => unknown)[]): unknown {
  if (!(error instanceof StrataInputError)) return error;
  const issues = [...error.issues];
  for (const other of others) {
    try {
      other();
    } catch (more) {
      if (more instanceof StrataInputError) issues.push(...more.issues);
    }
  }
  return issues.length === error.issues.length ? error : new StrataInputError(issues);
}

/** The file could not be read or is not a document at all (missing, a directory, not UTF-8, not YAML). */
export class DocumentReadError extends StrataInputError {
  override name = 'DocumentReadError';
}

/** The document was read but breaks the schema or the model's rules; `issues` lists every problem found. */
export class ValidationError extends StrataInputError {
  override name = 'ValidationError';
}

/** Formats a path of keys and indices the way users write them: `nodes[42].vulns[0].cvss`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else {
      const name = String(key);
      out += /^[A-Za-z_$][\w$-]*$/.test(name) ? (out ? '.' : '') + name : `[${JSON.stringify(name)}]`;
    }
  }
  return out;
}
