import { NOTHING_STORED } from './errors.js';

/**
 * Ctrl-C for the whole command, one handler from start to exit — so no moment between start-up and exit
 * falls to Node's default (exit 130 with nothing said). While a Session is open, the first Ctrl-C aborts its
 * batches — they stop at the next chunk and the command reports what is stored; any other Ctrl-C — before a
 * Session opened, a second one, or one after the command closed its Sessions — stops at once, saying which
 * it was. Stopping at once is safe: every chunk is committed in its own transaction (docs/store.md).
 */
const batches = new Set<AbortController>();
let began = false;
let own: (() => void) | undefined;
let watching = false;

/** Installs the handler (once per process). */
export function watchInterrupts(): void {
  if (watching) return;
  watching = true;
  process.on('SIGINT', onInterrupt);
}

/** A running batch's abort, fired by the first Ctrl-C; returns the function that forgets it. */
export function interruptible(controller: AbortController): () => void {
  began = true;
  batches.add(controller);
  return () => batches.delete(controller);
}

/** A command that stops itself on Ctrl-C (the dashboard's server) takes the interrupt over. */
export function onOwnInterrupt(stop: () => void): void {
  own = stop;
}

function onInterrupt(): void {
  if (own) return own();
  const live = [...batches].filter((c) => !c.signal.aborted);
  if (live.length > 0) {
    for (const c of live) c.abort();
    return;
  }
  process.stderr.write(
    began
      ? 'strata: interrupted: stopped at once; every run already committed is stored (strata results list shows the batch)\n'
      : `strata: ${NOTHING_STORED}\n`,
  );
  process.exit(130);
}
