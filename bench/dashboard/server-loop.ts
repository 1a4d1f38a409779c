import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { buildServer } from '../../server/app.js';
import { Store } from '../../store/index.js';
import { argument, main, round, type LaunchOptions, type Measurements } from '../harness/launch.js';

/**
 * How long `strata serve`'s event loop is held while a batch is started from the page: the server is built
 * in this process (on a fresh store, two workers), the page's opening trace is awaited, then `POST
 * /api/batches` starts wannacry-down on the twin (nhs-england; the ward in the quick form) with two runs,
 * timed while `monitorEventLoopDelay` (10 ms resolution) watches this thread. `maxLoopDelayMs` is the
 * longest the loop could not answer anything — the layout of another twin, a batch's progress; `startMs`
 * is the request's own time to its `202`. Compare checkouts with `bench/side-by-side.ts`.
 *
 *   node --import tsx bench/dashboard/server-loop.ts [--twin nhs-england]
 */
export async function measure(options: LaunchOptions): Promise<Measurements> {
  const twin = options.quick ? 'ward' : argument(options.args, 'twin', 'nhs-england');
  const directory = mkdtempSync(join(tmpdir(), 'strata-bench-loop-'));
  const store = await Store.open(join(directory, 'results.duckdb'));
  const token = 'b'.repeat(48);
  const app = await buildServer({ host: '127.0.0.1', port: 0, token, store, workers: 2 });
  try {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    // The page's opening run: the model thread has started and traced it before the batch is asked for.
    await fetch(`${base}/api/trace?scenario=wannacry-down&twin=ward`);
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const started = performance.now();
    const response = await fetch(`${base}/api/batches`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-strata-token': token },
      body: JSON.stringify({ scenario: 'wannacry-down', twin, runs: 2 }),
    });
    const startMs = performance.now() - started;
    delay.disable();
    if (response.status !== 202) throw new Error(`bench/server-loop: the batch was refused: ${response.status} ${await response.text()}`);
    const { job } = (await response.json()) as { job: string };
    await (await fetch(`${base}/api/jobs/${job}/events?token=${token}`)).text();
    return { twin, startMs: round(startMs, 1), maxLoopDelayMs: round(delay.max / 1e6, 1), meanLoopDelayMs: round(delay.mean / 1e6, 1) };
  } finally {
    await app.close();
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

main(import.meta.url, measure);
