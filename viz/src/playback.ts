/**
 * A run's trace replayed at any time t (pure; tested in test/viz/playback.test.ts): each drawn member's state,
 * whether it has been detected, altered, or is off the network, and the layer crossings so far for the ticker.
 * Scrubbing forward applies the events in between; scrubbing back replays from the start (a trace has at
 * most a few hundred thousand events, replayed in milliseconds).
 */

export interface TraceEvent {
  t: number;
  kind: string;
  node: number | null;
  from: number | null;
  detail: string | null;
  crossing: 'up' | 'down' | null;
}

export interface TraceDoc {
  schema: string;
  twin: string;
  scenario: string;
  regime: string;
  seed: number;
  run: number;
  version?: string;
  /** The content hashes of the twin, scenario and regime the run came from. */
  inputs?: { twinHash: string; scenarioHash: string; regimeHash: string };
  horizonMinutes: number;
  nodes: { id: string; layer: string; kind: string; zone: string | null; site: string | null }[];
  events: TraceEvent[];
  serviceStepMinutes: number;
  services: { id: string; kind: string; unit: string; demandPerHour: number; site: string | null; capacity: number[] }[];
  outcome: Record<string, number | null>;
}

export const HEALTHY = 0;
export const COMPROMISED = 1;
export const DISRUPTED = 2;
export const RESTORED = 3;

export const FLAG_DETECTED = 1;
export const FLAG_ALTERED = 2;

const RELATION_WORDS: Record<string, string> = { network: 'the network', radio: 'radio', data: 'a data flow', identity: 'credentials', update: 'an update', management: 'a management link' };

export class Playback {
  /** Per trace node: state and flags now. */
  readonly state: Uint8Array;
  readonly flags: Uint8Array;
  /** Index of the next event to apply; time applied up to. */
  cursor = 0;
  time = 0;
  /** Crossing events applied so far (indices into trace.events), newest last. */
  readonly crossings: number[] = [];

  constructor(readonly trace: TraceDoc) {
    this.state = new Uint8Array(trace.nodes.length);
    this.flags = new Uint8Array(trace.nodes.length);
  }

  /** Moves to time t: every event at or before t applied, none after. */
  seek(t: number): void {
    if (t < this.time) this.reset();
    const events = this.trace.events;
    while (this.cursor < events.length && events[this.cursor]!.t <= t) this.apply(this.cursor++);
    this.time = t;
  }

  reset(): void {
    this.state.fill(HEALTHY);
    this.flags.fill(0);
    this.cursor = 0;
    this.time = 0;
    this.crossings.length = 0;
  }

  /** The time of the next event after the current time (for stepping), or the horizon. */
  nextEventTime(): number {
    const events = this.trace.events;
    let i = this.cursor;
    while (i < events.length && events[i]!.t <= this.time) i++;
    return i < events.length ? events[i]!.t : this.trace.horizonMinutes;
  }

  private apply(i: number): void {
    const e = this.trace.events[i]!;
    const node = e.node;
    if (node !== null) {
      if (e.kind === 'compromise' || e.kind === 'entry') this.state[node] = Math.max(this.state[node]!, COMPROMISED);
      else if (e.kind === 'disrupt') this.state[node] = DISRUPTED;
      else if (e.kind === 'restore') {
        this.state[node] = RESTORED;
        this.flags[node]! &= ~FLAG_ALTERED;
      } else if (e.kind === 'detect') this.flags[node]! |= FLAG_DETECTED;
      else if (e.kind === 'alter') this.flags[node]! |= FLAG_ALTERED;
    }
    if (e.crossing !== null) this.crossings.push(i);
  }

  /**
   * A crossing in words, each member by its kind and where it is: "T+2h14 a PACS in trust/imaging (network) → a
   * radiology workstation in trust/imaging (devices) via a data flow" (the members' ids read as jargon to a
   * tabletop's executives: a trial; describeIds gives them).
   */
  describe(i: number): string {
    const e = this.trace.events[i]!;
    const nodes = this.trace.nodes;
    const member = (n: TraceDoc['nodes'][number] | undefined) => (n ? memberInWords(n) : '?');
    const how = e.detail ? ` via ${RELATION_WORDS[e.detail] ?? e.detail}` : '';
    const what = e.kind === 'disrupt' ? ' fails' : '';
    return `${clock(e.t)} ${member(e.from === null ? undefined : nodes[e.from])} → ${member(e.node === null ? undefined : nodes[e.node])}${what}${how}`;
  }

  /** A crossing by the members' ids: "T+2h14 pacs (network) → radiology-workstations#3 (physical) via a data flow". */
  describeIds(i: number): string {
    const e = this.trace.events[i]!;
    const nodes = this.trace.nodes;
    const to = e.node === null ? undefined : nodes[e.node];
    const from = e.from === null ? undefined : nodes[e.from];
    const how = e.detail ? ` via ${RELATION_WORDS[e.detail] ?? e.detail}` : '';
    const what = e.kind === 'disrupt' ? ' fails' : '';
    return `${clock(e.t)} ${from ? `${from.id} (${from.layer})` : '?'} → ${to ? `${to.id} (${to.layer})` : '?'}${what}${how}`;
  }

  /** Counts of drawn members per state, per layer (cloud, network, physical). */
  counts(): number[][] {
    const out = [0, 1, 2].map(() => [0, 0, 0, 0]);
    const layer = { cloud: 0, network: 1, physical: 2 } as Record<string, number>;
    this.trace.nodes.forEach((n, i) => out[layer[n.layer]!]![this.state[i]!]!++);
    return out;
  }
}

/** A member by its kind and where it is, as the ticker and the node panel say it: "a lab analyser in trust/lab (devices)". */
export function memberInWords(n: { kind: string; layer: string; zone: string | null; site: string | null }): string {
  const words = KIND_WORDS[n.kind] ?? n.kind.replaceAll('-', ' ');
  const where = n.zone ?? n.site;
  return `${/^[aeiou]/i.test(words) ? 'an' : 'a'} ${words}${where ? ` in ${where}` : ''} (${LAYER_WORDS[n.layer] ?? n.layer})`;
}

/**
 * A vulnerability as the node panel says it: its CVE, its CVSS base score, the share of the entry's members that
 * carry it when not all, and its source as the twin gives it ("CVE-2017-0144, CVSS 8.1; source: NVD
 * CVE-2017-0144 (MS17-010, SMBv1; exploited by WannaCry, May 2017)"). A bare CVE number told a room nothing (a
 * trial); a source's last parentheses, read as what the flaw is, were sometimes a rating's note (a review).
 */
export function vulnerabilityInWords(v: { cve: string; score: number | null; source: string; share?: number }): string {
  const some = v.share !== undefined && v.share < 1 ? `, in ${Math.round(v.share * 100)}% of them` : '';
  return `${v.cve}, CVSS ${v.score ?? 'not scored'}${some}${v.source ? `; source: ${v.source}` : ''}`;
}

/**
 * A service as the clinical strip labels it ("pathology (trust)"): from the run's services if it lost capacity,
 * else from its id as the twins write it (site/kind).
 */
export function serviceInWords(id: string, services: readonly { id: string; kind: string; site: string | null }[]): string {
  const s = services.find((x) => x.id === id);
  if (s) return `${s.kind}${s.site ? ` (${s.site})` : ''}`;
  const slash = id.lastIndexOf('/');
  return slash > 0 && slash < id.length - 1 ? `${id.slice(slash + 1)} (${id.slice(0, slash)})` : id;
}

/** The layers as the cascade's bands name them. */
const LAYER_WORDS: Record<string, string> = { cloud: 'cloud', network: 'network', physical: 'devices' };

/** Kinds whose name is an abbreviation or reads better otherwise; any other kind is its id in words. */
const KIND_WORDS: Record<string, string> = { pacs: 'PACS', ehr: 'EHR', 'vpn-gateway': 'VPN gateway', 'wifi-ap': 'Wi-Fi access point', 'ble-gateway': 'Bluetooth gateway', 'vendor-api': 'vendor API', 'gp-system': 'GP system', 'gp-workstation': 'GP workstation' };

/**
 * A time the room writes, in minutes: as the clock says it ("T+3d 4h00", "T+2h14"), in days and hours ("3d",
 * "3d 4h", "2h30", "90min"), or a bare number of hours ("76.5"). null when it is none of these. A run whose clock
 * reads in days took hours only (a trial worked out day 3 at 08:00 as hour 56 for MedJack's form).
 */
export function parseClock(text: string): number | null {
  const given = text.trim();
  // Short, and one space at most between parts: a long pasted string froze the page in the pattern's
  // backtracking (800 spaces: 15 s, a review).
  if (given.length > 40) return null;
  const match = /^(?:t ?\+ ?)?(?:(\d+(?:\.\d+)?) ?d(?:ays?)?)? ?(?:(\d+(?:\.\d+)?) ?h(?:ours?)?)? ?(?:(\d+(?:\.\d+)?) ?(m|min|mins|minutes?)?)?$/i.exec(given);
  if (!match) return null;
  const [, days, hours, last, unit] = match;
  if (days === undefined && hours === undefined && last === undefined) return null;
  // A bare number after days is neither hours nor minutes for sure.
  if (days !== undefined && hours === undefined && last !== undefined && unit === undefined) return null;
  // Within the part above, as the clock writes them ("2h90", "1d 30h" are typing slips: a review).
  if (days !== undefined && hours !== undefined && Number(hours) >= 24) return null;
  if ((days !== undefined || hours !== undefined) && last !== undefined && Number(last) >= 60) return null;
  // A bare number is hours unless it follows the hours ("2h30") or says minutes ("90min").
  const lastMinutes = last === undefined ? 0 : unit !== undefined || hours !== undefined || days !== undefined ? Number(last) : 60 * Number(last);
  return 1440 * Number(days ?? 0) + 60 * Number(hours ?? 0) + lastMinutes;
}

/** Minutes as "T+2h14" (or "T+3d 4h" past two days). */
export function clock(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  const h = Math.floor(m / 60);
  // Past two days the day is said too, the minutes kept (a decision log read "T+2d 4h" for 4h05).
  if (h >= 48) return `T+${Math.floor(h / 24)}d ${h % 24}h${String(m % 60).padStart(2, '0')}`;
  return `T+${h}h${String(m % 60).padStart(2, '0')}`;
}

/**
 * What is still wrong when the run ends: each service kind still below 90% of normal at the horizon (its
 * lowest service of that kind, lowest first), and the zones still isolated — by the scenario's responses
 * or the room's decisions, less those lifted or reconnected. A run whose devices were all restored can end
 * with its services held down by isolation and disconnection (a trial read "0 still down at the end" beside
 * a strip at 50%).
 */
export function atEnd(trace: TraceDoc): { services: { kind: string; capacity: number }[]; zonesIsolated: number } {
  const lowest = new Map<string, number>();
  for (const service of trace.services) {
    const last = service.capacity.at(-1);
    if (last === undefined || last >= 0.9) continue;
    lowest.set(service.kind, Math.min(last, lowest.get(service.kind) ?? 1));
  }
  const isolated = isolatedZones(trace, Infinity);
  const services = [...lowest].map(([kind, capacity]) => ({ kind, capacity })).sort((a, b) => a.capacity - b.capacity || a.kind.localeCompare(b.kind));
  return { services, zonesIsolated: isolated.size };
}

/** The zones isolated at time t, by the scenario's responses or the room's decisions, less those lifted or reconnected by then. */
export function isolatedZones(trace: TraceDoc, t: number): Set<string> {
  return new Set(isolations(trace, t).keys());
}

/**
 * isolatedZones() with, for each zone, when it was isolated and whether by the room (a decision) or by the
 * scenario's response: the what-if form says a zone already isolated (a room isolated trust/server, which the
 * trust's response had isolated two hours before, and nothing said why the decision changed nothing: a trial).
 */
export function isolations(trace: TraceDoc, t: number): Map<string, { t: number; room: boolean }> {
  const isolated = new Map<string, { t: number; room: boolean }>();
  for (const e of trace.events) {
    if (e.t > t) break;
    if (e.detail === null) continue;
    if (e.kind === 'isolate-zone') {
      if (e.detail.endsWith(' (lifted)')) isolated.delete(e.detail.slice(0, -' (lifted)'.length));
      else if (!isolated.has(e.detail)) isolated.set(e.detail, { t: e.t, room: false });
    } else if (e.kind === 'intervention') {
      const zone = e.detail.startsWith('isolate-zone ') ? e.detail.slice('isolate-zone '.length) : null;
      if (zone !== null && !isolated.has(zone)) isolated.set(zone, { t: e.t, room: true });
      else if (e.detail.startsWith('reconnect-zone ')) isolated.delete(e.detail.slice('reconnect-zone '.length));
    }
  }
  return isolated;
}

/** "a", "a and b", "a, b and c". */
function listed(items: readonly string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}` : (items[0] ?? '');
}

/** How many service kinds the end-of-run words name before "and N more". */
const END_KINDS_NAMED = 5;

/** The end of the run in words: services still below 90% by kind (grouped by their rounded share) and zones still isolated; '' when nothing is. */
export function endInWords(trace: TraceDoc): string {
  const { services, zonesIsolated } = atEnd(trace);
  const zones = zonesIsolated === 0 ? '' : `${zonesIsolated.toLocaleString('en-GB')} ${zonesIsolated === 1 ? 'zone' : 'zones'} still isolated`;
  if (services.length === 0) return zones === '' ? '' : `at the end of the run ${zones}, though every service was back above 90% of normal`;
  const named = services.slice(0, END_KINDS_NAMED);
  // Kinds at the same rounded share are said together: "radiology and pathology at 44%".
  const groups: { kinds: string[]; percent: number }[] = [];
  for (const { kind, capacity } of named) {
    // Below 90% said so: 0.8996 rounded read "at 90%" among services "still below 90%" (a review).
    const percent = Math.min(89, Math.round(100 * capacity));
    const group = groups.at(-1);
    if (group?.percent === percent) group.kinds.push(kind.replaceAll('-', ' '));
    else groups.push({ kinds: [kind.replaceAll('-', ' ')], percent });
  }
  const parts = groups.map((g, i) => (i === 0 ? `${listed(g.kinds)} ${g.kinds.length > 1 ? 'were' : 'was'} at ${g.percent}% of normal` : `${listed(g.kinds)} at ${g.percent}%`));
  const more = services.length - named.length;
  const rest = more > 0 ? [`${more} more ${more === 1 ? 'kind' : 'kinds'} of service below 90%`] : [];
  return `at the end of the run ${listed([...parts, ...rest])}${zones === '' ? '' : `, with ${zones}`}`;
}

/** The run's clinical outcome in plain words. */
export function inWords(trace: TraceDoc): string {
  const o = trace.outcome;
  const n = (k: string) => Math.round(o[k] ?? 0).toLocaleString('en-GB');
  const harm = o.safetyEvents ?? 0;
  // Every unit the strip shows lost, not only the three headline ones: scans, attendances, infusions… by kind.
  const counted = new Set(['appointments', 'procedures', 'tests']);
  const others = [...new Set(trace.services.map((s) => s.kind))].flatMap((kind) => {
    const unit = trace.services.find((s) => s.kind === kind)!.unit;
    const lost = o[`service.${kind}.lost`] ?? 0;
    // The kind named unless the unit says it (11 transfusions, not "11 transfusion transfusions").
    // One of a unit said in the singular (a trial read "1 infusions").
    const units = Math.round(lost) === 1 && unit.endsWith('s') ? unit.slice(0, -1) : unit;
    const named = unit.startsWith(kind) ? units : `${kind.replace(/-/g, ' ')} ${units}`;
    // Care, not people: "4 diabetes patients were lost" read as deaths (a trial).
    const said = /^patients?$/.test(unit) ? `care for ${Math.round(lost).toLocaleString('en-GB')} ${named}` : `${Math.round(lost).toLocaleString('en-GB')} ${named}`;
    return counted.has(unit) || Math.round(lost) === 0 ? [] : [said];
  });
  const lostToo = others.length === 0 ? '' : `, and the services could not provide ${listed(others)}`;
  const end = endInWords(trace);
  const parts = [
    // How many it took, as the CLI's first rows do: the README's 1,270 hosts were nowhere on the page (a trial).
    // One system, one patient: said in the singular (a trial read "1 nodes were compromised"). Systems, as the
    // after-action report says them (a trial read "nodes" here and "systems" there).
    `In this run ${n('compromised')} ${Math.round(o.compromised ?? 0) === 1 ? 'system was' : 'systems were'} compromised and ${n('disrupted')} disrupted (${n('disruptedAtEnd')} still down at the end)`,
    `${n('appointmentsCancelled')} appointments and ${n('proceduresPostponed')} procedures were postponed and ${n('testsNotDone')} tests not done${lostToo}`,
    (o.diversionHours ?? 0) > 0 ? `the emergency department diverted ambulances for ${Math.round(o.diversionHours!)} hours` : 'no ambulances were diverted',
    ...((o.recordsExposed ?? 0) > 0 ? [`${n('recordsExposed')} patient records were exposed`] : []),
    harm > 0
      ? `the expected harm to patients came to ${(o.safetyEventsSerious ?? 0).toFixed(1)} events serious or worse (${harm.toFixed(1)} of any severity), and ${n('patientsExposedAltered')} ${Math.round(o.patientsExposedAltered ?? 0) === 1 ? 'patient was' : 'patients were'} exposed to altered therapy or readings`
      : 'no patient was harmed through a device attached to them',
    ...(end === '' ? [] : [end]),
  ];
  return `${parts.join('; ')}.`;
}


/** A disconnection in a trace: kinds of device taken off the network (or put back), at a site or estate-wide. */
export interface Disconnection {
  t: number;
  kinds: ReadonlySet<string>;
  /** The site's id; null estate-wide. */
  site: string | null;
  off: boolean;
}

/** The trace's disconnections in order, read from its `disconnect` events ("lab-analyser, imaging-modality disconnected at trust"). */
export function disconnections(trace: TraceDoc): Disconnection[] {
  const out: Disconnection[] = [];
  for (const e of trace.events) {
    if (e.kind !== 'disconnect' || e.detail === null) continue;
    const match = /^(.*) (disconnected|reconnected)(?: at (.+))?$/.exec(e.detail);
    if (!match) continue;
    out.push({ t: e.t, kinds: new Set(match[1]!.split(', ')), site: match[3] ?? null, off: match[2] === 'disconnected' });
  }
  return out;
}

/**
 * Which members are off the network after the first `applied` disconnections, into `out` (one per member, 1:
 * off): a member is taken off, or put back, by a disconnection of its kind estate-wide or at its site, the
 * latest winning, as the kernel flips them (engine/kernel/responses.ts). `kindOf` and `siteOf` give a member's kind
 * and site id (null: none).
 */
export function offline(list: readonly Disconnection[], applied: number, kindOf: (member: number) => string, siteOf: (member: number) => string | null, out: Uint8Array): Uint8Array {
  out.fill(0);
  for (let j = 0; j < applied; j++) {
    const d = list[j]!;
    for (let m = 0; m < out.length; m++) if (d.kinds.has(kindOf(m)) && (d.site === null || siteOf(m) === d.site)) out[m] = d.off ? 1 : 0;
  }
  return out;
}

/** A line of the clinical strip: one kind of service, at each time its lowest capacity over the sites that lost it. */
export interface StripLine {
  kind: string;
  /** The service's id where one site lost it; the kind where several did. */
  id: string;
  /** The one site that lost it (null: none, or several). */
  site: string | null;
  /** How many sites lost it, and the one that fell furthest. */
  sites: number;
  worst: string | null;
  capacity: number[];
}

/**
 * The strip's lines: one per service kind, at each time the lowest capacity of its sites that lost any (one
 * site's own line where only one did), the eight kinds that fell furthest. A national twin's strip had one kind
 * at eight sites and no room for radiology (a trial); a kind's worst site over the whole run hid, in a
 * tabletop, the sites that lost it hours earlier (a review): the lowest at each time shows a kind from its first
 * loss anywhere. A kind that never lost 1% is left out (infusion at 99.96% took a line and a colour: a trial)
 * unless nothing lost more.
 */
export function stripLines(services: readonly { id: string; kind: string; site: string | null; capacity: number[] }[]): StripLine[] {
  const byKind = new Map<string, StripLine & { lowest: number }>();
  for (const s of services) {
    const lowest = Math.min(...s.capacity);
    const line = byKind.get(s.kind);
    if (!line) {
      byKind.set(s.kind, { kind: s.kind, id: s.id, site: s.site, sites: 1, worst: s.site, capacity: s.capacity.slice(), lowest });
      continue;
    }
    line.sites++;
    line.id = s.kind;
    line.site = null;
    if (lowest < line.lowest) {
      line.lowest = lowest;
      line.worst = s.site;
    }
    for (let i = 0; i < line.capacity.length; i++) line.capacity[i] = Math.min(line.capacity[i]!, s.capacity[i] ?? 1);
  }
  const kinds = [...byKind.values()].sort((a, b) => a.lowest - b.lowest);
  const felt = kinds.filter((k) => k.lowest < 0.99);
  return (felt.length > 0 ? felt : kinds).slice(0, 8).map(({ lowest: _, ...line }) => line);
}
