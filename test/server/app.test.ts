import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchRunner } from '../../engine/batch/batch.js';
import { summarizeBatch } from '../../engine/batch/summarize.js';
import { compileInputs, loadInputs } from '../../cli/inputs.js';
import { Recorder } from '../../cli/recorder.js';
import { networkInterfaces } from 'node:os';
import { acceptsGzip, buildServer, LIMITS } from '../../server/app.js';
import { allowedHosts } from '../../server/security.js';
import { serve, type Served } from './serve.js';
import { Store } from '../../store/index.js';

/**
 * `strata serve`'s API over real HTTP on a free loopback port: what it serves, what it refuses (no token, a
 * foreign Host header, a bad body, too many runs) and a batch started, streamed and stored.
 */
const token = 'a'.repeat(48);
let store: Store;
let base: string;
let host: string;

let served: Served;

beforeAll(async () => {
  served = await serve(token, 0, 'strata-serve-');
  ({ store, host, base } = served);
});

afterAll(() => served.close());

const post = (path: string, body: unknown, headers: Record<string, string> = { 'x-strata-token': token }) =>
  fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('strata serve: the API', () => {
  it('lists the built-in twins, scenarios, regimes and each scenario\'s twin, under a strict content policy', async () => {
    const response = await fetch(`${base}/api/catalog`);
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'self'; script-src 'self'/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const catalog = await response.json();
    expect(catalog.twins).toEqual(['ward', 'acute-trust', 'nhs-england']);
    expect(catalog.scenarios).toContain('vendor-cloud-down');
    expect(catalog.defaultTwins['wannacry-down']).toBe('acute-trust');
    expect(catalog.limits.runs).toBe(LIMITS.runs);
  });

  it('serves a twin\'s layout, a node\'s details and a run\'s trace without the token', async () => {
    const layout = await (await fetch(`${base}/api/layout?twin=ward`)).json();
    expect(layout).toMatchObject({ twin: 'ward', aggregate: false });
    expect(layout.entries.id.length).toBe(layout.entries.count.length);
    expect(layout.members).toBe(layout.entries.count.reduce((a: number, b: number) => a + b, 0));
    const pumps = await (await fetch(`${base}/api/entry?twin=ward&id=${encodeURIComponent('insulin-pumps#2')}`)).json();
    expect(pumps).toMatchObject({ entry: 'insulin-pumps', kind: 'insulin-pump', owner: { id: 'pumpco' } });
    expect(pumps.vulns[0]).toMatchObject({ cve: 'CVE-2019-10964', score: expect.any(Number) });
    // A member is entry#i for i below the entry's count, as a trace numbers them; no other index is a member.
    const last = `insulin-pumps#${pumps.count - 1}`;
    expect((await fetch(`${base}/api/entry?twin=ward&id=${encodeURIComponent(last)}`)).status).toBe(200);
    for (const index of [String(pumps.count), '999999', '-1', 'abc', '', '02', '1.5']) {
      expect((await fetch(`${base}/api/entry?twin=ward&id=${encodeURIComponent(`insulin-pumps#${index}`)}`)).status, `#${index}`).toBe(404);
    }
    // A member placed by its zone has its zone's site, as the layout and a trace give it (it was null).
    const pacs = await (await fetch(`${base}/api/entry?twin=acute-trust&id=${encodeURIComponent('trust/server/pacs')}`)).json();
    expect(pacs).toMatchObject({ entry: 'trust/server/pacs', site: 'trust' });
    // Any seed the CLI takes (it stores seeds up to 2^53 − 1; the server once stopped at 2^31 − 1).
    const high = await (await fetch(`${base}/api/trace?scenario=wannacry-down&twin=ward&seed=4294967296&run=0`)).json();
    expect(high).toMatchObject({ seed: 4294967296, run: 0 });
    const unsafe = await fetch(`${base}/api/batches`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-strata-token': token }, body: '{"scenario":"wannacry-down","twin":"ward","runs":1,"seed":9007199254740993}' });
    expect(unsafe.status).toBe(400);
    expect((await unsafe.json()).error).toMatch(/^seed: [^;]*$/);
    const trace = await (await fetch(`${base}/api/trace?scenario=wannacry-down&twin=ward&seed=1&run=2`)).json();
    expect(trace).toMatchObject({ schema: 'strata.trace/v1', twin: 'ward', scenario: 'wannacry-down', seed: 1, run: 2, version: expect.any(String) });
    expect(trace.events.length).toBeGreaterThan(0);
    // Sent as the thread made it: gzipped to a client that takes gzip, as it is to one that does not, the same JSON.
    const raw = (encoding: string, path = '/api/trace?scenario=wannacry-down&twin=ward&seed=1&run=2') =>
      new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
        const req = request(`${base}${path}`, { headers: { 'accept-encoding': encoding } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        });
        req.on('error', reject);
        req.end();
      });
    const zipped = await raw('gzip, deflate, br');
    expect(zipped.headers).toMatchObject({ 'content-encoding': 'gzip', 'content-type': 'application/json; charset=utf-8', vary: 'accept-encoding' });
    const plain = await raw('identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gunzipSync(zipped.body)).toEqual(plain.body);
    expect(JSON.parse(plain.body.toString('utf8'))).toEqual(trace);
    expect(plain.body.length).toBeGreaterThan(2 * zipped.body.length);
    // A layout alike.
    const layoutZipped = await raw('gzip', '/api/layout?twin=acute-trust');
    expect(layoutZipped.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(layoutZipped.body).toString('utf8'))).toEqual(await (await fetch(`${base}/api/layout?twin=acute-trust`)).json());
    expect((await raw('identity', '/api/layout?twin=acute-trust')).headers['content-encoding']).toBeUndefined();
  });

  it('takes gzip where the Accept-Encoding header does', () => {
    expect(['gzip', 'gzip, deflate, br', 'br;q=1.0, gzip;q=0.8', '*', 'x-gzip', 'GZIP'].map(acceptsGzip)).toEqual([true, true, true, true, true, true]);
    expect([undefined, '', 'identity', 'br', 'gzip;q=0', 'gzip; q=0.0, br', '*;q=0', '*, gzip;q=0'].map(acceptsGzip)).toEqual([false, false, false, false, false, false, false, false]);
  });

  it('computes traces off the event loop: the catalogue is answered while a run is being traced', async () => {
    const order: string[] = [];
    // A run no other test of this file traces or compiles (the model thread keeps both: a kept one is answered
    // at once), and the catalogue asked for 5 ms after it, while the thread loads, compiles and traces.
    const trace = fetch(`${base}/api/trace?scenario=crowdstrike-update&twin=acute-trust&regime=staged-rollout&seed=11&run=5`).then(() => order.push('trace'));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const catalog = fetch(`${base}/api/catalog`).then(() => order.push('catalog'));
    await Promise.all([trace, catalog]);
    expect(order).toEqual(['catalog', 'trace']);
  });

  it('traces a run with the room’s decisions, any of the kernel’s, and refuses a bad one naming it', async () => {
    const url = `${base}/api/trace?scenario=medjack-up&twin=acute-trust&seed=3&run=0`;
    const plain = await (await fetch(url)).json();
    const decided = await (await fetch(`${url}&decide=revoke-identities@60&decide=${encodeURIComponent('isolate-zone:trust/imaging@90')}`)).json();
    const decisions = decided.events.filter((e: { kind: string }) => e.kind === 'intervention').map((e: { t: number; detail: string }) => [e.t, e.detail]);
    expect(decisions).toEqual([
      [60, 'revoke-identities'],
      [90, 'isolate-zone trust/imaging'],
    ]);
    // The history before the first decision is the plain run's.
    const before = (events: { t: number }[]) => events.filter((e) => e.t < 60);
    expect(before(decided.events)).toEqual(before(plain.events));
    const bad = await fetch(`${url}&decide=isolate-zone:nowhere@5&decide=frob@1`);
    expect(bad.status).toBe(400);
    const error = ((await bad.json()) as { error: string }).error;
    expect(error).toContain('decide "isolate-zone:nowhere@5": expected a zone of twin acute-trust');
    expect(error).toContain('decide "frob@1": expected an action of');
    const many = await fetch(`${url}&${Array.from({ length: LIMITS.decisions + 1 }, () => 'decide=halt-update@1').join('&')}`);
    expect(many.status).toBe(400);
    expect(((await many.json()) as { error: string }).error).toBe(`decide: expected at most ${LIMITS.decisions} decisions a run, got ${LIMITS.decisions + 1}`);
    // Checked against the run: a minute after its end, an update's halt in a scenario without one.
    const late = ((await (await fetch(`${url}&decide=segment@99999999`)).json()) as { error: string }).error;
    expect(late).toContain('decide "segment@99999999": expected a minute within the run');
    const catalog = await (await fetch(`${base}/api/catalog`)).json();
    expect(catalog.scenarioFacts['crowdstrike-update']).toMatchObject({ threat: 'faulty-update', horizonMinutes: expect.any(Number), title: expect.stringMatching(/^CrowdStrike/) });
    expect(catalog.limits.decisions).toBe(LIMITS.decisions);
  });

  it('refuses work without the token, a foreign Host header, a bad body and more runs than its limit, in one clear JSON line', async () => {
    const noToken = await post('/api/batches', { scenario: 'wannacry-down', runs: 5 }, {});
    expect(noToken.status).toBe(403);
    expect((await noToken.json()).error).toMatch(/token/);
    const wrong = await post('/api/batches', { scenario: 'wannacry-down', runs: 5 }, { 'x-strata-token': 'b'.repeat(48) });
    expect(wrong.status).toBe(403);
    // A page on another origin that rebinds its name to 127.0.0.1 still sends its own Host header.
    const rebound = await new Promise<number>((resolve, reject) =>
      request({ host: '127.0.0.1', port: Number(host.split(':')[1]), path: '/api/catalog', headers: { host: 'attacker.example' } }, (res) => resolve(res.statusCode ?? 0)).on('error', reject).end(),
    );
    expect(rebound).toBe(421);
    const bad = await post('/api/batches', { scenario: '../../etc/passwd', runs: LIMITS.runs + 1, extra: 1 });
    expect(bad.status).toBe(400);
    const error = (await bad.json()).error as string;
    expect(error).toMatch(/scenario: expected a built-in scenario/);
    // In the CLI's words, not zod's ("Too big: expected number to be <=10000").
    expect(error).toContain(`runs: expected at most ${LIMITS.runs}, got ${LIMITS.runs + 1}`);
    expect(error).toMatch(/extra/);
    expect(error).not.toMatch(/Too big|Invalid input/);
    // Each unknown field named, and one problem said once (an unsafe count was both "at most 2^53 − 1" and "at most 10000").
    const two = (await (await post('/api/batches', { scenario: 'wannacry-down', runs: 1e30, foo: 1, bar: 2 })).json()).error as string;
    expect(two.split('; ').sort()).toEqual(['(body): expected only known fields, got unknown field "bar"', '(body): expected only known fields, got unknown field "foo"', `runs: expected at most ${LIMITS.runs}, got 1e+30`]);
    const huge = await post('/api/batches', { scenario: 'wannacry-down', runs: 5, pad: 'x'.repeat(LIMITS.bodyBytes) });
    expect(huge.status).toBe(413);
    const trace = await fetch(`${base}/api/trace?scenario=wannacry-down&twin=../../etc`);
    expect(trace.status).toBe(400);
    // The run indexes `strata trace --run` takes, 0 to 9,999,999: one past them is refused alike.
    const beyond = await fetch(`${base}/api/trace?scenario=wannacry-down&twin=ward&run=10000000`);
    expect(beyond.status).toBe(400);
    expect(((await beyond.json()) as { error: string }).error).toMatch(/run/);
    const nan = await fetch(`${base}/api/trace?scenario=wannacry-down&twin=ward&run=x`);
    expect([nan.status, ((await nan.json()) as { error: string }).error]).toEqual([400, 'run: expected a whole number, got "x"']);
    // As the CLI's --run takes a number: not an empty one (it read 0) nor hex (0x10 read 16); an unknown field is the query's.
    for (const [query, error] of [
      ['run=', 'run: expected a whole number, got ""'],
      ['run=0x10', 'run: expected a whole number, got "0x10"'],
      ['run=1&foo=2', '(query): expected only known fields, got unknown field "foo"'],
    ] as const) {
      const refused = await fetch(`${base}/api/trace?scenario=wannacry-down&twin=ward&${query}`);
      expect([refused.status, ((await refused.json()) as { error: string }).error]).toEqual([400, error]);
    }
    // A scenario whose selectors the twin cannot satisfy: the problem, in words, from the trace thread.
    const mismatch = await fetch(`${base}/api/trace?scenario=supplier-ransomware&twin=ward`);
    expect(mismatch.status).toBe(400);
    expect((await mismatch.json()).error).toMatch(/threat|recovery|select/);
  });

  it('runs a batch started with the token: progress streamed as events, the batch stored complete', async () => {
    const started = await post('/api/batches', { scenario: 'wannacry-down', twin: 'ward', runs: 40, seed: 7 });
    expect(started.status).toBe(202);
    const { job, batch } = await started.json();
    const events = await fetch(`${base}/api/jobs/${job}/events?token=${token}`);
    expect(events.headers.get('content-type')).toMatch(/text\/event-stream/);
    const text = await events.text();
    expect(text).toMatch(/event: (progress|done)/);
    expect(text).toMatch(/event: done\ndata: \{"batch":"[0-9a-f]{8}","runs":40/);
    const stored = await (await fetch(`${base}/api/batches/${batch}`)).json();
    expect(stored).toMatchObject({ id: batch, status: 'complete', runs: 40, seed: 7, scenario: 'wannacry-down', twin: 'ward' });
    const runs = await (await fetch(`${base}/api/batches/${batch}/runs?metric=compromised`)).json();
    expect(runs.values).toHaveLength(40);
    const listed = await (await fetch(`${base}/api/batches`)).json();
    expect(listed.map((b: { id: string }) => b.id)).toContain(batch);
    // Cancelling a job that has finished is a conflict, not a silent success.
    const late = await fetch(`${base}/api/jobs/${job}`, { method: 'DELETE', headers: { 'x-strata-token': token } });
    expect(late.status).toBe(409);
  });

  it('gives a fan chart: members down per layer over time, median inside its 5–95% band, with the inputs\' hashes', async () => {
    // Up to a thousand runs is work: refused without the token.
    expect((await fetch(`${base}/api/fan?scenario=crowdstrike-update&twin=ward&runs=40&seed=3`)).status).toBe(403);
    const fan = await (await fetch(`${base}/api/fan?scenario=crowdstrike-update&twin=ward&runs=40&seed=3`, { headers: { 'x-strata-token': token } })).json();
    expect(fan).toMatchObject({ scenario: 'crowdstrike-update', twin: 'ward', runs: 40, seed: 3, inputs: { twinHash: expect.any(String) } });
    expect(fan.series).toHaveLength(6);
    const disrupted = fan.series.filter((s: { what: string }) => s.what === 'disrupted');
    for (const s of disrupted) {
      for (let i = 0; i < fan.hours.length; i++) {
        expect(s.lower[i]).toBeLessThanOrEqual(s.median[i]);
        expect(s.median[i]).toBeLessThanOrEqual(s.upper[i]);
      }
    }
    expect(Math.max(...disrupted.flatMap((s: { upper: number[] }) => s.upper))).toBeGreaterThan(0);
    expect((await fetch(`${base}/api/fan?scenario=crowdstrike-update&runs=100000`, { headers: { 'x-strata-token': token } })).status).toBe(400);
  });

  it('gives a compare group\'s paired differences against its first batch (the forest plot)', async () => {
    const runner = new BatchRunner({ workers: 0 });
    let group: string | undefined;
    for (const regime of ['baseline', 'charter']) {
      const inputs = loadInputs('wannacry-down', { twin: 'ward', regime });
      const compiled = compileInputs(inputs);
      const recorder = await Recorder.begin(store, compiled, inputs, { kind: 'compare', groupId: group, label: regime, seed: 3, runs: 30 });
      group ??= recorder.id;
      const result = await runner.run(compiled, { runs: 30, seed: 3, onChunk: (c) => recorder.chunk(c.runStart, c.rows) });
      await recorder.finish(summarizeBatch(result), true, result.elapsedMs);
    }
    await runner.close();
    const out = await (await fetch(`${base}/api/groups/${group}`)).json();
    expect(out.batches.map((b: { label: string }) => b.label)).toEqual(['baseline', 'charter']);
    expect(out.differences[0]).toMatchObject({ label: 'charter', against: 'baseline' });
    expect(out.differences[0].metrics.compromised).toMatchObject({ meanDifference: expect.any(Number), ci95: [expect.any(Number), expect.any(Number)] });
    expect((await fetch(`${base}/api/groups/nothing`)).status).toBe(404);
  });

  it("gives a sensitivity design's steps as the CLI takes them: the mean run-by-run change over the runs with it at both points", async () => {
    // Three points of one trajectory (staff 1 → 8 → 8 with the start delay halved), stored as `strata sensitivity` stores them.
    const runner = new BatchRunner({ workers: 0 });
    let group: string | undefined;
    const points: [string, string[]][] = [
      ['trajectory 1, start', ['scenario.recovery.staff=1']],
      ['trajectory 1, point 1: moved scenario.recovery.staff', ['scenario.recovery.staff=8']],
      ['trajectory 1, point 2: moved scenario.recovery.startDelay.medianMinutes', ['scenario.recovery.staff=8', 'scenario.recovery.startDelay.medianMinutes=60']],
    ];
    const rows: Record<string, number[]>[] = [];
    for (const [label, set] of points) {
      const inputs = loadInputs('crowdstrike-update', { twin: 'ward', set });
      const compiled = compileInputs(inputs);
      const recorder = await Recorder.begin(store, compiled, inputs, { kind: 'sensitivity', groupId: group, label, seed: 5, runs: 20 });
      group ??= recorder.id;
      const result = await runner.run(compiled, { runs: 20, seed: 5, onChunk: (c) => recorder.chunk(c.runStart, c.rows) });
      await recorder.finish(summarizeBatch(result), true, result.elapsedMs);
      const width = result.metricNames.length;
      rows.push(Object.fromEntries(['timeToRecovery', 'firstCrossingAt'].map((m) => [m, Array.from({ length: 20 }, (_, r) => result.rows[r * width + result.metricNames.indexOf(m)]!)])));
    }
    await runner.close();
    const out = await (await fetch(`${base}/api/groups/${group}`)).json();
    expect(out.steps[0]).toBeNull();
    for (const step of [1, 2]) {
      for (const metric of ['timeToRecovery', 'firstCrossingAt']) {
        const both = rows[step]![metric]!.flatMap((y, r) => (Number.isFinite(y) && Number.isFinite(rows[step - 1]![metric]![r]!) ? [y - rows[step - 1]![metric]![r]!] : []));
        const expected = both.length === 0 ? null : both.reduce((a, x) => a + x, 0) / both.length;
        if (expected === null) expect(out.steps[step][metric]).toBeNull();
        else expect(out.steps[step][metric]).toBeCloseTo(expected, 9);
      }
    }
    // More staff restore sooner, a step the CLI would rank: its change is below 0.
    expect(out.steps[1].timeToRecovery).toBeLessThan(0);
  });
});

describe('strata serve on workers', () => {
  it('cancels a batch whose chunks are running on workers: cancelled, what finished stored, the server still answering', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-serve-workers-'));
    const own = await Store.open(join(dir, 'results.duckdb'));
    const server = await buildServer({ host: '127.0.0.1', port: 0, token, store: own, workers: 2 });
    try {
      await server.listen({ host: '127.0.0.1', port: 0 });
      const at = `http://127.0.0.1:${(server.server.address() as { port: number }).port}`;
      const started = await fetch(`${at}/api/batches`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-strata-token': token }, body: JSON.stringify({ scenario: 'wannacry-down', twin: 'acute-trust', runs: LIMITS.runs, seed: 3 }) });
      expect(started.status).toBe(202);
      const { job, batch } = await started.json();
      const events = await fetch(`${at}/api/jobs/${job}/events?token=${token}`);
      const reader = events.body!.pipeThrough(new TextDecoderStream()).getReader();
      let text = '';
      let cancelled = false;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
        // Cancel on the first progress: the other worker is mid-chunk.
        if (!cancelled && text.includes('event: progress')) {
          cancelled = true;
          const cancel = await fetch(`${at}/api/jobs/${job}`, { method: 'DELETE', headers: { 'x-strata-token': token } });
          expect(cancel.status).toBe(200);
        }
      }
      const end = /event: cancelled\ndata: (\{.*\})/.exec(text);
      expect(end).not.toBeNull();
      const { completed } = JSON.parse(end![1]!) as { completed: number };
      expect(completed).toBeGreaterThan(0);
      expect(completed).toBeLessThan(LIMITS.runs);
      const stored = await (await fetch(`${at}/api/batches/${batch}`)).json();
      expect(stored).toMatchObject({ id: batch, status: 'incomplete', runs: LIMITS.runs });
      const runs = await (await fetch(`${at}/api/batches/${batch}/runs?metric=compromised`)).json();
      expect(runs.values.filter((v: number | null) => v !== null)).toHaveLength(completed);
      expect((await fetch(`${at}/api/catalog`)).status).toBe(200);
    } finally {
      await server.close();
      await own.close();
    }
  });
});

describe('the names the server answers to', () => {
  it('loopback only when bound to loopback; loopback and the machine\'s own addresses when bound to every interface', () => {
    expect([...allowedHosts('127.0.0.1', 80)].sort()).toEqual(['127.0.0.1:80', '[::1]:80', 'localhost:80']);
    const everywhere = allowedHosts('0.0.0.0', 80);
    expect(everywhere.has('127.0.0.1:80')).toBe(true);
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4') expect(everywhere.has(`${a.address}:80`)).toBe(true);
    expect(everywhere.has('attacker.example:80')).toBe(false);
  });
});
