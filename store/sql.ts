/** SQL text helpers for the few statements that cannot take parameters (COPY, identifiers). */

/** A double-quoted identifier: metric names carry dots (`compromised.physical`) and may carry quotes. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A single-quoted string literal (COPY's target file cannot be a parameter). */
export function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
