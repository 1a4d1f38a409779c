/**
 * The view's state lives in the URL's hash (`#/cascade?scenario=…&t=…`), so a link reopens it exactly; the
 * token stays in the query part, which the views never write.
 */
export function route(): string {
  return location.hash.replace(/^#\/?/, '').split('?')[0] || 'cascade';
}

export function readState(): URLSearchParams {
  const hash = location.hash;
  const q = hash.indexOf('?');
  return new URLSearchParams(q < 0 ? '' : hash.slice(q + 1));
}

/** Merges `values` into the hash; `reload` false replaces it without re-rendering the view. */
export function writeState(view: string, values: Record<string, string>, reload = true): void {
  const state = view === route() ? readState() : new URLSearchParams();
  for (const [k, v] of Object.entries(values)) {
    if (v === '') state.delete(k);
    else state.set(k, v);
  }
  const hash = `#/${view}?${state}`;
  if (reload) {
    location.hash = hash;
    sessionStorage.setItem(WROTE_KEY, location.hash);
  } else history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);
}

/** The address this page last went to itself (writeState), as the browser reads it back. */
const WROTE_KEY = 'strata-wrote';

/**
 * Whether the address was reached by the browser — Back, Forward, an address typed or opened — rather than by
 * the page itself: a facilitator's Back changed the room's decisions and set its clock back (tabletop.ts).
 */
export function navigatedHere(): boolean {
  return sessionStorage.getItem(WROTE_KEY) !== location.hash;
}

/** A notice for the view the page is about to open (shown once, by takeNotice). */
const NOTICE_KEY = 'strata-notice';

export function leaveNotice(text: string): void {
  sessionStorage.setItem(NOTICE_KEY, text);
}

export function takeNotice(): string | null {
  const text = sessionStorage.getItem(NOTICE_KEY);
  sessionStorage.removeItem(NOTICE_KEY);
  return text;
}

/** What every chart carries: the inputs, the seed and the version that made it. */
export function provenance(p: { scenario: string; twin: string; regime: string; seed: number; run?: number; version: string; batch?: string; hashes?: Record<string, string>; whatIf?: string }): string {
  const hashes = p.hashes ? ` · twin ${p.hashes.twinHash?.slice(0, 12)} scenario ${p.hashes.scenarioHash?.slice(0, 12)} regime ${p.hashes.regimeHash?.slice(0, 12)}` : '';
  // A run with the room's decisions (what-ifs) is named as one: `what-if isolate-zone:trust/lab@100,…`.
  const whatIf = p.whatIf ? ` · what-if ${p.whatIf}` : '';
  return `${p.scenario} on ${p.twin} · regime ${p.regime} · seed ${p.seed}${p.run !== undefined ? ` · run ${p.run}` : ''}${whatIf}${p.batch ? ` · batch ${p.batch}` : ''} · Strata ${p.version}${hashes}`;
}

/** Where the page was scrolled, kept across a reload a decision makes. */
const SCROLL_KEY = 'strata-scroll';

/** Keeps the page's scroll for the view a decision is about to reload (every decision scrolled every screen to the top). */
export function keepScroll(): void {
  sessionStorage.setItem(SCROLL_KEY, String(window.scrollY));
}

/** Scrolls a view reloaded by a decision back to where its reader was. */
export function restoreScroll(): void {
  const scrolled = sessionStorage.getItem(SCROLL_KEY);
  if (scrolled === null) return;
  sessionStorage.removeItem(SCROLL_KEY);
  window.scrollTo(0, Number(scrolled));
}
