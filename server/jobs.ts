import { randomBytes } from 'node:crypto';
import { BatchRunner } from '../engine/batch/batch.js';
import { summarizeBatch } from '../engine/batch/summarize.js';
import type { Compiled } from '../engine/compile/model.js';
import type { Store } from '../store/index.js';
import type { PreparedInputs } from '../cli/model-cache.js';
import { Recorder } from '../cli/recorder.js';

type Listener = (event: string, data: unknown) => void;

/**
 * A batch started from the page: run on the server's BatchRunner, streamed into the store chunk by chunk
 * (as `strata run` does), its progress published to any number of listeners. Cancelling stops it between
 * chunks and leaves an incomplete batch that `strata run --resume` can finish.
 */
export class Job {
  readonly id = randomBytes(6).toString('hex');
  readonly controller = new AbortController();
  #listeners = new Set<{ send: Listener; end: () => void }>();
  #last: [string, unknown] | undefined;
  #ended = false;

  constructor(readonly batch: string) {}

  get finished(): boolean {
    return this.#ended;
  }

  publish(event: string, data: unknown, end = false): void {
    this.#last = [event, data];
    for (const l of this.#listeners) {
      l.send(event, data);
      if (end) l.end();
    }
    if (end) {
      this.#ended = true;
      this.#listeners.clear();
    }
  }

  /** Listens from now on (the latest event first); returns how to stop listening. */
  subscribe(send: Listener, end: () => void): () => void {
    if (this.#last) send(...this.#last);
    if (this.#ended) {
      end();
      return () => {};
    }
    const listener = { send, end };
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  cancel(): void {
    this.controller.abort();
  }
}

export class Jobs {
  #jobs = new Map<string, Job>();
  #runner: BatchRunner;

  constructor(
    readonly store: Store,
    workers: number,
  ) {
    // Off the event loop even for a single run: the server answers the page meanwhile.
    this.#runner = new BatchRunner({ workers, offThread: true });
  }

  running(): number {
    let n = 0;
    for (const job of this.#jobs.values()) if (!job.finished) n++;
    return n;
  }

  get(id: string): Job | undefined {
    return this.#jobs.get(id);
  }

  async start(inputs: PreparedInputs, compiled: Compiled, options: { runs: number; seed: number }): Promise<Job> {
    const recorder = await Recorder.begin(this.store, compiled, inputs, { kind: 'run', seed: options.seed, runs: options.runs });
    const job = new Job(recorder.id);
    this.#jobs.set(job.id, job);
    // Forget the oldest finished jobs beyond a hundred (running ones are kept).
    for (const [id, old] of this.#jobs) {
      if (this.#jobs.size <= 100) break;
      if (old.finished) this.#jobs.delete(id);
    }
    void (async () => {
      try {
        const result = await this.#runner.run(compiled, {
          runs: options.runs,
          seed: options.seed,
          signal: job.controller.signal,
          onProgress: (p) => job.publish('progress', { batch: job.batch, completed: p.completedRuns, total: p.totalRuns, elapsedMs: p.elapsedMs }),
          onChunk: (chunk) => recorder.chunk(chunk.runStart, chunk.rows),
        });
        if (job.controller.signal.aborted || !result.complete) {
          await recorder.finish(undefined, false, result.elapsedMs);
          job.publish('cancelled', { batch: job.batch, completed: result.completed.reduce((a, b) => a + b, 0) }, true);
          return;
        }
        await recorder.finish(summarizeBatch(result), true, result.elapsedMs);
        job.publish('done', { batch: job.batch, runs: result.runs, elapsedMs: result.elapsedMs }, true);
      } catch (error) {
        await recorder.finish(undefined, false, 0).catch(() => {});
        job.publish(job.controller.signal.aborted ? 'cancelled' : 'failed', { batch: job.batch, message: (error as Error).message }, true);
      }
    })();
    return job;
  }

  async close(): Promise<void> {
    for (const job of this.#jobs.values()) job.cancel();
    await this.#runner.close();
  }
}
