import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer } from '../../server/app.js';
import { Store } from '../../store/index.js';
import { argument, main, round, type LaunchOptions, type Measurements } from '../harness/launch.js';

/**
 * How long a tabletop's facilitator waits for the after-action report (`POST /api/sessions/ID/report`, 200
 * runs each way), through the server's API: the server is built in this process (fresh store, two workers),
 * a session is started on wannacry-down on the twin (nhs-england; the ward in the quick form), and:
 *
 * - `atOnceMs`: a decision taken and the report asked at once (nothing prepared: the runs without the
 *   decisions and with them, computed now);
 * - `afterPlayingMs`: another decision taken, the room playing on for `--play` seconds (60; 2 in the quick
 *   form) before asking: the report the server prepared meanwhile (Session.prepare), on its one worker —
 *   `prepared` if done, `waited` if still computing (the wait is then what was left of it);
 * - `otherAtOnceMs`: a third decision, asked at once: the runs with it only (those without are kept);
 * - `backMs`: back to the first decision: its report, kept.
 *
 * Each field's `…How` is the server's x-strata-report: `prepared`, `waited` or `computed`.
 *
 *   node --import tsx bench/dashboard/tabletop-report.ts [--twin nhs-england] [--play 60]
 */
export async function measure(options: LaunchOptions): Promise<Measurements> {
  const twin = options.quick ? 'ward' : argument(options.args, 'twin', 'nhs-england');
  const playMs = 1000 * Number(argument(options.args, 'play', options.quick ? '2' : '60'));
  const directory = mkdtempSync(join(tmpdir(), 'strata-bench-report-'));
  const store = await Store.open(join(directory, 'results.duckdb'));
  const token = 'b'.repeat(48);
  // The quick form waits a tenth of a second before preparing, so that its short play covers the report.
  const app = await buildServer({ host: '127.0.0.1', port: 0, token, store, workers: 2, ...(options.quick ? { prepareReportAfterMs: 100 } : {}) });
  try {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const call = async (method: string, path: string, body: unknown): Promise<{ json: { id?: string }; how: string | null }> => {
      const response = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json', 'x-strata-token': token }, body: JSON.stringify(body) });
      if (!response.ok) throw new Error(`bench/tabletop-report: ${method} ${path}: ${response.status} ${await response.text()}`);
      return { json: (await response.json()) as { id?: string }, how: response.headers.get('x-strata-report') };
    };
    // The page's opening run, as a facilitator's page asks it: the model thread has started and is idle after it.
    await fetch(`${base}/api/trace?scenario=wannacry-down&twin=ward`);
    const session = (await call('POST', '/api/sessions', { scenario: 'wannacry-down', twin, regime: 'baseline', seed: 20170512, run: 3 })).json.id!;
    const decide = (what: string[]) => call('PATCH', `/api/sessions/${session}`, { what });
    const report = async (): Promise<[number, string | null]> => {
      const started = performance.now();
      const { how } = await call('POST', `/api/sessions/${session}/report`, { runs: 200 });
      return [performance.now() - started, how];
    };
    const first = ['add-staff:10@300'];
    await decide(first);
    const [atOnceMs, atOnceHow] = await report();
    await decide([...first, 'disconnect-kinds:lab-analyser@400']);
    await new Promise((resolve) => setTimeout(resolve, playMs));
    const [afterPlayingMs, afterPlayingHow] = await report();
    await decide(['add-staff:20@300']);
    const [otherAtOnceMs, otherAtOnceHow] = await report();
    await decide(first);
    const [backMs, backHow] = await report();
    await fetch(`${base}/api/sessions/${session}`, { method: 'DELETE', headers: { 'x-strata-token': token } });
    return {
      twin,
      playMs,
      atOnceMs: round(atOnceMs, 0),
      atOnceHow,
      afterPlayingMs: round(afterPlayingMs, 0),
      afterPlayingHow,
      otherAtOnceMs: round(otherAtOnceMs, 0),
      otherAtOnceHow,
      backMs: round(backMs, 0),
      backHow,
    };
  } finally {
    await app.close();
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

main(import.meta.url, measure);
