import { parseCvss, type CvssRating } from '../model/cvss.js';
import type { ExpandedTwin } from '../model/expand.js';
import type { Controls } from '../model/regime.js';
import type { Twin } from '../model/twin.js';
import { exploitEase } from './ease.js';
import type { CompiledModel } from './model.js';
import { shared } from './shared.js';

/**
 * Per member, the exploit ease of the easiest vulnerability it may carry among those the threat exploits (0
 * when none), the chance it carries one in a run (a group's `share`: 1 − Π(1 − share) over the exploited
 * vulnerabilities), and the chance the regime patched it (`patchCoverage`, 0 for unsupported software under
 * `patchSupportedOnly`). Both chances are drawn per run, member by member, from the coupled streams
 * (kernel/estate.ts): which hosts are unpatched differs from run to run, and a higher coverage patches a
 * superset of the hosts a lower one does in the same run.
 */
export function compileVulnerabilities(
  twin: Twin,
  expanded: ExpandedTwin,
  exploits: readonly string[],
  controls: Pick<Controls, 'patchCoverage' | 'patchSupportedOnly'>,
): Pick<CompiledModel, 'exploitEase' | 'carryChance' | 'patchChance'> {
  const n = expanded.nodeCount;
  const { entryStart } = expanded;
  const exploitEaseOf = shared(Float32Array, n);
  const carryChance = shared(Float32Array, n);
  const patchChance = shared(Float32Array, n);
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
        return { share: v.share, ease: exploitEase(rating) };
      })
      .filter((v) => v.share > 0);
    const ease = vulns.reduce((best, v) => Math.max(best, v.ease), 0);
    const chance = 1 - vulns.reduce((none, v) => none * (1 - v.share), 1);
    const patch = ease > 0 && patchable ? (controls.patchCoverage ?? 0) : 0;
    exploitEaseOf.fill(ease, start, start + node.count);
    carryChance.fill(chance, start, start + node.count);
    patchChance.fill(patch, start, start + node.count);
  });
  return { exploitEase: exploitEaseOf, carryChance, patchChance };
}
