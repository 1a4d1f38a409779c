/**
 * A one-line status on stderr for work that is not one batch (calibrate's draws and refinement): on a
 * terminal one line rewritten in place; where stderr is not a terminal (a log, a pipe), whole lines — the
 * first, then at most one an interval (`logIntervalMs`, $STRATA_LOG_INTERVAL_S; 0 writes every one), and
 * every one marked `always` (the end of a round) — never a carriage return, so a log is not one long line.
 */

/** Whether a status line on the terminal is left without its newline (what is written next would join it). */
let partial = false;

/**
 * Ends a status line left on the terminal, so a final message (an error, `interrupted`) starts a line of
 * its own; nothing if none is.
 */
export function endStatusLine(): void {
  if (!partial) return;
  partial = false;
  process.stderr.write('\n');
}

export interface StatusLine {
  /** Says `text`; `always` writes it to a log even within the interval. */
  say(text: string, always?: boolean): void;
  /** Ends the line on a terminal (no-op in a log, where every line is whole). */
  end(): void;
}

export function statusLine(intervalMs: number, tty = process.stderr.isTTY === true): StatusLine {
  let last: number | undefined;
  return {
    say(text, always = false) {
      if (tty) {
        // Back to the line's start, the text, then the rest of the line cleared (a shorter text leaves nothing of a longer).
        process.stderr.write(`\r${text}\x1b[K`);
        partial = true;
        return;
      }
      const now = performance.now();
      if (!always && last !== undefined && now - last < intervalMs) return;
      last = now;
      process.stderr.write(`${text}\n`);
    },
    end: endStatusLine,
  };
}
