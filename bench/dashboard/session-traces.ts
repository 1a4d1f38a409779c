import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { buildServer } from '../../server/app.js';
import { Store } from '../../store/index.js';
import { argument, main, round, type LaunchOptions, type Measurements } from '../harness/launch.js';

/**
 * What a tabletop's screens wait for when the room decides: every screen (the facilitator's and
 * `--screens` participants', 8) asks `GET /api/trace` for the run with the decision at once, as a browser asks
 * it (Accept-Encoding gzip). The server is built in this process (fresh store, two workers) on wannacry-down on
 * the twin (nhs-england; the ward in the quick form); the run is traced once first without decisions (its model
 * compiled, the thread warm), then:
 *
 * - `firstMs`: the first screen's wait, `lastMs`: the last one's (the room sees the decision when every screen has);
 * - `bytesPerScreen`: the response's size as sent; `jsonBytes`: the same trace's JSON;
 * - `maxLoopDelayMs`: the longest the server's event loop could answer nothing meanwhile.
 *
 *   node --import tsx bench/dashboard/session-traces.ts [--twin nhs-england] [--screens 8]
 */
export async function measure(options: LaunchOptions): Promise<Measurements> {
  const twin = options.quick ? 'ward' : argument(options.args, 'twin', 'nhs-england');
  const screens = Number(argument(options.args, 'screens', options.quick ? '3' : '8'));
  const directory = mkdtempSync(join(tmpdir(), 'strata-bench-traces-'));
  const store = await Store.open(join(directory, 'results.duckdb'));
  const app = await buildServer({ host: '127.0.0.1', port: 0, token: 'b'.repeat(48), store, workers: 2 });
  try {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const run = `${base}/api/trace?scenario=wannacry-down&twin=${twin}&regime=baseline&seed=20170512&run=3`;
    await (await fetch(run)).arrayBuffer();
    const decided = `${run}&decide=${encodeURIComponent('add-staff:10@300')}`;
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const started = performance.now();
    // Read as sent, not decoded (undici's fetch would gunzip on this thread, the server's).
    const waits = await Promise.all(
      Array.from(
        { length: screens },
        () =>
          new Promise<{ ms: number; bytes: number }>((resolve, reject) => {
            const req = request(decided, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
              let bytes = 0;
              res.on('data', (chunk: Buffer) => (bytes += chunk.length));
              res.on('end', () => (res.statusCode === 200 ? resolve({ ms: performance.now() - started, bytes }) : reject(new Error(`bench/session-traces: ${res.statusCode}`))));
            });
            req.on('error', reject);
            req.end();
          }),
      ),
    );
    delay.disable();
    // The JSON of the same trace (kept by then), as a client that takes no gzip is sent it.
    const plain = await (await fetch(decided, { headers: { 'accept-encoding': 'identity' } })).arrayBuffer();
    const ms = waits.map((w) => w.ms).sort((a, b) => a - b);
    return {
      twin,
      screens,
      firstMs: round(ms[0]!, 0),
      lastMs: round(ms.at(-1)!, 0),
      bytesPerScreen: waits[0]!.bytes,
      jsonBytes: plain.byteLength,
      maxLoopDelayMs: round(delay.max / 1e6, 1),
    };
  } finally {
    await app.close();
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

main(import.meta.url, measure);
