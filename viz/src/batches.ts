import type { BatchInfo } from './api.js';

/**
 * The rows of the "Stored batches" table. A compare, sweep or sensitivity group is one row (its batches are
 * its regimes, values or design points), so what the row says is said of the whole group, never of one
 * member: a comparison's regimes in order, a sweep's regime and swept values, every member's runs and status.
 */
export interface BatchRow {
  /** The batch id, or a group's (its first batch's id). */
  id: string;
  /** The link that opens it. */
  link: string;
  /** `run`, or a group's kind and size: `compare (2 batches)`. */
  kind: string;
  scenario: string;
  twin: string;
  regime: string;
  runs: string;
  status: string;
}

/** A sweep's values listed in full up to this many; beyond, the first two and the last. */
const SWEEP_VALUES_SHOWN = 6;

/** `batches` as /api/batches lists them, newest first; the rows in that order, each group where its newest member is. */
export function batchRows(batches: readonly BatchInfo[]): BatchRow[] {
  // A group's members in the store's order, oldest first: the first is the baseline a comparison is against.
  const members = new Map<string, BatchInfo[]>();
  for (const b of [...batches].reverse()) {
    if (b.kind === 'run' || !b.groupId) continue;
    let group = members.get(b.groupId);
    if (!group) members.set(b.groupId, (group = []));
    group.push(b);
  }
  const rows: BatchRow[] = [];
  const seen = new Set<string>();
  for (const b of batches) {
    const group = b.kind !== 'run' && b.groupId ? members.get(b.groupId)! : undefined;
    if (!group) {
      rows.push({ id: b.id, link: `#/results?batch=${b.id}`, kind: b.kind, scenario: b.scenario, twin: b.twin, regime: b.regime, runs: runsOf(b), status: b.status });
      continue;
    }
    if (seen.has(b.groupId!)) continue;
    seen.add(b.groupId!);
    rows.push({
      id: b.groupId!,
      link: `#/results?group=${b.groupId}`,
      kind: `${b.kind} (${group.length} ${group.length === 1 ? 'batch' : 'batches'})`,
      scenario: distinct(group.map((m) => m.scenario)).join(', '),
      twin: distinct(group.map((m) => m.twin)).join(', '),
      regime: groupRegime(b.kind, group),
      runs: distinct(group.map(runsOf)).join(', '),
      status: groupStatus(group),
    });
  }
  return rows;
}

/** A batch's runs as the CLI's `results list` says them: `20,000`, or `500/20,000` while fewer are stored. */
function runsOf(b: BatchInfo): string {
  const runs = b.runs.toLocaleString('en-GB');
  return b.storedRuns !== undefined && b.storedRuns < b.runs ? `${b.storedRuns.toLocaleString('en-GB')}/${runs}` : runs;
}

/** A comparison's regimes in order (`baseline vs staged-rollout`); a sweep's regime and swept values. */
function groupRegime(kind: string, group: BatchInfo[]): string {
  const regimes = distinct(group.map((m) => m.regime)).join(' vs ');
  if (kind !== 'sweep') return regimes;
  // Sweep labels are `path=value` (strata sweep), one per value in the swept order.
  const swept = group.map((m) => m.label?.match(/^([^=]+)=(.*)$/));
  const path = swept[0]?.[1];
  if (!path || swept.some((s) => s?.[1] !== path)) return regimes;
  const values = swept.map((s) => s![2]!);
  const shown = values.length <= SWEEP_VALUES_SHOWN ? values.join(', ') : `${values[0]}, ${values[1]}, …, ${values.at(-1)} (${values.length} values)`;
  return `${regimes}, ${path} = ${shown}`;
}

/** One status when every member has it; else how many have each (`1 complete, 1 incomplete`). */
function groupStatus(group: BatchInfo[]): string {
  const counts = new Map<string, number>();
  for (const m of group) counts.set(m.status, (counts.get(m.status) ?? 0) + 1);
  return counts.size === 1 ? group[0]!.status : [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
}

function distinct(values: string[]): string[] {
  return [...new Set(values)];
}
