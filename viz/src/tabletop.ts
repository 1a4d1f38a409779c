import { api, type Report, type SessionState } from './api.js';
import { bareLabel, timeUnit, unitLabel } from '../../engine/batch/headline.js';
import { clock } from './playback.js';
import { keepScroll, readState, writeState } from './state.js';

/**
 * The tabletop (docs/dashboard.md "Tabletop"): a facilitator drives one run — its clock, play and pause, the
 * room's decisions — and participants follow on their own screens. The session lives on the server
 * (server/sessions.ts); each screen replays the same run with the same decisions, so all see one cascade. The
 * facilitator's screen sends its clock as it changes (every two seconds while playing, at once on a pause or
 * a jump); a participant's follows, playing on its own between updates at the same speed.
 */

/** The cascade's clock and play state, as the tabletop reads and sets them. */
export interface Clock {
  t(): number;
  /** The run's last minute (its horizon). */
  end(): number;
  seek(t: number): void;
  playing(): boolean;
  play(on: boolean): void;
  speed(): number;
  setSpeed(index: number): void;
  /** The run's minutes per second of play at the current speed. */
  rate(): number;
  /** Plays at `pace` times the speed (a participant's screen keeping to the facilitator's clock; 1 otherwise). */
  setPace(pace: number): void;
}

/** How long a participant takes to close the gap to the facilitator's clock, in seconds (their updates come every two). */
const CATCH_UP_SECONDS = 2;
/** A gap of more than this many seconds of play is a jump: the clock is set, not caught up. */
const JUMP_SECONDS = 10;

/**
 * A participant's clock against the facilitator's, while both play at one speed: the pace at which it reaches
 * where the facilitator's clock will be in CATCH_UP_SECONDS, at the rate the facilitator's has been going
 * (`observed`, minutes a second; a slow facilitator's browser plays below the nominal speed), so it never
 * runs back; or, past JUMP_SECONDS of play apart, `seek` to the facilitator's time. Until 2026-12-05 every
 * update set the clock, and a facilitator's browser running below 10 frames a second sent its participants'
 * screens back every two seconds (a trial): events drawn, undrawn, drawn again.
 */
export function keepPace(participant: number, facilitator: number, rate: number, observed: number): { seek: number } | { pace: number } {
  const gap = facilitator - participant;
  if (Math.abs(gap) > JUMP_SECONDS * rate) return { seek: facilitator };
  const pace = (gap + CATCH_UP_SECONDS * observed) / (CATCH_UP_SECONDS * rate);
  return { pace: Math.min(2, Math.max(0, pace)) };
}


/** The view the cascade shows: its run, and the room's decisions as `strata trace --decide` writes them. */
export interface Shown {
  scenario: string;
  twin: string;
  regime: string;
  seed: number;
  run: number;
  what: string[];
}

/** Whether the view shows the session's run with its decisions. */
export function showsSession(shown: Shown, s: SessionState): boolean {
  const sameWhat = shown.what.length === s.what.length && shown.what.every((w, i) => w === s.what[i]);
  return shown.scenario === s.scenario && shown.twin === (s.twin ?? '') && shown.regime === s.regime && shown.seed === s.seed && shown.run === s.run && sameWhat;
}

/** Opens the session's run with its decisions and clock (the view reloads). */
export function openSession(s: SessionState, lead: boolean): void {
  keepScroll();
  writeState('cascade', {
    session: s.id,
    lead: lead ? '1' : '',
    scenario: s.scenario,
    twin: s.twin ?? '',
    regime: s.regime,
    seed: String(s.seed),
    run: String(s.run),
    what: s.what.join(','),
    t: String(Math.round(s.t)),
    play: s.playing ? '' : '0',
    speed: String(s.speed),
    versus: '',
    versusRun: '',
    // A site drawn alone stays so on the same twin; on another it is none of its sites.
    ...(readState().get('twin') !== (s.twin ?? '') ? { focus: '' } : {}),
  });
}

/**
 * The session's panel under the cascade, and its sync: a facilitator's clock sent to the server, a
 * participant's set from it. `changed` is what the cascade calls when its clock, play or speed changes
 * locally; `describe` puts a decision in words.
 */
export function tabletop(
  panel: HTMLElement,
  start: SessionState,
  lead: boolean,
  shown: Shown,
  time: Clock,
  describe: (decision: string) => string,
  signal: AbortSignal,
): { changed: () => void; moved: () => void; live: () => boolean } {
  const id = start.id;
  const link = `${location.origin}${location.pathname}#/cascade?session=${id}`;
  // A link to 127.0.0.1 reaches no participant's laptop, and nothing said so (a trial).
  panel.hidden = false;
  // The id small and muted: a heading of hex read as jargon to a room (a trial).
  panel.innerHTML = `<h2>Tabletop session <small class="when" title="the session's id">${escape(id)}</small></h2>
    ${
      lead
        ? `<p>You drive this session: the clock, play and pause and the room's decisions (the "The room decides to" form) reach every participant.
             Participants follow at <input id="tabletop-link" readonly size="60" value="${escape(link)}" aria-label="The participants' link">
             <button type="button" id="tabletop-copy">Copy</button> <button type="button" id="tabletop-end">End the session</button></p>
           ${loopback(location.hostname) ? `<p class="problems" id="tabletop-loopback">Other machines cannot open a link to ${escape(location.hostname)}: for participants on their own laptops, start the server with <code>npx strata serve --host 0.0.0.0</code> and open this page at the address it prints (this machine's on the network).</p>` : ''}
           <p><label>After-action report over <input id="tabletop-runs" type="number" min="2" max="1000" value="200" style="width:5em"> runs</label>
             <button type="button" id="tabletop-report">Report</button> <span id="tabletop-report-status" role="status"></span> <span id="tabletop-report-seconds" aria-hidden="true"></span></p>`
        : `<p>You are following the facilitator's session: the clock and the room's decisions are theirs. <span id="tabletop-status" role="status"></span></p>`
    }
    <h3>Decision log</h3><ol id="tabletop-log" aria-live="polite"></ol>
    <div id="tabletop-after"></div>`;
  const log = panel.querySelector<HTMLOListElement>('#tabletop-log')!;
  const after = panel.querySelector<HTMLElement>('#tabletop-after')!;
  // The report as last shown, and whether this run's own figures were in it: they are its ending, kept back until
  // the clock reaches it (a report asked for at T+0h20 told the room how the run ends: a review).
  let report: Report | null = null;
  let ownShown = false;
  // At the end, and held back from no one: a participant is sent them only once the session's clock is at the end (Session.followerView).
  const ownDue = () => time.t() >= time.end() && report?.ownRunHeld !== true;
  const showReport = () => {
    ownShown = ownDue();
    after.innerHTML = report ? reportTable(report, describe, ownShown) : '';
  };
  const show = (s: SessionState) => {
    log.innerHTML =
      s.log.length === 0
        ? '<li class="none">No decision yet.</li>'
        : s.log
            .map((entry) => `<li>${clock(entry.t)}: ${entry.change === 'taken' ? 'decided' : 'withdrew'} “${escape(describe(entry.decision))}” <span class="when" title="when the room took it, by the wall clock">(at ${new Date(entry.at).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })} in the room)</span></li>`)
            .join('');
    report = s.report;
    showReport();
  };
  show(start);
  /** Told when the clock moves: the report's own-run column appears at the end (and goes again before it). */
  const moved = () => {
    if (report && ownDue() !== ownShown) showReport();
  };

  let revision = start.revision;
  // Once the session has ended (here, by the server, or evicted), nothing more is sent or followed.
  let ended = false;
  // What this screen last sent as facilitator (a few, as requests may overlap their echoes): the server's echo
  // of one is not another facilitator's change.
  const sent: { t?: number; playing?: boolean; speed?: number }[] = [];
  // A facilitator's screen applies nothing from the session until the server holds what it shows: the state the
  // stream gives first may be older than the decision this screen has just reloaded with, and would undo it.
  let synced = !lead;
  // The facilitator's clock as last heard, and when (a participant's pace is worked out from two of them).
  let last: { t: number; at: number; playing: boolean; speed: number } | null = null;
  const events = api.sessionEvents(id, lead);
  signal.addEventListener('abort', () => events.close());
  events.addEventListener('state', (event) => {
    const s = JSON.parse((event as MessageEvent<string>).data) as SessionState;
    if (s.revision < revision) return;
    revision = s.revision;
    show(s);
    if (!synced) return;
    // A facilitator follows another facilitator's screen (two tabs driving one session), not its own echo.
    const echo = lead && showsSession(shown, s) && sent.some((x) => x.t === s.t && x.playing === s.playing && x.speed === s.speed);
    if (echo) return;
    // Another run or other decisions reload the view; the clock is set in place.
    if (!showsSession(shown, s)) return openSession(s, lead);
    // Playing on at one speed, a participant keeps pace with the facilitator's clock rather than being set back
    // to it (keepPace); anything else — a pause, a jump, another speed, the facilitator's own second screen — sets it.
    const now = performance.now();
    // A state whose clock has not moved while playing (a report, a log entry published between clock updates)
    // says nothing of the facilitator's pace: it stalled participants for up to two seconds (a review).
    const same = !lead && last !== null && s.playing && last.playing && s.t === last.t && s.speed === last.speed && time.playing();
    if (same) return;
    // Back from the facilitator's last clock is the facilitator's own seek (its clock never runs back): set, not
    // caught up to (an hour back at 10 min/s is 6 s of play, under the jump: participants had stopped).
    const steady = !lead && s.playing && time.playing() && s.speed === time.speed() && last !== null && last.playing && last.speed === s.speed && s.t >= last.t;
    if (steady) {
      const seconds = (now - last!.at) / 1000;
      const observed = seconds > 0.5 && s.t >= last!.t ? (s.t - last!.t) / seconds : time.rate();
      const step = keepPace(time.t(), s.t, time.rate(), Math.min(observed, time.rate()));
      if ('seek' in step) {
        time.setPace(1);
        time.seek(step.seek);
      } else time.setPace(step.pace);
    } else {
      time.setPace(1);
      if (s.speed !== time.speed()) time.setSpeed(s.speed);
      time.seek(s.t);
      if (s.playing !== time.playing()) time.play(s.playing);
    }
    last = { t: s.t, at: now, playing: s.playing, speed: s.speed };
  });
  /** The session is over: this screen stops where the run was left, keeps its log and report, and says so at the top. */
  const close = (notice: string, heading: string) => {
    ended = true;
    events.close();
    time.play(false);
    panel.querySelector('h2')!.textContent = heading;
    panel.querySelector('p')!.textContent = notice;
    panel.querySelector('#tabletop-report')?.closest('p')?.remove();
    // The link is no use any more, nor what it said of other machines.
    panel.querySelector('#tabletop-loopback')?.remove();
    const top = document.getElementById('problems');
    if (top) {
      top.hidden = false;
      top.textContent = notice;
    }
  };
  events.addEventListener('ended', (event) => {
    const { reason } = JSON.parse((event as MessageEvent<string>).data) as { reason: string };
    if (ended) return;
    // Said where the room looks, the screen stopped where the run was left.
    close(`The tabletop session ${id} has ended (${reason}): this screen stays on the run as it was left.`, `Tabletop session ${id} has ended: ${reason}`);
  });

  if (!lead) return { changed: () => {}, moved, live: () => !ended };

  panel.querySelector('#tabletop-copy')!.addEventListener('click', () => {
    void navigator.clipboard?.writeText(link).catch(() => {});
    panel.querySelector<HTMLInputElement>('#tabletop-link')!.select();
  });
  // Ended for everyone (participants hear it). Asked first: one click beside "Copy" ended it for the whole room
  // (a trial). This screen then stays as the participants' do, its report kept (it went back to the plain run,
  // the whole of it on a projected screen, and the report was lost: a trial).
  panel.querySelector('#tabletop-end')!.addEventListener('click', async () => {
    if (!window.confirm(`End tabletop session ${id} for everyone in the room? Participants are told; the session cannot be resumed.`)) return;
    try {
      await api.endSession(id);
    } catch (error) {
      // Not ended: said, and the session goes on (the screen had said "participants were told": a review).
      panel.querySelector('h2')!.textContent = `Tabletop session ${id}: could not end it (${(error as Error).message})`;
      return;
    }
    localStorage.removeItem('strata-lead-session');
    close(`You ended tabletop session ${id}: participants were told. This screen stays on the run as it was left.`, `Tabletop session ${id} has ended`);
    window.scrollTo(0, 0);
  });
  const reportButton = panel.querySelector<HTMLButtonElement>('#tabletop-report')!;
  const reportStatus = panel.querySelector<HTMLElement>('#tabletop-report-status')!;
  reportButton.addEventListener('click', async () => {
    // Nothing to compare yet: said here, not as the server's "what: expected at least one…" (a trial).
    if (shown.what.length === 0) {
      reportStatus.textContent = "The report compares the runs with the room's decisions and without them: take a decision first (the \"The room decides to\" form).";
      return;
    }
    const runs = Number(panel.querySelector<HTMLInputElement>('#tabletop-runs')!.value);
    reportButton.disabled = true;
    reportStatus.textContent = `Running ${runs} runs without the room's decisions and with them…`;
    // The seconds counted while it runs (a national twin's 200 runs took 47 s with one unchanging line: a trial),
    // beside the live region, not in it: a screen reader heard every second (a review).
    const seconds = panel.querySelector<HTMLElement>('#tabletop-report-seconds')!;
    const started = performance.now();
    const ticking = setInterval(() => (seconds.textContent = `${Math.round((performance.now() - started) / 1000)} s`), 1000);
    try {
      report = await api.report(id, runs);
      showReport();
      reportStatus.textContent = '';
      // Brought into view where it was asked for (it landed at the foot of a long page, unseen: a trial).
      after.scrollIntoView({ block: 'start', behavior: 'smooth' });
    } catch (error) {
      reportStatus.textContent = (error as Error).message;
    } finally {
      clearInterval(ticking);
      seconds.textContent = '';
      reportButton.disabled = false;
    }
  });

  // The facilitator's clock to the server: one request at a time, the latest state sent when it is done.
  let sending = false;
  let pending = false;
  const send = async (body: Parameters<typeof api.driveSession>[1]) => {
    if (ended) return;
    if (sending) {
      pending = true;
      return;
    }
    sending = true;
    sent.push(body);
    if (sent.length > 4) sent.shift();
    try {
      await api.driveSession(id, body);
      synced = true;
    } catch (error) {
      panel.querySelector('h2')!.textContent = `Tabletop session ${id}: ${(error as Error).message}`;
    } finally {
      sending = false;
    }
    if (pending && !signal.aborted) {
      pending = false;
      void send(clockOf());
    }
  };
  // The exact time: a step to the next event may be a fraction of a minute (rounded, participants missed it).
  const clockOf = () => ({ t: time.t(), playing: time.playing(), speed: time.speed() });
  // The decisions this view shows are the room's now (the form's what-ifs reload the view with them).
  void send({ what: shown.what, ...clockOf() });
  const tick = setInterval(() => {
    if (time.playing()) void send(clockOf());
  }, 2000);
  signal.addEventListener('abort', () => clearInterval(tick));
  return { changed: () => void send(clockOf()), moved, live: () => !ended };
}

/**
 * The report's outcomes as a room would say them (a trial: its rows read as the CLI's headline — "Nodes
 * disrupted", "First cross-layer hop" — to a board). Keyed by metric; an outcome not here keeps the CLI's
 * label. Units end a label as the CLI's do, for unitLabel and bareLabel.
 */
export const ROOM_WORDS: Readonly<Record<string, string>> = {
  compromised: 'Systems compromised (computers, devices, cloud services)',
  disrupted: 'Systems put out of action',
  'reached.physical': 'Runs where it reached devices at the bedside or desk (share)',
  'reached.cloud': 'Runs where it reached cloud services (share)',
  'crossings.up': 'Times it climbed a layer (devices → network → cloud)',
  'crossings.down': 'Times it came down a layer (cloud → network → devices)',
  firstCrossingAt: 'Time until it first jumped a layer (h)',
  firstDetectedAt: 'Time until it was first detected (h)',
  peakDisrupted: 'Most systems out of action at once',
  // Censored at the horizon (docs/metrics.md): a run not back by its end counts to the end (a trial read "every
  // system was back" beside 805 still down).
  timeToRecovery: "Time until every system was back, or to the run's end if not (h)",
  'service.pathology.day1': 'Pathology on day 1 of the disruption, share of normal (worst site)',
  'service.pathology.day7': 'Pathology on day 7, share of normal (worst site)',
  'service.pathology.day27': 'Pathology on day 27, share of normal (worst site)',
  'service.pathology.backTo90': 'Pathology back to 90% of normal (h after loss)',
  'service.gp-pathology.backTo90': 'GP pathology back to 90% of normal (h after loss)',
  diversionHours: 'Hours the emergency department diverted ambulances',
  safetyEventsSerious: 'Patient-safety events expected, serious or worse',
  safetyEvents: 'Patient-safety events expected, any severity',
  patientsExposedAltered: 'Patients on a device whose therapy or readings were altered',
};

/** A label inside a sentence: its first letter small unless the first word is an abbreviation ("GP pathology"). */
function inSentence(label: string): string {
  return /^[A-Z][a-z]/.test(label) ? `${label[0]!.toLowerCase()}${label.slice(1)}` : label;
}

/**
 * The after-action report: first, in words, what the decisions clearly changed (a paired 95% interval that
 * excludes 0) and what they did not; then the table, over the runs without the decisions and with them, and
 * this run both ways. Each row in its own time unit (hours, or minutes or seconds where no figure reaches an
 * hour or a minute); means with the digits that tell them apart where they differ (a trial read "1,040 / 1,040"
 * beside a difference of −2.7).
 */
export function reportTable(report: Report, describe: (decision: string) => string, ownRun = true): string {
  const clear: string[] = [];
  const unclear: string[] = [];
  // Outcomes that happened in different runs each way (a time: back to 90% in 83 runs with the decisions, 16
  // without), said by those counts first; and those seen in fewer than two runs both ways.
  const counted: string[] = [];
  const oneWay: string[] = [];
  const count = (n: number) => n.toLocaleString('en-GB');
  const rows = report.rows.map((r) => {
    // A share (of runs reaching a layer; of a service's capacity on a day) in per cent, its differences in points.
    const share = /^reached\.|\.day\d+$/.test(r.metric);
    const unit = r.hours ? timeUnit(r.metric, [r.meanWithout, r.meanWith, r.runWithout, r.runWith]) : null;
    // A time's difference in its own unit where that is smaller ("+2.2 min", not "+0.0374 h": a trial).
    const step = r.hours ? timeUnit(r.metric, [r.difference, r.lo, r.hi]) : null;
    const label = unitLabel(ROOM_WORDS[r.metric] ?? r.label, unit);
    const scaled = (x: number, u = unit) => (share ? 100 * x : u ? x / u.divisor : x);
    const figure = (x: number | null, digits = 3, u = unit) =>
      x === null || !Number.isFinite(x) ? 'never' : share ? `${scaled(x).toLocaleString('en-GB', { maximumFractionDigits: digits - 2 })}%` : scaled(x, u).toLocaleString('en-GB', { maximumSignificantDigits: digits });
    const known = r.difference !== null && r.lo !== null && r.hi !== null;
    const excludes = known && !r.same && (r.lo! > 0 || r.hi! < 0);
    // The fewest digits that show two means apart where they differ: three or four, and where they are apart
    // only further down, three, the same both ways ("19.9197" in both columns was noise to a board: a trial) —
    // unless the change is clear, which equal means would contradict ("1,040 / 1,040" beside −2.7: a trial):
    // then up to six.
    const digitsFor = (a: number | null, b: number | null) => {
      if (a === null || b === null || a === b) return 3;
      for (let d = 3; d <= (excludes ? 6 : 4); d++) if (figure(a, d) !== figure(b, d)) return d;
      return 3;
    };
    // A share's change in points: to a tenth, or two significant figures below one (0.04 points read "+0": a review).
    const points = (x: number) => (x < 1 ? x.toLocaleString('en-GB', { maximumSignificantDigits: 2 }) : x.toLocaleString('en-GB', { maximumFractionDigits: 1 }));
    const own = step && unit && step.unit !== unit.unit ? step : unit;
    const signed = (x: number) => `${x > 0 ? '+' : x < 0 ? '−' : ''}${share ? `${points(100 * Math.abs(x))} points` : figure(Math.abs(x), 3, own)}`;
    const after = own !== unit && own ? ` ${own.unit}` : '';
    // A mean over fewer runs than all (a time that happened in some) says in how many.
    const means = digitsFor(r.meanWithout, r.meanWith);
    const over = (x: number | null, n: number) => `${figure(x, means)}${x !== null && n < report.runs ? ` in ${count(n)} runs` : ''}`;
    // The means are over different runs where the outcome did not happen in the same runs both ways.
    const apart = r.n < r.nWithout || r.n < r.nWith;
    const both = apart ? ` the ${count(r.n)} runs with it both ways` : '';
    const difference = !known
      ? 'not both ways in two runs'
      : r.same
        ? `none in${both || ' any run'}`
        : `${signed(r.difference!)} (${signed(r.lo!)} to ${signed(r.hi!)})${after}${r.n < report.runs ? `, over ${count(r.n)} runs` : ''}`;
    const said = bareLabel(label);
    const change = `${signed(r.difference ?? 0)}${share ? '' : own ? ` ${own.unit}` : ''}`;
    // Which way is better, said: "+1,770" alone did not tell a board the decisions had made it worse (a trial).
    // More is better only for a service's capacity on a day; every other headline outcome is a loss, a time or a reach.
    const verdict = excludes ? ((/\.day\d+$/.test(r.metric) ? r.difference! > 0 : r.difference! < 0) ? ' (better)' : ' (worse)') : '';
    if (!known) oneWay.push(`${inSentence(said)} (in ${count(r.nWithout)} runs without them, ${count(r.nWith)} with them)`);
    else if (r.nWith !== r.nWithout) counted.push(`${inSentence(said)}: in ${count(r.nWith)} runs with them, ${count(r.nWithout)} without${r.same ? '' : ` (${excludes ? '' : 'no clear change, '}${change}${verdict} over${both})`}`);
    else if (excludes) clear.push(`${inSentence(said)}: ${change}${verdict}${r.n < report.runs ? ` (over the ${count(r.n)} runs with it both ways)` : ''}`);
    else unclear.push(inSentence(said));
    // This run's own figures as the totals in words say them: whole numbers from 10 up (three figures had
    // disagreed with the words, a trial; six figures read "3,717.83 → 5,238.32", another), a reach yes or no.
    const ownFigure = (x: number | null): string => {
      if (x === null || !Number.isFinite(x)) return 'never';
      if (/^reached\./.test(r.metric)) return x >= 0.5 ? 'yes' : 'no';
      if (share) return `${Math.round(100 * x)}%`;
      const v = scaled(x);
      return Math.abs(v) >= 10 ? Math.round(v).toLocaleString('en-GB') : v.toLocaleString('en-GB', { maximumSignificantDigits: 3 });
    };
    return `<tr${excludes ? ' class="clear"' : ''}><th scope="row">${escape(label)}</th><td>${over(r.meanWithout, r.nWithout)}</td><td>${over(r.meanWith, r.nWith)}</td><td>${excludes ? `<strong>${difference}</strong>` : difference}</td><td>${ownRun ? `${ownFigure(r.runWithout)} → ${ownFigure(r.runWith)}` : 'at the end'}</td></tr>`;
  });
  const decisions = report.decisions.length === 0 ? 'no decision' : report.decisions.map((d) => `“${escape(describe(d))}”`).join(', ');
  const runs = report.runs.toLocaleString('en-GB');
  const sentences = [
    clear.length > 0 ? `What the room's decisions changed, on average over ${runs} runs: ${clear.join('; ')}.` : `Over ${runs} runs the room's decisions changed no average clearly.`,
    counted.length > 0 ? `Happening more or less often: ${counted.join('; ')}.` : '',
    clear.length > 0 && unclear.length > 0 ? `No clear change in ${unclear.join(', ')}.` : '',
    oneWay.length > 0 ? `Seen in too few runs both ways to compare: ${oneWay.join('; ')}.` : '',
  ].filter(Boolean);
  const summary = rows.length === 0 ? '' : `<p class="words" id="tabletop-report-words">${escape(sentences.join(' '))}</p>`;
  return `${summary}<table class="summary" id="tabletop-report-table"><caption>After action: the room's decisions (${decisions}) over ${runs} runs of the scenario (seed ${report.seed}). Each run is played twice, without the decisions and with them, with the same chance events, so a difference is the decisions' own (a paired difference); in bold where its 95% interval excludes 0, a change the runs show clearly. The last column is this session's own run${ownRun ? '' : ', shown when the clock reaches its end'}.</caption>
    <thead><tr><th scope="col">outcome</th><th scope="col">mean without the decisions</th><th scope="col">mean with them</th><th scope="col">difference (95% interval)</th><th scope="col">this run: without → with</th></tr></thead>
    <tbody>${rows.join('') || '<tr><td colspan="5">No outcome of this scenario varies.</td></tr>'}</tbody></table>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** Whether a page's host name opens nowhere but this machine (loopback, or the wildcard 0.0.0.0): a participant link to it is no use elsewhere. */
export function loopback(hostname: string): boolean {
  return ['localhost', '[::1]', '::1', '0.0.0.0', '[::]', '::'].includes(hostname) || /^127\./.test(hostname);
}
