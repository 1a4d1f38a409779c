import { TWIN_SCHEMA_ID, type TwinInput } from '../../engine/model/twin.js';
import { LIMITS, type EdgePattern, type Relation } from '../../engine/model/vocabulary.js';
import { GeneratorParameterError } from './params.js';

export type OwnerInput = TwinInput['owners'][number];
export type SiteInput = NonNullable<TwinInput['sites']>[number];
export type ZoneInput = NonNullable<TwinInput['zones']>[number];
export type ServiceInput = NonNullable<TwinInput['services']>[number];
export type NodeInput = TwinInput['nodes'][number];
export type EdgeInput = NonNullable<TwinInput['edges']>[number];

export interface EdgeOptions {
  pattern?: EdgePattern;
  bidirectional?: boolean;
  note?: string;
}

/** The smaller side of an `all` edge may have this many members (a pair of domain controllers). */
const MAX_ALL_SIDE = 4;

/**
 * Accumulates a twin document in the order the generators add to it. Edges whose end is missing (a group
 * apportioned zero members was never added) are skipped, so building blocks need not test every optional
 * part. An `all` edge between two groups larger than a handful is refused: it would expand to n × m
 * members, and the built-in twins must stay O(devices) once expanded (use `spread`).
 */
export class TwinBuilder {
  /** The generator building (for its parameters' errors). */
  readonly generator: string;
  readonly owners: OwnerInput[] = [];
  readonly sites: SiteInput[] = [];
  readonly zones: ZoneInput[] = [];
  readonly services: ServiceInput[] = [];
  readonly nodes: NodeInput[] = [];
  readonly edges: EdgeInput[] = [];

  constructor(generator = 'twin builder') {
    this.generator = generator;
  }

  /**
   * Refuses parameters that would build more node and edge entries than LIMITS.generatedEntries, as soon as
   * they do: a count of 100,000 trusts would otherwise run out of memory after a minute and a half.
   */
  #added(): void {
    if (this.nodes.length + this.edges.length <= LIMITS.generatedEntries) return;
    throw new GeneratorParameterError(
      this.generator,
      'params',
      `expected parameters that build at most ${LIMITS.generatedEntries.toLocaleString('en-GB')} node and edge entries (each may be a group of members), got more: stopped after ${this.nodes.length.toLocaleString('en-GB')} nodes and ${this.edges.length.toLocaleString('en-GB')} edges`,
    );
  }

  /** The finished twin document: the header given, then everything added. */
  twin(header: Pick<TwinInput, 'name' | 'title' | 'description' | 'generator'>): TwinInput {
    const { owners, sites, zones, services, nodes, edges } = this;
    return { schema: TWIN_SCHEMA_ID, ...header, owners, sites, zones, services, nodes, edges };
  }
  readonly #countOf = new Map<string, number>();

  owner(owner: OwnerInput): string {
    this.owners.push(owner);
    return owner.id;
  }

  site(site: SiteInput): string {
    this.sites.push(site);
    return site.id;
  }

  zone(zone: ZoneInput): string {
    this.zones.push(zone);
    return zone.id;
  }

  service(service: ServiceInput): string {
    this.services.push(service);
    return service.id;
  }

  /** Adds a node or group; a group of zero members is left out and `undefined` returned. */
  node(node: NodeInput): string | undefined {
    const count = node.count ?? 1;
    if (count < 1) return undefined;
    this.nodes.push(compact(node));
    this.#added();
    this.#countOf.set(node.id, count);
    return node.id;
  }

  /** Adds a tag to a node added earlier (once). */
  tag(id: string, tag: string): void {
    const node = this.nodes.find((n) => n.id === id);
    if (node === undefined) return;
    const tags = node.tags ?? [];
    if (!tags.includes(tag)) node.tags = [...tags, tag];
  }

  count(id: string): number {
    return this.#countOf.get(id) ?? 0;
  }

  edge(from: string | undefined, to: string | undefined, relation: Relation, options: EdgeOptions = {}): void {
    if (from === undefined || to === undefined) return;
    const pattern = options.pattern ?? 'all';
    if (pattern === 'all' && Math.min(this.count(from), this.count(to)) > MAX_ALL_SIDE) {
      throw new Error(`twin builder: an "all" edge ${from} -> ${to} would join two groups pairwise; use "spread"`);
    }
    const edge: EdgeInput = { from, to, relation };
    if (pattern !== 'all') edge.pattern = pattern;
    if (options.bidirectional) edge.bidirectional = true;
    if (options.note !== undefined) edge.note = options.note;
    this.edges.push(edge);
    this.#added();
  }

  /** The same edge from one node to each of several. */
  edges1toN(from: string | undefined, to: readonly (string | undefined)[], relation: Relation, options: EdgeOptions = {}): void {
    for (const target of to) this.edge(from, target, relation, options);
  }

  /** The same edge from each of several nodes to one. */
  edgesNto1(from: readonly (string | undefined)[], to: string | undefined, relation: Relation, options: EdgeOptions = {}): void {
    for (const source of from) this.edge(source, to, relation, options);
  }
}

/**
 * Drops empty lists, zero counts and a count of 1, which the schema fills in: smaller, easier to read.
 * Lists and the recovery record are copied, so no two nodes of the document share a mutable object.
 */
function compact(node: NodeInput): NodeInput {
  const out: NodeInput = { ...node, recovery: { ...node.recovery } };
  if (out.tags) out.tags = [...out.tags];
  if (out.controls) out.controls = [...out.controls];
  if (out.services) out.services = [...out.services];
  if (out.count === 1) delete out.count;
  for (const key of ['software', 'vulns', 'controls', 'services', 'tags'] as const) {
    if (out[key]?.length === 0) delete out[key];
  }
  if (out.patientsAttached === 0) delete out.patientsAttached;
  if (out.records === 0) delete out.records;
  return out;
}
