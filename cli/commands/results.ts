import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import type { BatchInfo, Store } from '../../store/index.js';
import { BATCH_KINDS } from '../../store/types.js';
import { csvMetadataFile } from '../../store/file.js';
import { dbFlag, dbPath, existingDbPath, integer, noteUpgrade, outputPath, splitSettings } from '../args.js';
import { UsageError } from '../errors.js';
import { summaryTable, table } from '../format.js';
import { summary } from './index.js';

const FORMATS = ['csv', 'parquet', 'json'] as const;

/**
 * A batch's status as this command can know it. DuckDB lets one process at a time open a database to write,
 * and `results` opens it so: if it could, no other process holds the file, so a batch still marked
 * `running` has no live writer — its process was killed — and is shown as `interrupted` (resumable).
 */
function shownStatus(store: Store, status: string): string {
  return status === 'running' && !store.readOnly ? 'interrupted' : status;
}

/** An export's file, checked (outputPath): never the results database it is read from, nor with its CSV's units file. */
function exportPath(file: string, format: string, db: string | undefined): string {
  return outputPath(file, 'results export: -o', [{ file: dbPath(db), as: 'results database' }], format === 'csv' ? [csvMetadataFile(file)] : []);
}

interface ListOptions {
  scenario?: string;
  twin?: string;
  regime?: string;
  kind?: string;
  status?: string;
  group?: string;
  last?: number;
  json?: boolean;
  db?: string;
}

/** A batch as `results list` shows it: its status as shownStatus gives it. */
type Listed = Omit<BatchInfo, 'status'> & { status: string };

/** The states `results list` shows (shownStatus): the stored ones, and `interrupted` for a batch no process holds. */
const SHOWN_STATUSES = ['complete', 'incomplete', 'interrupted', 'running'] as const;

/** `results list`'s filters as one test of a batch (as shown); a kind or a state that cannot be is refused. */
function listFilter(options: ListOptions): (b: Listed) => boolean {
  const problems: string[] = [];
  if (options.kind !== undefined && !(BATCH_KINDS as readonly string[]).includes(options.kind)) problems.push(`results list: --kind expected ${BATCH_KINDS.join(', ')}, got "${options.kind}"`);
  if (options.status !== undefined && !(SHOWN_STATUSES as readonly string[]).includes(options.status)) problems.push(`results list: --status expected ${SHOWN_STATUSES.join(', ')}, got "${options.status}"`);
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  const { scenario, twin, regime, kind, status, group } = options;
  return (b) =>
    (scenario === undefined || b.scenario === scenario) &&
    (twin === undefined || b.twin === twin) &&
    (regime === undefined || b.regime === regime || b.label === regime) &&
    (kind === undefined || b.kind === kind) &&
    (status === undefined || b.status === status) &&
    (group === undefined || b.groupId === group);
}

/** What `results list` says when its filters match no batch: for each filter given, the values the store holds. */
function noMatch(options: ListOptions, stored: readonly Listed[]): string {
  const held = (values: readonly (string | null)[]) => {
    const distinct = [...new Set(values.filter((v): v is string => v !== null))];
    return distinct.length > 12 ? `${distinct.slice(0, 12).join(', ')} and ${distinct.length - 12} more` : distinct.join(', ');
  };
  const given: [flag: string, value: string | undefined, values: () => string][] = [
    ['--scenario', options.scenario, () => held(stored.map((b) => b.scenario))],
    ['--twin', options.twin, () => held(stored.map((b) => b.twin))],
    ['--regime', options.regime, () => held(stored.flatMap((b) => [b.regime, b.label]))],
    ['--kind', options.kind, () => held(stored.map((b) => b.kind))],
    ['--status', options.status, () => held(stored.map((b) => b.status))],
    ['--group', options.group, () => held(stored.map((b) => b.groupId))],
  ];
  const lines = given.filter(([, value]) => value !== undefined).map(([flag, value, values]) => `  ${flag} ${value}: the store holds ${values()}`);
  return [`No stored batch matches all of the filters (${stored.length.toLocaleString('en-GB')} stored).`, ...lines].join('\n');
}

/** A batch or group id as typed: an empty one is said as such (the store said "id must be a non-empty string"). */
function givenId(id: string, where: string): void {
  if (id.trim() === '') throw new UsageError(`${where}: expected a batch id (strata results list shows them), got ${JSON.stringify(id)}`);
}

export function registerResults(program: Command): void {
  const results = program.command('results').description(summary('results'));
  // Reading only: a missing database is a typo, not a request for a new one.
  const withStore = async <T>(db: string | undefined, work: (store: Store) => Promise<T>): Promise<T> => {
    const { Store } = await import('../../store/index.js'); // DuckDB, loaded only to run (not for --help)
    const store = noteUpgrade(await Store.open(existingDbPath(db, 'results')));
    try {
      return await work(store);
    } finally {
      await store.close();
    }
  };

  results
    .command('list')
    .description('every stored batch, oldest first (the latest last, above the prompt); the filters keep those that match them all')
    .option('--scenario <id>', 'only batches of this scenario')
    .option('--twin <id>', 'only batches on this twin')
    .option('--regime <name>', "only batches of this regime (or a compare member's label)")
    .option('--kind <kind>', `only batches of this kind: ${BATCH_KINDS.join(', ')}`)
    .option('--status <status>', 'only batches in this state: complete, incomplete, interrupted or running')
    .option('--group <id>', "only a group's batches (a compare, sweep or sensitivity; its id is its first batch's)")
    .option('--last <n>', 'only the latest n of those', integer('--last', 1))
    .option('--json', 'print JSON')
    .option('--db <file>', 'the results database')
    .action((options: ListOptions) =>
      withStore(options.db, async (store) => {
        const filter = listFilter(options);
        const stored = (await store.listBatches()).map((b) => ({ ...b, status: shownStatus(store, b.status) }));
        const matching = stored.filter(filter);
        const batches = options.last !== undefined ? matching.slice(-options.last) : matching;
        if (options.json) return void process.stdout.write(`${JSON.stringify(batches)}\n`);
        // Nothing matched: say what is stored for the filters given, not an empty table (a typo reads as "no runs").
        if (batches.length === 0 && stored.length > 0) return void process.stdout.write(`${noMatch(options, stored)}\n`);
        // A batch whose command changed its documents (--set, --calibration) or took decisions in every run
        // (--decide) says so: `baseline + 1 set`, `baseline + 2 decided`.
        const changed = (b: (typeof batches)[number]) => {
          const { set, decided } = splitSettings(b.settings);
          // A compare's decided member is labelled `R+decisions` already.
          const said = decided.length > 0 && !(b.label ?? '').endsWith('+decisions');
          return `${set.length > 0 ? ` + ${set.length} set` : ''}${said ? ` + ${decided.length} decided` : ''}`;
        };
        const rows = batches.map((b) => [b.id, b.kind, b.scenario, b.twin, `${b.label ?? b.regime}${changed(b)}`, `${b.storedRuns.toLocaleString('en-GB')}/${b.runs.toLocaleString('en-GB')}`, b.status, b.createdAt.slice(0, 19).replace('T', ' ')]);
        process.stdout.write(`${table(['id', 'kind', 'scenario', 'twin', 'regime / value', 'runs', 'status', 'created'], rows)}\n`);
      }),
    );

  results
    .command('show')
    .argument('<id>', 'a batch id')
    .description("a batch's inputs and its summary table")
    .option('--json', 'print JSON')
    .option('--all', 'show every metric')
    .option('--db <file>', 'the results database')
    .action((id: string, options: { json?: boolean; all?: boolean; db?: string }) =>
      withStore(options.db, async (store) => {
        givenId(id, 'results show');
        const stored = await store.getBatch(id);
        const batch = { ...stored, status: shownStatus(store, stored.status) };
        if (options.json) {
          const { documents: _documents, ...rest } = batch;
          return void process.stdout.write(`${JSON.stringify(rest)}\n`);
        }
        process.stdout.write(
          `batch ${batch.id} · ${batch.kind}${batch.groupId ? ` (group ${batch.groupId})` : ''} · ${batch.status}\n` +
            `scenario ${batch.scenario} · twin ${batch.twin} · regime ${batch.regime}${batch.label && batch.label !== batch.regime ? ` · ${batch.label}` : ''}\n` +
            `seed ${batch.seed} · ${batch.storedRuns.toLocaleString('en-GB')}/${batch.runs.toLocaleString('en-GB')} runs${batch.untilPrecision === null ? '' : ` (until every headline mean is known to ±${Number((batch.untilPrecision * 100).toPrecision(3))}%)`} · Strata ${batch.version} · created ${batch.createdAt}\n` +
            `inputs: twin ${batch.hashes.twinHash.slice(0, 12)} · scenario ${batch.hashes.scenarioHash.slice(0, 12)} · regime ${batch.hashes.regimeHash.slice(0, 12)}\n` +
            `${showSettings(batch.settings)}\n`,
        );
        if (batch.summaries) process.stdout.write(`${summaryTable(batch.summaries as never, batch.storedRuns, options.all)}\n`);
        else {
          // A compare's, sweep's or sensitivity's batch is finished through its group, by the command that began it
          // (or alone, from its stored documents, where a document has changed since: cli/group.ts).
          const how =
            batch.kind === 'run' || !batch.groupId
              ? `strata run --resume ${batch.id}${dbFlag(options.db)}`
              : `the strata ${batch.kind} that began it, with --resume ${batch.groupId}${dbFlag(options.db)} (or this batch alone, from its stored documents, with strata run --resume ${batch.id}${dbFlag(options.db)})`;
          process.stdout.write(`no summary: the batch is ${batch.status}; finish it with ${how}\n`);
        }
      }),
    );

  results
    .command('export')
    .argument('<id>', 'a batch id (with --group: a group id, as compare, sweep or sensitivity printed it)')
    .description('one row per run, one column per metric (NaN = never: empty in CSV, null in Parquet/JSON)')
    .option('--group', "every member of the group in one table (CSV or Parquet): member, batch and label columns before each member's runs")
    .option('--format <format>', 'csv, parquet or json (default: the -o file\'s extension, else csv)')
    .option('-o, --output <file>', 'the file to write (default: strata-<id>.<format>; - for stdout)')
    .option('--db <file>', 'the results database')
    .action((id: string, options: { group?: boolean; format?: string; output?: string; db?: string }) =>
      withStore(options.db, async (store) => {
        givenId(id, 'results export');
        if (options.group) {
          const format = exportFormat(options.format, options.output);
          if (format === 'json') throw new UsageError('results export --group: expected csv or parquet (one table of every member\'s runs), got json');
          // A member's id given for its group's: named, not "no group" (a group's id is its first member's).
          const listed = (await store.listBatches()).find((b) => b.id === id);
          if (listed && listed.groupId && listed.groupId !== id) throw new UsageError(`results export --group: expected a group id, got batch ${id}, a member of group ${listed.groupId} (export --group ${listed.groupId})`);
          if (options.output === '-') {
            await toStdout(format, (file) => store.exportGroup(id, format, file));
            return;
          }
          const file = exportPath(options.output ?? `strata-group-${id}.${format}`, format, options.db);
          const members = await store.exportGroup(id, format, file);
          const partial = members.filter((m) => m.storedRuns < m.runs).map((m) => m.id);
          const count = `${members.length} ${members.length === 1 ? 'member' : 'members'}`;
          process.stderr.write(`wrote ${file}: ${count} of ${members[0]!.kind} ${id} (${members.map((m) => m.label ?? m.regime).join(', ')})${partial.length > 0 ? `; not finished: ${partial.join(', ')}` : ''}${unitsNote(format, file)}\n`);
          return;
        }
        // The batch first: a mistyped id is the problem to name, not the format a missing batch would take.
        const batch = await store.getBatch(id);
        const format = exportFormat(options.format, options.output);
        if (options.output === '-') {
          await toStdout(format, (file) => store.exportBatch(id, format, file));
          return;
        }
        const file = exportPath(options.output ?? `strata-${id}.${format}`, format, options.db);
        await store.exportBatch(id, format, file);
        // A batch not finished exports the runs it has: said, so the file is not taken for the whole batch.
        const partial = batch.storedRuns < batch.runs ? ` (batch ${batch.id} is not finished: ${batch.storedRuns.toLocaleString('en-GB')} of its ${batch.runs.toLocaleString('en-GB')} runs)` : '';
        process.stderr.write(`wrote ${file}${partial}${unitsNote(format, file)}\n${await groupNote(store, batch)}`);
      }),
    );
}

/** Where a file's units are: a CSV has no place for them, so they are written beside it (store/export.ts). */
function unitsNote(format: string, file: string): string {
  return format === 'csv' ? `; each column's unit in ${csvMetadataFile(file)}` : '';
}

/** `-o -`: an export on stdout, through a private temporary file (DuckDB writes files). */
async function toStdout(format: string, write: (file: string) => Promise<unknown>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'strata-export-'));
  // Removed however the process ends: a reader closing the pipe or a Ctrl-C exits at once.
  const remove = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', remove);
  try {
    const file = join(dir, `export.${format}`);
    await write(file);
    await pipeline(createReadStream(file), process.stdout, { end: false });
    // The units a CSV's metadata file holds have nowhere to go on stdout: said, not dropped in silence.
    if (format === 'csv') process.stderr.write("strata: a CSV on stdout carries no units: -o FILE writes each column's unit beside it (FILE-metadata.json), and Parquet and JSON carry them\n");
  } finally {
    remove();
    process.off('exit', remove);
  }
}

/**
 * A group's id is its first batch's: exporting it exports that batch alone (a trial took a sweep's group id for
 * the whole sweep). Said, with the other members' ids, "" for a batch of no group.
 */
async function groupNote(store: Store, batch: BatchInfo): Promise<string> {
  if (!batch.groupId) return '';
  const members = await store.listBatches({ groupId: batch.groupId });
  if (members.length < 2) return '';
  const others = members.filter((m) => m.id !== batch.id).map((m) => `${m.id} (${m.label ?? m.regime})`);
  return `strata: batch ${batch.id} is one ${batch.kind} member (${batch.label ?? batch.regime}) of group ${batch.groupId}; its other members are exported by their own ids (${others.join(', ')}), or all together with --group\n`;
}

/**
 * --format as given, else the -o file's extension (out.csv, out.parquet, out.json); one of them is needed, and
 * they must agree (`--format csv -o out.parquet` would write CSV into a file named as Parquet).
 */
function exportFormat(given: string | undefined, output: string | undefined): (typeof FORMATS)[number] {
  const known = (x: string): x is (typeof FORMATS)[number] => (FORMATS as readonly string[]).includes(x);
  const extension = output && output !== '-' ? extname(output).slice(1).toLowerCase() : '';
  if (given !== undefined) {
    if (!known(given)) throw new UsageError(`results export: --format expected csv, parquet or json, got "${given}"`);
    if (known(extension) && extension !== given) throw new UsageError(`results export: -o expected a file named for --format ${given} (.${given}), got ${output}`);
    return given;
  }
  if (known(extension)) return extension;
  // Neither given: CSV, the format pandas and R read without a library (the two defaults pointed at each other).
  if (output === undefined || output === '-') return 'csv';
  throw new UsageError(`results export: --format expected csv, parquet or json (-o ${output} does not end in .csv, .parquet or .json)`);
}

/** `results show`'s lines for a batch's settings: what changed its documents, then the decisions taken in every run. */
function showSettings(settings: readonly string[] | null): string {
  if (settings === null) return 'set: not recorded (stored before Strata kept them)\n';
  const { set, decided } = splitSettings(settings);
  return `set: ${set.length === 0 ? 'nothing (the documents as named)' : set.join(', ')}\n${decided.length > 0 ? `decided: ${decided.join(', ')} (in every run)\n` : ''}`;
}
