import type { TwinBuilder } from './builder.js';
import { RECOVERY, TAG, windows } from './catalogue.js';
import type { NationalRefs } from './national.js';
import { PROFILES, type TrustKind } from './profiles.js';
import { LAB_WORKAROUNDS, SERVICE_TEMPLATES } from './services.js';

/**
 * A pathology network's hub laboratory, run by the network or its private partner (the supplier): the
 * shape NHS Improvement set out in 2017 — 29 hub-and-spoke networks of the 105 hospitals that provide
 * pathology, each serving 1.5–2 million people, the hub doing the high-volume, non-urgent work (GP
 * requests among it) and the spokes the urgent hospital work (NHS Improvement, Pathology networks, 2017;
 * HSJ, September 2017). Sources and assumptions: docs/sources.md "Pathology networks".
 *
 * What the supplier runs, at its own site (a `laboratory`), on its own domain:
 * - the network's laboratory information system (LIMS): every served trust's pathology and blood
 *   transfusion, and the network's GP requests, cannot run without it (`requiredFor`; the trusts' own lab
 *   systems and analysers are their additive supporters). Assumption: the network shares one LIMS, as
 *   networks consolidating onto a single LIMS intend; where a trust kept its own, its pathology would not
 *   require the network's;
 * - the results platform (orders and results for practices and trusts; GP results need it);
 * - the hub's analysers, servers and staff desktops, and a directory that administers them.
 */

/** Share of pathology work requested by general practice (GP magazine, 2012: "more than a third"; 35–45% of cost): the hub's GP stream, 0.4 of the network's work. */
export const GP_PATHOLOGY_SHARE = 0.4;

/**
 * Hub sizes (assumption: no published inventory of a hub laboratory). Hands-on minutes of a rebuild
 * (recovery.handsOnMinutes) are the supplier's: a LIMS is rebuilt, restored from backup and assured with
 * the NHS before it serves again — assumption: 10 days, platform 5 days, a server a day; published
 * ransomware recoveries of health suppliers took 2–8 weeks to first service and more to the last customer
 * (Advanced, August 2022: rebuilt by day 7, reconnections from day 18; HSE Ireland, 2021: half the servers
 * in three weeks).
 */
export const HUB = {
  analysers: 40,
  servers: 8,
  desktops: 60,
  limsRebuildMinutes: 10 * 1440,
  platformRebuildMinutes: 5 * 1440,
  serverRebuildMinutes: 1440,
} as const;

export interface ServedTrust {
  id: string;
  kind: TrustKind;
  beds: number;
}

export interface PathologyNetwork {
  platform: string;
  lims: string;
}

/**
 * Adds network `key` (ids prefixed with it) run by supplier `owner`, serving `trusts` and the practices of
 * its area; the GP stream's demand is GP_PATHOLOGY_SHARE of the network's work.
 */
export function addPathologyNetwork(b: TwinBuilder, national: NationalRefs, spec: { key: string; owner: string; name: string; region?: string; trusts: readonly ServedTrust[] }): PathologyNetwork {
  const { key, owner } = spec;
  const site = b.site({ id: `${key}/hub`, kind: 'laboratory', name: `${spec.name} hub laboratory`, ...(spec.region === undefined ? {} : { region: spec.region }) });
  const zone = b.zone({ id: `${key}/hub-lan`, name: `${spec.name} hub network`, site });
  const offers = (t: ServedTrust, service: 'pathology' | 'transfusion'): boolean => (PROFILES[t.kind].services as readonly string[]).includes(service);
  const trustTests = spec.trusts.filter((t) => offers(t, 'pathology')).reduce((sum, t) => sum + SERVICE_TEMPLATES.pathology.demandPerBedHour * t.beds, 0);
  const gpTests = b.service({
    id: `${key}/gp-tests`,
    name: `${spec.name}: GP pathology requests`,
    unit: 'tests',
    // The GP stream is GP_PATHOLOGY_SHARE of the network's work; the trusts' own is the rest.
    demandPerHour: Math.round(((trustTests * GP_PATHOLOGY_SHARE) / (1 - GP_PATHOLOGY_SHARE)) * 100) / 100,
    criticality: 3,
    site,
    kind: 'gp-pathology',
    workarounds: LAB_WORKAROUNDS,
  });
  const required = [
    ...spec.trusts.filter((t) => offers(t, 'pathology')).map((t) => `${t.id}/pathology`),
    ...spec.trusts.filter((t) => offers(t, 'transfusion')).map((t) => `${t.id}/transfusion`),
    gpTests,
  ];
  const tags = [TAG.windows, TAG.pathologyHub];
  const lims = b.node({
    id: `${key}/lims`,
    name: `${spec.name} laboratory information system`,
    layer: 'network',
    kind: 'server',
    owner,
    zone,
    software: windows(true, true),
    controls: ['backups'],
    requiredFor: required,
    tags: [...tags, TAG.pathologyLims],
    recovery: { handsOnMinutes: HUB.limsRebuildMinutes, mode: 'remote' },
  })!;
  const platform = b.node({
    id: `${key}/platform`,
    name: `${spec.name} results platform`,
    layer: 'cloud',
    kind: 'supplier-platform',
    owner,
    site,
    requiredFor: [gpTests],
    controls: ['backups'],
    tags: [TAG.pathologyHub],
    recovery: { ...RECOVERY['supplier-platform'], handsOnMinutes: HUB.platformRebuildMinutes },
  })!;
  const directory = b.node({ id: `${key}/directory`, layer: 'network', kind: 'server', owner, zone, software: windows(true, true), tags, recovery: { handsOnMinutes: HUB.serverRebuildMinutes, mode: 'remote' } });
  const servers = b.node({ id: `${key}/servers`, layer: 'network', kind: 'server', owner, zone, count: HUB.servers, software: windows(true, true), tags, recovery: { handsOnMinutes: HUB.serverRebuildMinutes, mode: 'remote' } });
  const desktops = b.node({ id: `${key}/desktops`, layer: 'physical', kind: 'clinical-workstation', owner, zone, count: HUB.desktops, software: windows(true), tags, recovery: RECOVERY['clinical-workstation'] });
  const analysers = b.node({ id: `${key}/analysers`, layer: 'physical', kind: 'lab-analyser', owner, zone, count: HUB.analysers, services: [gpTests], tags: [TAG.pathologyHub], recovery: RECOVERY['lab-analyser'] });

  b.edge(national.internet, platform, 'network', { bidirectional: true });
  b.edge(platform, national.spine, 'data', { note: 'results to GP records' });
  b.edge(national.nationalNetwork, lims, 'network', { bidirectional: true, note: 'HSCN: trusts\' lab systems reach the LIMS' });
  b.edge(lims, platform, 'data', { bidirectional: true, note: 'orders in, results out' });
  b.edge(analysers, lims, 'data', { bidirectional: true, pattern: 'spread' });
  // The supplier's domain: staff sign in at their desktops, the directory administers every host.
  b.edge(desktops, directory, 'identity', { pattern: 'spread' });
  b.edge(directory, desktops, 'management', { pattern: 'spread' });
  b.edge(servers, directory, 'identity', { pattern: 'spread' });
  b.edge(directory, servers, 'management', { pattern: 'spread' });
  b.edge(lims, directory, 'identity');
  b.edge(directory, lims, 'management');
  b.edge(desktops, lims, 'identity', { pattern: 'spread', note: 'laboratory staff sign in to the LIMS' });
  return { platform, lims };
}
