import { randomBytes } from 'node:crypto';
import type { BatchResult, BatchRunner } from '../engine/batch/batch.js';
import { formatDecision, decisionContext, parseDecisions } from '../engine/batch/decisions.js';
import { HEADLINE, isMinutes } from '../engine/batch/headline.js';
import { compareBatches } from '../engine/batch/summarize.js';
import { ROUND_OFF } from '../engine/stats/round-off.js';
import type { Compiled } from '../engine/compile/model.js';
import type { Intervention } from '../engine/kernel/interventions.js';

/**
 * Tabletop sessions (docs/dashboard.md "Tabletop"): one run of a scenario that a facilitator drives — the clock,
 * play and pause, the room's decisions — and any number of participants follow on their own screens, each
 * replaying the same run with the same decisions in their own browser (the kernel is deterministic, so they
 * see the same cascade). The server keeps each session's state, its decision log and its after-action report,
 * and sends every change to the participants as server-sent events. Sessions live in memory, with the server.
 */

/** Which run the session plays: as the cascade view names one. */
export interface SessionRun {
  scenario: string;
  twin?: string;
  regime: string;
  seed: number;
  run: number;
}

/** One line of the decision log: a decision taken or withdrawn, when in the run and when in the room. */
export interface LogEntry {
  decision: string;
  change: 'taken' | 'withdrawn';
  /** The room's wall-clock time, ISO 8601. */
  at: string;
  /** The run's clock when it was taken or withdrawn, minutes. */
  t: number;
}

/** One outcome of the after-action report: over the runs, without the room's decisions and with them, paired; and the session's own run. */
export interface ReportRow {
  metric: string;
  label: string;
  /** A time: the row's figures are minutes, which the page (and the label's "(h)") shows in hours. */
  hours: boolean;
  /** The means over the runs where the outcome happened (null: in none of them). */
  meanWithout: number | null;
  meanWith: number | null;
  /**
   * With − without, and its 95% paired interval (common random numbers: run i is the same run in both), over
   * the runs where it happened both ways; null where fewer than two did (a time that the decisions take away).
   */
  difference: number | null;
  lo: number | null;
  hi: number | null;
  /** Whether every run with it both ways has the same value both ways: no difference in any run (a share's interval is then still wide). */
  same: boolean;
  /** How many runs had the outcome in both, and in each (a time is missing where its event never happened). */
  n: number;
  nWithout: number;
  nWith: number;
  /** The session's own run: without the decisions and with them (null: the event never happened). */
  runWithout: number | null;
  runWith: number | null;
}

export interface Report {
  runs: number;
  seed: number;
  decisions: string[];
  rows: ReportRow[];
  /** Set in what a participant is sent before the run's clock reaches its end: the own-run figures (runWithout, runWith) are held back, null. */
  ownRunHeld?: boolean;
}

export interface SessionState extends SessionRun {
  id: string;
  /** The room's decisions in force, as `strata trace --decide` takes them (the cascade's what-ifs). */
  what: string[];
  /** The run's clock (minutes), whether it plays, and at which speed (the cascade's speed index). */
  t: number;
  playing: boolean;
  speed: number;
  log: LogEntry[];
  report: Report | null;
  /** Counts changes: a participant applies the newest. */
  revision: number;
  startedAt: string;
}

type Listener = (event: string, data: unknown) => void;

/** The state a facilitator may set; each field optional. */
export interface SessionUpdate {
  what?: string[];
  t?: number;
  playing?: boolean;
  speed?: number;
}

/** Thrown by Session.report when the session ended before its report was computed. */
export class SessionEnded extends Error {
  constructor() {
    super('the session has ended');
  }
}

/** A report computed ahead, for the decisions in force when it started (`key`: reportKey). */
interface Prepared {
  key: string;
  report: Promise<Report | null>;
  controller: AbortController;
}

/** What a report is of: the decisions, as the session holds them, and the runs. */
export function reportKey(what: readonly string[], runs: number): string {
  return JSON.stringify([what, runs]);
}

export class Session {
  readonly listeners = new Set<Listener>();
  lastTouched = Date.now();
  /** The runs the facilitator last asked the report over (the page's default until asked): what is prepared ahead. */
  reportRuns = DEFAULT_REPORT_RUNS;
  #prepared: Prepared | null = null;
  #prepareTimer: NodeJS.Timeout | undefined;
  #ended = false;
  /** Reports done, by reportKey. */
  readonly #reports = new Map<string, Report>();

  /** The run's horizon: the clock a facilitator sets stays within it. */
  constructor(
    readonly state: SessionState,
    readonly horizonMinutes: number,
  ) {}

  publish(event: string): void {
    this.state.revision++;
    this.lastTouched = Date.now();
    for (const listener of this.listeners) listener(event, this.state);
  }

  /**
   * The state as a participant (no token) is sent it: before the clock reaches the run's end, the report's
   * figures of this session's own run are held back — they are how the run ends, and the page that hid them had
   * them (a review found them in `GET /api/sessions/ID`). This keeps the ending off the screens; it is not a
   * secret: the trace each page replays holds the whole run (docs/dashboard.md "Tabletop").
   */
  followerView(): SessionState {
    const report = this.state.report;
    if (report === null || this.state.t >= this.horizonMinutes) return this.state;
    return { ...this.state, report: { ...report, ownRunHeld: true, rows: report.rows.map((row) => ({ ...row, runWithout: null, runWith: null })) } };
  }

  /**
   * Computes the report of the decisions in force ahead, so that it is there when the facilitator asks: after
   * `delayMs` without another change of decisions (the room may still be deciding), and only once `idle()` says
   * the server is not busy with what the room is waiting for (a decision's new cascade), looking again every
   * second. A national report is ~400 runs of the twin, ~24 s on two cores; the server prepares ahead on one worker
   * (docs/dashboard.md "Tabletop").
   * Stopped when the decisions change or the session ends.
   */
  prepare(compute: (signal: AbortSignal) => Promise<Report | null>, delayMs: number, idle: () => boolean): void {
    if (this.#ended) return;
    const key = reportKey(this.state.what, this.reportRuns);
    if (this.#prepared?.key === key) return;
    this.dropPrepared();
    if (this.state.what.length === 0 || this.#reports.has(key)) return;
    const start = (): void => {
      if (this.#ended) return;
      if (!idle()) {
        this.#prepareTimer = setTimeout(start, 1000).unref();
        return;
      }
      this.#prepareTimer = undefined;
      const controller = new AbortController();
      // A failure here is the report's to say when it is asked for (it is computed again then), not the server's.
      const report = compute(controller.signal).then(
        (done) => {
          if (done !== null) this.#keep(key, done);
          return done;
        },
        () => null,
      );
      this.#prepared = { key, report, controller };
    };
    this.#prepareTimer = setTimeout(start, delayMs).unref();
  }

  /** The session has ended: nothing more is prepared for it. */
  close(): void {
    this.#ended = true;
    this.dropPrepared();
  }

  /** Stops preparing a report (those done are kept). */
  dropPrepared(): void {
    clearTimeout(this.#prepareTimer);
    this.#prepareTimer = undefined;
    this.#prepared?.controller.abort();
    this.#prepared = null;
  }

  /** Keeps a report done, the last four: the room may go back to decisions it had reported on. */
  #keep(key: string, report: Report): void {
    this.#reports.delete(key);
    this.#reports.set(key, report);
    if (this.#reports.size > 4) this.#reports.delete(this.#reports.keys().next().value!);
  }

  /**
   * The report of the decisions in force over `runs` runs: one done before for these (prepared ahead, or asked
   * for earlier: `prepared`), or being prepared (waited for: `waited`), else computed now (`computed`), a report
   * being prepared for others stopped first so that it does not hold the cores.
   */
  async report(runs: number, compute: () => Promise<Report>): Promise<{ report: Report; how: 'prepared' | 'waited' | 'computed' }> {
    this.reportRuns = runs;
    const key = reportKey(this.state.what, runs);
    const done = this.#reports.get(key);
    if (done) return { report: done, how: 'prepared' };
    const prepared = this.#prepared;
    if (prepared?.key === key) {
      const report = await prepared.report;
      if (this.#ended) throw new SessionEnded();
      if (report !== null) return { report, how: 'waited' };
    } else this.dropPrepared();
    if (this.#ended) throw new SessionEnded();
    const report = await compute();
    // Ended while it was computed: the facilitator is told so, as when it ended before (a trial had the report).
    if (this.#ended) throw new SessionEnded();
    this.#keep(reportKey(report.decisions, runs), report);
    return { report, how: 'computed' };
  }

  /** Listens from now on (the state first); returns how to stop. */
  subscribe(listener: Listener): () => void {
    listener('state', this.state);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Applies a facilitator's update: the decisions (checked against the run's model; their problems, one a
   * decision, returned and nothing changed), the clock, play and speed. Decisions taken or withdrawn go to the log.
   */
  update(update: SessionUpdate, compiled: Compiled | undefined): string[] {
    if (update.what !== undefined) {
      const { decisions, problems } = parseDecisions(update.what, decisionContext(compiled!), 'what ');
      if (problems.length > 0) return problems;
      const texts = decisions.map((d) => formatDecision(d, compiled!.meta.zones));
      // One decision given twice is taken once (a trial had it twice in `what` and the log).
      const what = [...new Set(texts)];
      // The room decides now or later, as the page says: a decision taken now dated before the clock would
      // rewrite what the room has watched (the page refused it; the API took it: a trial). The clock is the
      // earlier of the session's and this update's, as the page compares with its own, which may lag or lead.
      const clock = Math.floor(Math.min(this.state.t, update.t ?? Infinity));
      const early = texts.flatMap((text, i) =>
        decisions[i]!.atMinutes < clock && !this.state.what.includes(text) ? [`what[${i}]: expected a decision at or after the session's clock (minute ${clock.toLocaleString('en-GB')}), got ${text}`] : [],
      );
      if (early.length > 0) return early;
      const at = new Date().toISOString();
      const t = update.t ?? this.state.t;
      for (const d of what) if (!this.state.what.includes(d)) this.state.log.push({ decision: d, change: 'taken', at, t });
      for (const d of this.state.what) if (!what.includes(d)) this.state.log.push({ decision: d, change: 'withdrawn', at, t });
      // A report of other decisions no longer says what these did: gone until asked for again.
      if (what.join(',') !== this.state.what.join(',')) this.state.report = null;
      this.state.what = what;
    }
    if (update.t !== undefined) this.state.t = update.t;
    if (update.playing !== undefined) this.state.playing = update.playing;
    if (update.speed !== undefined) this.state.speed = update.speed;
    this.publish('state');
    return [];
  }
}

/** At most this many sessions: the least recently touched goes first. */
export const MAX_SESSIONS = 16;

export class Sessions {
  #sessions = new Map<string, Session>();

  get(id: string): Session | undefined {
    return this.#sessions.get(id);
  }

  /** Ends a session: its followers hear why, and their streams close. */
  end(session: Session, reason: string): void {
    session.close();
    for (const listener of session.listeners) listener('ended', { id: session.state.id, reason });
    session.listeners.clear();
    this.#sessions.delete(session.state.id);
  }

  start(run: SessionRun, horizonMinutes: number): Session {
    if (this.#sessions.size >= MAX_SESSIONS) {
      const oldest = [...this.#sessions.values()].sort((a, b) => a.lastTouched - b.lastTouched)[0]!;
      this.end(oldest, `the server keeps ${MAX_SESSIONS} sessions; this one was the least recently driven`);
    }
    const id = randomBytes(6).toString('hex');
    const session = new Session({ ...run, id, what: [], t: 0, playing: false, speed: 3, log: [], report: null, revision: 0, startedAt: new Date().toISOString() }, horizonMinutes);
    this.#sessions.set(id, session);
    return session;
  }

  /** Ends every session (the server is stopping). */
  close(): void {
    for (const session of [...this.#sessions.values()]) this.end(session, 'the server stopped');
  }
}

/** The runs an after-action report is over unless the facilitator asks for others. */
export const DEFAULT_REPORT_RUNS = 200;

/** A report's model: compiled, and the content hashes of its inputs (what its runs depend on). */
export interface ReportModel {
  compiled: Compiled;
  hashes: { twinHash: string; scenarioHash: string; regimeHash: string };
}

/**
 * The batches of after-action reports. The runs without the room's decisions depend on the inputs, the seed and
 * the number of runs only, so they are computed once and kept — the last eight, by the inputs' content hashes,
 * whichever compiled object the server holds for them by then — for every report of every session on them: a
 * report of other decisions, or one prepared ahead and then asked for again, computes only the runs with the
 * decisions. Each batch is run on the runner given (reports prepared ahead have one of their own) or the
 * default one.
 */
export class ReportBatches {
  readonly #without = new Map<string, { batch: Promise<BatchResult>; runner: BatchRunner; done: boolean }>();

  constructor(
    readonly runner: BatchRunner,
    readonly keep = 8,
  ) {}

  /**
   * Runs 0 to runs − 1 of the seed without decisions (never abandoned: another report will want them). Kept ones
   * still computing on another runner — a report prepared ahead, on its one worker — are computed on this
   * caller's runner too, and the first done is the answer and the one kept: a facilitator's report is never
   * held to the pace of the worker that prepares reports ahead.
   */
  without(model: ReportModel, seed: number, runs: number, runner = this.runner): Promise<BatchResult> {
    const { twinHash, scenarioHash, regimeHash } = model.hashes;
    const key = `${twinHash}/${scenarioHash}/${regimeHash}/${seed}/${runs}`;
    const kept = this.#without.get(key);
    if (kept && (kept.done || kept.runner === runner)) return kept.batch;
    const entry = { batch: runner.run(model.compiled, { runs, seed }), runner, done: false };
    void entry.batch.then(
      () => {
        entry.done = true;
        // The first of the two done is kept (the kept one may have finished first).
        if (this.#without.get(key)?.done !== true) this.#without.set(key, entry);
      },
      // A failed batch is not kept: the next report computes it again.
      () => this.#without.get(key) === entry && this.#without.delete(key),
    );
    if (kept) return Promise.race([kept.batch, entry.batch]);
    if (this.#without.size >= this.keep) this.#without.delete(this.#without.keys().next().value!);
    this.#without.set(key, entry);
    return entry.batch;
  }
}

/** Where an after-action report's runs go: a runner other than the default, and a signal that stops them. */
export interface ReportOptions {
  runner?: BatchRunner;
  signal?: AbortSignal;
}

/**
 * The after-action report: the session's scenario over `runs` runs (its seed, runs 0 to runs − 1) without the
 * room's decisions and with them, paired run by run, and its own run both ways: what the decisions did, and
 * whether the room's run was a typical one. Null if `signal` stopped it first.
 */
export async function afterAction(batches: ReportBatches, model: ReportModel, state: SessionState, runs: number, options: ReportOptions = {}): Promise<Report | null> {
  const { compiled } = model;
  const runner = options.runner ?? batches.runner;
  const signal = options.signal;
  // The decisions as they stand now: the facilitator may change them while the runs compute.
  const what = [...state.what];
  const { decisions } = parseDecisions(what, decisionContext(compiled), 'what ');
  const seed = state.seed;
  const batch = (runStart: number, n: number, interventions: Intervention[]) => runner.run(compiled, { runs: n, seed, runStart, interventions, ...(signal ? { signal } : {}) });
  // The session's own run is one of the runs when its index is below their number: its rows are read there.
  const ownInRuns = state.run < runs;
  const [without, withDecisions, ownWithout, ownWith] = await Promise.all([
    batches.without(model, seed, runs, runner),
    batch(0, runs, decisions),
    ownInRuns ? null : batch(state.run, 1, []),
    ownInRuns ? null : batch(state.run, 1, decisions),
  ]);
  if (!withDecisions.complete || (ownWithout && !ownWithout.complete) || (ownWith && !ownWith.complete)) return null;
  const paired = compareBatches(without, withDecisions);
  /** The own run's value of `metric`, from its own batch or as run `state.run` of the arm's. */
  const value = (own: BatchResult | null, arm: BatchResult, metric: string): number | null => {
    const width = arm.metricNames.length;
    const x = own ? own.rows[own.metricNames.indexOf(metric)]! : arm.rows[state.run * width + arm.metricNames.indexOf(metric)]!;
    return Number.isFinite(x) ? x : null;
  };
  /** An arm's mean over the runs where the outcome happened, and how many those were. */
  const arm = (result: BatchResult, metric: string): { mean: number | null; n: number } => {
    const j = result.metricNames.indexOf(metric);
    let sum = 0;
    let n = 0;
    for (let r = 0; r < result.runs; r++) {
      const x = result.rows[r * result.metricNames.length + j]!;
      if (Number.isFinite(x)) {
        sum += x;
        n++;
      }
    }
    return { mean: n > 0 ? sum / n : null, n };
  };
  const rows: ReportRow[] = [];
  for (const [metric, label] of HEADLINE) {
    if (!without.metricNames.includes(metric)) continue;
    const c = paired[metric];
    const a = arm(without, metric);
    const b = arm(withDecisions, metric);
    // An outcome the scenario never produces, with or without the decisions, says nothing.
    if (a.n === 0 && b.n === 0) continue;
    if (c && c.meanA === 0 && c.meanB === 0 && c.sdA === 0 && c.sdB === 0) continue;
    // A difference of round-off against the quantities themselves is none (a trial's report read a recovery time's
    // "−0.00000000000000018" beside means of 44 and 84 hours): 0, as compare writes it.
    const scale = ROUND_OFF * Math.max(Math.abs(c?.meanA ?? 0), Math.abs(c?.meanB ?? 0));
    const tidy = (x: number) => (Math.abs(x) <= scale ? 0 : x);
    // Kept where it happened one way only (pathology back to 90% in 37 runs without them, never with them).
    rows.push({ metric, label, hours: isMinutes(metric), meanWithout: a.mean, meanWith: b.mean, difference: c ? tidy(c.meanDifference) : null, lo: c ? tidy(c.paired.lo) : null, hi: c ? tidy(c.paired.hi) : null, same: c !== null && c !== undefined && tidy(c.meanDifference) === 0 && c.sdDifference <= scale, n: c ? c.n : 0, nWithout: a.n, nWith: b.n, runWithout: value(ownWithout, without, metric), runWith: value(ownWith, withDecisions, metric) });
  }
  return { runs, seed: state.seed, decisions: what, rows };
}
