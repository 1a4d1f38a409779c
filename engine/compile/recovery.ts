import type { ExpandedTwin } from '../model/expand.js';
import type { Controls } from '../model/regime.js';
import type { Scenario } from '../model/scenario.js';
import type { Twin } from '../model/twin.js';
import { packDelay } from './delay.js';
import { indexById } from './members.js';
import type { CompiledModel } from './model.js';
import { shared, sharedFrom } from './shared.js';
import { selectEntries } from '../model/selector.js';

export type RecoveryArrays = Pick<
  CompiledModel,
  | 'handsOnMinutes'
  | 'priority'
  | 'queue'
  | 'queueCount'
  | 'queueOffsets'
  | 'staffPerQueue'
  | 'queueStaff'
  | 'startDelay'
  | 'startDelayPerMember'
  | 'autoRestore'
  | 'restoreSpeedup'
  | 'teamCount'
  | 'teamOf'
  | 'teamStartDelays'
  | 'teamMemberOffsets'
  | 'teamMembers'
>;

/** Priority of a member a team's order picks with its k-th selector: above every criticality (at most 5). */
export const ORDER_PRIORITY = 250;

/**
 * What bringing members back takes: each member's hands-on minutes (divided by the regime's
 * `backupRestoreSpeedup`), its priority (the highest criticality of the services it supports, is
 * critical for or is required for, 0 if none), and its recovery queue — one per site when staff work per site, with one
 * more for members without a site; else a single queue — with the staff per queue (the scenario's plus
 * the regime's `extraStaff`). Recovery teams (a supplier's own staff) come after: one queue each for the
 * members they select (the first team's where two do), with their own staff and start delay; a member their order picks with
 * its k-th selector has priority ORDER_PRIORITY − k.
 */
export function compileRecovery(
  twin: Twin,
  expanded: ExpandedTwin,
  site: Int32Array,
  recovery: Omit<Scenario['recovery'], 'teams'> & { teams?: Scenario['recovery']['teams'] },
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
    const supported = [...node.services, ...node.criticalFor.map((c) => c.service), ...node.requiredFor];
    priority.fill(Math.max(0, ...supported.map((id) => serviceCriticality[serviceIndex.get(id)!]!)), start, end);
  });

  const teams = recovery.teams ?? [];
  const teamOf = shared(Int32Array, n);
  teamOf.fill(-1);
  teams.forEach((team, k) => {
    for (const e of selectEntries(twin, team.select)) {
      for (let i = entryStart[e]!; i < entryStart[e + 1]!; i++) if (teamOf[i] === -1) teamOf[i] = k;
    }
  });
  teams.forEach((team, k) => {
    // Later selectors first, so a member an earlier one also picks keeps the earlier's (higher) priority.
    for (let j = team.order.length - 1; j >= 0; j--) {
      for (const e of selectEntries(twin, team.order[j]!)) {
        for (let i = entryStart[e]!; i < entryStart[e + 1]!; i++) if (teamOf[i] === k) priority[i] = ORDER_PRIORITY - j;
      }
    }
  });

  const perSite = recovery.perSite;
  const general = perSite ? twin.sites.length + 1 : 1;
  const queueCount = general + teams.length;
  const queue = shared(Int32Array, n);
  const queueSizes = new Int32Array(queueCount);
  for (let i = 0; i < n; i++) {
    const q = teamOf[i]! >= 0 ? general + teamOf[i]! : perSite ? (site[i]! >= 0 ? site[i]! : twin.sites.length) : 0;
    queue[i] = q;
    queueSizes[q]!++;
  }
  const queueOffsets = shared(Int32Array, queueCount + 1);
  for (let q = 0; q < queueCount; q++) queueOffsets[q + 1] = queueOffsets[q]! + queueSizes[q]!;
  const staffPerQueue = recovery.staff + (controls.extraStaff ?? 0);
  const queueStaff = shared(Int32Array, queueCount);
  for (let q = 0; q < queueCount; q++) queueStaff[q] = q < general ? staffPerQueue : teams[q - general]!.staff;
  const teamMembers: number[][] = teams.map(() => []);
  for (let i = 0; i < n; i++) if (teamOf[i]! >= 0) teamMembers[teamOf[i]!]!.push(i);
  const teamMemberOffsets = shared(Int32Array, teams.length + 1);
  teamMembers.forEach((list, k) => (teamMemberOffsets[k + 1] = teamMemberOffsets[k]! + list.length));
  const teamStartDelays = shared(Float64Array, teams.length * 3);
  teams.forEach((team, k) => teamStartDelays.set(packDelay(team.startDelay), k * 3));

  return {
    handsOnMinutes,
    priority,
    queue,
    queueCount,
    queueOffsets,
    staffPerQueue,
    queueStaff,
    startDelay: packDelay(recovery.startDelay ?? { dist: 'fixed', minutes: 0 }),
    startDelayPerMember: recovery.startDelayPer === 'member' ? 1 : 0,
    autoRestore: packDelay(recovery.autoRestore),
    restoreSpeedup,
    teamCount: teams.length,
    teamOf,
    teamStartDelays,
    teamMemberOffsets,
    teamMembers: sharedFrom(Int32Array, teamMembers.flat()),
  };
}
