import type { MetricSummary } from '../../engine/stats/summarize.js';
import type { LayoutInput } from './layout.js';
import type { TraceDoc } from './playback.js';
import type { Report, SessionState } from '../../server/sessions.js';

/**
 * The server's JSON API (server/app.ts). The token comes from the URL `strata serve` prints (`?token=…`); it
 * is kept in this tab only and sent with the requests that start or cancel work.
 */
const TOKEN_KEY = 'strata-token';

export function token(): string | null {
  const fromUrl = new URLSearchParams(location.search).get('token');
  if (fromUrl) sessionStorage.setItem(TOKEN_KEY, fromUrl);
  return fromUrl ?? sessionStorage.getItem(TOKEN_KEY);
}

export class ApiError extends Error {}

async function json<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => ({}))) as T & { error?: string };
  if (!response.ok) throw new ApiError(body.error ?? `${response.status} ${response.statusText}`);
  return body;
}

export interface Catalog {
  version: string;
  twins: string[];
  scenarios: string[];
  regimes: string[];
  /** Each scenario's own twin (its `twin` field). */
  defaultTwins: Record<string, string>;
  /** Each scenario's horizon in minutes and threat kind (what a what-if is checked against), and its title. */
  scenarioFacts: Record<string, { horizonMinutes: number; threat: string; title: string }>;
  limits: { runs: number; decisions: number };
}

export const api = {
  catalog: async (): Promise<Catalog> => json(await fetch('/api/catalog')),
  layout: async (twin: string): Promise<LayoutInput> => json(await fetch(`/api/layout?twin=${encodeURIComponent(twin)}`)),
  entry: async (twin: string, id: string): Promise<Record<string, unknown>> => json(await fetch(`/api/entry?twin=${encodeURIComponent(twin)}&id=${encodeURIComponent(id)}`)),
  trace: async (q: { scenario: string; twin?: string; regime: string; seed: number; run: number; decide?: readonly string[] }): Promise<TraceDoc> => {
    const params = new URLSearchParams({ scenario: q.scenario, regime: q.regime, seed: String(q.seed), run: String(q.run) });
    if (q.twin) params.set('twin', q.twin);
    for (const d of q.decide ?? []) params.append('decide', d);
    return json(await fetch(`/api/trace?${params}`));
  },
  inputs: async (q: { scenario: string; twin?: string; regime: string }): Promise<{ twin: unknown; scenario: unknown; regime: unknown; inputs: { twinHash: string; scenarioHash: string; regimeHash: string } }> => {
    const params = new URLSearchParams({ scenario: q.scenario, regime: q.regime });
    if (q.twin) params.set('twin', q.twin);
    return json(await fetch(`/api/inputs?${params}`, { headers: { 'x-strata-token': token() ?? '' } }));
  },
  batches: async (): Promise<BatchInfo[]> => json(await fetch('/api/batches')),
  fan: async (q: { scenario: string; twin: string; regime: string; seed: number; runs: number }): Promise<Fan> =>
    json(await fetch(`/api/fan?${new URLSearchParams({ scenario: q.scenario, twin: q.twin, regime: q.regime, seed: String(q.seed), runs: String(q.runs) })}`, { headers: { 'x-strata-token': token() ?? '' } })),
  batch: async (id: string): Promise<BatchInfo & { summaries: Record<string, Summary> | null }> => json(await fetch(`/api/batches/${encodeURIComponent(id)}`)),
  runs: async (id: string, metric: string): Promise<{ metric: string; runs: number[]; values: (number | null)[] }> =>
    json(await fetch(`/api/batches/${encodeURIComponent(id)}/runs?metric=${encodeURIComponent(metric)}`)),
  group: async (id: string): Promise<GroupResult> => json(await fetch(`/api/groups/${encodeURIComponent(id)}`)),
  start: async (body: { scenario: string; twin?: string; regime: string; runs: number; seed: number }): Promise<{ job: string; batch: string }> =>
    json(await fetch('/api/batches', { method: 'POST', headers: { 'content-type': 'application/json', 'x-strata-token': token() ?? '' }, body: JSON.stringify(body) })),
  cancel: async (job: string): Promise<unknown> => json(await fetch(`/api/jobs/${job}`, { method: 'DELETE', headers: { 'x-strata-token': token() ?? '' } })),
  /** Tabletop sessions (server/sessions.ts): started, driven and reported with the token, followed without it. */
  startSession: async (body: { scenario: string; twin?: string; regime: string; seed: number; run: number }): Promise<SessionState> =>
    json(await fetch('/api/sessions', { method: 'POST', headers: { 'content-type': 'application/json', 'x-strata-token': token() ?? '' }, body: JSON.stringify(body) })),
  session: async (id: string): Promise<SessionState> => json(await fetch(`/api/sessions/${encodeURIComponent(id)}`, { headers: { 'x-strata-token': token() ?? '' } })),
  driveSession: async (id: string, body: { what?: string[]; t?: number; playing?: boolean; speed?: number }): Promise<SessionState> =>
    json(await fetch(`/api/sessions/${encodeURIComponent(id)}`, { method: 'PATCH', headers: { 'content-type': 'application/json', 'x-strata-token': token() ?? '' }, body: JSON.stringify(body) })),
  report: async (id: string, runs: number): Promise<Report> =>
    json(await fetch(`/api/sessions/${encodeURIComponent(id)}/report`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-strata-token': token() ?? '' }, body: JSON.stringify({ runs }) })),
  endSession: async (id: string): Promise<unknown> => json(await fetch(`/api/sessions/${encodeURIComponent(id)}`, { method: 'DELETE', headers: { 'x-strata-token': token() ?? '' } })),
  /** A session's changes as server-sent events: a participant follows without the token (and is sent what it may see so far), the facilitator with it (in the query). */
  sessionEvents: (id: string, lead: boolean): EventSource =>
    new EventSource(`/api/sessions/${encodeURIComponent(id)}/events${lead ? `?token=${encodeURIComponent(token() ?? '')}` : ''}`),
  /** Progress of a job as server-sent events (EventSource cannot send headers: the token goes in the query). */
  events: (job: string): EventSource => new EventSource(`/api/jobs/${job}/events?token=${encodeURIComponent(token() ?? '')}`),
};

export interface BatchInfo {
  id: string;
  kind: string;
  groupId: string | null;
  label: string | null;
  twin: string;
  scenario: string;
  regime: string;
  seed: number;
  runs: number;
  /** Runs the store holds: fewer than `runs` while a batch runs, or once it was interrupted. */
  storedRuns?: number;
  status: string;
  version: string;
  hashes?: { twinHash: string; scenarioHash: string; regimeHash: string };
  /** What its command set over the named documents (`calibration=FILE`, `path=value`); null: not recorded. */
  settings?: string[] | null;
  metricNames?: string[];
  createdAt?: string;
}

export type Summary = MetricSummary;

export interface Paired {
  meanDifference: number;
  ci95: [number, number];
  pairing: string;
  n: number;
}

export interface GroupResult {
  group: string;
  kind: string;
  batches: { id: string; label: string | null; regime: string; runs: number; summaries: Record<string, Summary | null> | null }[];
  differences: { label: string; against: string; metrics: Record<string, Paired | null> }[];
  /** A sensitivity design's: per batch, each metric's mean run-by-run change from the point before (null at a trajectory's start). */
  steps?: (Record<string, number | null> | null)[];
}

export interface Fan {
  scenario: string;
  twin: string;
  regime: string;
  seed: number;
  runs: number;
  version: string;
  inputs: { twinHash: string; scenarioHash: string; regimeHash: string };
  hours: number[];
  series: { what: string; layer: string; median: number[]; lower: number[]; upper: number[] }[];
}

export type { Report, SessionState };
