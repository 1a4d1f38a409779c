import type { ExpandedTwin } from '../model/expand.js';
import type { Controls } from '../model/regime.js';
import type { Scenario } from '../model/scenario.js';
import type { Twin } from '../model/twin.js';
import { packDelay } from './delay.js';
import { indexById } from './members.js';
import type { CompiledModel } from './model.js';
import { shared } from './shared.js';

export type RecoveryArrays = Pick<
  CompiledModel,
  'handsOnMinutes' | 'priority' | 'queue' | 'queueCount' | 'queueOffsets' | 'staffPerQueue' | 'startDelay' | 'autoRestore' | 'restoreSpeedup'
>;

/**
 * What bringing members back takes: each member's hands-on minutes (divided by the regime's
 * `backupRestoreSpeedup`), its priority (the highest criticality of the services it supports or is
 * critical for, 0 if none), and its recovery queue — one per site when staff work per site, with one
 * more for members without a site; else a single queue — with the staff per queue (the scenario's plus
 * the regime's `extraStaff`).
 */
export function compileRecovery(
  twin: Twin,
  expanded: ExpandedTwin,
  site: Int32Array,
  recovery: Scenario['recovery'],
  controls: Pick<Controls, 'backupRestoreSpeedup' | 'extraStaff'>,
): RecoveryArrays {
  const n = expanded.nodeCount;
  const { entryStart } = expanded;
  const restoreSpeedup = controls.backupRestoreSpeedup ?? 1;
  const serviceIndex = indexById(twin.services);
  const serviceCriticality = twin.services.map((s) => s.criticality);
  const handsOnMinutes = shared(Float32Array, n);
  const priority = shared(Uint8Array, n);
  twin.nodes.forEach((node, e) => {
    const start = entryStart[e]!;
    const end = entryStart[e + 1]!;
    handsOnMinutes.fill(node.recovery.handsOnMinutes / restoreSpeedup, start, end);
    const supported = [...node.services, ...node.criticalFor.map((c) => c.service)];
    priority.fill(Math.max(0, ...supported.map((id) => serviceCriticality[serviceIndex.get(id)!]!)), start, end);
  });

  const perSite = recovery.perSite;
  const queueCount = perSite ? twin.sites.length + 1 : 1;
  const queue = shared(Int32Array, n);
  const queueSizes = new Int32Array(queueCount);
  for (let i = 0; i < n; i++) {
    const q = perSite ? (site[i]! >= 0 ? site[i]! : twin.sites.length) : 0;
    queue[i] = q;
    queueSizes[q]!++;
  }
  const queueOffsets = shared(Int32Array, queueCount + 1);
  for (let q = 0; q < queueCount; q++) queueOffsets[q + 1] = queueOffsets[q]! + queueSizes[q]!;

  return {
    handsOnMinutes,
    priority,
    queue,
    queueCount,
    queueOffsets,
    staffPerQueue: recovery.staff + (controls.extraStaff ?? 0),
    startDelay: packDelay(recovery.startDelay ?? { dist: 'fixed', minutes: 0 }),
    autoRestore: packDelay(recovery.autoRestore),
    restoreSpeedup,
  };
}
