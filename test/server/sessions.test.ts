import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { BatchRunner } from '../../engine/batch/batch.js';
import { decisionContext, parseDecisions } from '../../engine/batch/decisions.js';
import { compareBatches } from '../../engine/batch/summarize.js';
import { compileInputs, loadInputs } from '../../cli/inputs.js';
import { ReportBatches, Session, SessionEnded, Sessions, type Report, type SessionState } from '../../server/sessions.js';
import type { BatchResult } from '../../engine/batch/batch.js';
import { serve, type Served } from './serve.js';

/**
 * Tabletop sessions over real HTTP: a facilitator (with the token) starts one on a run and drives it; a
 * participant (without) follows its events; the decision log and the after-action report, whose figures are
 * checked against the same batches computed here.
 */
const token = 'd'.repeat(48);
let served: Served;
let base: string;

beforeAll(async () => {
  served = await serve(token, 0, 'strata-sessions-');
  base = served.base;
});

afterAll(() => served.close());

const send = (method: string, path: string, body: unknown, withToken = true) =>
  fetch(`${base}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(withToken ? { 'x-strata-token': token } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

/** A follower: the events of a session, as they arrive. */
async function follow(id: string): Promise<{ events: { event: string; data: SessionState }[]; next: (n: number) => Promise<void>; stop: () => void }> {
  const controller = new AbortController();
  const response = await fetch(`${base}/api/sessions/${id}/events`, { signal: controller.signal });
  expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
  const reader = response.body!.getReader();
  const events: { event: string; data: SessionState }[] = [];
  let buffer = '';
  const next = async (n: number) => {
    while (events.length < n) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += new TextDecoder().decode(value);
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)![1]!;
        events.push({ event, data: JSON.parse(/^data: (.*)$/m.exec(block)![1]!) });
      }
    }
  };
  return { events, next, stop: () => controller.abort() };
}

describe('strata serve: tabletop sessions', () => {
  it('is started and driven with the token, followed without it: the clock, play and the room\'s decisions, logged', async () => {
    expect((await send('POST', '/api/sessions', { scenario: 'wannacry-down', twin: 'ward' }, false)).status).toBe(403);
    const started = await send('POST', '/api/sessions', { scenario: 'wannacry-down', twin: 'ward', regime: 'baseline', seed: 7, run: 2 });
    expect(started.status).toBe(201);
    const session = (await started.json()) as SessionState;
    expect(session).toMatchObject({ scenario: 'wannacry-down', twin: 'ward', regime: 'baseline', seed: 7, run: 2, what: [], t: 0, playing: false, log: [], report: null });
    // Nothing decided: no report (both arms would be the same runs).
    const empty = await send('POST', `/api/sessions/${session.id}/report`, { runs: 10 });
    expect([empty.status, (await empty.json()).error]).toEqual([400, "what: expected at least one of the room's decisions to report on, got none"]);
    const participant = await follow(session.id);
    await participant.next(1);
    expect(participant.events[0]).toMatchObject({ event: 'state', data: { id: session.id, revision: 0 } });

    // Driving needs the token; a follower cannot.
    expect((await send('PATCH', `/api/sessions/${session.id}`, { t: 60 }, false)).status).toBe(403);
    expect((await send('PATCH', `/api/sessions/${session.id}`, { t: 60, playing: true, speed: 4 })).status).toBe(200);
    await participant.next(2);
    expect(participant.events[1]!.data).toMatchObject({ t: 60, playing: true, speed: 4, revision: 1 });

    // A decision is checked against the run, as the CLI checks it; a bad one changes nothing.
    const bad = await send('PATCH', `/api/sessions/${session.id}`, { what: ['isolate-zone:nowhere@90'] });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toContain('"isolate-zone:nowhere@90": expected a zone of twin ward');
    expect((await send('PATCH', `/api/sessions/${session.id}`, { t: 10_000_000 })).status).toBe(400);
    const decided = await send('PATCH', `/api/sessions/${session.id}`, { what: ['revoke-identities@90', 'disconnect-kinds:infusion-pump@120'], t: 130 });
    expect(decided.status).toBe(200);
    await participant.next(3);
    const state = participant.events[2]!.data;
    expect(state.what).toEqual(['revoke-identities@90', 'disconnect-kinds:infusion-pump@120']);
    expect(state.log.map((l) => [l.decision, l.change, l.t])).toEqual([
      ['revoke-identities@90', 'taken', 130],
      ['disconnect-kinds:infusion-pump@120', 'taken', 130],
    ]);
    // Withdrawn, and logged as such.
    await send('PATCH', `/api/sessions/${session.id}`, { what: ['disconnect-kinds:infusion-pump@120'], t: 200 });
    await participant.next(4);
    expect(participant.events[3]!.data.log.at(-1)).toMatchObject({ decision: 'revoke-identities@90', change: 'withdrawn', t: 200 });
    expect((await (await fetch(`${base}/api/sessions/${session.id}`)).json()).revision).toBe(3);
    // A decision taken now dated before the clock (200) is refused, as the page refuses it; those in force stay.
    const early = await send('PATCH', `/api/sessions/${session.id}`, { what: ['disconnect-kinds:infusion-pump@120', 'add-staff:2@150'] });
    expect([early.status, (await early.json()).error]).toEqual([400, "what[1]: expected a decision at or after the session's clock (minute 200), got add-staff:2@150"]);
    // One given twice is taken once, and logged once.
    const twice = (await (await send('PATCH', `/api/sessions/${session.id}`, { what: ['disconnect-kinds:infusion-pump@120', 'add-staff:2@250', 'add-staff:2@250'] })).json()) as SessionState;
    expect(twice.what).toEqual(['disconnect-kinds:infusion-pump@120', 'add-staff:2@250']);
    expect(twice.log.filter((l) => l.decision === 'add-staff:2@250')).toHaveLength(1);
    await participant.next(5);
    expect((await send('PATCH', `/api/sessions/${session.id}`, { t: 1, extra: 1 })).status).toBe(400);
    // Ended by the facilitator: a follower hears why and its stream closes; the session is gone.
    const last = await follow(session.id);
    await last.next(1);
    expect((await send('DELETE', `/api/sessions/${session.id}`, undefined, false)).status).toBe(403);
    expect((await send('DELETE', `/api/sessions/${session.id}`, undefined)).status).toBe(200);
    await last.next(2);
    expect(last.events[1]).toMatchObject({ event: 'ended', data: { reason: 'the facilitator ended it' } });
    expect((await fetch(`${base}/api/sessions/${session.id}`)).status).toBe(404);
    participant.stop();
    expect((await fetch(`${base}/api/sessions/nosuch`)).status).toBe(404);
  });

  it('reports after action: the runs without the room\'s decisions and with them, paired, and the session\'s own run both ways', async () => {
    const session = (await (await send('POST', '/api/sessions', { scenario: 'crowdstrike-update', twin: 'ward', seed: 3, run: 5 })).json()) as SessionState;
    await send('PATCH', `/api/sessions/${session.id}`, { what: ['halt-update@20'] });
    const participant = await follow(session.id);
    await participant.next(1);
    const response = await send('POST', `/api/sessions/${session.id}/report`, { runs: 40 });
    expect(response.status).toBe(200);
    const report = (await response.json()) as Report;
    await participant.next(2);
    // This run's own figures are how it ends: a participant is sent them once the clock is at the end, the
    // facilitator at once (a review read them in GET /api/sessions/ID at T+0).
    const held = { ...report, ownRunHeld: true, rows: report.rows.map((row) => ({ ...row, runWithout: null, runWith: null })) };
    expect(participant.events[1]!.data.report).toEqual(held);
    expect(((await (await fetch(`${base}/api/sessions/${session.id}`)).json()) as SessionState).report).toEqual(held);
    expect(((await (await send('GET', `/api/sessions/${session.id}`, undefined)).json()) as SessionState).report).toEqual(report);
    const compiled = compileInputs(loadInputs('crowdstrike-update', { twin: 'ward', regime: 'baseline' }));
    const horizon = compiled.model.horizonMinutes;
    await send('PATCH', `/api/sessions/${session.id}`, { t: horizon - 1 });
    await participant.next(3);
    expect(participant.events[2]!.data.report).toEqual(held);
    await send('PATCH', `/api/sessions/${session.id}`, { t: horizon, playing: false });
    await participant.next(4);
    expect(participant.events[3]!.data.report).toEqual(report);
    expect(((await (await fetch(`${base}/api/sessions/${session.id}`)).json()) as SessionState).report).toEqual(report);
    participant.stop();
    expect(report).toMatchObject({ runs: 40, seed: 3, decisions: ['halt-update@20'] });
    // The same figures from the same batches computed here.
    const { decisions } = parseDecisions(['halt-update@20'], decisionContext(compiled), '');
    const runner = new BatchRunner({ workers: 0 });
    const without = await runner.run(compiled, { runs: 40, seed: 3 });
    const withDecisions = await runner.run(compiled, { runs: 40, seed: 3, interventions: decisions });
    const own = await runner.run(compiled, { runs: 1, seed: 3, runStart: 5, interventions: decisions });
    await runner.close();
    const paired = compareBatches(without, withDecisions);
    const disrupted = report.rows.find((r) => r.metric === 'disrupted')!;
    expect(disrupted).toMatchObject({ label: 'Nodes disrupted', meanWithout: paired.disrupted!.meanA, meanWith: paired.disrupted!.meanB, lo: paired.disrupted!.paired.lo, hi: paired.disrupted!.paired.hi, n: 40 });
    expect(disrupted.runWith).toBe(own.rows[own.metricNames.indexOf('disrupted')]);
    // Halting the update 20 minutes in: fewer hosts down than letting it run, in this run and on average.
    expect(disrupted.meanWith!).toBeLessThan(disrupted.meanWithout!);
    expect(disrupted.hi!).toBeLessThan(0);
    expect(disrupted.runWith!).toBeLessThan(disrupted.runWithout!);
    // The session's run (5) is one of the 40: its figures were read there. Over 4 runs it is not, and is run alone.
    const few = await send('POST', `/api/sessions/${session.id}/report`, { runs: 4 });
    expect(few.headers.get('x-strata-report')).toBe('computed');
    expect(((await few.json()) as Report).rows.find((r) => r.metric === 'disrupted')).toMatchObject({ runWith: disrupted.runWith, runWithout: disrupted.runWithout, n: 4 });
    // Asked again with the same decisions and runs: the same report, not computed again.
    const again = await send('POST', `/api/sessions/${session.id}/report`, { runs: 4 });
    expect(again.headers.get('x-strata-report')).toBe('prepared');
    expect(((await again.json()) as Report).rows.find((r) => r.metric === 'disrupted')).toMatchObject({ runWith: disrupted.runWith, n: 4 });
    expect((await send('POST', `/api/sessions/${session.id}/report`, { runs: 1 })).status).toBe(400);
    // Other decisions (the clock taken back to 30 for them: it is at the end): the report of these is gone until asked for again.
    const changed = (await (await send('PATCH', `/api/sessions/${session.id}`, { what: ['halt-update@40'], t: 30 })).json()) as SessionState;
    expect(changed.report).toBeNull();
  });

  it('keeps in the report an outcome that happens one way only (the decisions take it away)', async () => {
    const session = (await (await send('POST', '/api/sessions', { scenario: 'wannacry-down', twin: 'acute-trust', seed: 20170512, run: 0 })).json()) as SessionState;
    await send('PATCH', `/api/sessions/${session.id}`, { what: ['isolate-zone:trust/server@150', 'disconnect-kinds:lab-analyser@180'] });
    const report = (await (await send('POST', `/api/sessions/${session.id}/report`, { runs: 100 })).json()) as Report;
    // Pathology back to 90%: in some runs without the decisions, in none with them (a trial found the row dropped).
    const back = report.rows.find((r) => r.metric === 'service.pathology.backTo90')!;
    expect(back).toMatchObject({ meanWith: null, nWith: 0, difference: null });
    expect(back.nWithout).toBeGreaterThan(0);
  });
});

describe('strata serve: a report prepared ahead', () => {
  it('is computed once the room has decided, and is the report the facilitator would have had computed', async () => {
    // A worker for reports prepared ahead (the file's other server has none: it prepares nothing), and no wait.
    const ahead = await serve(token, 1, 'strata-sessions-ahead-', { prepareReportAfterMs: 0 });
    onTestFinished(() => ahead.close());
    const call = (at: string, method: string, path: string, body: unknown) =>
      fetch(`${at}${path}`, { method, headers: { 'content-type': 'application/json', 'x-strata-token': token }, body: JSON.stringify(body) });
    // The model thread idle (its opening trace done): a report is prepared only then.
    await (await fetch(`${ahead.base}/api/trace?scenario=wannacry-down&twin=ward`)).arrayBuffer();
    const reportOn = async (at: string, wait: number) => {
      const session = (await (await call(at, 'POST', '/api/sessions', { scenario: 'crowdstrike-update', twin: 'ward', seed: 3, run: 5 })).json()) as SessionState;
      expect((await call(at, 'PATCH', `/api/sessions/${session.id}`, { what: ['halt-update@20'] })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, wait));
      // The runs the report is prepared over: the default, until the facilitator asks for others.
      const response = await call(at, 'POST', `/api/sessions/${session.id}/report`, {});
      await call(at, 'DELETE', `/api/sessions/${session.id}`, {});
      return { how: response.headers.get('x-strata-report'), report: (await response.json()) as Report };
    };
    const prepared = await reportOn(ahead.base, 1500);
    // Done, or being prepared and waited for: not computed on the asking.
    expect(['prepared', 'waited']).toContain(prepared.how);
    const computed = await reportOn(base, 0);
    expect(computed.how).toBe('computed');
    expect(prepared.report).toEqual(computed.report);
  });
});

describe('a report prepared ahead (Session.prepare)', () => {
  const report = (decisions: string[], runs: number): Report => ({ runs, seed: 1, decisions, rows: [] });
  /** A session on the ward with `what` decided, and a compute that records its calls and resolves when told. */
  function setUp(what: string[]) {
    vi.useFakeTimers();
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const session = new Session({ scenario: 'wannacry-down', twin: 'ward', regime: 'baseline', seed: 1, run: 0, id: 'x', what, t: 0, playing: false, speed: 3, log: [], report: null, revision: 0, startedAt: '' }, 600);
    const calls: { signal: AbortSignal; finish: () => void }[] = [];
    const compute = (signal: AbortSignal) =>
      new Promise<Report | null>((resolve) => {
        const decisions = [...session.state.what];
        calls.push({ signal, finish: () => resolve(signal.aborted ? null : report(decisions, session.reportRuns)) });
      });
    return { session, calls, compute };
  }

  it('starts once the room has stopped deciding and the server is idle, and is what the facilitator then gets', async () => {
    const { session, calls, compute } = setUp(['add-staff:2@60']);
    let idle = false;
    session.prepare(compute, 5000, () => idle);
    vi.advanceTimersByTime(4999);
    expect(calls).toHaveLength(0);
    // Busy (a decision's cascade computing): it looks again every second.
    vi.advanceTimersByTime(3000);
    expect(calls).toHaveLength(0);
    idle = true;
    vi.advanceTimersByTime(1000);
    expect(calls).toHaveLength(1);
    // Asked again for the same decisions: nothing more to prepare.
    session.prepare(compute, 5000, () => true);
    vi.advanceTimersByTime(10_000);
    expect(calls).toHaveLength(1);
    const asked = session.report(200, () => Promise.reject(new Error('computed again')));
    calls[0]!.finish();
    expect(await asked).toEqual({ report: report(['add-staff:2@60'], 200), how: 'waited' });
    // Other decisions, then back to these (a decision withdrawn): the report done is kept.
    session.state.what = ['add-staff:2@60', 'add-staff:3@90'];
    session.prepare(compute, 0, () => true);
    vi.advanceTimersByTime(0);
    expect(calls).toHaveLength(2);
    session.state.what = ['add-staff:2@60'];
    session.prepare(compute, 0, () => true);
    expect(calls[1]!.signal.aborted).toBe(true);
    vi.advanceTimersByTime(0);
    expect(calls).toHaveLength(2);
    expect(await session.report(200, () => Promise.reject(new Error('computed again')))).toEqual({ report: report(['add-staff:2@60'], 200), how: 'prepared' });
  });

  it('is dropped when the decisions change or the session ends, and not prepared without decisions', async () => {
    const { session, calls, compute } = setUp(['add-staff:2@60']);
    session.prepare(compute, 0, () => true);
    vi.advanceTimersByTime(0);
    expect(calls).toHaveLength(1);
    session.state.what = ['add-staff:4@60'];
    session.prepare(compute, 0, () => true);
    expect(calls[0]!.signal.aborted).toBe(true);
    // A change before the wait is over: the first never starts.
    session.state.what = ['add-staff:6@60'];
    session.prepare(compute, 5000, () => true);
    session.state.what = ['add-staff:8@60'];
    session.prepare(compute, 5000, () => true);
    vi.advanceTimersByTime(5000);
    expect(calls).toHaveLength(2);
    // Asked over other runs than prepared: the prepared one is stopped and the report computed now.
    const now = await session.report(50, () => Promise.resolve(report(['add-staff:8@60'], 50)));
    expect(now.how).toBe('computed');
    expect(calls[1]!.signal.aborted).toBe(true);
    // That one is then the report of these decisions over 50 runs, asked again.
    expect(await session.report(50, () => Promise.reject(new Error('computed again')))).toEqual({ report: report(['add-staff:8@60'], 50), how: 'prepared' });
    session.prepare(compute, 0, () => true);
    session.state.what = [];
    session.prepare(compute, 0, () => true);
    vi.advanceTimersByTime(1000);
    expect(calls).toHaveLength(2);
    session.state.what = ['add-staff:2@60'];
    session.prepare(compute, 0, () => true);
    vi.advanceTimersByTime(0);
    expect(calls).toHaveLength(3);
    new Sessions().end(session, 'the facilitator ended it');
    expect(calls[2]!.signal.aborted).toBe(true);
    // Ended (a decision checked while it ended): nothing more is prepared.
    session.state.what = ['add-staff:9@60'];
    session.prepare(compute, 0, () => true);
    vi.advanceTimersByTime(1000);
    expect(calls).toHaveLength(3);
    // Nor computed when asked for (a request that was waiting on it).
    await expect(session.report(200, () => Promise.resolve(report(['add-staff:9@60'], 200)))).rejects.toBeInstanceOf(SessionEnded);
  });

  it('answers a report asked of a session that ends while it is computed as ended, not with the report', async () => {
    const { session } = setUp(['add-staff:2@60']);
    let finish: () => void = () => {};
    const asked = session.report(200, () => new Promise<Report>((resolve) => (finish = () => resolve(report(['add-staff:2@60'], 200)))));
    new Sessions().end(session, 'the facilitator ended it');
    finish();
    await expect(asked).rejects.toBeInstanceOf(SessionEnded);
  });
});

describe('the runs without decisions, kept (ReportBatches)', () => {
  /** A runner whose batches finish when told, each a result named by its runner. */
  function runner(name: string) {
    const pending: (() => void)[] = [];
    let calls = 0;
    const fake = {
      run: () => {
        calls++;
        return new Promise<BatchResult>((resolve) => pending.push(() => resolve({ name } as unknown as BatchResult)));
      },
    };
    return { runner: fake as unknown as BatchRunner, finish: () => pending.shift()!(), calls: () => calls };
  }
  const model = { compiled: {} as never, hashes: { twinHash: 't', scenarioHash: 's', regimeHash: 'r' } };

  it('are computed once a runner, and a facilitator\'s report is not held to the pace of the worker preparing ahead', async () => {
    const main = runner('main');
    const ahead = runner('ahead');
    const batches = new ReportBatches(main.runner);
    const prepared = batches.without(model, 1, 200, ahead.runner);
    // The same runner again (another report prepared ahead): the same batch.
    expect(batches.without(model, 1, 200, ahead.runner)).toBe(prepared);
    expect(ahead.calls()).toBe(1);
    // Asked on the main runner while the ahead one computes: computed there too, the first done answers.
    const asked = batches.without(model, 1, 200);
    expect(main.calls()).toBe(1);
    main.finish();
    expect(await asked).toEqual({ name: 'main' });
    // And is kept: asked again on either runner, no more runs.
    expect(await batches.without(model, 1, 200, ahead.runner)).toEqual({ name: 'main' });
    expect(await batches.without(model, 1, 200)).toEqual({ name: 'main' });
    ahead.finish();
    await prepared;
    expect(await batches.without(model, 1, 200)).toEqual({ name: 'main' });
    expect([main.calls(), ahead.calls()]).toEqual([1, 1]);
    // Other runs or another seed: other batches.
    void batches.without(model, 2, 200);
    void batches.without(model, 1, 100);
    expect(main.calls()).toBe(3);
  });
});
