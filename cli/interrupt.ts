import { NOTHING_STORED } from './errors.js';
import { endStatusLine } from './status-line.js';

/**
 * Ctrl-C for the whole command, one handler from start to exit — so no moment between start-up and exit
 * falls to Node's default (exit 130 with nothing said). While a Session is open, the first Ctrl-C aborts its
 * batches — they stop at the next chunk and the command reports what is stored; any other Ctrl-C — before a
 * Session opened, a second one, or one after the command closed its Sessions — stops at once, saying which
 * it was. Stopping at once is safe: every chunk is committed in its own transaction (docs/store.md).
 *
 * SIGTERM — what `timeout`, `docker stop`, `kill` and job schedulers send — is a Ctrl-C: the same handler,
 * the same exit code (130), the same resume hint; Node's default for it is to die with nothing said and the
 * batch left without its time or its hint. The two count together: SIGTERM then Ctrl-C (or the other way
 * round) is a second Ctrl-C.
 *
 * One signal can arrive twice: `timeout` sends it to the command and again to its process group, and the copy
 * may be handled tens of milliseconds after the first (measured: ~30 ms, in about a third of runs of
 * `timeout -s TERM 5 strata compare …`). Taken as a second Ctrl-C it stopped the command at once, before it
 * said what is stored and how to finish it; so a signal within SAME_SIGNAL_MS of the one that stopped the
 * batches is taken as that one.
 */
const batches = new Set<AbortController>();
let began = false;
let own: (() => void) | undefined;
let watching = false;
/** When the first interrupt aborted the running batches (performance.now()). */
let abortedAt: number | undefined;

/** A repeat of an interrupt within this long is a copy of it (a person's second Ctrl-C comes later). */
const SAME_SIGNAL_MS = 250;

/** The signals taken as Ctrl-C (cli/bin.mjs watches the same ones while the CLI loads). */
const INTERRUPTS = ['SIGINT', 'SIGTERM'] as const;

/** Installs the handler (once per process). */
export function watchInterrupts(): void {
  if (watching) return;
  watching = true;
  for (const signal of INTERRUPTS) process.on(signal, onInterrupt);
}

/** A running batch's abort, fired by the first Ctrl-C (or SIGTERM); returns the function that forgets it. */
export function interruptible(controller: AbortController): () => void {
  began = true;
  batches.add(controller);
  return () => batches.delete(controller);
}

/** How the command can be finished, once it knows (a group's --resume line): said by a Ctrl-C between batches. */
let resumeHint: string | undefined;

export function setResumeHint(hint: string): void {
  resumeHint = hint;
}

/** A command that stops itself on Ctrl-C (the dashboard's server) takes the interrupt over, SIGTERM too. */
export function onOwnInterrupt(stop: () => void): void {
  own = stop;
}

function onInterrupt(): void {
  if (own) return own();
  const live = [...batches].filter((c) => !c.signal.aborted);
  if (live.length > 0) {
    for (const c of live) c.abort();
    abortedAt = performance.now();
    return;
  }
  if (abortedAt !== undefined && performance.now() - abortedAt < SAME_SIGNAL_MS) return;
  endStatusLine();
  process.stderr.write(
    began
      ? `strata: interrupted: stopped at once; every run already committed is stored (${resumeHint ?? 'strata results list shows the batch'})\n`
      : `strata: ${NOTHING_STORED}\n`,
  );
  process.exit(130);
}
