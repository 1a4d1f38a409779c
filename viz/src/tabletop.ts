import { api, type Report, type SessionState } from './api.js';
import { clock } from './playback.js';
import { keepScroll, writeState } from './state.js';

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
  seek(t: number): void;
  playing(): boolean;
  play(on: boolean): void;
  speed(): number;
  setSpeed(index: number): void;
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
): { changed: () => void } {
  const id = start.id;
  const link = `${location.origin}${location.pathname}#/cascade?session=${id}`;
  panel.hidden = false;
  panel.innerHTML = `<h2>Tabletop session ${escape(id)}</h2>
    ${
      lead
        ? `<p>You drive this session: the clock, play and pause and the room's decisions (the form under the timeline) reach every participant.
             Participants follow at <input id="tabletop-link" readonly size="60" value="${escape(link)}" aria-label="The participants' link">
             <button type="button" id="tabletop-copy">Copy</button> <button type="button" id="tabletop-end">End the session</button></p>
           <p><label>After-action report over <input id="tabletop-runs" type="number" min="2" max="1000" value="200" style="width:5em"> runs</label>
             <button type="button" id="tabletop-report">Report</button> <span id="tabletop-report-status" role="status"></span></p>`
        : `<p>You are following the facilitator's session: the clock and the room's decisions are theirs. <span id="tabletop-status" role="status"></span></p>`
    }
    <h3>Decision log</h3><ol id="tabletop-log" aria-live="polite"></ol>
    <div id="tabletop-after"></div>`;
  const log = panel.querySelector<HTMLOListElement>('#tabletop-log')!;
  const after = panel.querySelector<HTMLElement>('#tabletop-after')!;
  const show = (s: SessionState) => {
    log.innerHTML =
      s.log.length === 0
        ? '<li>No decision yet.</li>'
        : s.log
            .map((entry) => `<li>${clock(entry.t)}: ${entry.change === 'taken' ? 'decided' : 'withdrew'} “${escape(describe(entry.decision))}” <span class="when">(${new Date(entry.at).toLocaleTimeString('en-GB')})</span></li>`)
            .join('');
    after.innerHTML = s.report ? reportTable(s.report, describe) : '';
  };
  show(start);

  let revision = start.revision;
  // Once the session has ended (here, by the server, or evicted), nothing more is sent or followed.
  let ended = false;
  // What this screen last sent as facilitator (a few, as requests may overlap their echoes): the server's echo
  // of one is not another facilitator's change.
  const sent: { t?: number; playing?: boolean; speed?: number }[] = [];
  // A facilitator's screen applies nothing from the session until the server holds what it shows: the state the
  // stream gives first may be older than the decision this screen has just reloaded with, and would undo it.
  let synced = !lead;
  const events = api.sessionEvents(id);
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
    if (s.speed !== time.speed()) time.setSpeed(s.speed);
    time.seek(s.t);
    if (s.playing !== time.playing()) time.play(s.playing);
  });
  events.addEventListener('ended', (event) => {
    const { reason } = JSON.parse((event as MessageEvent<string>).data) as { reason: string };
    ended = true;
    events.close();
    // Said where the room looks, the screen stopped where the run was left.
    time.play(false);
    const notice = `The tabletop session ${id} has ended (${reason}): this screen stays on the run as it was left.`;
    panel.querySelector('h2')!.textContent = `Tabletop session ${id} has ended: ${reason}`;
    panel.querySelector('p')!.textContent = notice;
    const top = document.getElementById('problems');
    if (top) {
      top.hidden = false;
      top.textContent = notice;
    }
  });

  if (!lead) return { changed: () => {} };

  panel.querySelector('#tabletop-copy')!.addEventListener('click', () => {
    void navigator.clipboard?.writeText(link).catch(() => {});
    panel.querySelector<HTMLInputElement>('#tabletop-link')!.select();
  });
  // Ended for everyone (participants hear it), then this screen goes back to the plain run.
  panel.querySelector('#tabletop-end')!.addEventListener('click', async () => {
    ended = true;
    await api.endSession(id).catch(() => {});
    localStorage.removeItem('strata-lead-session');
    writeState('cascade', { session: '', lead: '', t: String(Math.round(time.t())), play: '0' });
  });
  const reportButton = panel.querySelector<HTMLButtonElement>('#tabletop-report')!;
  const reportStatus = panel.querySelector<HTMLElement>('#tabletop-report-status')!;
  reportButton.addEventListener('click', async () => {
    const runs = Number(panel.querySelector<HTMLInputElement>('#tabletop-runs')!.value);
    reportButton.disabled = true;
    reportStatus.textContent = `Running ${runs} runs without the room's decisions and with them…`;
    try {
      const report = await api.report(id, runs);
      after.innerHTML = reportTable(report, describe);
      reportStatus.textContent = '';
    } catch (error) {
      reportStatus.textContent = (error as Error).message;
    } finally {
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
  return { changed: () => void send(clockOf()) };
}

/** The after-action report as a table: over the runs without the decisions and with them, and this run both ways. */
export function reportTable(report: Report, describe: (decision: string) => string): string {
  // A share (of runs reaching a layer; of a service's capacity on a day) in per cent, its differences in points.
  let share = false;
  const f = (x: number | null, hours: boolean) =>
    x === null || !Number.isFinite(x) ? 'never' : share ? `${(100 * x).toLocaleString('en-GB', { maximumFractionDigits: 1 })}%` : (hours ? x / 60 : x).toLocaleString('en-GB', { maximumSignificantDigits: 3 });
  const signed = (x: number, hours: boolean) => `${x > 0 ? '+' : x < 0 ? '−' : ''}${share ? `${(100 * Math.abs(x)).toLocaleString('en-GB', { maximumFractionDigits: 1 })} points` : f(Math.abs(x), hours)}`;
  // A mean over fewer runs than all (a time that happened in some) says in how many.
  const over = (x: number | null, n: number, hours: boolean) => `${f(x, hours)}${x !== null && n < report.runs ? ` in ${n} runs` : ''}`;
  const difference = (r: Report['rows'][number]) =>
    r.difference === null || r.lo === null || r.hi === null
      ? 'not both ways in two runs'
      : `${signed(r.difference, r.hours)} (${signed(r.lo, r.hours)} to ${signed(r.hi, r.hours)})${r.n < report.runs ? `, over ${r.n} runs` : ''}`;
  const rows = report.rows.map((r) => {
    share = /^reached\.|\.day\d+$/.test(r.metric);
    return `<tr><th scope="row">${escape(r.label)}</th><td>${over(r.meanWithout, r.nWithout, r.hours)}</td><td>${over(r.meanWith, r.nWith, r.hours)}</td><td>${difference(r)}</td><td>${f(r.runWithout, r.hours)} → ${f(r.runWith, r.hours)}</td></tr>`;
  });
  const decisions = report.decisions.length === 0 ? 'no decision' : report.decisions.map((d) => `“${escape(describe(d))}”`).join(', ');
  return `<table class="summary" id="tabletop-report-table"><caption>After action: the room's decisions (${decisions}) over ${report.runs.toLocaleString('en-GB')} runs of the scenario (seed ${report.seed}; run by run the same runs, so each difference is paired), and this session's own run. Times in hours.</caption>
    <thead><tr><th scope="col">outcome</th><th scope="col">mean without the decisions</th><th scope="col">mean with them</th><th scope="col">difference (95% interval)</th><th scope="col">this run: without → with</th></tr></thead>
    <tbody>${rows.join('') || '<tr><td colspan="5">No outcome of this scenario varies.</td></tr>'}</tbody></table>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
