import { closeSync, existsSync, lstatSync, openSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from 'commander';
import { UsageError } from './errors.js';
import { fileKind } from '../engine/file-kind.js';
import { splitSettings } from '../engine/batch/decisions.js';

export { decisionSettings, decisionsOf, splitSettings } from '../engine/batch/decisions.js';

/**
 * Bad option values met while commander parses a command line. The parsers below note each one and let
 * parsing go on, so every bad value is reported, one line each (cli/main.ts takes them), not only the first.
 */
const badValues = new Map<string, string>();

/**
 * The bad values noted since the last call, one per flag (its last, as commander keeps the last value),
 * in the order the flags first came; the list is emptied.
 */
export function takeBadValues(): string[] {
  const values = [...badValues.values()];
  badValues.clear();
  return values;
}

function refuse(name: string, message: string): number {
  badValues.set(name, message);
  return NaN;
}

/** Argument parsers that refuse bad values with a message naming the flag. */
export function integer(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    // Digits only (spaces around them aside, as a quoted " 7 " reads): Number() would read "" and " " as 0 and "0x10" as 16.
    const n = /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) return refuse(name, `${name}: expected an integer from ${min} to ${max}, got "${value}"`);
    return n;
  };
}

/** A number in (0, 1), or in [min, 1) when a floor is given. */
export function fraction(name: string, min = 0) {
  return (value: string): number => {
    const n = Number(value);
    if (Number.isFinite(n) && n < 1 && (min > 0 ? n >= min : n > 0)) return n;
    return refuse(name, min > 0 ? `${name}: expected a number from ${min} up to 1 (finer needs more runs than a batch holds), got "${value}"` : `${name}: expected a number between 0 and 1, got "${value}"`);
  };
}

export function collect(value: string, previous: string[] = []): string[] {
  // Appended in place (copying would make 100,000 options quadratic) and capped, before any work.
  if (previous.length >= MAX_REPEATS) throw new InvalidArgumentError(`expected at most ${MAX_REPEATS.toLocaleString('en-GB')} of this option`);
  previous.push(value);
  return previous;
}

/** The most times one repeatable option may be given (`--set`'s own limit, MAX_OVERRIDES, is the same). */
export const MAX_REPEATS = 1000;

/**
 * A number ≥ 0 from the environment (`STRATA_CACHE_MAX_MB`, `STRATA_LOG_INTERVAL_S`, ...); anything else —
 * unset, empty, negative, not a number — is undefined, so the caller's default applies.
 */
export function envNumber(name: string): number | undefined {
  const text = process.env[name]?.trim();
  const value = text ? Number(text) : NaN;
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** The documented default seed: the date of WannaCry, 12 May 2017. */
export const DEFAULT_SEED = 20170512;
export const DEFAULT_RUNS = 1000;
/** The most runs one batch takes (`--runs`; `trace --run` indexes below it). */
export const MAX_RUNS = 10_000_000;
export const DEFAULT_WORKERS = availableParallelism();
/**
 * The most worker threads a command takes: four per core. Results never depend on the worker count, and
 * each worker holds its own run context (for nhs-england ~200 MB), so more only costs memory.
 */
export const MAX_WORKERS = 4 * availableParallelism();

/**
 * ` --db FILE` for a command line printed for the user to run again (a resume), when the database was named
 * with --db: the default and STRATA_DB are found again without it. Quoted for a POSIX shell where needed.
 */
export function dbFlag(option: string | undefined): string {
  if (option === undefined) return '';
  return ` --db ${shellWord(option)}`;
}

/** A value as a shell word: as it is when it needs no quoting, else in single quotes. */
export function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}

/**
 * The options that decide a group's member batches (twin, runs, seed, calibration, each --set), as flags for the
 * command that finishes it: a hint without them is refused when copied (a trial's `--twin` was left out).
 */
export function groupFlags(options: { twin?: string; runs: number; seed: number; calibration?: string; set?: readonly string[] }): string {
  const flags = [...(options.twin ? ['--twin', options.twin] : []), '--runs', String(options.runs), '--seed', String(options.seed), ...(options.calibration ? ['--calibration', options.calibration] : []), ...(options.set ?? []).flatMap((s) => ['--set', s])];
  return flags.map((f) => ` ${shellWord(f)}`).join('');
}

/** The arguments of the command being run, as `main(argv)` was given them (set there; process.argv otherwise). */
let typedArguments: readonly string[] = process.argv.slice(2);

/** Records the command's arguments (cli/main.ts): a hint to copy is made from them, not the host process's. */
export function setTypedArguments(argv: readonly string[]): void {
  typedArguments = argv;
}

/**
 * The command as it was typed, with `--resume GROUP` in place of any `--resume` given: the hint that finishes a
 * sweep or a sensitivity analysis, whose options are too many to rebuild ("the same options" was not a command).
 */
export function typedWithResume(group: string, argv: readonly string[] = typedArguments): string {
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--resume') i++;
    else if (!argv[i]!.startsWith('--resume=')) kept.push(argv[i]!);
  }
  return `strata ${[...kept, '--resume', group].map(shellWord).join(' ')}`;
}

/** A `--resume` id as typed: an empty one is said as such (`run` started a new batch; a group got the store's wording). */
export function checkResume(id: string | undefined, where: string): void {
  if (id !== undefined && id.trim() === '') throw new UsageError(`${where}: --resume: expected the id the interrupted batch or group printed, got ${JSON.stringify(id)}`);
}

export function dbPath(option: string | undefined): string {
  // An empty --db is a mistake said as such (the store said "file must be a non-empty string"); an empty
  // STRATA_DB is no setting, as a shell's `STRATA_DB= strata …` means.
  if (option !== undefined && option.trim() === '') throw new UsageError(`--db: expected a results database file, got ${JSON.stringify(option)}`);
  return option ?? (process.env.STRATA_DB || 'strata.duckdb');
}

/**
 * The results database a command only reads (or resumes from): it must exist, so a typo in `--db` is a
 * one-line error rather than a new, empty database.
 */
export function existingDbPath(option: string | undefined, where: string): string {
  const file = dbPath(option);
  // Named as the user gave it: the flag, or the environment variable it came from.
  const given = option !== undefined ? '--db' : process.env.STRATA_DB ? 'STRATA_DB' : 'the default database';
  if (!existsSync(file)) throw new UsageError(`${where}: ${given} ${file}: expected an existing results database, got no such file`);
  return file;
}

/** A file the command reads or keeps (its results database, an input), named for a message. */
export interface KeptFile {
  file: string;
  /** What it is: "results database (--db)", "targets file (--targets)". */
  as: string;
}

/** The files among a command's inputs — its scenario, twin, regime and calibration — given as paths (a built-in's name is none). */
export function inputFiles(scenario: string | undefined, options: { twin?: string; regime?: string; calibration?: string }): KeptFile[] {
  const named: [string | undefined, string][] = [
    [scenario, 'scenario file'],
    [options.twin, 'twin file'],
    [options.regime, 'regime file'],
    [options.calibration, 'calibration file (--calibration)'],
  ];
  return named.flatMap(([file, as]) => (file !== undefined && existsSync(file) && statSync(file).isFile() ? [{ file, as }] : []));
}

/** Whether two paths name one file: the same path, or (both existing) the same device and inode — a link to it. */
function sameFile(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/**
 * An output file, checked before any work starts: its directory must exist and take a new file, and whatever
 * is already at the path must be a regular file (replaced), not a directory, a symbolic link, a pipe or a
 * device — and not one of the files the command reads or keeps (`kept`: its results database, its inputs),
 * which writing the output would replace (a trial's `results export ID -o st.csv --db st.csv` turned the
 * database into a CSV and exited 0). `also` names files written beside it (a CSV's units file), checked the same way.
 */
export function outputPath(file: string, where: string, kept: readonly KeptFile[] = [], also: readonly string[] = []): string {
  for (const written of [file, ...also]) {
    const other = kept.find((k) => sameFile(written, k.file));
    if (other) throw new UsageError(`${where}: ${file}: expected a file other than the ${other.as}, ${other.file}, which ${written === file ? 'it would replace' : `its ${basename(written)} would replace`}`);
  }
  const directory = dirname(resolve(file));
  if (!existsSync(directory) || !statSync(directory).isDirectory()) throw new UsageError(`${where}: ${file}: expected a file in an existing directory, got no directory ${directory}`);
  for (const written of [file, ...also]) {
    if (!existsSync(written) && !isLink(written)) continue;
    const stat = lstatSync(written);
    if (!stat.isFile()) {
      const whose = written === file ? '' : ` for its ${basename(written)}`;
      throw new UsageError(`${where}: ${file}: expected a regular file to write or replace${whose}, got ${fileKind(stat)}${whose ? ` at ${written}` : ''}`);
    }
  }
  // The file is written beside itself and renamed over: whether that can be done is tried now, before any
  // work (a directory that exists but takes no new file — /proc, read-only — or a name too long).
  const probe = join(directory, `.${basename(file)}.strata-probe-${process.pid}`);
  try {
    closeSync(openSync(probe, 'wx'));
    unlinkSync(probe);
  } catch (error) {
    throw new UsageError(`${where}: ${file}: expected a file this process can create, got ${(error as NodeJS.ErrnoException).code ?? 'an error'} creating one in ${directory}`);
  }
  return file;
}

/**
 * Writes a text output checked by `outputPath`: to a temporary file beside it, then renamed over it, so a
 * kill or a full disk mid-write leaves the old file (or none), never a truncated one.
 */
export function writeOutput(file: string, text: string, where: string): void {
  const temporary = join(dirname(resolve(file)), `.${basename(file)}.strata-${process.pid}`);
  try {
    // A killed earlier process with this pid may have left its temporary file: it goes first.
    rmSync(temporary, { force: true });
    writeFileSync(temporary, text, { flag: 'wx' });
    renameSync(temporary, file);
  } catch (error) {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // The error that matters is the write's; a temporary file that cannot be removed is left.
    }
    throw new UsageError(`${where}: ${file}: expected to write the file, got ${(error as NodeJS.ErrnoException).code ?? 'an error'} writing it`);
  }
}

function isLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Says on stderr, once, that opening a results database migrated it to this Strata's schema (store.ts
 * `upgradedFrom`): even `results list` opens to write (docs/cli.md), and the Strata that wrote the old schema
 * cannot open the file after, so a user sharing a database between releases hears of it when it happens.
 */
export function noteUpgrade<S extends { file: string; upgradedFrom: number | undefined }>(store: S): S {
  if (store.upgradedFrom !== undefined) {
    process.stderr.write(`strata: upgraded ${store.file} from results-database schema ${store.upgradedFrom} to this Strata's; a Strata that writes schema ${store.upgradedFrom} can no longer open it\n`);
  }
  return store;
}

/**
 * What a command set over its named documents, as given, for its output and its stored batches:
 * `calibration=FILE` first (its values apply first), then each `--set path=value` in order.
 */
export function settingsOf(options: { calibration?: string; set?: readonly string[] }): string[] {
  return [...(options.calibration ? [`calibration=${options.calibration}`] : []), ...(options.set ?? [])];
}


/** `--decide`'s help, shared by the commands that take decisions. */
export const DECIDE_HELP =
  'a decision the room takes, as ACTION[:TARGET]@MINUTES (repeatable): isolate-zone:ZONE, reconnect-zone:ZONE, disconnect-kinds:KIND[+KIND], reconnect-kinds:KIND[+KIND], add-staff:N, revoke-identities, restore-identities, halt-update, resume-update, segment, unsegment';

/**
 * The header's lines for settings ("" for none), each ending in a newline: `set: controls.segmentation=0.9
 * (every regime)` for what changes the documents, `decided: isolate-zone:trust/lab@100 (…)` for the room's
 * decisions taken in every run.
 */
export function settingsLine(settings: readonly string[], scope?: string, decisionScope?: string): string {
  const { set, decided } = splitSettings(settings);
  const line = (head: string, items: readonly string[], where: string | undefined) => (items.length === 0 ? '' : `${head}: ${items.join(', ')}${where ? ` (${where})` : ''}\n`);
  return `${line('set', set, scope)}${line('decided', decided, decisionScope ?? 'in every run')}`;
}
