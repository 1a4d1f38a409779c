import { MultiDirectedGraph } from 'graphology';
import { edgeCount } from './check-twin.js';
import { ValidationError } from './errors.js';
import { twinFromValue } from './load.js';
import type { Twin, TwinEdge, TwinNode } from './twin.js';
import { LAYERS, type Layer } from './vocabulary.js';

/**
 * The twin as an editable graphology graph of its entries (a group is one graph node with a `count`), for
 * analysis and interchange. The kernel never touches it: the compile step works from the twin itself.
 *
 * Scalar fields become plain attributes (so Gephi and yEd can filter on layer, kind, owner...); lists and
 * records are JSON strings; the twin-level fields (owners, sites, zones, services) are one JSON graph
 * attribute, `strata`. This keeps the GraphML/GEXF round trip lossless.
 */
export type NodeAttributes = Record<string, string | number | boolean>;
export type EdgeAttributes = Record<string, string | number | boolean>;
export type TwinGraph = MultiDirectedGraph<NodeAttributes, EdgeAttributes, Record<string, string>>;

/**
 * How each field of the schema travels in the graph: `id` as the graph node's key or the edge's ends,
 * `scalar` as a plain attribute, `json` as a JSON string attribute, `header` inside the `strata` graph
 * attribute, `graph` as the graph's nodes and edges. Typed against the schema, so a field added to it and not
 * here fails to compile rather than being dropped by every conversion (as `requiredFor` once was).
 */
const NODE_FIELDS = {
  id: 'id',
  name: 'scalar',
  layer: 'scalar',
  kind: 'scalar',
  owner: 'scalar',
  zone: 'scalar',
  site: 'scalar',
  count: 'scalar',
  software: 'json',
  vulns: 'json',
  controls: 'json',
  services: 'json',
  criticalFor: 'json',
  requiredFor: 'json',
  patientsAttached: 'scalar',
  records: 'scalar',
  recovery: 'json',
  tags: 'json',
} as const satisfies Record<keyof TwinNode, 'id' | 'scalar' | 'json'>;
const EDGE_FIELDS = {
  from: 'id',
  to: 'id',
  relation: 'scalar',
  pattern: 'scalar',
  bidirectional: 'scalar',
  note: 'scalar',
} as const satisfies Record<keyof TwinEdge, 'id' | 'scalar'>;
const TWIN_FIELDS = {
  schema: 'header',
  name: 'header',
  title: 'header',
  description: 'header',
  generator: 'header',
  owners: 'header',
  sites: 'header',
  zones: 'header',
  services: 'header',
  nodes: 'graph',
  edges: 'graph',
} as const satisfies Record<keyof Twin, 'header' | 'graph'>;

type CarriedAs<T, How> = { [K in keyof T]: T[K] extends How ? K : never }[keyof T];
function fieldsCarried<T extends Record<string, string>, How extends T[keyof T]>(fields: T, how: How): CarriedAs<T, How>[] {
  return Object.keys(fields).filter((field) => fields[field] === how) as CarriedAs<T, How>[];
}
const NODE_SCALARS = fieldsCarried(NODE_FIELDS, 'scalar');
const NODE_RECORDS = fieldsCarried(NODE_FIELDS, 'json');
const EDGE_SCALARS = fieldsCarried(EDGE_FIELDS, 'scalar');
const HEADER_FIELDS = fieldsCarried(TWIN_FIELDS, 'header');

/** The fields each part of a twin carries, for tests that check a conversion against the schema. */
export const GRAPH_FIELDS = { node: NODE_FIELDS, edge: EDGE_FIELDS, twin: TWIN_FIELDS } as const;

/**
 * JSON text that XML can hold: JSON.stringify escapes control characters and lone surrogates but writes
 * U+FFFE and U+FFFF as they are, which XML 1.0 has no way to write; escaped, they parse back the same.
 */
function json(value: unknown): string {
  return JSON.stringify(value).replace(/[\ufffe\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

export function twinToGraph(twin: Twin): TwinGraph {
  const graph: TwinGraph = new MultiDirectedGraph();
  const header: Record<string, unknown> = {};
  for (const field of HEADER_FIELDS) if (twin[field] !== undefined) header[field] = twin[field];
  graph.setAttribute('strata', json(header));
  for (const node of twin.nodes) {
    const attributes: NodeAttributes = { label: node.name ?? node.id };
    for (const field of NODE_SCALARS) if (node[field] !== undefined) attributes[field] = node[field];
    for (const field of NODE_RECORDS) attributes[field] = json(node[field]);
    graph.addNode(node.id, attributes);
  }
  twin.edges.forEach((edge, i) => {
    const attributes: EdgeAttributes = {};
    for (const field of EDGE_SCALARS) if (edge[field] !== undefined) attributes[field] = edge[field];
    graph.addDirectedEdgeWithKey(`e${i}`, edge.from, edge.to, attributes);
  });
  return graph;
}

/** Rebuilds and validates a twin from a graph written by twinToGraph (or read back from GraphML/GEXF). */
export function graphToTwin(graph: TwinGraph, file: string): Twin {
  const header = parseJson(graph.getAttribute('strata'), file, 'graph.strata') as Record<string, unknown>;
  const nodes: Partial<TwinNode>[] = [];
  graph.forEachNode((id, attributes) => {
    const node: Record<string, unknown> = { id };
    for (const field of NODE_SCALARS) if (attributes[field] !== undefined) node[field] = attributes[field];
    for (const field of NODE_RECORDS) {
      if (attributes[field] !== undefined) node[field] = parseJson(attributes[field], file, `nodes.${id}.${field}`);
    }
    nodes.push(node as Partial<TwinNode>);
  });
  const edges: Partial<TwinEdge>[] = [];
  graph.forEachEdge((_key, attributes, source, target) => {
    const edge: Record<string, unknown> = { from: source, to: target };
    for (const field of EDGE_SCALARS) if (attributes[field] !== undefined) edge[field] = attributes[field];
    edges.push(edge as Partial<TwinEdge>);
  });
  return twinFromValue({ ...header, nodes, edges }, file);
}

function parseJson(value: unknown, file: string, path: string): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw new ValidationError([{ file, path, message: `expected JSON text, got ${JSON.stringify(value.slice(0, 60))}` }]);
  }
}

/**
 * Which layers can reach which along the twin's explicit edges (any relation; a bidirectional edge both
 * ways), with the fewest hops: one breadth-first search per layer from all of its nodes at once, over an
 * index of the graph built once — O(nodes + edges) per layer. (A search from each node in turn, as first
 * written, allocated a queue the size of the graph each time: 30 s for `twin inspect` on 120,000 nodes.)
 */
export function layerReachability(graph: TwinGraph): Record<Layer, Record<Layer, number | null>> {
  const order = graph.order;
  const index = new Map<string, number>();
  const layerOf = new Int8Array(order);
  graph.forEachNode((node, attributes) => {
    layerOf[index.size] = LAYERS.indexOf(attributes.layer as Layer);
    index.set(node, index.size);
  });
  // Where each node's steps start in `to` (compressed rows): an edge's own direction, and back if bidirectional.
  const start = new Int32Array(order + 1);
  const steps: [number, number][] = [];
  graph.forEachEdge((_key, attributes, source, target) => {
    const a = index.get(source)!;
    const b = index.get(target)!;
    steps.push([a, b]);
    if (attributes.bidirectional === true) steps.push([b, a]);
  });
  for (const [a] of steps) start[a + 1]!++;
  for (let i = 0; i < order; i++) start[i + 1]! += start[i]!;
  const to = new Int32Array(steps.length);
  const fill = start.slice(0, order);
  for (const [a, b] of steps) to[fill[a]!++] = b;

  const result = {} as Record<Layer, Record<Layer, number | null>>;
  const depth = new Int32Array(order);
  const queue = new Int32Array(order);
  LAYERS.forEach((from, f) => {
    const hops: Record<Layer, number | null> = { physical: null, network: null, cloud: null };
    depth.fill(-1);
    let head = 0;
    let tail = 0;
    for (let i = 0; i < order; i++) {
      if (layerOf[i] !== f) continue;
      depth[i] = 0;
      queue[tail++] = i;
    }
    while (head < tail) {
      const node = queue[head++]!;
      for (let k = start[node]!, end = start[node + 1]!; k < end; k++) {
        const next = to[k]!;
        if (depth[next] !== -1) continue;
        depth[next] = depth[node]! + 1;
        queue[tail++] = next;
        // Breadth first: the first node met in a layer is at that layer's fewest hops.
        const layer = LAYERS[layerOf[next]!];
        if (layer !== undefined && hops[layer] === null) hops[layer] = depth[next]!;
      }
    }
    result[from] = hops;
  });
  return result;
}

export interface LayerCrossings {
  /** Edges from a lower layer to a higher one (physical → network → cloud), counted per entry edge. */
  up: number;
  down: number;
  within: number;
}

/** Counts explicit edges that cross layers upward or downward (bidirectional edges count both ways). */
export function layerCrossings(twin: Twin): LayerCrossings {
  const level = new Map(twin.nodes.map((n) => [n.id, LAYERS.indexOf(n.layer)]));
  const out: LayerCrossings = { up: 0, down: 0, within: 0 };
  for (const edge of twin.edges) {
    const d = level.get(edge.to)! - level.get(edge.from)!;
    const key = d > 0 ? 'up' : d < 0 ? 'down' : 'within';
    out[key]++;
    if (edge.bidirectional) out[d > 0 ? 'down' : d < 0 ? 'up' : 'within']++;
  }
  return out;
}

export interface TwinSummary {
  entries: number;
  nodes: number;
  edges: number;
  byLayer: Record<string, number>;
  byKind: Record<string, number>;
  byZone: Record<string, number>;
  byOwner: Record<string, number>;
}

/** Member counts per layer, kind, zone and owner (groups count every member). */
export function summarizeTwin(twin: Twin): TwinSummary {
  const tally = (key: (n: TwinNode) => string | undefined): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const node of twin.nodes) {
      const k = key(node) ?? '(none)';
      out[k] = (out[k] ?? 0) + node.count;
    }
    return out;
  };
  const counts = new Map(twin.nodes.map((n) => [n.id, n.count]));
  let edges = 0;
  for (const e of twin.edges) {
    edges += edgeCount(e.pattern, counts.get(e.from)!, counts.get(e.to)!, e.from === e.to) * (e.bidirectional ? 2 : 1);
  }
  return {
    entries: twin.nodes.length,
    nodes: twin.nodes.reduce((s, n) => s + n.count, 0),
    edges,
    byLayer: tally((n) => n.layer),
    byKind: tally((n) => n.kind),
    byZone: tally((n) => n.zone),
    byOwner: tally((n) => n.owner),
  };
}
