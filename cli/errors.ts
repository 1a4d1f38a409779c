/** Bad usage (a flag's value, an unknown subcommand): exit 2 with one line, like bad input. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * A usage error about one place (`--set x=1`, a file's field): `<where>: <detail>`. A caller that names the
 * place its own way (calibrate's targets file, `parameters[0].path`) reads `detail`.
 */
export class PlacedUsageError extends UsageError {
  override name = 'PlacedUsageError';

  constructor(
    readonly where: string,
    readonly detail: string,
  ) {
    super(`${where}: ${detail}`);
  }
}

/** What a Ctrl-C before any batch was begun says (and bin.mjs, before the CLI has loaded). */
export const NOTHING_STORED = 'interrupted before any run began; nothing is stored';

/** The user interrupted a batch (Ctrl-C); what finished is stored. Exit 130, as shells expect after SIGINT. */
export class InterruptedError extends Error {
  override name = 'InterruptedError';
}
