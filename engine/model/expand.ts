import type { Twin, TwinEdge } from './twin.js';
import { RELATIONS } from './vocabulary.js';

/**
 * Groups → members. A twin stays small (400 identical pumps are one entry); the compiled form is large.
 * Expansion is columnar so that two million members cost typed arrays, not two million objects.
 *
 * Members of entry e are the indices entryStart[e] .. entryStart[e+1]-1, in document order; a group's
 * member k is called `id#k`, a single node keeps its id.
 */
export interface ExpandedTwin {
  readonly twin: Twin;
  readonly nodeCount: number;
  /** entryStart[e] = first member index of node entry e; entryStart[entries] = nodeCount (sentinel). */
  readonly entryStart: Int32Array;
  /** The node entry each member comes from. */
  readonly entryOf: Int32Array;
  /** Member-level edges: counted here, walked by `forEachMemberEdge` (never stored: 15.6 M on nhs-england). */
  readonly edgeCount: number;
}

/** Expands every group of a validated twin (a pure function: same twin, same arrays). */
export function expandTwin(twin: Twin): ExpandedTwin {
  const entries = twin.nodes.length;
  const entryStart = new Int32Array(entries + 1);
  for (let e = 0; e < entries; e++) entryStart[e + 1] = entryStart[e]! + twin.nodes[e]!.count;
  const nodeCount = entryStart[entries]!;
  const entryOf = new Int32Array(nodeCount);
  for (let e = 0; e < entries; e++) entryOf.fill(e, entryStart[e]!, entryStart[e + 1]!);

  const indexOf = new Map(twin.nodes.map((n, i) => [n.id, i]));
  let edgeCount = 0;
  for (const edge of twin.edges) edgeCount += memberEdges(edge, twin, indexOf) * (edge.bidirectional ? 2 : 1);
  return { twin, nodeCount, entryStart, entryOf, edgeCount };
}

/**
 * Calls `visit(source, target, relation, entry)` for every member-level edge, in expansion order: edge
 * entries in document order, each entry's members in order, a bidirectional pair's reverse right after it.
 * `relation` is an index into RELATIONS, `entry` the edge entry's index. The edges are generated, not
 * stored, so compiling a national twin never holds them twice.
 */
export function forEachMemberEdge(expanded: ExpandedTwin, visit: (source: number, target: number, relation: number, entry: number) => void): void {
  const { twin, entryStart } = expanded;
  const indexOf = new Map(twin.nodes.map((n, i) => [n.id, i]));
  twin.edges.forEach((edge, entry) => {
    const from = indexOf.get(edge.from)!;
    const to = indexOf.get(edge.to)!;
    const a0 = entryStart[from]!;
    const n = entryStart[from + 1]! - a0;
    const b0 = entryStart[to]!;
    const m = entryStart[to + 1]! - b0;
    const relation = RELATIONS.indexOf(edge.relation);
    const both = edge.bidirectional;
    const emit = (a: number, b: number): void => {
      visit(a, b, relation, entry);
      if (both) visit(b, a, relation, entry);
    };
    if (edge.pattern === 'all') {
      for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) if (from !== to || i !== j) emit(a0 + i, b0 + j);
    } else if (edge.pattern === 'one-to-one') {
      for (let i = 0; i < n; i++) emit(a0 + i, b0 + i);
    } else {
      // spread: the larger side's members are dealt to the smaller side's in contiguous blocks.
      const size = Math.max(n, m);
      for (let i = 0; i < size; i++) emit(a0 + Math.floor((i * n) / size), b0 + Math.floor((i * m) / size));
    }
  });
}

function memberEdges(edge: TwinEdge, twin: Twin, indexOf: Map<string, number>): number {
  const n = twin.nodes[indexOf.get(edge.from)!]!.count;
  const m = twin.nodes[indexOf.get(edge.to)!]!.count;
  if (edge.pattern === 'all') return edge.from === edge.to ? n * (n - 1) : n * m;
  if (edge.pattern === 'one-to-one') return n;
  return Math.max(n, m);
}

/** The id of member `index`: the entry's id, or `id#k` for member k of a group. */
export function memberId(expanded: ExpandedTwin, index: number): string {
  const entry = expanded.entryOf[index]!;
  const node = expanded.twin.nodes[entry]!;
  return node.count === 1 ? node.id : `${node.id}#${index - expanded.entryStart[entry]!}`;
}

const entryIndex = new WeakMap<ExpandedTwin, Map<string, number>>();

/** The member index of an id (`pumps#17` or a single node's id), or -1. */
export function memberIndex(expanded: ExpandedTwin, id: string): number {
  const hash = id.lastIndexOf('#');
  const base = hash < 0 ? id : id.slice(0, hash);
  let entries = entryIndex.get(expanded);
  if (!entries) entryIndex.set(expanded, (entries = new Map(expanded.twin.nodes.map((n, i) => [n.id, i]))));
  const entry = entries.get(base) ?? -1;
  if (entry < 0) return -1;
  const count = expanded.twin.nodes[entry]!.count;
  if (hash < 0) return count === 1 ? expanded.entryStart[entry]! : -1;
  const k = Number(id.slice(hash + 1));
  return count > 1 && Number.isInteger(k) && k >= 0 && k < count ? expanded.entryStart[entry]! + k : -1;
}

/**
 * Whether member k of a group of `count` carries a property held by `share` of the group (a vulnerability,
 * an unsupported OS). Systematic sampling with an offset hashed from `key`: exactly floor or ceil of
 * share × count members carry it, spread evenly, the same every time — no RNG state, so expansion stays pure.
 */
export function carriesShare(share: number, count: number, k: number, key: string): boolean {
  return k < count && memberCarries(share, k, hashUnit(key));
}

/** carriesShare with the key's offset computed once per group (`hashUnit(key)`), for loops over members. */
export function memberCarries(share: number, k: number, offset: number): boolean {
  if (share >= 1) return true;
  if (share <= 0) return false;
  return Math.floor((k + 1) * share + offset) > Math.floor(k * share + offset);
}

/** FNV-1a, then a murmur3 finalizer, to a number in [0, 1). */
export function hashUnit(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** The entry (index) a member belongs to, by binary search over the entries' first members (`entryStart`, with its sentinel). */
export function entryOfMember(entryStart: ArrayLike<number>, member: number): number {
  let lo = 0;
  let hi = entryStart.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (entryStart[mid]! <= member) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
