import { z } from 'zod';
import { Id } from './common.js';
import { LAYERS, NODE_KINDS, RELATIONS } from './vocabulary.js';
import type { Twin, TwinNode } from './twin.js';

/**
 * Picks node entries of a twin: every listed field must match (AND); within a field any value may
 * match (OR). A selector with no field would match everything by accident, so it is refused.
 */
export const Selector = z
  .strictObject({
    ids: z.array(Id).min(1).optional(),
    layers: z.array(z.enum(LAYERS)).min(1).optional(),
    kinds: z.array(z.enum(NODE_KINDS)).min(1).optional(),
    owners: z.array(Id).min(1).optional(),
    zones: z.array(Id).min(1).optional(),
    sites: z.array(Id).min(1).optional(),
    regions: z.array(Id).min(1).optional().meta({ description: "Nodes whose site (its own, else its zone's) is in one of these regions (the twin's sites[].region)." }),
    tags: z.array(Id).min(1).optional().meta({ description: 'Nodes carrying any of these tags.' }),
    allTags: z.array(Id).min(1).optional().meta({ description: 'Nodes carrying every one of these tags.' }),
  })
  .refine((s) => Object.values(s).some((v) => v !== undefined), 'expected at least one of ids, layers, kinds, owners, zones, sites, regions, tags, allTags, got an empty selector')
  .meta({ description: 'Selects node entries: fields AND together, values within a field OR together.' });
export type Selector = z.infer<typeof Selector>;

export const RelationList = z.array(z.enum(RELATIONS)).min(1);

/** The site a node entry belongs to: its own, else its zone's. */
export function siteOf(twin: Twin, node: TwinNode, zoneSite?: Map<string, string | undefined>): string | undefined {
  if (node.site !== undefined) return node.site;
  if (node.zone === undefined) return undefined;
  if (zoneSite) return zoneSite.get(node.zone);
  return twin.zones.find((z) => z.id === node.zone)?.site;
}

/** Indices of the twin's node entries that a selector matches, in document order. */
export function selectEntries(twin: Twin, selector: Selector): number[] {
  const zoneSite = new Map(twin.zones.map((z) => [z.id, z.site]));
  const siteRegion = new Map(twin.sites.map((x) => [x.id, x.region]));
  const matched: number[] = [];
  twin.nodes.forEach((node, index) => {
    const site = siteOf(twin, node, zoneSite);
    if (matches(selector, node, site, site === undefined ? undefined : siteRegion.get(site))) matched.push(index);
  });
  return matched;
}

/** Whether a node entry matches; `site` is its site (siteOf) and `region` that site's region. */
export function matches(selector: Selector, node: TwinNode, site: string | undefined, region?: string): boolean {
  if (selector.ids && !selector.ids.includes(node.id)) return false;
  if (selector.layers && !selector.layers.includes(node.layer)) return false;
  if (selector.kinds && !selector.kinds.includes(node.kind)) return false;
  if (selector.owners && !selector.owners.includes(node.owner)) return false;
  if (selector.zones && (node.zone === undefined || !selector.zones.includes(node.zone))) return false;
  if (selector.sites && (site === undefined || !selector.sites.includes(site))) return false;
  if (selector.regions && (region === undefined || !selector.regions.includes(region))) return false;
  if (selector.tags && !selector.tags.some((t) => node.tags.includes(t))) return false;
  if (selector.allTags && !selector.allTags.every((t) => node.tags.includes(t))) return false;
  return true;
}
