import { parseCvss, type CvssRating } from '../model/cvss.js';
import { hashUnit, memberCarries, type ExpandedTwin } from '../model/expand.js';
import type { Controls } from '../model/regime.js';
import type { Twin } from '../model/twin.js';
import { exploitEase } from './ease.js';
import type { CompiledModel } from './model.js';
import { shared } from './shared.js';

/**
 * Per member, the exploit ease of the easiest vulnerability it carries among those the threat exploits
 * (0 when none; a group's `share` is dealt systematically, see memberCarries), and whether the regime
 * patched it: `patchCoverage` of each group's vulnerable members, by the same systematic sampling with its
 * own offset (so the same members in every run), skipping unsupported software when `patchSupportedOnly`.
 */
export function compileVulnerabilities(
  twin: Twin,
  expanded: ExpandedTwin,
  exploits: readonly string[],
  controls: Pick<Controls, 'patchCoverage' | 'patchSupportedOnly'>,
): Pick<CompiledModel, 'exploitEase' | 'patched'> {
  const n = expanded.nodeCount;
  const { entryStart } = expanded;
  const exploitEaseOf = shared(Float32Array, n);
  const patched = shared(Uint8Array, n);
  const exploited = new Set(exploits);
  const ratings = new Map<string, CvssRating>();
  twin.nodes.forEach((node, e) => {
    const start = entryStart[e]!;
    const unsupported = node.tags.includes('unsupported-os') || node.software.some((c) => c.supported === false);
    const patchable = !(controls.patchSupportedOnly && unsupported);
    const vulns = node.vulns
      .filter((v) => exploited.has(v.cve))
      .map((v) => {
        let rating = ratings.get(v.cvss);
        if (!rating) ratings.set(v.cvss, (rating = parseCvss(v.cvss) as CvssRating));
        return { share: v.share, offset: hashUnit(`${node.id}/${v.cve}`), ease: exploitEase(rating) };
      });
    const patchOffset = hashUnit(`${node.id}/patch`);
    for (let k = 0; k < node.count; k++) {
      const i = start + k;
      let ease = 0;
      for (const v of vulns) if (v.ease > ease && memberCarries(v.share, k, v.offset)) ease = v.ease;
      exploitEaseOf[i] = ease;
      if (ease > 0 && patchable && controls.patchCoverage !== undefined && memberCarries(controls.patchCoverage, k, patchOffset)) {
        patched[i] = 1;
      }
    }
  });
  return { exploitEase: exploitEaseOf, patched };
}
