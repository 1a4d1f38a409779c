/** Where results go when nobody says: a file in the working directory, nothing to install or start. */
export const DEFAULT_STORE_FILE = './strata.duckdb';

/** The store file for a command: its `--db` flag, else `STRATA_DB`, else DEFAULT_STORE_FILE. */
export function storeFile(flag?: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (flag) return flag;
  if (env.STRATA_DB) return env.STRATA_DB;
  return DEFAULT_STORE_FILE;
}

/** Where a CSV export's metadata is written: beside it, where CSV on the Web looks (W3C CSVW, "{+url}-metadata.json"). */
export function csvMetadataFile(file: string): string {
  return `${file}-metadata.json`;
}
