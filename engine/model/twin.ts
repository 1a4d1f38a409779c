import { z } from 'zod';
import { CveId, CvssVector, Delay, Id, Purl, Share, Text } from './common.js';
import {
  EDGE_PATTERNS,
  LAYERS,
  LIMITS,
  NODE_CONTROLS,
  NODE_KINDS,
  OWNER_KINDS,
  RELATIONS,
  SERVICE_UNITS,
  SITE_KINDS,
  WORKAROUND_KINDS,
} from './vocabulary.js';

/**
 * `strata.twin/v1`: a hospital estate as a graph of physical, network and cloud nodes. The zod schemas here
 * are the one source of truth for the TypeScript types, the runtime checks and the committed JSON Schema.
 */

export const TWIN_SCHEMA_ID = 'strata.twin/v1';

export const Owner = z.strictObject({
  id: Id,
  kind: z.enum(OWNER_KINDS).meta({ description: 'The accountable party: who patches, controls access, monitors.' }),
  name: Text.optional(),
});

export const Site = z.strictObject({
  id: Id,
  kind: z.enum(SITE_KINDS),
  name: Text.optional(),
  region: Id.optional().meta({ description: 'Region, used to stagger when an outbreak reaches a site.' }),
});

export const Zone = z.strictObject({
  id: Id,
  name: Text.optional(),
  site: Id.optional(),
  flat: z
    .boolean()
    .default(true)
    .meta({ description: 'Hosts in the zone reach each other on the network (one broadcast domain).' }),
  reaches: z
    .array(Id)
    .default([])
    .meta({ description: 'Zones whose hosts this zone can open network connections to (allowed cross-zone flows).' }),
  essential: z
    .array(Id)
    .default([])
    .meta({ description: 'Subset of `reaches` that segmentation keeps open (clinically required flows).' }),
});

export const Service = z.strictObject({
  id: Id,
  name: Text,
  unit: z.enum(SERVICE_UNITS),
  demandPerHour: z.number().min(0).max(1e6),
  criticality: z
    .number()
    .int()
    .min(1)
    .max(5)
    .meta({ description: '1 (can wait) to 5 (life-critical); orders the recovery queue.' }),
  site: Id.optional(),
  diversion: z
    .boolean()
    .default(false)
    .meta({ description: 'Losing this service puts the site on ambulance diversion (emergency care).' }),
  kind: Id.optional().meta({
    description: 'What the service is (pathology, outpatients, ...): run-level figures are reported per kind (the worst service of the kind). Defaults to the id after its last "/".',
  }),
  needs: z
    .array(
      z.strictObject({
        service: Id,
        share: z.number().gt(0).max(1).meta({ description: "Share of this service's activity that cannot go ahead without the other service's output." }),
      }),
    )
    .default([])
    .meta({ description: 'Other services this one needs (outpatients need pathology results): its capacity is multiplied by 1 − share × (1 − their capacity). No cycles.' }),
  workarounds: z
    .array(
      z.strictObject({
        name: Text,
        kind: z.enum(WORKAROUND_KINDS),
        ceiling: z.number().gt(0).max(1).meta({ description: "Share of the work lost to the service's own systems that the workaround takes back once fully running." }),
        after: Delay.meta({ description: "Set-up delay: from the service's own systems first falling short until the workaround starts (drawn per run and workaround)." }),
        rampMinutes: z.number().min(0).max(1e6).meta({ description: 'From the start to the ceiling, linearly (0: at once).' }),
        source: Text.min(1).meta({ description: 'Where the figures come from, or "assumption: ..." with the reasoning.' }),
      }),
    )
    .default([])
    .meta({ description: "Fallbacks that ramp up while the service's own systems are down (paper and manual processes, mutual aid); independent of each other." }),
});

export const Software = z.strictObject({
  name: Text,
  version: Text.optional(),
  purl: Purl.optional(),
  cpe: z.string().regex(/^cpe:2\.3:[aho]:/, 'expected a CPE 2.3 name (cpe:2.3:a|h|o:...)').optional(),
  supported: z.boolean().optional().meta({ description: 'false when the vendor no longer ships security updates.' }),
});

export const Vulnerability = z.strictObject({
  cve: CveId,
  cvss: CvssVector,
  source: Text.min(1).meta({ description: 'Where the rating came from (NVD, vendor advisory, ICS-CERT...).' }),
  share: Share.default(1).meta({ description: 'Share of a group\'s members that carry it (1 for a single node).' }),
  component: Text.optional().meta({ description: 'The software component (by name) the vulnerability is in.' }),
  otherRatings: z
    .array(z.strictObject({ cvss: CvssVector, source: Text.min(1) }))
    .max(10)
    .default([])
    .meta({ description: "Other sources' ratings of the same flaw where they disagree (a vendor advisory and NVD): shown by `strata harm`; `cvss` is the one the model runs on." }),
});

export const Recovery = z.strictObject({
  handsOnMinutes: z.number().positive().max(LIMITS.handsOnMinutes),
  mode: z.enum(['on-site', 'remote']).default('on-site'),
});

export const Node = z.strictObject({
  id: Id,
  name: Text.optional(),
  layer: z.enum(LAYERS),
  kind: z.enum(NODE_KINDS),
  owner: Id,
  zone: Id.optional(),
  site: Id.optional().meta({ description: 'Defaults to the zone\'s site.' }),
  count: z
    .number()
    .int()
    .min(1)
    .max(LIMITS.groupCount)
    .default(1)
    .meta({ description: 'A group of identical devices when > 1, expanded into members id#0 .. id#(count-1).' }),
  software: z.array(Software).default([]),
  vulns: z.array(Vulnerability).default([]),
  controls: z.array(z.enum(NODE_CONTROLS)).default([]),
  services: z.array(Id).default([]).meta({ description: 'Clinical services this node supports.' }),
  criticalFor: z
    .array(
      z.strictObject({
        service: Id,
        share: z.number().gt(0).lt(1).meta({ description: 'Share of the service\'s capacity lost while this member is down.' }),
      }),
    )
    .default([])
    .meta({
      description:
        "Services that depend on this node critically: each member down takes `share` of the service's capacity (before paper fallback), and the service's ordinary supporters (`services`) share the rest. A service named here is not also listed in `services`.",
    }),
  requiredFor: z
    .array(Id)
    .default([])
    .meta({
      description:
        "Services that cannot run without this node (hard dependencies): the service's capacity is multiplied by the share of the entry's members up — a single required member down stops the service; for a group, capacity scales with the members up. A service named here is not also in `services` or `criticalFor`.",
    }),
  patientsAttached: z.number().min(0).max(LIMITS.patientsAttached).default(0).meta({ description: 'Per member.' }),
  records: z.number().int().min(0).max(1e10).default(0).meta({ description: 'Patient records held (per member).' }),
  recovery: Recovery,
  tags: z.array(Id).default([]),
});

export const Edge = z.strictObject({
  from: Id,
  to: Id,
  relation: z.enum(RELATIONS),
  pattern: z
    .enum(EDGE_PATTERNS)
    .default('all')
    .meta({ description: 'How group members are joined: all pairs, one-to-one, or spread round-robin.' }),
  bidirectional: z.boolean().default(false),
  note: Text.optional(),
});

export const Twin = z.strictObject({
  schema: z.literal(TWIN_SCHEMA_ID),
  name: Id,
  title: Text.optional(),
  description: Text.optional(),
  generator: z
    .strictObject({ name: Id, seed: z.number().int(), parameters: z.record(z.string(), z.unknown()) })
    .optional()
    .meta({ description: 'Set by the built-in generators: how to regenerate this twin.' }),
  owners: z.array(Owner).min(1),
  sites: z.array(Site).default([]),
  zones: z.array(Zone).default([]),
  services: z.array(Service).default([]),
  nodes: z.array(Node).min(1).max(LIMITS.entries),
  edges: z.array(Edge).max(LIMITS.entries).default([]),
});

export type Owner = z.infer<typeof Owner>;
export type Site = z.infer<typeof Site>;
export type Zone = z.infer<typeof Zone>;
export type Service = z.infer<typeof Service>;
export type Software = z.infer<typeof Software>;
export type Vulnerability = z.infer<typeof Vulnerability>;
export type TwinNode = z.infer<typeof Node>;
export type TwinEdge = z.infer<typeof Edge>;
/** A validated twin, defaults filled. */
export type Twin = z.infer<typeof Twin>;
/** A twin as written in a file, defaults optional. */
export type TwinInput = z.input<typeof Twin>;
