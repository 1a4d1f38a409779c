import * as d3 from 'd3';
import { entryOfMember } from '../../engine/model/expand.js';
import { api, token, type Catalog, type SessionState } from './api.js';
import { openSession, showsSession, tabletop } from './tabletop.js';
import { BANDS, BAND_TITLES, canvasHeight, focusOn, layout, memberIndex, projectorChart, projectorSizes, type Layout, type LayoutInput } from './layout.js';
import { clock, COMPROMISED, disconnections, DISRUPTED, FLAG_ALTERED, FLAG_DETECTED, HEALTHY, inWords, isolatedZones, isolations, memberInWords, offline, parseClock, Playback, RESTORED, serviceInWords, stripLines, vulnerabilityInWords, type Disconnection, type TraceDoc } from './playback.js';
import { canvasExports, exports } from './exports.js';
import { ACTION_WORDS, describeDecision, describeDetail, formatDecision, MAX_STAFF, parseDecision, targetOf } from '../../engine/batch/decisions.js';
import { INTERVENTION_ACTIONS, type InterventionAction } from '../../engine/kernel/interventions.js';
import { formatWhatIf, interventions, parseWhatIf, Replayer } from './replay.js';
import { keepScroll, leaveNotice, navigatedHere, provenance, readState, restoreScroll, takeNotice, writeState } from './state.js';

/**
 * The cascade view: three stacked bands (cloud, network, devices) on a canvas, a run's trace animated over
 * them — play, pause, step, scrub, speed — with each layer crossing drawn as a riser between bands and told in
 * the ticker, detections and responses marked on the timeline, a node's details on click, and the clinical
 * strip (services' capacity, patient harm) beneath. State shown by colour and shape (Okabe–Ito colours).
 */

const COLOURS = { healthy: '#9a9a94', compromised: '#E69F00', disrupted: '#D55E00', restored: '#009E73', altered: '#CC79A7', riser: '#0072B2' };
const STATE_NAMES = ['healthy', 'compromised', 'disrupted', 'restored'];
/** Minutes of simulated time per second of playback, by speed setting. */
const SPEEDS = [10, 30, 60, 180, 600, 1800, 7200];

interface View {
  input: LayoutInput;
  layout: Layout;
  trace: TraceDoc;
  playback: Playback;
  /** Per trace node: its member index in the layout (-1: not drawn). */
  memberOf: Int32Array;
  entryIndex: Map<string, number>;
  /** Aggregated twins: each trace node's tile (-1: not drawn). */
  tileOf: Int32Array;
  /** Each entry's centre (x, y), for the twin's own cross-layer edges. */
  centre: Float32Array;
  /**
   * The run's disconnections, and each layout member (an aggregated twin: each entry) off the network after the
   * first `offApplied` of them; an aggregated twin's members off the network per tile.
   */
  cuts: Disconnection[];
  off: Uint8Array;
  offApplied: number;
  tileOff: Float64Array;
  /** The trace with only its zone isolations and the room's decisions: what isolatedZones reads, each frame the node panel is open. */
  zoneTrace: TraceDoc;
}

export async function showCascade(root: HTMLElement, catalog: Catalog, signal: AbortSignal): Promise<void> {
  const state = readState();
  // What the URL asked for that the page cannot show, said above the view instead of a silent default (a
  // trial's run 99999999 showed run 0, and a bad "beside it" regime took the whole view down).
  const problems: string[] = [];
  // A notice the last view left for this one (the facilitator's Back, set back to the session's state).
  const notice = takeNotice();
  if (notice !== null) problems.push(notice);
  const known = (key: string, values: readonly string[], fallback: string, what: string, given = state.get(key)) => {
    if (given === null || given === fallback || values.includes(given)) return given ?? fallback;
    problems.push(`${what} ${JSON.stringify(given.slice(0, 60))} is not a built-in one (${values.slice(0, 6).join(', ')}${values.length > 6 ? ', …' : ''}): ${fallback === '' ? 'none is shown' : `showing ${fallback}`}.`);
    return fallback;
  };
  const scenario = known('scenario', catalog.scenarios, 'wannacry-down', 'The scenario');
  // First visit: WannaCry on the ward, small enough to follow host by host.
  const twin = known('twin', catalog.twins, '', 'The twin', state.get('twin') ?? (state.has('scenario') ? '' : 'ward'));
  const regime = known('regime', catalog.regimes, 'baseline', 'The regime');
  // A second regime played beside the first: the same seed and run, on one clock.
  const versus = known('versus', catalog.regimes, '', 'The regime beside it');
  // What-if interventions, replayed by the kernel in this browser (replay-worker.ts), checked against the
  // scenario's horizon and threat (the catalogue's) and the twin.
  const what = parseWhatIf(state.get('what'));
  const facts = catalog.scenarioFacts[scenario];
  // Numbers from the URL, checked: a bad one falls back to its default rather than a clock stuck at NaN, and
  // a run or seed that is not one is said.
  const whole = (key: string, fallback: number, max = Number.MAX_SAFE_INTEGER, what?: string) => {
    const given = state.get(key);
    const x = Number(given ?? fallback);
    if (Number.isInteger(x) && x >= 0 && x <= max) return x;
    if (what) problems.push(`${what} ${JSON.stringify((given ?? '').slice(0, 30))} is not a whole number from 0 to ${max.toLocaleString('en-GB')}: showing ${fallback.toLocaleString('en-GB')}.`);
    return fallback;
  };
  const seed = whole('seed', 20170512, Number.MAX_SAFE_INTEGER, 'The seed');
  const run = whole('run', 0, 9_999_999, 'The run');
  let speed = whole('speed', 3, SPEEDS.length - 1);
  const versusRun = state.get('versusRun') ?? '';
  // Beside it: another regime, or another run, or both (same seed: common random numbers).
  const beside = versus !== '' || versusRun !== '';
  const otherRegime = versus || regime;
  const otherRun = versusRun === '' ? run : whole('versusRun', run, 9_999_999, 'The run beside it');
  // The what-ifs beside it too: the room's same decisions under the other regime (or in the other run), so the
  // two views differ only by the regime (or the run). Off, the view beside it is the run without them.
  const whatBeside = beside && what.length > 0 && state.get('whatBeside') === '1';
  // A tabletop session (tabletop.ts): its facilitator drives it (`lead`, with the token); anyone with its link follows.
  const sessionId = state.get('session');
  const lead = sessionId !== null && state.get('lead') === '1' && token() !== null;
  let session: SessionState | undefined;
  if (sessionId !== null) {
    try {
      session = await api.session(sessionId);
    } catch {
      if (signal.aborted) return;
      // Said alone, with a way on: a run loaded beneath it, playing with every control, read as the session (a trial).
      root.innerHTML = `<div class="problems" role="alert" id="problems"><p>${escape(`The tabletop session ${JSON.stringify(sessionId.slice(0, 30))} has ended, or this server never had it (sessions end with the server).`)}</p></div>
        <p><a href="#/cascade" id="session-gone-open">Open the cascade on its own</a> (not the session's run).</p>`;
      return;
    }
    if (signal.aborted) return;
    // The view shows the session's run (a participant: with its decisions too), or opens it.
    if (session && !showsSession({ scenario, twin, regime, seed, run, what: lead ? session.what : what }, session)) return openSession(session, lead);
    // The facilitator's decisions come from the page (the form, a withdrawal, a member's offer): the browser's Back
    // or Forward took the room's decisions and its clock back to an earlier page of this screen (a trial's "Back"
    // undid a decision for everyone and set the room's clock back). The session's state stands, said so.
    if (session && lead && navigatedHere() && what.join(',') !== session.what.join(',')) {
      leaveNotice("This screen shows the session's decisions and clock as they stand: the browser's Back and Forward, or an older link, do not change them. Withdraw a decision with its × in the banner; move the clock with the slider.");
      return openSession(session, lead);
    }
  }
  // A facilitator who left their session's page is offered it back while it runs, before any run is drawn: the
  // plain run beneath the offer showed the room's screen its whole ending (a trial). "On its own" is kept for the tab.
  const left = session === undefined && token() !== null ? localStorage.getItem('strata-lead-session') : null;
  if (left && sessionStorage.getItem('strata-lead-own') !== left) {
    let running: SessionState | undefined;
    try {
      running = await api.session(left);
    } catch {
      localStorage.removeItem('strata-lead-session');
    }
    if (signal.aborted) return;
    if (running) {
      const s = running;
      root.innerHTML = `<p id="tabletop-return">Your tabletop session ${escape(s.id)} (${escape(s.scenario)}, run ${s.run}) is still running.
        <button type="button" id="tabletop-return-go">Return to it as its facilitator</button>
        <button type="button" id="tabletop-return-own">Open the cascade on its own</button></p>`;
      root.querySelector('#tabletop-return-go')!.addEventListener('click', () => openSession(s, true));
      root.querySelector('#tabletop-return-own')!.addEventListener('click', () => {
        sessionStorage.setItem('strata-lead-own', s.id);
        void showCascade(root, catalog, signal);
      });
      return;
    }
  }
  // The clock said while the run loads: the session's or the address's (a decision on the national twin showed
  // T+0h00 for the seconds the server took: a trial).
  const asked = Number(state.get('t'));
  const waitingAt = session ? session.t : Number.isFinite(asked) && asked >= 0 ? asked : 0;
  const following = session !== undefined && !lead;
  // The run as a room reads it: the scenario's title, then where and under what (a session's screens named no
  // scenario at all, and the ids alone read as jargon: a trial). Its title's head only ("WannaCry"): the whole
  // title took a second line the canvas needed.
  const runTitle = (where: string) => `${(facts?.title ?? scenario).split(' — ')[0]} (${scenario}) on ${where} under ${regime}, seed ${seed}, run ${run}`;
  root.classList.toggle('following', following);
  if (session && lead) root.dataset.lead = '1';
  else delete root.dataset.lead;
  // The facilitator's screen remembers its session, so a closed tab opened again (with the token) can go back to it.
  if (session && lead) localStorage.setItem('strata-lead-session', session.id);
  const option = (values: string[], selected: string, blank?: string) =>
    (blank !== undefined ? `<option value="">${blank}</option>` : '') + values.map((v) => `<option${v === selected ? ' selected' : ''}>${v}</option>`).join('');
  root.innerHTML = `
    <form class="controls" id="inputs" aria-label="Which run"${session ? ' hidden' : ''}>
      <span class="run-line" id="run-named">${escape(runTitle(twin || "the scenario's twin"))}</span>
      <button type="button" id="run-change" aria-expanded="false">Change the run</button>
      <label>Scenario <select name="scenario">${option(catalog.scenarios, scenario)}</select></label>
      <label>Twin <select name="twin">${option(catalog.twins, twin, "(the scenario's)")}</select></label>
      <label>Regime <select name="regime">${option(catalog.regimes, regime)}</select></label>
      <label>Seed <input name="seed" type="number" min="0" value="${seed}" style="width:8em"></label>
      <label>Run <input name="run" type="number" min="0" max="9999999" value="${run}" style="width:5em"></label>
      <label>Beside it, under <select name="versus">${option(catalog.regimes, versus, '(none)')}</select></label>
      <label>or run <input name="versusRun" type="number" min="0" max="9999999" value="${versusRun}" style="width:5em" placeholder="—"></label>
      <label${what.length > 0 ? '' : ' hidden'}><input name="whatBeside" type="checkbox" value="1"${whatBeside ? ' checked' : ''}> with the same what-ifs</label>
      <button type="submit">Load</button>
      ${token() !== null ? '<button type="button" id="tabletop-start" title="Drive this run for a room: participants follow on their own screens">Start a tabletop session</button>' : ''}
    </form>
    ${session ? `<p class="run-title" id="run-title">${escape(runTitle(twin || "the scenario's twin"))}</p>` : ''}
    <div class="controls" id="playback" role="group" aria-label="Playback">
      <button type="button" id="play" aria-label="Play (space)">Play</button>
      <button type="button" id="step" aria-label="Step to the next event (right arrow)">Step</button>
      <label for="time" class="sr-only">Time</label>
      <input type="range" id="time" min="0" max="1" step="1" value="0" aria-label="Time">
      <output id="clock" aria-live="off">${clock(waitingAt)}</output>
      <label>Speed <select id="speed" aria-label="Speed">${SPEEDS.map((s, i) => `<option value="${i}"${i === speed ? ' selected' : ''}>${s >= 60 ? `${s / 60} h` : `${s} min`}/s</option>`).join('')}</select></label>
    </div>
    <div class="problems" role="alert" id="problems"${problems.length === 0 ? ' hidden' : ''}>${problems.map((p) => `<p>${escape(p)}</p>`).join('')}</div>
    <div class="legend" aria-hidden="true">${legend()}</div>
    <p class="focus" id="focus" hidden></p>
    <div class="stage"><h2 id="main-title"${beside ? '' : ' hidden'}>${escape(`Run ${run} under ${regime}`)}${what.length > 0 ? ' (with the what-ifs)' : ''}</h2><canvas class="cascade" id="cascade" tabindex="0" role="img" aria-label="The cascade across the three layers"></canvas></div>
    <div class="stage" id="versus-stage" hidden><h2 id="versus-title"></h2><canvas class="cascade" id="versus" role="img" aria-label="The same run under the other regime"></canvas><p class="words" id="versus-words"></p></div>
    <svg id="timeline" width="100%" height="22" aria-label="Detections, responses and operator actions on the timeline" role="img"></svg>
    <p class="legend" id="timeline-key">Under the slider, over the whole run: <span style="color:#E69F00">operator actions</span> (top row), detections (middle), <span style="color:#0072B2">the scenario's responses</span> and <span style="color:#D55E00">the room's decisions</span> (bottom); hover a tick for what and when.</p>
    <form class="controls" id="decide" aria-label="${session ? 'The room decides' : 'What if the room had decided'}"></form>
    <div class="split">
      <section class="panel"><h2>Layer crossings</h2><ol class="ticker" id="ticker" aria-live="polite" aria-label="Layer crossings, newest first">${NO_CROSSING}</ol></section>
      <section class="panel"><h2>Node</h2><div class="inspector" id="inspector">Click a node to see its owner, vulnerabilities, controls and services.</div></section>
    </div>
    <section class="panel" id="tabletop" aria-label="Tabletop session" hidden></section>
    <section class="strip" id="strip" aria-label="Clinical strip"><h2>Clinical strip</h2><p class="words" id="words"></p><div id="services"></div></section>
    <p id="status" role="status"></p>`;
  arrange(root);
  // The banner names the what-ifs once the twin's zones are known (below); it is placed now so the page does not jump.
  const banner = document.createElement('div');
  banner.id = 'whatif';
  banner.hidden = what.length === 0;
  root.querySelector('.stage')!.before(banner);

  const form = root.querySelector<HTMLFormElement>('#inputs')!;
  const status = root.querySelector<HTMLElement>('#status')!;
  const canvas = root.querySelector<HTMLCanvasElement>('#cascade')!;
  const slider = root.querySelector<HTMLInputElement>('#time')!;
  const clockOut = root.querySelector<HTMLOutputElement>('#clock')!;
  const playButton = root.querySelector<HTMLButtonElement>('#play')!;
  const ticker = root.querySelector<HTMLOListElement>('#ticker')!;
  const inspector = root.querySelector<HTMLElement>('#inspector')!;

  // A changed choice loads at once: a twin chosen but not loaded left the old run on screen, and a what-if
  // added then went to the old twin (a trial).
  form.addEventListener('change', () => form.requestSubmit());
  // Projector mode folds the run's choices into one line (they are the facilitator's, not the room's); the
  // button unfolds them.
  root.querySelector('#run-change')!.addEventListener('click', (event) => {
    const open = form.classList.toggle('open');
    (event.currentTarget as HTMLElement).setAttribute('aria-expanded', String(open));
    (event.currentTarget as HTMLElement).textContent = open ? 'Fold the choices away' : 'Change the run';
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    writeState('cascade', {
      scenario: String(data.get('scenario')),
      twin: String(data.get('twin')),
      regime: String(data.get('regime')),
      seed: String(data.get('seed')),
      run: String(data.get('run')),
      versus: String(data.get('versus')),
      versusRun: String(data.get('versusRun')),
      whatBeside: data.get('whatBeside') === '1' ? '1' : '',
      // A site of one twin is none of another's (a review: "acute-001 is not in twin acute-trust").
      ...(String(data.get('twin')) !== twin || String(data.get('scenario')) !== scenario ? { focus: '' } : {}),
    });
  });

  root.querySelector('#tabletop-start')?.addEventListener('click', async () => {
    try {
      // The room starts where this screen is, paused (it went back to T+0 unsaid: a trial); the first clock this
      // screen sends as facilitator sets the session's.
      const started = await api.startSession({ scenario, twin: twin || undefined, regime, seed, run });
      openSession({ ...started, t: Math.round(Number(root.querySelector<HTMLInputElement>('#time')!.value) || 0), playing: false }, true);
    } catch (error) {
      status.textContent = `Could not start a session: ${(error as Error).message}`;
    }
  });

  // The URL carries the view's inputs from the first load on, so a copied link (with what-ifs added later)
  // opens this view and not the defaults of the day (a trial's first link had no inputs at all).
  writeState('cascade', { scenario, twin, regime, seed: String(seed), run: String(run) }, false);
  status.textContent = 'Loading the twin…';
  let view: View;
  let second: View | undefined;
  // The what-ifs applied (as written back by the parser), for the provenance line and the exports' names.
  let appliedText = '';
  // The same, one decision each, and a decision put in words (the session's log): set once the twin is known.
  let appliedList: string[] = [];
  let describeText = (decision: string): string => decision;
  // The whole twin's kinds, for the what-if form (a site drawn alone has only its own).
  let kindList: string[] = [];
  /** A problem found after the page was drawn, said with those found before it. */
  const say = (text: string) => {
    const box = root.querySelector<HTMLElement>('#problems')!;
    box.hidden = false;
    box.insertAdjacentHTML('beforeend', `<p>${escape(text)}</p>`);
  };
  /** The line that says a site is drawn alone, and the way back to the whole twin. */
  const focused = (focus: { site: string; members: number; of: number } | null) => {
    const line = root.querySelector<HTMLElement>('#focus')!;
    line.hidden = focus === null;
    if (focus === null) return;
    line.innerHTML = `Showing site <strong>${escape(focus.site)}</strong> alone: its ${focus.members.toLocaleString('en-GB')} members of the twin's ${focus.of.toLocaleString('en-GB')}. The ticker, the clinical strip and the totals are the whole twin's. <button type="button" id="focus-whole">Show the whole twin</button>`;
    // The clock as it is now: the address's is the last pause's (a review: a facilitator's room was set back).
    line.querySelector('#focus-whole')!.addEventListener('click', () => writeState('cascade', { focus: '', ...clockAsIs() }));
  };
  try {
    // The twin is drawn as soon as its layout arrives; the run is asked for after (the server computes one
    // request at a time, and a national twin's run takes seconds).
    const twinLayout = await api.layout(twin || catalog.defaultTwins[scenario]!);
    // One site of the twin drawn member by member (a national twin's tile opened), the rest of the view the twin's.
    const focusId = state.get('focus');
    const focusSite = focusId === null ? -1 : twinLayout.sites.indexOf(focusId);
    if (focusId !== null && focusSite < 0) say(`The site ${JSON.stringify(focusId.slice(0, 60))} is not in twin ${twinLayout.twin}: showing the whole twin.`);
    const input = focusSite >= 0 ? focusOn(twinLayout, focusSite) : twinLayout;
    for (const line of root.querySelectorAll('#run-named, #run-title')) line.textContent = runTitle(`${input.twin}${focusSite >= 0 ? ` (site ${focusId})` : ''}`);
    focused(focusSite >= 0 ? { site: focusId!, members: input.members, of: twinLayout.members } : null);
    kindList = twinKinds(twinLayout);
    const context = { twin: input.twin, zones: input.zones, kinds: kindList, horizonMinutes: facts?.horizonMinutes, threat: facts?.threat };
    const applied = interventions(what, context, catalog.limits.decisions);
    appliedList = applied.decisions.map((d) => formatDecision(d, input.zones));
    appliedText = formatWhatIf(appliedList);
    describeText = (decision) => {
      const d = interventions([decision], context, 1).decisions[0];
      return d ? `${describeDecision(d.action, d.argument ?? 0, input.zones)} at ${clock(d.atMinutes)}` : decision;
    };
    // A twin drawn aggregated is too large to replay in the page, and a page without the token (a tabletop's
    // participant) cannot fetch the documents: the server traces the run with the decisions.
    const decide = applied.decisions.length > 0 && (twinLayout.aggregate || token() === null) ? appliedList : undefined;
    // Otherwise the page replays the decisions itself (replay-worker.ts), not on the server.
    const replay = applied.decisions.length > 0 && !decide;
    /**
     * A run's trace with the decisions or without: the plain run from the server; with them, replayed in this
     * browser (replay-worker.ts) or, on a twin drawn aggregated, traced by the server; `how` says which.
     */
    const traceOf = async (forRegime: string, forRun: number, decided: boolean): Promise<{ trace: TraceDoc; how?: string }> => {
      const started = performance.now();
      if (!decided || applied.decisions.length === 0) return { trace: await api.trace({ scenario, twin: twin || undefined, regime: forRegime, seed, run: forRun }) };
      if (decide) return { trace: await api.trace({ scenario, twin: twin || undefined, regime: forRegime, seed, run: forRun, decide }), how: `computed by the server in ${Math.round(performance.now() - started)} ms` };
      const documents = await api.inputs({ scenario, twin: twin || undefined, regime: forRegime });
      const replayer = new Replayer(documents);
      try {
        const replayed = await replayer.trace(seed, forRun, applied.decisions);
        // The inputs' content hashes, as the server's trace carries them, for the provenance line.
        return { trace: { ...replayed.trace, version: catalog.version, inputs: documents.inputs }, how: `replayed in this browser in ${Math.round(replayed.ms)} ms` };
      } finally {
        replayer.close();
      }
    };
    // Both asked for at once: a national twin's run takes the server seconds.
    const tracing = traceOf(regime, run, true);
    const versusTracing = beside ? traceOf(otherRegime, otherRun, whatBeside) : undefined;
    const blank = prepare(input, emptyTrace(input.twin), canvas);
    // A twin drawn as tiles has no member shapes to explain: its legend is the tiles' colour scale.
    if (blank.layout.mode !== 'members') root.querySelector('.legend')!.innerHTML = tileLegend();
    const drawn = draw(canvas, blank);
    (window as unknown as { strataDrawn: unknown }).strataDrawn = { ...drawn, crossings: 0, t: 0, loading: true };
    (window as unknown as { strataFirstRender: number }).strataFirstRender = performance.now();
    status.textContent = decide ? 'Computing the run with your decisions on the server…' : replay ? 'Replaying the run in your browser…' : 'Computing the run…';
    // Side by side is one screen's view: not offered in a tabletop, where participants would not see it.
    // Withdrawing the i-th decision in force leaves every other what-if as written, the refused ones with it (each
    // entry read alone, as interventions() reads the list: in order, valid or not).
    const inForce = what.slice(0, catalog.limits.decisions).flatMap((text, k) => (typeof parseDecision(text, context) === 'string' ? [] : [k]));
    const withdrawn = (i: number) => what.filter((_, k) => k !== inForce[i]);
    const said = whatIfBanner(banner, applied.decisions, applied.problems, input.zones, withdrawn, beside || session ? undefined : () => writeState('cascade', { versus: regime, whatBeside: '' }), () => clockNow());
    const first = await tracing;
    // How the run was computed is for an analyst, not a room: not said in a tabletop.
    if (first.how && !session) said(first.how);
    // Shown first, so projector mode sizes both canvases as a pair.
    if (versusTracing) root.querySelector<HTMLElement>('#versus-stage')!.hidden = false;
    view = prepare(input, first.trace, canvas);
    if (versusTracing) {
      const other = root.querySelector<HTMLCanvasElement>('#versus')!;
      // Beside it, the what-ifs apply only when asked (whatBeside): the same regime and run is then the run without them.
      const plainBeside = otherRun === run && otherRegime === regime && what.length > 0 && !whatBeside;
      const withWhat = what.length === 0 ? '' : whatBeside ? ' (with the same what-ifs)' : ' (without the what-ifs)';
      root.querySelector('#versus-title')!.textContent = plainBeside
        ? 'The same run without the what-ifs'
        : otherRun === run
          ? `The same run under ${otherRegime}${withWhat}`
          : `Run ${otherRun}${otherRegime === regime ? '' : ` under ${otherRegime}`}${withWhat}, on the same clock`;
      second = prepare(input, (await versusTracing).trace, other);
      // Named, so it is not read as the first run's (its strip and decisions are the first run's, below).
      root.querySelector('#versus-words')!.textContent = `${root.querySelector('#versus-title')!.textContent}: ${inWords(second.trace)}`;
    }
  } catch (error) {
    if (signal.aborted) return;
    status.textContent = `Could not load: ${(error as Error).message}`;
    status.className = 'error';
    return;
  }
  // A newer view took over while this one was loading: it owns the page now.
  if (signal.aborted) return;
  status.textContent = '';
  (window as unknown as { strataOutcome: unknown }).strataOutcome = view.trace.outcome;
  // A what-if's run is not the run: its line and its exports' names say so, with the decisions applied.
  const decided = appliedText !== '';
  const whatIf = decided ? appliedText : undefined;
  document.getElementById('provenance')!.textContent = provenance({ scenario, twin: view.trace.twin, regime, seed, run, version: view.trace.version ?? catalog.version, hashes: view.trace.inputs, whatIf });
  slider.max = String(view.trace.horizonMinutes);
  const playback = view.playback;
  // A facilitator's page reached by Back, Forward or a reload holds the address's clock, the last pause's: the
  // room's is the session's (sent from here, the old one set every screen back: a review).
  const roomClock = session && lead && navigatedHere() ? session : undefined;
  let t = Math.min(roomClock ? roomClock.t : whole('t', 0), view.trace.horizonMinutes);
  let playing = roomClock ? roomClock.playing : state.get('play') !== '0';
  /**
   * The clock for a view reloaded by a decision added or cleared: the time now (not the last pause's, which
   * rewound every screen of a tabletop), playing on — or, in a tabletop, as the room is: playing or paused.
   */
  /** The clock as it is, paused or playing: a view of the same run (a site alone, the whole twin) opens as this one is. */
  const clockAsIs = (): Record<string, string> => {
    keepScroll();
    return { t: String(Math.round(t)), play: playing ? '' : '0' };
  };
  const clockNow = (): Record<string, string> => ({ ...clockAsIs(), play: session && !playing ? '0' : '' });
  let last = performance.now();
  // A participant's screen plays at this many times the speed to keep to the facilitator's clock (tabletop.ts keepPace).
  let pace = 1;
  let shownCrossings = -1;
  const frameTimes: number[] = [];
  (window as unknown as { strataFrames: number[] }).strataFrames = frameTimes;

  // A tabletop's screens, and a room's projector, show the run up to the clock only: the strip, the ticks and the
  // run's totals (a facilitator who projected the run before starting the session gave its ending away: a trial).
  const upToClock = () => session !== undefined || document.body.classList.contains('projector');
  const strip = root.querySelector<HTMLElement>('#services')!;
  const drawStrip = () => {
    strip.replaceChildren();
    return clinicalStrip(strip, view.trace, () => document.getElementById('provenance')!.textContent ?? '', upToClock());
  };
  let services = drawStrip();
  canvasExports(
    root.querySelector('.stage')!,
    canvas,
    `cascade-${scenario}-run${run}${decided ? '-what-if' : ''}`,
    () => `${document.getElementById('provenance')!.textContent ?? ''} · at ${clock(t)}`,
    () => `minutes,kind,node,layer,from,from layer,detail\n${view.trace.events.filter((e) => e.crossing !== null).map((e) => [e.t, e.kind, view.trace.nodes[e.node!]?.id, view.trace.nodes[e.node!]?.layer, view.trace.nodes[e.from!]?.id, view.trace.nodes[e.from!]?.layer, e.detail ?? ''].join(',')).join('\n')}\n`,
  );
  const words = root.querySelector<HTMLElement>('#words')!;
  const totals = inWords(view.trace);
  const ending = `The run's totals are given when the clock reaches its end (${clock(view.trace.horizonMinutes)}).`;
  /** The run's totals, or in a room before the end what it waits for. */
  const sayWords = () => {
    const said = upToClock() && t < view.trace.horizonMinutes ? ending : totals;
    if (words.textContent !== said) words.textContent = said;
  };
  sayWords();
  const drawTicks = () => {
    root.querySelector('#timeline-key')!.firstChild!.textContent = upToClock() ? 'Under the slider, up to the clock: ' : 'Under the slider, over the whole run: ';
    return timeline(root.querySelector('#timeline')!, view.trace, view.input.zones, upToClock());
  };
  let ticks = drawTicks();
  decideForm(root.querySelector<HTMLFormElement>('#decide')!, view.input, kindList, what, () => t, { horizonMinutes: facts?.horizonMinutes ?? view.trace.horizonMinutes, threat: facts?.threat, isolated: (at) => isolations(view.zoneTrace, at) }, clockNow, session !== undefined);

  const drawTimes: number[] = [];
  (window as unknown as { strataDrawMs: number[] }).strataDrawMs = drawTimes;
  const render = () => {
    const start = performance.now();
    playback.seek(t);
    const drawn = draw(canvas, view);
    if (second) {
      second.playback.seek(t);
      (window as unknown as { strataVersus: unknown }).strataVersus = { ...draw(root.querySelector<HTMLCanvasElement>('#versus')!, second), crossings: second.playback.crossings.length, t };
    }
    drawTimes.push(performance.now() - start);
    if (drawTimes.length > 600) drawTimes.shift();
    // The bands' dot pitch too, for the browser tests (projector mode's fit).
    (window as unknown as { strataDrawn: unknown }).strataDrawn = { ...drawn, crossings: playback.crossings.length, t, pitch: view.layout.mode === 'members' ? view.layout.pitch : [] };
    slider.value = String(Math.round(t));
    clockOut.textContent = clock(t);
    services.cursor(t);
    ticks.cursor(t);
    clockMoved();
    // The member shown in the panel, in its state at this time (it kept the state of the click: a trial read a
    // disrupted member as "now healthy" days later, and after a rewind saw its future).
    if (inspected !== undefined) {
      const now = inspector.querySelector('.member-now');
      const said = 'tile' in inspected ? tileState(view, inspected.tile) : memberState(view, inspected.traced, inspected.member);
      if (now && now.textContent !== said) now.textContent = said;
    }
    sayWords();
    if (playback.crossings.length !== shownCrossings) {
      shownCrossings = playback.crossings.length;
      const recent = playback.crossings.slice(-200).reverse();
      ticker.innerHTML = recent.length === 0 ? NO_CROSSING : recent.map((i, j) => `<li${j === 0 ? ' class="new"' : ''} title="${escape(playback.describeIds(i))}">${escape(playback.describe(i))}</li>`).join('');
    }
  };
  /** Told of a change to the clock, play or speed made here (a tabletop's facilitator sends it on). */
  let changed = (): void => {};
  /** Told each time the clock is drawn (a tabletop's report shows this run's own figures at the end). */
  let clockMoved = (): void => {};
  /** Whether a room follows this screen (a session not yet ended). */
  let roomLive = (): boolean => false;
  /** What the panel shows: a member (its traced index, -1 for one the run never touched), a tile, or nothing. */
  let inspected: { traced: number; member: number } | { tile: number } | undefined;
  const setPlaying = (on: boolean) => {
    playing = on;
    playButton.textContent = on ? 'Pause' : 'Play';
    playButton.setAttribute('aria-label', on ? 'Pause (space)' : 'Play (space)');
    if (!on) writeState('cascade', { t: String(Math.round(t)), play: '0' }, false);
  };
  const frame = (now: number) => {
    if (!canvas.isConnected || signal.aborted) return;
    const dt = Math.min(0.1, (now - last) / 1000);
    last = now;
    if (playing) {
      frameTimes.push(now);
      if (frameTimes.length > 600) frameTimes.shift();
      t = Math.min(view.trace.horizonMinutes, t + dt * SPEEDS[speed]! * pace);
      if (t >= view.trace.horizonMinutes) {
        setPlaying(false);
        changed();
      }
      render();
    }
    requestAnimationFrame(frame);
  };
  /** Play or pause; Play at the end of the run plays it again from the start (it did nothing there: a trial). */
  const toggle = () => {
    if (!playing && t >= view.trace.horizonMinutes) {
      // In a session that sends every screen back to the start: asked first (one click did it unasked: a trial).
      if (lead && roomLive() && !window.confirm('Play the run again from the start, for the whole room?')) return;
      t = 0;
      render();
    }
    setPlaying(!playing);
    changed();
  };
  playButton.addEventListener('click', toggle);
  root.querySelector('#step')!.addEventListener('click', () => {
    setPlaying(false);
    t = playback.nextEventTime();
    render();
    changed();
  });
  slider.addEventListener('input', () => {
    setPlaying(false);
    t = Number(slider.value);
    render();
    changed();
  });
  const speedSelect = root.querySelector<HTMLSelectElement>('#speed')!;
  speedSelect.addEventListener('change', () => {
    speed = Number(speedSelect.value);
    writeState('cascade', { speed: String(speed) }, false);
    changed();
  });
  // A participant's clock is the facilitator's: no controls of its own (they left a screen out of step).
  if (following) {
    for (const control of [playButton, root.querySelector<HTMLButtonElement>('#step')!, slider, speedSelect]) control.disabled = true;
  }
  document.addEventListener('keydown', (event) => {
    if (following) return;
    const target = event.target as HTMLElement;
    if (['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON', 'A'].includes(target.tagName) && target !== canvas) return;
    if (event.key === ' ') {
      event.preventDefault();
      toggle();
    } else if (event.key === 'ArrowRight') {
      setPlaying(false);
      t = playback.nextEventTime();
      render();
      changed();
    } else if (event.key === 'ArrowLeft') {
      setPlaying(false);
      t = Math.max(0, t - 60);
      render();
      changed();
    }
  }, { signal });
  // Where the pointer is, said on hover: the member's kind and zone, or the tile (the canvas names no zone, and a
  // room could not tell the emergency department from imaging: a trial).
  canvas.addEventListener(
    'pointermove',
    (event) => {
      const rect = canvas.getBoundingClientRect();
      const hit = pick(view, ((event.clientX - rect.left) / rect.width) * view.layout.width, ((event.clientY - rect.top) / rect.height) * view.layout.height);
      const e = view.input.entries;
      const zone = hit === null ? -1 : e.zone[hit.entry]!;
      const said = hit === null ? '' : (hit.where ?? `${memberInWords({ kind: e.kind[hit.entry]!, layer: BANDS[e.layer[hit.entry]!]!, zone: zone >= 0 ? view.input.zones[zone]! : null, site: null })} — click for more`);
      if (canvas.title !== said) canvas.title = said;
    },
    { signal },
  );
  canvas.addEventListener('click', async (event) => {
    const rect = canvas.getBoundingClientRect();
    const hit = pick(view, ((event.clientX - rect.left) / rect.width) * view.layout.width, ((event.clientY - rect.top) / rect.height) * view.layout.height);
    if (hit === null) return;
    // A member or a tile, followed at the clock (a tile's counts had stayed those of the click: a review).
    inspected = hit.tile !== undefined ? { tile: hit.tile } : hit.traced === undefined || hit.member === undefined ? undefined : { traced: hit.traced, member: hit.member };
    inspector.textContent = 'Loading…';
    try {
      const detail = await api.entry(view.trace.twin, hit.id);
      inspector.innerHTML = describeEntry(detail, hit.state, view.trace.services, hit.where);
      // A tile of one kind in one zone is that zone and kind; a site's tile mixes kinds: the form below offers those.
      if (view.layout.mode === 'members' || view.layout.by !== 'site') whatIfButtons(inspector, detail, t, what, clockNow);
      // A tile stands for a site's members: they can be drawn one by one, the run and its clock kept.
      if (hit.site !== undefined && hit.site >= 0) {
        const site = view.input.sites[hit.site]!;
        const open = document.createElement('button');
        open.type = 'button';
        open.id = 'focus-site';
        open.textContent = `Show ${site}'s members`;
        open.addEventListener('click', () => writeState('cascade', { focus: site, ...clockAsIs() }));
        inspector.append(document.createElement('br'), open);
      }
    } catch (error) {
      inspector.textContent = (error as Error).message;
    }
  });
  // For the browser tests: where to click for a member (an id as the trace writes it), in the window's
  // coordinates as a click's are read (pick()); on an aggregated twin, the centre of its entry's tile.
  (window as unknown as { strataMemberAt: unknown }).strataMemberAt = (id: string): [number, number] | null => {
    const l = view.layout;
    const hash = id.lastIndexOf('#');
    const entry = view.input.entries.id.indexOf(hash < 0 ? id : id.slice(0, hash));
    if (entry < 0) return null;
    const box = l.mode === 'aggregate' ? l.tiles[l.tileOf[entry]!]?.box : undefined;
    const m = l.mode === 'members' ? l.entryStart[entry]! + (hash < 0 ? 0 : Number(id.slice(hash + 1))) : -1;
    const [x, y] = l.mode === 'members' ? [l.x[m]!, l.y[m]!] : box ? [box.x + box.w / 2, box.y + box.h / 2] : [NaN, NaN];
    const rect = canvas.getBoundingClientRect();
    return Number.isNaN(x) ? null : [rect.left + (x * rect.width) / l.width, rect.top + (y * rect.height) / l.height];
  };
  /** Sizes the canvases and the strip to the window (projector mode fits both on one screen) and redraws them. */
  const refit = () => {
    // The strip first: the canvases' height in projector mode leaves room for its chart. The ticks too: projector
    // mode shows them up to the clock.
    services = drawStrip();
    ticks = drawTicks();
    view = prepare(view.input, view.trace, canvas, view.playback);
    if (second) second = prepare(second.input, second.trace, root.querySelector<HTMLCanvasElement>('#versus')!, second.playback);
    render();
  };
  window.addEventListener('resize', refit, { signal });
  // Projector mode changes the page's colours, sizes and order: redraw in them at once, playing or not.
  window.addEventListener(
    'strata-theme',
    () => {
      arrange(root);
      refit();
    },
    { signal },
  );
  // In projector mode the canvas's height depends on what sits above it (a problem said, the what-ifs' banner, the
  // run's choices unfolded) and, beside another run, on that run's title and words: refitted when they change
  // size (the ended session's notice had pushed the chart below the fold: a review), and only if a height moves.
  const watched = ['#inputs', '#problems', '#whatif', '#focus', '#decide', '#versus-stage'].flatMap((q) => [...root.querySelectorAll(q)]);
  let refitting = false;
  const resized = new ResizeObserver(() => {
    if (refitting || !fitsScreen()) return;
    refitting = true;
    requestAnimationFrame(() => {
      refitting = false;
      const versus = root.querySelector<HTMLCanvasElement>('#versus')!;
      const stale = (c: HTMLCanvasElement) => c.style.height !== `${canvasHeightFor(c, Math.max(600, c.parentElement?.clientWidth ?? 1200))}px`;
      if (!signal.aborted && (stale(canvas) || (second !== undefined && stale(versus)))) refit();
    });
  });
  for (const element of watched) resized.observe(element);
  signal.addEventListener('abort', () => resized.disconnect());
  render();
  setPlaying(playing);
  requestAnimationFrame(frame);
  if (session) {
    const time = {
      t: () => t,
      end: () => view.trace.horizonMinutes,
      seek: (to: number) => {
        t = Math.min(Math.max(0, to), view.trace.horizonMinutes);
        render();
      },
      playing: () => playing,
      play: setPlaying,
      speed: () => speed,
      setSpeed: (index: number) => {
        speed = index;
        speedSelect.value = String(index);
      },
      rate: () => SPEEDS[speed]!,
      setPace: (to: number) => {
        pace = to;
      },
    };
    const room = tabletop(root.querySelector('#tabletop')!, session, lead, { scenario, twin, regime, seed, run, what: appliedList }, time, describeText, signal);
    changed = room.changed;
    clockMoved = room.moved;
    roomLive = room.live;
  }
  // A view reloaded by a decision opens where its reader was (every decision scrolled every screen to the top),
  // once the whole page is there to scroll.
  restoreScroll();
}

function emptyTrace(twin: string): TraceDoc {
  return { schema: 'strata.trace/v1', twin, scenario: '', regime: '', seed: 0, run: 0, horizonMinutes: 0, nodes: [], events: [], serviceStepMinutes: 0, services: [], outcome: {} };
}

/**
 * The page's order for the mode: in projector mode the clinical strip's chart comes right under the timeline (and
 * the run's status under it, where a room sees it), its sentence after the chart, then the timeline's key, the
 * what-if form and the panels; otherwise the strip comes last. The elements move in the page, not only on screen,
 * so Tab follows what the screen shows (a CSS order did not: a review).
 */
function arrange(root: HTMLElement): void {
  const [timeline, key, decide, split, tabletop, strip, status, words, chart, playback] = ['#timeline', '#timeline-key', '#decide', '.split', '#tabletop', '#strip', '#status', '#words', '#services', '#playback'].map((q) => root.querySelector<Element>(q));
  if (!timeline || !key || !decide || !split || !tabletop || !strip || !status || !words || !chart || !playback) return;
  // Moving an element takes its focus away (P pressed on the Report button left it on the page: a review).
  const focused = document.activeElement instanceof HTMLElement && root.contains(document.activeElement) ? document.activeElement : null;
  if (fitsScreen()) {
    timeline.after(status, strip, key, split, tabletop);
    chart.after(words);
    // A session's facilitator decides on the projected screen: the form under the clock, where the room sees it
    // taken (it sat below the fold, and using it scrolled the room away from the cascade: a trial).
    if (root.dataset.lead === '1') playback.after(decide);
    else key.after(decide);
  } else {
    timeline.after(key, decide, split, tabletop, strip, status);
    chart.before(words);
  }
  if (focused && document.activeElement !== focused) focused.focus({ preventScroll: true });
}

/**
 * Whether the page fits the cascade and the strip's chart on one screen: in projector mode, and on a tabletop
 * participant's screen (a laptop had to scroll to the strip the whole session: a trial).
 */
function fitsScreen(): boolean {
  return document.body.classList.contains('projector') || document.getElementById('view')?.classList.contains('following') === true;
}

/** The canvas's height: from its width, or where the page fits one screen (fitsScreen), what leaves the strip's chart on it. */
function canvasHeightFor(canvas: HTMLCanvasElement, width: number): number {
  if (!fitsScreen()) return canvasHeight(width);
  // A run beside another: the two share the screen, measured from the first's top, with the second's title and words.
  const versus = document.getElementById('versus-stage');
  const other = document.getElementById('versus');
  const first = document.getElementById('cascade') ?? canvas;
  // Everything between the first canvas's foot and the second stage's, but the second canvas: its title, its words, the margins.
  const pair = versus !== null && other !== null && !versus.hidden ? { extra: versus.getBoundingClientRect().bottom - first.getBoundingClientRect().bottom - other.getBoundingClientRect().height } : undefined;
  const chart = document.body.classList.contains('projector') ? projectorChart(window.innerHeight) : STRIP_HEIGHT;
  return projectorSizes(window.innerHeight, (pair ? first : canvas).getBoundingClientRect().top + window.scrollY, width, pair, chart).canvas;
}

function prepare(input: LayoutInput, trace: TraceDoc, canvas: HTMLCanvasElement, playback = new Playback(trace)): View {
  const width = Math.max(600, canvas.parentElement?.clientWidth ?? 1200);
  const height = canvasHeightFor(canvas, width);
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.height = `${height}px`;
  const l = layout(input, width, height);
  const entryIndex = new Map(input.entries.id.map((id, i) => [id, i]));
  const memberOf = Int32Array.from(trace.nodes, (n) => memberIndex(n.id, entryIndex, l.entryStart));
  const tileOf = l.mode === 'aggregate' ? Int32Array.from(memberOf, (m) => (m < 0 ? -1 : l.tileOf[entryOfMember(l.entryStart, m)]!)) : new Int32Array(0);
  // Each entry's centre: the twin's cross-layer edges are drawn faint between them.
  const centre = new Float32Array(input.entries.id.length * 2);
  if (l.mode === 'members') {
    for (let e = 0; e < input.entries.id.length; e++) {
      const from = l.entryStart[e]!;
      const to = l.entryStart[e + 1]!;
      for (let m = from; m < to; m++) {
        centre[e * 2]! += l.x[m]! / (to - from);
        centre[e * 2 + 1]! += l.y[m]! / (to - from);
      }
    }
  }
  const members = l.mode === 'members' ? l.x.length : 0;
  const zoneTrace = { ...trace, events: trace.events.filter((e) => e.kind === 'isolate-zone' || e.kind === 'intervention') };
  const offSize = l.mode === 'members' ? members : input.entries.id.length;
  const tileOff = new Float64Array(l.mode === 'aggregate' ? l.tiles.length : 0);
  return { input, layout: l, trace, playback, memberOf, entryIndex, tileOf, centre, cuts: disconnections(trace), off: new Uint8Array(offSize), offApplied: 0, tileOff, zoneTrace };
}

/** The view's members off the network at the playback's time (recomputed only when a disconnection is passed, either way). */
function offNow(view: View): Uint8Array {
  const l = view.layout;
  let applied = 0;
  while (applied < view.cuts.length && view.cuts[applied]!.t <= view.playback.time) applied++;
  if (applied !== view.offApplied) {
    const { kind, site, count } = view.input.entries;
    const sites = view.input.sites;
    const siteId = (e: number) => (site[e]! >= 0 ? sites[site[e]!]! : null);
    if (l.mode === 'members') offline(view.cuts, applied, (m) => kind[l.entryOf[m]!]!, (m) => siteId(l.entryOf[m]!), view.off);
    else {
      // An aggregated twin: by entry (an entry's members share its kind and site), then summed per tile.
      offline(view.cuts, applied, (e) => kind[e]!, siteId, view.off);
      view.tileOff.fill(0);
      for (let e = 0; e < view.off.length; e++) if (view.off[e] === 1 && l.tileOf[e]! >= 0) view.tileOff[l.tileOf[e]!]! += count[e]!;
    }
    view.offApplied = applied;
  }
  return view.off;
}

/**
 * Draws the bands, the members (or the aggregated tiles) and the risers of the crossings so far; returns
 * what it drew per band (dots or tiles, marks in a state other than healthy, members off the network), for tests and benches.
 */
export function draw(canvas: HTMLCanvasElement, view: View): { mode: string; dots: number[]; marks: number[]; off: number[] } {
  const dots = [0, 0, 0];
  const marks = [0, 0, 0];
  const offBand = [0, 0, 0];
  const ctx = canvas.getContext('2d')!;
  const { layout: l, playback, memberOf } = view;
  const ratio = canvas.width / l.width;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  const styles = getComputedStyle(document.body);
  ringColour = styles.getPropertyValue('--fg') || '#000';
  ctx.fillStyle = styles.getPropertyValue('--bg') || '#fff';
  ctx.fillRect(0, 0, l.width, l.height);
  l.bands.forEach((b) => {
    ctx.strokeStyle = styles.getPropertyValue('--line') || '#ddd';
    ctx.strokeRect(b.x + 0.5, b.y + 0.5, b.w - 1, b.h - 1);
  });
  if (l.mode === 'members') {
    // The twin's own cross-layer edges, faint: where a crossing can happen.
    const r = view.input.risers;
    ctx.strokeStyle = 'rgba(0, 114, 178, 0.07)';
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (let j = 0; j < r.from.length; j++) {
      ctx.moveTo(view.centre[r.from[j]! * 2]!, view.centre[r.from[j]! * 2 + 1]!);
      ctx.lineTo(view.centre[r.to[j]! * 2]!, view.centre[r.to[j]! * 2 + 1]!);
    }
    ctx.stroke();
    // Healthy members first, in one pass; then members in any other state on top, by shape. A member off the
    // network (a disconnection by the scenario's response or the room) is drawn hollow if healthy, faded if not:
    // its services have lost it (a trial's analysers looked healthy while pathology fell).
    const off = offNow(view);
    ctx.fillStyle = COLOURS.healthy;
    const hitMember = new Int8Array(l.x.length).fill(-1);
    for (let i = 0; i < memberOf.length; i++) if (memberOf[i]! >= 0 && (playback.state[i] !== HEALTHY || playback.flags[i] !== 0)) hitMember[memberOf[i]!] = 1;
    // A healthy member off the network is its square's outline (faded, it vanished from the band: a screenshot).
    ctx.strokeStyle = COLOURS.healthy;
    ctx.lineWidth = 1;
    for (let m = 0; m < l.x.length; m++) {
      dots[l.band[m]!]!++;
      if (off[m] === 1) offBand[l.band[m]!]!++;
      if (hitMember[m] === 1) continue;
      const s = l.size[l.band[m]!]! * 0.45;
      if (off[m] === 1) ctx.strokeRect(l.x[m]! - s / 2 - 0.5, l.y[m]! - s / 2 - 0.5, s + 1, s + 1);
      else ctx.fillRect(l.x[m]! - s / 2, l.y[m]! - s / 2, s, s);
    }
    for (let i = 0; i < memberOf.length; i++) {
      const m = memberOf[i]!;
      if (m < 0) continue;
      const state = playback.state[i]!;
      const flags = playback.flags[i]!;
      if (state === HEALTHY && flags === 0) continue;
      marks[l.band[m]!]!++;
      ctx.globalAlpha = off[m] === 1 ? OFF_ALPHA : 1;
      mark(ctx, l.x[m]!, l.y[m]!, Math.max(3, l.size[l.band[m]!]!), l.pitch[l.band[m]!]!, state, flags);
    }
    ctx.globalAlpha = 1;
    risers(ctx, view);
  } else {
    const hit = new Float64Array(l.tiles.length);
    for (let i = 0; i < memberOf.length; i++) {
      const tile = view.tileOf[i]!;
      const state = playback.state[i]!;
      if (tile < 0 || state === HEALTHY || state === RESTORED) continue;
      hit[tile]!++;
    }
    offNow(view);
    l.tiles.forEach((tile, j) => {
      dots[tile.band]!++;
      if (hit[j]! > 0) marks[tile.band]!++;
      offBand[tile.band]! += view.tileOff[j]!;
      const share = tile.members > 0 ? hit[j]! / tile.members : 0;
      ctx.fillStyle = share === 0 ? '#e3e3dc' : d3.interpolateOranges(0.25 + 0.75 * Math.min(1, share * 20));
      ctx.fillRect(tile.box.x, tile.box.y, tile.box.w, tile.box.h);
    });
    // A tile with members off the network is outlined, as a member off it is drawn hollow: its analysers are
    // a few percent of a site's devices, so a tile faded by the share did not show (a screenshot). Its panel
    // says how many.
    // Dark in both themes: the tiles are light, and projector mode's white outline vanished on them (a review).
    ctx.strokeStyle = OFF_OUTLINE;
    ctx.lineWidth = 1;
    l.tiles.forEach((tile, j) => {
      if (view.tileOff[j]! > 0) ctx.strokeRect(tile.box.x + 0.5, tile.box.y + 0.5, Math.max(1, tile.box.w - 1), Math.max(1, tile.box.h - 1));
    });
  }
  // The bands' titles last, on the page's background: risers crossing them drew over the words (a trial).
  // Larger on a projector (the page's text is; the canvas's stayed small: a trial), within the 26-px gap.
  const px = document.body.classList.contains('projector') ? 18 : 12;
  ctx.font = `${px}px system-ui, sans-serif`;
  l.bands.forEach((b, i) => {
    const title = BAND_TITLES[i]!;
    ctx.fillStyle = styles.getPropertyValue('--bg') || '#fff';
    ctx.fillRect(b.x + 2, b.y - px - 5, ctx.measureText(title).width + 4, px + 3);
    ctx.fillStyle = styles.getPropertyValue('--muted') || '#666';
    ctx.fillText(title, b.x + 4, b.y - 5);
  });
  return { mode: l.mode, dots, marks, off: offBand };
}

/** How opaque a member off the network, not healthy, is drawn. */
const OFF_ALPHA = 0.4;
/** The outline of an aggregated tile with members off the network. */
const OFF_OUTLINE = '#1d1d1b';

/** The ring of a detected member: the page's text colour, read at each draw (projector mode turns it white). */
let ringColour = '#000';

/**
 * A member's mark: colour and shape by state (triangle compromised, square disrupted, diamond restored), a ring
 * once detected, a cross when altered. Where the ring would reach into the next member's place (`pitch`, the
 * distance between members' centres), detection is the shape's outline instead: a dense band's rings overlapped
 * into a mesh (a trial).
 */
function mark(ctx: CanvasRenderingContext2D, x: number, y: number, size: number, pitch: number, state: number, flags: number): void {
  const r = size / 2 + 0.5;
  ctx.fillStyle = state === COMPROMISED ? COLOURS.compromised : state === DISRUPTED ? COLOURS.disrupted : state === RESTORED ? COLOURS.restored : COLOURS.healthy;
  shape(ctx, x, y, r, state);
  ctx.fill();
  if (flags & FLAG_ALTERED) {
    ctx.strokeStyle = COLOURS.altered;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.moveTo(x - r, y - r);
    ctx.lineTo(x + r, y + r);
    ctx.moveTo(x + r, y - r);
    ctx.lineTo(x - r, y + r);
    ctx.stroke();
  }
  if (flags & FLAG_DETECTED) {
    // The page's text colour: black rings vanished on projector mode's black (a trial).
    ctx.strokeStyle = ringColour;
    ctx.lineWidth = 1;
    // Around the shape's corners, not through them: a detected square read as a circle (a trial).
    const ring = r * Math.SQRT2 + 1.5;
    if (2 * ring <= pitch) {
      ctx.beginPath();
      ctx.arc(x, y, ring, 0, 2 * Math.PI);
    } else shape(ctx, x, y, r, state);
    ctx.stroke();
  }
}

/** The path of a state's shape (triangle, square, diamond, or a healthy member's dot) of half-size r at (x, y). */
function shape(ctx: CanvasRenderingContext2D, x: number, y: number, r: number, state: number): void {
  ctx.beginPath();
  if (state === COMPROMISED) {
    ctx.moveTo(x, y - r);
    ctx.lineTo(x + r, y + r);
    ctx.lineTo(x - r, y + r);
  } else if (state === DISRUPTED) ctx.rect(x - r, y - r, 2 * r, 2 * r);
  else if (state === RESTORED) {
    ctx.moveTo(x, y - r);
    ctx.lineTo(x + r, y);
    ctx.lineTo(x, y + r);
    ctx.lineTo(x - r, y);
  } else ctx.arc(x, y, r * 0.6, 0, 2 * Math.PI);
  ctx.closePath();
}

/** Each layer crossing so far as a riser between its two members; the last 20 bright, the rest faint. */
function risers(ctx: CanvasRenderingContext2D, view: View): void {
  const { layout: l, playback, memberOf, trace } = view;
  if (l.mode !== 'members') return;
  const list = playback.crossings;
  const start = Math.max(0, list.length - 400);
  for (let j = start; j < list.length; j++) {
    const e = trace.events[list[j]!]!;
    if (e.node === null || e.from === null) continue;
    const a = memberOf[e.from]!;
    const b = memberOf[e.node]!;
    if (a < 0 || b < 0) continue;
    const bright = j >= list.length - 20;
    ctx.strokeStyle = bright ? COLOURS.riser : 'rgba(0, 114, 178, 0.18)';
    ctx.lineWidth = bright ? 1.5 : 1;
    ctx.beginPath();
    ctx.moveTo(l.x[a]!, l.y[a]!);
    ctx.lineTo(l.x[b]!, l.y[b]!);
    ctx.stroke();
  }
}

function pick(view: View, x: number, y: number): { id: string; entry: number; state: string; traced?: number; member?: number; site?: number; where?: string; tile?: number } | null {
  const l = view.layout;
  if (l.mode === 'aggregate') {
    const tile = l.tiles.find((t) => x >= t.box.x && x <= t.box.x + t.box.w && y >= t.box.y && y <= t.box.y + t.box.h);
    if (!tile) return null;
    const index = l.tiles.indexOf(tile);
    const entry = l.tileOf.findIndex((t) => t === index);
    // The tile's band said (a site's tiles are one per band: "8 members" here, "9" once the site was opened: a
    // trial), and how many of its members are hit now, as its colour shows.
    const band = ['cloud', 'network', 'devices'][tile.band]!;
    const where = l.by === 'site' ? `site ${view.input.sites[tile.site] ?? '(none)'}, ${band}` : `${tile.kind} in zone ${view.input.zones[tile.zone] ?? '(none)'}`;
    return entry < 0 ? null : { id: view.input.entries.id[entry]!, entry, where, state: tileState(view, index), site: tile.site, tile: index };
  }
  let best = -1;
  let bestD = Infinity;
  for (let m = 0; m < l.x.length; m++) {
    const d = (l.x[m]! - x) ** 2 + (l.y[m]! - y) ** 2;
    if (d < bestD) {
      bestD = d;
      best = m;
    }
  }
  if (best < 0 || bestD > l.pitch[l.band[best]!]! ** 2 * 2) return null;
  const entry = l.entryOf[best]!;
  const k = best - l.entryStart[entry]!;
  const id = view.input.entries.count[entry]! > 1 ? `${view.input.entries.id[entry]}#${k}` : view.input.entries.id[entry]!;
  const traced = view.trace.nodes.findIndex((n) => n.id === id);
  return { id, entry, state: memberState(view, traced, best), traced, member: best };
}

/** A tile's members at the playback's time, in words: how many, how many hit, how many off the network. */
function tileState(view: View, index: number): string {
  const l = view.layout;
  if (l.mode !== 'aggregate') return '';
  let hit = 0;
  for (let i = 0; i < view.tileOf.length; i++) {
    const state = view.playback.state[i]!;
    if (view.tileOf[i] === index && state !== HEALTHY && state !== RESTORED) hit++;
  }
  offNow(view);
  const members = l.tiles[index]!.members;
  const off = view.tileOff[index]!;
  const offSaid = off > 0 ? `, ${off.toLocaleString('en-GB')} off the network` : '';
  return `${members.toLocaleString('en-GB')} ${members === 1 ? 'member' : 'members'}, ${hit.toLocaleString('en-GB')} compromised or down now${offSaid}`;
}

/** A member's state at the playback's time, in words: its traced index (-1: a member the run never touched) and its layout index. */
function memberState(view: View, traced: number, member: number): string {
  // Off the network (disconnected), or in a zone isolated from the others: a trial isolated trust/imaging and its
  // workstations' panel said nothing of it.
  const l = view.layout;
  const zone = l.mode === 'members' ? view.input.entries.zone[l.entryOf[member]!]! : -1;
  const isolated = zone >= 0 && isolatedZones(view.zoneTrace, view.playback.time).has(view.input.zones[zone]!) ? ', its zone isolated' : '';
  const off = (offNow(view)[member] === 1 ? ', off the network' : '') + isolated;
  if (traced < 0) return `healthy${off}`;
  return STATE_NAMES[view.playback.state[traced]!]! + (view.playback.flags[traced]! & FLAG_DETECTED ? ', detected' : '') + (view.playback.flags[traced]! & FLAG_ALTERED ? ', altered' : '') + off;
}

/** The node kinds a twin has, sorted: what a kinds decision may name. */
function twinKinds(input: LayoutInput): string[] {
  return [...new Set(input.entries.kind)].sort();
}

/** "What if…" buttons for a clicked node: isolate its zone, or disconnect every device of its kind, at the current time. */
function whatIfButtons(root: HTMLElement, detail: Record<string, unknown>, t: number, what: string[], clockNow: () => Record<string, string>): void {
  const add = (label: string, decision: string) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'whatif';
    b.textContent = label;
    // Taken at the time the node was clicked; the view reloads at the clock as it is now (clockNow).
    b.addEventListener('click', () => writeState('cascade', { what: formatWhatIf([...what, decision]), ...clockNow() }));
    root.append(document.createElement('br'), b);
  };
  const at = Math.round(t);
  if (typeof detail.zone === 'string') add(`What if zone ${detail.zone} had been isolated at ${clock(t)}?`, `isolate-zone:${detail.zone}@${at}`);
  add(`What if every ${String(detail.kind).replaceAll('-', ' ')} had been disconnected at ${clock(t)}?`, `disconnect-kinds:${String(detail.kind)}@${at}`);
}

/**
 * The banner over the canvas: each what-if in words with its time, and each one that cannot be applied with
 * why (not silently dropped). Returns a function that adds how the run was computed.
 */
function whatIfBanner(
  banner: HTMLElement,
  decisions: ReturnType<typeof interventions>['decisions'],
  problems: string[],
  zones: readonly string[],
  withdrawn: (i: number) => string[],
  showPlain: (() => void) | undefined,
  clockNow: () => Record<string, string>,
): (how: string) => void {
  if (decisions.length === 0 && problems.length === 0) return () => {};
  // Each decision with its own withdraw button (a room takes one back, not all); a participant's are hidden (style.css).
  const words = decisions
    .map((d, i) => {
      const said = `${escape(describeDecision(d.action, d.argument ?? 0, zones))} at ${clock(d.atMinutes)}`;
      // No space before the button: hidden on a participant's screen, it left "T+30h00 ; every…" (a trial).
      return `<span class="decision">${said}<button type="button" class="withdraw" data-index="${i}" title="Withdraw this decision" aria-label="Withdraw: ${said}">×</button></span>`;
    })
    .join('; ');
  const refused = problems.map((p) => `<li>not applied: ${escape(p)}</li>`).join('');
  // Beside it, the run without them (the same regime, seed and run): what the decisions changed, on one clock.
  const plain = showPlain && decisions.length > 0 ? ' <button type="button" id="whatif-plain">Show the run without them beside it</button>' : '';
  banner.innerHTML = `What if: ${words || '(none that apply: this is the plain run)'} <span id="whatif-time" role="status"></span> <button type="button" id="whatif-clear">Clear what-ifs</button>${plain}${refused ? `<ul class="whatif-problems">${refused}</ul>` : ''}`;
  banner.querySelector('#whatif-clear')!.addEventListener('click', () => writeState('cascade', { what: '', ...clockNow() }));
  for (const button of banner.querySelectorAll<HTMLButtonElement>('button.withdraw')) {
    button.addEventListener('click', () => writeState('cascade', { what: formatWhatIf(withdrawn(Number(button.dataset.index))), ...clockNow() }));
  }
  if (plain) banner.querySelector('#whatif-plain')!.addEventListener('click', showPlain!);
  return (how) => {
    if (how) banner.querySelector('#whatif-time')!.textContent = `(${how})`;
  };
}

/**
 * The room's decisions, any of the kernel's eleven (engine/batch/decisions.ts), added as what-ifs at a time
 * of the user's choosing (the playback's time by default): the action, its target where it takes one (a zone
 * of the twin, a kind of device it has, a number of staff), and the hour.
 */
function decideForm(
  form: HTMLFormElement,
  input: LayoutInput,
  kinds: string[],
  what: string[],
  now: () => number,
  run: { horizonMinutes: number; threat?: string; isolated: (at: number) => Map<string, { t: number; room: boolean }> },
  clockNow: () => Record<string, string>,
  inSession = false,
): void {
  form.innerHTML = `
    <label>${inSession ? 'The room decides to' : 'What if the room had decided to'} <select name="action">${INTERVENTION_ACTIONS.map((a) => `<option value="${a}">${ACTION_WORDS[a]}</option>`).join('')}</select></label>
    <label data-target="zone">zone ${
      // A national twin's 12,822 zones are typed, not scrolled (a trial): a list to search as one types.
      input.zones.length > ZONE_MENU_MAX
        ? `<input name="zone" list="zone-names" size="28" autocomplete="off" placeholder="type to search, e.g. ${escape(input.zones[0]!)}"><datalist id="zone-names">${input.zones.map((z) => `<option value="${escape(z)}"></option>`).join('')}</datalist>`
        : `<select name="zone">${input.zones.map((z) => `<option value="${escape(z)}">${escape(z)}</option>`).join('')}</select>`
    }</label>
    <label data-target="kinds">kind <select name="kind">${kinds.map((k) => `<option value="${escape(k)}">${escape(k.replaceAll('-', ' '))}</option>`).join('')}</select></label>
    <label data-target="staff">staff <input name="staff" type="number" min="1" max="${MAX_STAFF}" step="1" value="2" style="width:4em"></label>
    <label>at <input name="hour" type="text" size="10" title="the time as the clock says it (T+3d 4h00, 2h30) or in hours (76.5), up to ${clock(run.horizonMinutes)}, the run's end; blank: the clock's time now"></label>
    <button type="submit">${inSession ? 'Decide' : 'Add what-if'}</button> <span class="problems" id="decide-problem" role="status"></span>`;
  const action = form.querySelector<HTMLSelectElement>('select[name=action]')!;
  const hour = form.querySelector<HTMLInputElement>('input[name=hour]')!;
  const show = () => {
    const takes = targetOf(action.value as InterventionAction);
    for (const label of form.querySelectorAll<HTMLElement>('[data-target]')) label.hidden = label.dataset.target !== takes;
  };
  action.addEventListener('change', show);
  // Left blank, the hour is the clock's when the decision is added: said as "now" (a number there went stale as
  // the run played, and read as the hour the decision would take: a trial).
  hour.placeholder = 'now';
  show();
  // What cannot act here is not offered: zone actions on a twin with no zones, the update's on a scenario without one.
  for (const option of action.options) {
    const a = option.value as InterventionAction;
    // Hidden too: a greyed "halt the update" in WannaCry's list still read as on offer (a trial).
    option.disabled = option.hidden = (input.zones.length === 0 && targetOf(a) === 'zone') || ((a === 'halt-update' || a === 'resume-update') && run.threat !== undefined && run.threat !== 'faulty-update');
  }
  // The zones isolated at the clock, said in the list when it is opened (by the scenario's response or the room).
  const zoneSelect = form.querySelector<HTMLSelectElement | HTMLInputElement>('[name=zone]')!;
  const markIsolated = () => {
    if (!(zoneSelect instanceof HTMLSelectElement)) return;
    const isolated = run.isolated(now());
    for (const option of zoneSelect.options) {
      const was = isolated.get(option.value);
      const text = was ? `${option.value} (isolated at ${clock(was.t)} by ${was.room ? 'the room' : "the scenario's response"})` : option.value;
      if (option.textContent !== text) option.textContent = text;
    }
  };
  /** The names alone once the list is closed: a marked name, selected, widened the form to two lines and went stale as the clock moved (a review). */
  const unmark = () => {
    if (!(zoneSelect instanceof HTMLSelectElement)) return;
    for (const option of zoneSelect.options) if (option.textContent !== option.value) option.textContent = option.value;
  };
  zoneSelect.addEventListener('focus', markIsolated);
  zoneSelect.addEventListener('pointerdown', markIsolated);
  zoneSelect.addEventListener('change', unmark);
  zoneSelect.addEventListener('blur', unmark);
  // A changed choice is a new question: the last one's message and confirmation go (a review found "press again"
  // still said of a zone no longer chosen).
  const button = inSession ? 'Decide' : 'Add';
  const reset = () => {
    delete form.dataset.confirm;
    form.querySelector('#decide-problem')!.textContent = '';
  };
  form.addEventListener('change', reset);
  form.addEventListener('input', reset);
  if (action.selectedOptions[0]?.disabled) action.value = [...action.options].find((o) => !o.disabled)?.value ?? action.value;
  show();
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const a = String(data.get('action')) as InterventionAction;
    const problem = form.querySelector('#decide-problem')!;
    // The time as the clock says it, or hours: a run whose clock reads in days took hours only (a trial).
    const given = hour.value.trim() === '' ? now() : parseClock(hour.value);
    if (given === null || given > run.horizonMinutes) {
      problem.textContent = `At: expected a time within the run, as the clock says it (T+1d 4h00, 2h30) or in hours (28.5), up to ${clock(run.horizonMinutes)}; got "${hour.value.trim()}".`;
      return;
    }
    const minutes = Math.round(given);
    // In a tabletop a decision is the room's now: one dated before the clock rewrote what the room had already
    // watched (a trial). Analysts replaying a run outside a session may date one anywhere.
    if (inSession && minutes < Math.floor(now())) {
      // The clock when Add was pressed: it plays on under the message (a trial read it as out of date).
      problem.textContent = `In a session the room decides now or later: expected a time from ${clock(Math.floor(now()))}, the clock when you pressed ${button}; got "${hour.value.trim()}".`;
      return;
    }
    const takes = targetOf(a);
    const target = takes === 'zone' ? String(data.get('zone')).trim() : takes === 'kinds' ? data.get('kind') : takes === 'staff' ? data.get('staff') : null;
    if (takes === 'zone' && !input.zones.includes(String(target))) {
      problem.textContent = `Zone: expected one of the twin's zones (type part of its name to search); got "${String(target).slice(0, 60)}".`;
      return;
    }
    // A zone already isolated then: said, and added only if the button is pressed again for the same zone and
    // time as written ("now" while the clock plays is the same answer: keyed by the minute, a second press never matched).
    const already = a === 'isolate-zone' ? run.isolated(minutes).get(String(target)) : undefined;
    const asked = `${String(target)}@${hour.value.trim() || 'now'}`;
    if (already && form.dataset.confirm !== asked) {
      form.dataset.confirm = asked;
      // The kernel keeps a zone the room isolated isolated when the response's checks would lift it (responses.ts lift()).
      const effect = already.room ? 'isolating it again changes nothing' : "the room's decision changes nothing until the response is lifted, and keeps the zone isolated after";
      problem.textContent = `${String(target)} is already isolated then (at ${clock(already.t)}, by ${already.room ? 'the room' : "the scenario's response"}): ${effect}. Press ${button} again to add it anyway.`;
      return;
    }
    // The view reloads with it at the clock as it is now (clockNow: a decision taken while playing rewound every
    // screen to the last pause).
    writeState('cascade', { what: formatWhatIf([...what, `${a}${target === null ? '' : `:${String(target)}`}@${Math.max(0, minutes)}`]), ...clockNow() });
  });
}

/** A phrase that starts a sentence. */
function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Above this many zones the what-if form's zone is typed (with a list to search), not picked from a menu. */
const ZONE_MENU_MAX = 400;

/**
 * The node panel: the member in words as the ticker says it, its owner by name, its vulnerabilities with what
 * their source says of them, its services as the strip names them; its id last (the ids alone read as jargon to
 * a tabletop's executives: a trial). A tile's panel (`tile`: where it is; `state`: how many of its members are
 * hit) names one of its entries as an example.
 */
function describeEntry(d: Record<string, unknown>, state: string, services: TraceDoc['services'], tile?: string): string {
  const owner = d.owner as { id: string; kind: string | null; name: string | null };
  const vulns = d.vulns as { cve: string; score: number | null; source: string; share: number }[];
  const list = (xs: string[]) => (xs.length ? xs.map(escape).join(', ') : 'none');
  const member = memberInWords({ kind: String(d.kind), layer: String(d.layer), zone: (d.zone as string | null) ?? null, site: (d.site as string | null) ?? null });
  const alike = typeof d.count === 'number' && d.count > 1 ? `, one of ${d.count.toLocaleString('en-GB')} alike` : '';
  const named = typeof d.name === 'string' && d.name !== '' ? ` “${escape(d.name)}”` : '';
  const head = tile
    ? `<strong>${escape(capitalised(tile))}</strong>: <span class="member-now">${escape(state)}</span><br>One of its entries: ${escape(member)}${named}${alike}<br>`
    : `<strong>${escape(capitalised(member))}</strong>${named}${alike} — now <span class="member-now">${escape(state)}</span><br>`;
  const patients = d.patientsAttached;
  return `${head}
    Owner: ${escape(owner.name ?? owner.id)}${owner.kind ? ` (${escape(owner.kind)})` : ''}<br>
    Vulnerabilities: ${vulns.length ? `<ul class="vulns">${vulns.map((v) => `<li>${escape(vulnerabilityInWords(v))}</li>`).join('')}</ul>` : 'none known<br>'}
    Controls: ${list(d.controls as string[])}<br>Services: ${list((d.services as string[]).map((id) => serviceInWords(id, services)))}<br>
    Patients attached: ${escape(String(patients))}${typeof patients === 'number' && !Number.isInteger(patients) ? ' on average (a device is not always in use)' : ''}<br>
    <span class="member-id">Its id in the twin: ${escape(String(d.id))}</span>`;
}

/**
 * The aggregated view's legend: a tile's colour is the share of its members hit (compromised or disrupted now),
 * saturating at 5% (draw(): interpolateOranges(0.25 + 0.75 · min(1, 20 · share))); grey, none.
 */
function tileLegend(): string {
  const swatch = (label: string, colour: string, stroke = 'none') => `<span><svg width="14" height="14" viewBox="0 0 14 14"><rect x="0.5" y="0.5" width="13" height="13" fill="${colour}" stroke="${stroke}"/></svg> ${label}</span>`;
  const at = (share: number) => d3.interpolateOranges(0.25 + 0.75 * Math.min(1, share * 20));
  return [
    '<span>Each tile: one site’s members in a band, coloured by the share hit now —</span>',
    swatch('none', '#e3e3dc'),
    swatch('under 1%', at(0.005)),
    swatch('2.5%', at(0.025)),
    swatch('5% or more', at(0.05)),
    swatch('outlined: some of its members off the network', '#e3e3dc', OFF_OUTLINE),
  ].join('');
}

function legend(): string {
  const item = (label: string, shape: string) => `<span><svg width="14" height="14" viewBox="-7 -7 14 14">${shape}</svg> ${label}</span>`;
  return [
    item('healthy', `<rect x="-2.5" y="-2.5" width="5" height="5" fill="${COLOURS.healthy}"/>`),
    item('compromised', `<path d="M0,-6L6,6L-6,6Z" fill="${COLOURS.compromised}"/>`),
    item('disrupted', `<rect x="-5" y="-5" width="10" height="10" fill="${COLOURS.disrupted}"/>`),
    item('restored', `<path d="M0,-6L6,0L0,6L-6,0Z" fill="${COLOURS.restored}"/>`),
    item('detected<span class="aside"> (a ring, or an outline where members are dense)</span>', `<circle r="5" fill="none" stroke="currentColor"/>`),
    item('therapy or readings altered', `<path d="M-5,-5L5,5M5,-5L-5,5" stroke="${COLOURS.altered}" stroke-width="2"/>`),
    item('layer crossing', `<line x1="-6" y1="6" x2="6" y2="-6" stroke="${COLOURS.riser}" stroke-width="2"/>`),
    item('off the network<span class="aside"> (hollow, or faded)</span>', `<rect x="-3" y="-3" width="6" height="6" fill="none" stroke="${COLOURS.healthy}"/>`),
  ].join('');
}

/** What a tick stands for, in words (a trial read "detect" and "isolate-zone: trust/server" in the tooltips). */
const TICK_WORDS: Record<string, string> = {
  detect: 'detected',
  'isolate-zone': "the scenario's response, zone isolation",
  'revoke-identities': "the scenario's response, identities revoked",
  disconnect: "the scenario's response, devices off the network",
  'halt-update': "the scenario's response, the update halted",
  intervention: "the room's decision",
  action: "the attacker's action",
};

/** Detections, responses, the room's decisions and operator actions as ticks on a timeline under the slider. */
function timeline(svgElement: SVGSVGElement, trace: TraceDoc, zones: readonly string[], upToClock = false): { cursor: (t: number) => void } {
  const svg = d3.select(svgElement);
  const width = svgElement.clientWidth || 1000;
  const x = d3.scaleLinear().domain([0, trace.horizonMinutes]).range([4, width - 4]);
  // The room's own decisions (what-ifs) in red, beside the scenario's responses in blue.
  const kinds: Record<string, string> = { detect: 'currentColor', 'isolate-zone': '#0072B2', 'revoke-identities': '#0072B2', disconnect: '#0072B2', 'halt-update': '#0072B2', intervention: '#D55E00', action: '#E69F00' };
  const marks = trace.events.filter((e) => e.kind in kinds).slice(0, 5000);
  svg.selectAll('*').remove();
  // In a tabletop, the ticks up to the clock only: the scenario's later responses were there to hover at T+0.
  const clipId = `timeline-clip-${Math.random().toString(36).slice(2)}`;
  const soFar = svg.append('clipPath').attr('id', clipId).append('rect').attr('x', 0).attr('y', 0).attr('height', 22).attr('width', upToClock ? x(0) : width);
  svg
    .append('g')
    .attr('clip-path', `url(#${clipId})`)
    .selectAll('line')
    .data(marks)
    .join('line')
    .attr('x1', (e) => x(e.t))
    .attr('x2', (e) => x(e.t))
    .attr('y1', (e) => (e.kind === 'action' ? 2 : e.kind === 'detect' ? 8 : 14))
    .attr('y2', (e) => (e.kind === 'action' ? 8 : e.kind === 'detect' ? 14 : 20))
    .attr('stroke', (e) => kinds[e.kind]!)
    .append('title')
    // The room's decisions as the banner says them ("zone trust/server isolated", not "isolate-zone trust/server": a trial).
    .text((e) => `${clock(e.t)} ${TICK_WORDS[e.kind] ?? e.kind}${e.detail ? `: ${e.kind === 'intervention' ? describeDetail(e.detail, zones) : e.detail}` : ''}`);
  // A tick a hair past the clock is not shown yet (its own width aside).
  return { cursor: (t: number) => void (upToClock && soFar.attr('width', x(t) + 0.5)) };
}

/** Okabe–Ito's colours but black, with a grey for the eighth: one per service kind, the built-in kinds first. */
const SERVICE_PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#999999', '#F0E442'];
const SERVICE_KINDS = ['pathology', 'radiology', 'emergency', 'transfusion', 'elective-surgery', 'outpatients', 'diabetes', 'infusion'];

/** A service kind's colour: the built-in kinds each their own, another kind by its name (stable, may share one). */
export function serviceColour(kind: string): string {
  const known = SERVICE_KINDS.indexOf(kind);
  if (known >= 0) return SERVICE_PALETTE[known]!;
  let h = 0;
  for (let i = 0; i < kind.length; i++) h = (Math.imul(h, 31) + kind.charCodeAt(i)) | 0;
  return SERVICE_PALETTE[(h >>> 0) % SERVICE_PALETTE.length]!;
}

/** Kinds drawn dashed: the second of each pair of like colours (pathology's and outpatients' blues, radiology's and elective surgery's oranges). */
const DASHED_KINDS = new Set(['outpatients', 'elective-surgery', 'diabetes', 'infusion']);

/** A service kind's line dash ('' solid). */
function serviceDash(kind: string): string {
  return DASHED_KINDS.has(kind) ? '7 4' : '';
}

/** The strip's chart height off projector mode. */
const STRIP_HEIGHT = 176;

/** The services' capacity over time against their normal line, with a cursor at the current time. */
function clinicalStrip(root: HTMLElement, trace: TraceDoc, label: () => string, upToClock = false): { cursor: (t: number) => void } {
  if (trace.services.length === 0) {
    root.innerHTML = '<p>No service lost capacity in this run.</p>';
    if (!upToClock) return { cursor: () => {} };
    // In a tabletop that is the run's ending too: said as so far until the clock reaches it (a review).
    const said = root.querySelector('p')!;
    return { cursor: (t: number) => void (said.textContent = t >= trace.horizonMinutes ? 'No service lost capacity in this run.' : 'No service has lost capacity so far.') };
  }
  // Projector mode: type a room can read (the axis, labels and caption stayed ~10 px: a trial), and room for it.
  const big = document.body.classList.contains('projector');
  const font = big ? 18 : 11;
  const width = root.clientWidth || 900;
  const height = big ? projectorChart(window.innerHeight) : STRIP_HEIGHT;
  // Room on the right for each line's label (a service kind and its site: "elective-surgery (trust)" was cut).
  const margin = { top: 8, right: big ? 330 : 210, bottom: big ? 52 : 36, left: big ? 64 : 40 };
  // The eight that fell furthest; in a tabletop listed in the order they first lost capacity (by the worst first,
  // the second label's place said a worse service was coming: a review).
  const firstBelow = (s: { capacity: number[] }) => {
    const i = s.capacity.findIndex((c) => c < 1);
    return i < 0 ? Infinity : i;
  };
  const shown = stripLines(trace.services).sort((a, b) => (upToClock ? firstBelow(a) - firstBelow(b) : 0));
  const x = d3.scaleLinear().domain([0, trace.horizonMinutes / 60]).range([margin.left, width - margin.right]);
  const y = d3.scaleLinear().domain([0, 1]).range([height - margin.bottom, margin.top]);
  // A service kind keeps its colour whatever the run or the room's decisions (sorted by loss, the lines swapped
  // colours when a decision was taken: a trial), and none is black, which projector mode's black hid.
  const colour = serviceColour;
  const svg = d3.select(root).append('svg').attr('viewBox', `0 0 ${width} ${height}`).attr('role', 'img').attr('aria-label', 'Capacity of each kind of service that lost any, over time, the lowest of its sites at each time (1 = normal)');
  // Past two days the axis is in days, as the clock is (MedJack's 90 days ran to "2000h", and a week's "160h" sat
  // beside a clock at "T+2d 10h06": trials).
  const days = trace.horizonMinutes > 2 * 24 * 60;
  const axis = days ? d3.axisBottom(x).tickValues(d3.ticks(0, trace.horizonMinutes / 1440, 8).map((d) => d * 24)).tickFormat((h) => `${Number(h) / 24}d`) : d3.axisBottom(x).ticks(8).tickFormat((h) => `${h}h`);
  svg.append('g').attr('transform', `translate(0,${height - margin.bottom})`).call(axis).attr('font-size', font);
  svg.append('g').attr('transform', `translate(${margin.left},0)`).call(d3.axisLeft(y).ticks(4).tickFormat(d3.format('.0%'))).attr('font-size', font);
  svg.append('line').attr('x1', x(0)).attr('x2', x(trace.horizonMinutes / 60)).attr('y1', y(1)).attr('y2', y(1)).attr('stroke', '#999').attr('stroke-dasharray', '4 3');
  const step = trace.serviceStepMinutes / 60;
  const line = d3.line<number>().x((_, i) => x(i * step)).y((c) => y(c));
  // In a tabletop the lines are drawn up to the clock only: the whole run's curves told the room at T+0 how it ends (a trial).
  const clipId = `strip-clip-${Math.random().toString(36).slice(2)}`;
  const shownSoFar = svg.append('clipPath').attr('id', clipId).append('rect').attr('x', 0).attr('y', 0).attr('height', height).attr('width', upToClock ? x(0) : width);
  const lines = svg.append('g').attr('clip-path', `url(#${clipId})`);
  const labels: d3.Selection<SVGGElement, unknown, null, undefined>[] = [];
  const firstLoss: number[] = [];
  shown.forEach((s, i) => {
    const dash = serviceDash(s.kind);
    lines.append('path').datum(s.capacity).attr('fill', 'none').attr('stroke', colour(s.kind)).attr('stroke-width', big ? 3 : 1.5).attr('stroke-dasharray', dash).attr('d', line);
    // A kind lost at several sites is drawn once, at each time the lowest of them (stripLines); on hover, which
    // fell furthest.
    const full = s.sites > 1 ? `${s.kind}: at each time the lowest of the ${s.sites} sites that lost it (the furthest fallen: ${s.worst ?? 'none'})` : `${s.kind}${s.site ? ` (${s.site})` : ''}`;
    const said = s.sites > 1 ? `${s.kind} (lowest of ${s.sites})` : full;
    // In a tabletop a service is named once it has lost capacity: the list at T+0 said which would (a spoiler too).
    const lost = s.capacity.findIndex((c) => c < 1);
    firstLoss.push(lost < 0 ? Infinity : lost * trace.serviceStepMinutes);
    const shortened = said.length <= 32 ? said : `${said.slice(0, 31)}…`;
    const at = margin.top + font + i * (font + 4);
    // Each label with a sample of its line: colour and dash (two blues and two oranges read alike: a trial).
    const label = svg.append('g').attr('class', 'service-key');
    label.append('line').attr('x1', width - margin.right + 4).attr('x2', width - margin.right + 22).attr('y1', at - font / 3).attr('y2', at - font / 3).attr('stroke', colour(s.kind)).attr('stroke-width', big ? 3 : 1.5).attr('stroke-dasharray', dash);
    const text = label.append('text').attr('class', 'service-label').attr('x', width - margin.right + 26).attr('y', at).attr('fill', colour(s.kind)).attr('font-size', font).text(shortened);
    text.append('title').text(full);
    labels.push(label);
  });
  const cursor = svg.append('line').attr('y1', margin.top).attr('y2', height - margin.bottom).attr('stroke', 'currentColor').attr('stroke-width', big ? 2 : 1);
  const caption = svg.append('text').attr('x', margin.left).attr('y', height - 2).attr('font-size', big ? 14 : 9).attr('fill', big ? '#ccc' : '#666');
  queueMicrotask(() => caption.text(label()));
  exports(root, svg.attr('xmlns', 'http://www.w3.org/2000/svg').node()!, 'clinical strip', () => `hours,${shown.map((s) => s.id).join(',')}\n${shown[0]!.capacity.map((_, i) => [i * step, ...shown.map((s) => s.capacity[i])].join(',')).join('\n')}\n`);
  return {
    cursor: (t: number) => {
      cursor.attr('x1', x(t / 60)).attr('x2', x(t / 60));
      if (upToClock) {
        shownSoFar.attr('width', x(t / 60));
        labels.forEach((label, i) => label.attr('visibility', t >= firstLoss[i]! ? 'visible' : 'hidden'));
      }
    },
  };
}

/** The ticker before the run's first layer crossing (an empty box read as broken). */
const NO_CROSSING = '<li class="none">None so far in this run.</li>';

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
