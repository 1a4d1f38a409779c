import { isAbsolute, relative } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { formatIssue, PROBLEMS_SHOWN, StrataInputError } from '../engine/model/errors.js';
import { DamagedStoreError, InvalidArgumentStoreError, LockedStoreError, MissingStoreError, NewerSchemaStoreError, NotAStoreError, StoreError, UnknownBatchStoreError } from '../store/errors.js';
import { collect, setTypedArguments, takeBadValues } from './args.js';
import { InterruptedError, UsageError } from './errors.js';
import { COMMANDS } from './commands/index.js';
import { watchInterrupts } from './interrupt.js';
import { engineVersion, VERSION } from './version.js';

/**
 * `strata`: exit 0 on success, 1 on failure, 2 on bad usage or bad input (one line per problem, naming
 * the file and field; `--debug` adds the stack), 130 when interrupted (finished runs are kept). `argv` as
 * `process.argv` gives it (node, the script, then the arguments); resolves to the exit code.
 */
export async function main(argv: readonly string[]): Promise<number> {
  watchInterrupts();
  setTypedArguments(argv.slice(2));
  // Bad values noted by an earlier call in this process (the fuzz tests call main() again and again).
  takeBadValues();
  // The command being run, if it is one (its help is the one a parsing error points to).
  const args = argv.slice(2).filter((a) => !a.startsWith('-'));
  const named = args[0] === 'help' ? args.slice(1) : args;
  const wanted = COMMANDS.find((c) => c.name === named[0]);
  // The command, and a group's subcommand (`results export`), whose help a parsing error points to.
  const usage = (): string => {
    const command = wanted && program.commands.find((c) => c.name() === wanted.name);
    const sub = command?.commands.find((c) => c.name() === named[1]);
    return [wanted?.name, sub?.name()].filter(Boolean).map((name) => `${name} `).join('');
  };
  const program = new Command('strata')
    .description('Cross-layer attack and failure propagation in connected medical devices: seeded Monte Carlo batches.')
    // With the digest of the sources that decide a model, as batches store it (the digest reads them: only when asked).
    .version(argv.includes('--version') || argv.includes('-V') ? engineVersion() : VERSION)
    .option('--debug', 'show stack traces for errors')
    // Commander's own parsing errors (an unknown command or option, a missing argument) on one line, like every
    // other (its "Did you mean …?" suggestion comes on a line of its own); bad option values noted before the
    // error come first, a line each (cli/args.ts).
    .configureOutput({
      outputError: (message, write) => {
        for (const problem of takeBadValues()) write(`strata: ${problem}\n`);
        write(`strata: ${message.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ')} (run strata ${usage()}--help for usage)\n`);
      },
    })
    .exitOverride()
    // Every bad option value of the command line, a line each, before the command runs.
    .hook('preAction', (_program, command) => {
      const bad = takeBadValues();
      // A flag whose value is bad is one problem already (its last value, said above).
      const twice = givenTwice(command, argv.slice(2)).filter((p) => !bad.some((b) => b.startsWith(`${p.slice(0, p.indexOf(':'))}:`)));
      const problems = [...bad, ...twice];
      if (problems.length > 0) throw new UsageError(problems.join('\n'));
    });

  // Only the command being run is loaded (with what it imports); the others are listed for help from their
  // entries in commands/index.ts.
  for (const entry of COMMANDS) {
    if (entry === wanted) (await entry.load())(program);
    else {
      const stub = program.command(entry.name).description(entry.description).allowUnknownOption().allowExcessArguments();
      if (entry.args) stub.arguments(entry.args);
      if (entry.options) stub.addOption(new Option('--options').hideHelp());
    }
  }
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    return report(error, argv.includes('--debug'));
  }
}

/**
 * An option that takes one value, given more than once: commander keeps the last in silence (a trial's
 * `--runs 3 --runs 4` ran 4, `--twin ward --twin acute-trust` acute-trust). Refused, naming the values;
 * repeatable options (`--set`, `--decide`, `--param`, `--range`) and flags are not counted.
 */
function givenTwice(command: Command, args: readonly string[]): string[] {
  const problems: string[] = [];
  for (const option of command.options) {
    if (!option.required && !option.optional) continue;
    if (option.parseArg === collect) continue;
    const names = [option.long, option.short].filter((n): n is string => n !== undefined);
    const values: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]!;
      if (names.includes(arg)) values.push(args[++i] ?? '');
      else {
        // `--output=FILE`, or a short flag with its value attached (`-ofile`).
        const name = names.find((n) => (n.startsWith('--') ? arg.startsWith(`${n}=`) : arg.startsWith(n) && !arg.startsWith('--')));
        if (name) values.push(arg.slice(name.length + (name.startsWith('--') ? 1 : 0)));
      }
    }
    const shown = values.slice(0, 4).map((v) => JSON.stringify(v)).join(', ');
    if (values.length > 1) problems.push(`${option.long ?? option.short}: expected once (it takes one value), got ${values.length}: ${shown}${values.length > 4 ? ', …' : ''}`);
  }
  return problems;
}

function report(error: unknown, debug: boolean): number {
  if (error instanceof CommanderError) {
    // Commander has printed its message already; help and version are not failures. Help given in place of a
    // missing subcommand (`strata results`) is on stderr with exit code 1 from commander: a usage error, 2.
    if (error.code === 'commander.help') return error.exitCode === 0 ? 0 : 2;
    return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? 0 : 2;
  }
  if (error instanceof StrataInputError) {
    // One line per problem, the first PROBLEMS_SHOWN of them: 10,000 duplicate ids are one mistake made
    // 10,000 times, and a terminal full of them hides the count.
    problemLines(error.issues.map((issue) => formatIssue({ ...issue, file: shownPath(issue.file) })));
  } else if (error instanceof UnknownBatchStoreError) {
    // Said of the database looked in, not of the store's internals: `no batch "ab12" in ./strata.duckdb`.
    const list = error.file === undefined ? 'strata results list' : `strata results list --db ${error.file}`;
    process.stderr.write(`strata: ${error.message.replace(/^store\.\w+: /, '')} (${list} shows the batches it holds)\n`);
  } else if (error instanceof StoreError) {
    // Said of the database, not of the store's internals (`store.open: `).
    problemLines(error.message.split('\n').map((line) => line.replace(/^store\.\w+: /, '')));
  } else if (error instanceof UsageError || error instanceof InvalidArgumentError) {
    problemLines((error as Error).message.split('\n'));
  } else if (error instanceof InterruptedError) {
    process.stderr.write(`strata: ${error.message}\n`);
    return 130;
  } else {
    // Not something the user did: Strata's own fault, said so, so it is not mistaken for bad input.
    const message = ((error as Error)?.message ?? String(error)).split('\n')[0];
    process.stderr.write(`strata: internal error: ${message} — please report it (run again with --debug for the stack)\n`);
  }
  if (debug && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return badInput(error) ? 2 : 1;
}

/**
 * A document's file as a problem names it: relative to the working directory when it lies under it (the
 * loaders resolve every path, so `strata run my/s.yaml` would otherwise hear of /home/…/my/s.yaml), else as it is.
 */
export function shownPath(file: string, cwd = process.cwd()): string {
  const inside = relative(cwd, file);
  return isAbsolute(file) && inside !== '' && !inside.startsWith('..') && !isAbsolute(inside) ? inside : file;
}

/** One line per problem, the first PROBLEMS_SHOWN of them, then how many more. */
function problemLines(lines: readonly string[]): void {
  for (const line of lines.slice(0, PROBLEMS_SHOWN)) process.stderr.write(`strata: ${line}\n`);
  if (lines.length > PROBLEMS_SHOWN) process.stderr.write(`strata: … and ${(lines.length - PROBLEMS_SHOWN).toLocaleString('en-GB')} more problems (${lines.length.toLocaleString('en-GB')} in all)\n`);
}

/**
 * What a user can cause — a bad file, flag, batch id or database file, or a database another strata process
 * holds — exits 2; everything else is a failure (1).
 */
function badInput(error: unknown): boolean {
  // A database a newer Strata wrote is the input's problem (upgrade), not this Strata's fault.
  return [StrataInputError, UsageError, InvalidArgumentError, UnknownBatchStoreError, NotAStoreError, MissingStoreError, InvalidArgumentStoreError, LockedStoreError, NewerSchemaStoreError, DamagedStoreError].some(
    (type) => error instanceof type,
  );
}
