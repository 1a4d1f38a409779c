import { formatPath, PROBLEMS_SHOWN, type ModelIssue } from './errors.js';
import type { Twin } from './twin.js';
import { kindLayers, LIMITS } from './vocabulary.js';

/**
 * The rules a schema cannot express: references resolve, ids are unique, groups are joined sensibly,
 * and the expanded twin stays within memory limits. Returns the problems in document order, the first 49
 * and a line saying the checks stopped if there are more.
 */
export function checkTwin(twin: Twin, file: string): ModelIssue[] {
  const issues: ModelIssue[] = [];
  const report = (path: PropertyKey[], message: string): void => {
    // A million entries wrong in the same way would build a million issues (and as many hints) to print 50:
    // at the 50th, the checks stop and a line says so in its place.
    if (issues.length === PROBLEMS_SHOWN - 1) {
      issues.push({ file, path: '', message: `expected fewer problems, got ${PROBLEMS_SHOWN} or more; the rest of the twin is not checked` });
      throw new Enough();
    }
    issues.push({ file, path: formatPath(path), message });
  };
  try {
    checkRules(twin, report);
  } catch (error) {
    if (!(error instanceof Enough)) throw error;
  }
  return issues;
}

/** Thrown by `report` to stop the checks once there are enough problems to show. */
class Enough extends Error {}

/** The twin's lists whose entries have ids, and the edges. */
type List = 'owners' | 'sites' | 'zones' | 'services' | 'nodes' | 'edges';
type Known = Record<Exclude<List, 'edges'>, Map<string, number>>;

/**
 * Where a twin's entries name other entries: the list, the field within an entry ('[]': each item of a
 * list), and the list whose ids it names.
 */
const REFERENCES: readonly (readonly [List, readonly string[], keyof Known])[] = [
  ['zones', ['site'], 'sites'],
  ['zones', ['reaches', '[]'], 'zones'],
  ['services', ['site'], 'sites'],
  ['services', ['needs', '[]', 'service'], 'services'],
  ['nodes', ['owner'], 'owners'],
  ['nodes', ['zone'], 'zones'],
  ['nodes', ['site'], 'sites'],
  ['nodes', ['services', '[]'], 'services'],
  ['nodes', ['requiredFor', '[]'], 'services'],
  ['nodes', ['criticalFor', '[]', 'service'], 'services'],
  ['edges', ['from'], 'nodes'],
  ['edges', ['to'], 'nodes'],
];

/**
 * Reports each id entry `i` of `list` names that is not in its list. Read loosely (any value, any shape),
 * so that a document the schema refused still has its references checked (`referenceIssues`); a list
 * missing from `known` is not checked against.
 */
function entryReferences(list: List, entry: unknown, i: number, known: Partial<Known>, report: (path: PropertyKey[], message: string) => void): void {
  for (const [from, field, to] of REFERENCES) {
    const ids = known[to];
    if (from !== list || !ids) continue;
    const walk = (value: unknown, at: number, path: PropertyKey[]): void => {
      if (at === field.length) {
        if (typeof value === 'string' && !ids.has(value)) report(path, `expected the id of one of the twin's ${to}, got "${value}"${hint(value, ids)}`);
      } else if (field[at] === '[]') {
        if (Array.isArray(value)) value.forEach((item, j) => walk(item, at + 1, [...path, j]));
      } else if (value !== null && typeof value === 'object') walk((value as Record<string, unknown>)[field[at]!], at + 1, [...path, field[at]!]);
    };
    walk(entry, 0, [list, i]);
  }
}

/**
 * The references of a twin document that the schema refused (its problems at `refused` paths), checked as
 * far as they can be: against each list whose ids are all known — every entry an object with a string id,
 * and neither the list nor any id among the schema's problems (a list refused as a whole, or an id with a
 * space, would make its references look unknown). So one pass over a broken file reports an unknown owner
 * or an edge to a missing node beside the schema's problems. At most PROBLEMS_SHOWN.
 */
export function referenceIssues(value: unknown, file: string, refused: ReadonlySet<string> = new Set()): ModelIssue[] {
  if (value === null || typeof value !== 'object') return [];
  const doc = value as Record<string, unknown>;
  const known: Partial<Known> = {};
  for (const list of ['owners', 'sites', 'zones', 'services', 'nodes'] as const) {
    const entries = doc[list];
    if (!Array.isArray(entries) || refused.has(list)) continue;
    if (entries.some((e, i) => e === null || typeof e !== 'object' || typeof (e as { id?: unknown }).id !== 'string' || refused.has(`${list}[${i}].id`))) continue;
    const ids = new Map<string, number>();
    entries.forEach((e: { id: string }, i) => ids.has(e.id) || ids.set(e.id, i));
    known[list] = ids;
  }
  const issues: ModelIssue[] = [];
  const report = (path: PropertyKey[], message: string) => {
    if (issues.length === PROBLEMS_SHOWN) throw new Enough();
    issues.push({ file, path: formatPath(path), message });
  };
  try {
    for (const list of ['zones', 'services', 'nodes', 'edges'] as const) {
      const entries = doc[list];
      if (Array.isArray(entries)) entries.forEach((entry, i) => entryReferences(list, entry, i, known, report));
    }
  } catch (error) {
    if (!(error instanceof Enough)) throw error;
  }
  return issues;
}

function checkRules(twin: Twin, report: (path: PropertyKey[], message: string) => void): void {

  const owners = uniqueIds(twin.owners, 'owners', report);
  const sites = uniqueIds(twin.sites, 'sites', report);
  const zones = uniqueIds(twin.zones, 'zones', report);
  const services = uniqueIds(twin.services, 'services', report);
  const nodes = uniqueIds(twin.nodes, 'nodes', report);
  const known = { owners, sites, zones, services, nodes };
  const refsOf = (list: List, entry: object, i: number) => entryReferences(list, entry, i, known, report);

  twin.zones.forEach((zone, i) => {
    refsOf('zones', zone, i);
    zone.reaches.forEach((to, j) => {
      if (to === zone.id) report(['zones', i, 'reaches', j], `expected another zone, got the zone itself ("${to}"; a flat zone always reaches itself)`);
    });
    zone.essential.forEach((to, j) => {
      if (!zone.reaches.includes(to)) report(['zones', i, 'essential', j], `expected one of this zone's reaches, got "${to}"`);
    });
  });
  twin.services.forEach((service, i) => {
    refsOf('services', service, i);
    service.needs.forEach((need, j) => {
      if (service.needs.findIndex((n) => n.service === need.service) < j) report(['services', i, 'needs', j, 'service'], `expected each needed service once, got "${need.service}" again`);
      if (need.service === service.id) report(['services', i, 'needs', j, 'service'], `expected another service, got the service itself ("${need.service}")`);
    });
  });
  const cycle = needsCycle(twin);
  if (cycle) report(['services', services.get(cycle[0]!)!, 'needs'], `expected services that do not need each other in a circle, got ${cycle.join(' → ')}`);
  // A service nothing can take down — no node supports it and it needs no other service — reads full capacity in
  // every run: a constant passed off as an outcome (a trial's typo in a node's `services` did exactly that).
  const supported = new Set<string>();
  for (const node of twin.nodes) for (const id of [...node.services, ...node.criticalFor.map((c) => c.service), ...node.requiredFor]) supported.add(id);
  twin.services.forEach((service, i) => {
    if (!supported.has(service.id) && service.needs.length === 0) {
      report(['services', i], `expected a node that supports "${service.id}" (nodes[].services, criticalFor or requiredFor) or a service it needs, got neither: its capacity would be 1 in every run`);
    }
  });

  let expandedNodes = 0;
  const criticalShare = new Map<string, number>();
  twin.nodes.forEach((node, i) => {
    expandedNodes += node.count;
    const layers = kindLayers(node.kind);
    if (!layers.includes(node.layer)) report(['nodes', i, 'layer'], `expected ${layers.join(' or ')} for ${/^[aeiou]/.test(node.kind) ? 'an' : 'a'} ${node.kind}, got ${node.layer}`);
    refsOf('nodes', node, i);
    node.requiredFor.forEach((s, j) => {
      if (node.requiredFor.indexOf(s) < j) report(['nodes', i, 'requiredFor', j], `expected each service once, got "${s}" again`);
      if (node.services.includes(s) || node.criticalFor.some((c) => c.service === s)) {
        report(['nodes', i, 'requiredFor', j], `expected a service not also in this node's services or criticalFor, got "${s}"`);
      }
    });
    node.criticalFor.forEach((c, j) => {
      if (node.services.includes(c.service)) report(['nodes', i, 'criticalFor', j, 'service'], `expected a service not also in this node's services, got "${c.service}"`);
      criticalShare.set(c.service, (criticalShare.get(c.service) ?? 0) + c.share * node.count);
    });
    const components = new Set(node.software.map((s) => s.name));
    const cves = new Set<string>();
    node.vulns.forEach((v, j) => {
      if (cves.has(v.cve)) report(['nodes', i, 'vulns', j, 'cve'], `expected each CVE once per node, got "${v.cve}" again`);
      cves.add(v.cve);
      if (v.component !== undefined && !components.has(v.component)) {
        report(['nodes', i, 'vulns', j, 'component'], `expected the name of one of this node's software components, got ${JSON.stringify(v.component)}`);
      }
    });
  });
  // The critical shares of a service, over its critical members, leave some capacity to the rest.
  for (const [service, share] of criticalShare) {
    if (share >= 1) report(['services', services.get(service) ?? service], `expected the criticalFor shares of its members to sum below 1, got ${Number(share.toPrecision(4))}`);
  }
  if (expandedNodes > LIMITS.expandedNodes) {
    report(['nodes'], `expected at most ${counted(LIMITS.expandedNodes)} nodes once groups are expanded, got ${counted(expandedNodes)}`);
  }

  let expandedEdges = 0;
  twin.edges.forEach((edge, i) => {
    refsOf('edges', edge, i);
    const from = twin.nodes[nodes.get(edge.from) ?? -1];
    const to = twin.nodes[nodes.get(edge.to) ?? -1];
    if (!from || !to) return;
    const n = from.count;
    const m = to.count;
    if (edge.from === edge.to && edge.pattern !== 'all') {
      report(['edges', i, 'pattern'], `expected "all" for an edge from a group to itself, got "${edge.pattern}"`);
    } else if (edge.from === edge.to && n === 1) {
      report(['edges', i, 'to'], `expected an edge between two different nodes, got a self-loop on "${edge.from}"`);
    }
    if (edge.pattern === 'one-to-one' && n !== m) {
      report(['edges', i, 'pattern'], `expected groups of equal size for one-to-one, got ${n} and ${m}`);
    }
    const count = edgeCount(edge.pattern, n, m, edge.from === edge.to) * (edge.bidirectional ? 2 : 1);
    if (count > LIMITS.expandedEdges) {
      report(['edges', i], `expected at most ${counted(LIMITS.expandedEdges)} expanded edges, got ${counted(count)} (${counted(n)} × ${counted(m)} "all"; use "spread")`);
    }
    expandedEdges += count;
  });
  if (expandedEdges > LIMITS.expandedEdges) {
    report(['edges'], `expected at most ${counted(LIMITS.expandedEdges)} edges once groups are expanded, got ${counted(expandedEdges)}`);
  }
}

/** Member-level edges an edge entry expands to (see expand.ts). */
export function edgeCount(pattern: 'all' | 'one-to-one' | 'spread', n: number, m: number, self: boolean): number {
  if (pattern === 'all') return self ? n * (n - 1) : n * m;
  if (pattern === 'one-to-one') return n;
  return Math.max(n, m);
}

function uniqueIds(
  items: readonly { id: string }[],
  field: string,
  report: (path: PropertyKey[], message: string) => void,
): Map<string, number> {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const first = seen.get(item.id);
    if (first !== undefined) report([field, i, 'id'], `expected a unique id, got "${item.id}" again (first at ${field}[${first}])`);
    else seen.set(item.id, i);
  });
  return seen;
}

/** "did you mean" for the nearest known id, when one is close. */
export function hint(id: string, known: Map<string, unknown> | readonly string[]): string {
  const best = nearestKnown(id, known);
  return best !== undefined ? ` (did you mean ${JSON.stringify(best)}?)` : '';
}

/** The known id nearest to `id` (a few edits away, or the one it begins), when one is close. */
export function nearestKnown(id: string, known: Map<string, unknown> | readonly string[]): string | undefined {
  if (id.length > 64) return undefined;
  const keys = Array.isArray(known) ? known : [...(known as Map<string, unknown>).keys()];
  if (keys.length > 5000) return undefined;
  let best = '';
  let bestDistance = Math.max(2, Math.floor(id.length / 4)) + 1;
  for (const key of keys) {
    if (key.length > 64) continue;
    const d = distance(id, key, bestDistance);
    if (d < bestDistance) {
      bestDistance = d;
      best = key;
    }
  }
  // A shortened id ("patho" for "pathology") is many edits away but plainly meant: one known id it begins.
  if (!best && id.length >= 3) {
    const lower = id.toLowerCase();
    const starting = keys.filter((key) => key.toLowerCase().startsWith(lower));
    if (starting.length === 1) best = starting[0]!;
  }
  return best || undefined;
}

const rows = [new Int32Array(66), new Int32Array(66)];

/** Levenshtein distance, or `cap` as soon as it must be at least `cap` (two reused rows; ids ≤ 64 chars). */
function distance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let previous = rows[0]!;
  let current = rows[1]!;
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      current[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin >= cap) return cap;
    [previous, current] = [current, previous];
  }
  return previous[b.length]!;
}

/** The first circle of `needs` found (service ids, the first repeated at the end), or undefined. */
function needsCycle(twin: Twin): string[] | undefined {
  // A service naming itself is reported on its own (checkTwin); it is not a circle through others.
  const needs = new Map(twin.services.map((s) => [s.id, s.needs.map((n) => n.service).filter((x) => x !== s.id)]));
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 2 || !needs.has(id)) return undefined;
    if (state.get(id) === 1) return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 1);
    stack.push(id);
    for (const next of needs.get(id)!) {
      const found = visit(next);
      if (found) return found;
    }
    stack.pop();
    state.set(id, 2);
    return undefined;
  };
  for (const s of twin.services) {
    const found = visit(s.id);
    if (found) return found;
  }
  return undefined;
}

/** A count as people read it: 40,000,000. */
function counted(x: number): string {
  return x.toLocaleString('en-GB');
}
