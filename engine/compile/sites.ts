import type { Twin } from '../model/twin.js';
import { SITE_KINDS } from '../model/vocabulary.js';
import type { CompiledModel } from './model.js';
import { shared, sharedFrom } from './shared.js';

export type SiteArrays = Pick<CompiledModel, 'siteMemberOffsets' | 'siteMembers' | 'siteIsTrust' | 'siteKind' | 'siteRegion' | 'regionCount'>;

/** The twin's regions, in order of first appearance among its sites. */
export function regionsOf(twin: Twin): string[] {
  return [...new Set(twin.sites.flatMap((x) => (x.region === undefined ? [] : [x.region])))];
}

/**
 * Per site: its members (CSR, in member order, for responses taken site by site), whether it is a trust,
 * its kind and its region (an index into `regions`, -1 for none).
 */
export function compileSites(twin: Twin, site: Int32Array, regions: readonly string[]): SiteArrays {
  const siteCount = twin.sites.length;
  const siteMemberOffsets = shared(Int32Array, siteCount + 1);
  for (let i = 0; i < site.length; i++) if (site[i]! >= 0) siteMemberOffsets[site[i]! + 1]!++;
  for (let k = 0; k < siteCount; k++) siteMemberOffsets[k + 1]! += siteMemberOffsets[k]!;
  const siteMembers = shared(Int32Array, siteMemberOffsets[siteCount]!);
  const siteFill = siteMemberOffsets.slice(0, siteCount);
  for (let i = 0; i < site.length; i++) if (site[i]! >= 0) siteMembers[siteFill[site[i]!]!++] = i;
  return {
    siteMemberOffsets,
    siteMembers,
    siteIsTrust: sharedFrom(Uint8Array, twin.sites.map((s) => (s.kind.endsWith('-trust') ? 1 : 0))),
    siteKind: sharedFrom(Uint8Array, twin.sites.map((s) => SITE_KINDS.indexOf(s.kind))),
    siteRegion: sharedFrom(Int32Array, twin.sites.map((s) => (s.region === undefined ? -1 : regions.indexOf(s.region)))),
    regionCount: regions.length,
  };
}
