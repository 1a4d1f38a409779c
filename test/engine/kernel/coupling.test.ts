import { describe, expect, it } from 'vitest';
import { compile } from '../../../engine/compile/compile.js';
import type { CompiledModel } from '../../../engine/compile/model.js';
import { packInterventions } from '../../../engine/kernel/interventions.js';
import { runKernel } from '../../../engine/kernel/kernel.js';
import { M } from '../../../engine/kernel/metrics.js';
import { KernelState } from '../../../engine/kernel/state.js';
import { IDENTITY, MANAGEMENT } from '../../../engine/kernel/codes.js';
import { T_BLOCKED, T_COMPROMISE, TRACE_KINDS, TraceBuffer } from '../../../engine/kernel/trace.js';
import { resolveRegime, resolveScenario } from '../../../scenarios/index.js';
import { asContagion } from './both.js';

/**
 * Coupled runs (docs/engine.md "Coupled runs"): every draw is a function of the entity it is about, so a
 * change to one path changes only what flows through that path. Checked on the acute-trust twin, where the
 * old single-stream kernel shifted every later draw at the first changed event.
 */

// medjack-up read as a contagion (asContagion): attempts along every relation, which is what coupling is
// about; an intrusion's operators (operators.test.ts) choose their path, so one closed entry may reroute them.
const resolved = resolveScenario('medjack-up', 'acute-trust');
const twin = resolved.twin;
const scenario = asContagion(resolved.scenario);
const { model } = compile(twin, scenario, resolveRegime('baseline'));
const RUNS = 40;
const SEED = 2024;

/** The model with every member edge of edge entry `entry` closed (both directions): nothing else differs. */
function closeEntry(base: CompiledModel, entry: number): CompiledModel {
  // Each class the entry's edges use gets a copy of ease 0 (same relation and tag), which they move to.
  const classRelation = [...base.classRelation];
  const classEase = [...base.classEase];
  const classTag = [...base.classTag];
  const closed = new Map<number, number>();
  const edgeClass = Uint16Array.from(base.edgeClass);
  const edgeSpread = Float32Array.from(base.edgeSpread);
  for (let k = 0; k < base.edgeCount; k++) {
    if (base.edgeGroup[k]! >> 1 !== entry) continue;
    const c = edgeClass[k]!;
    if (!closed.has(c)) {
      closed.set(c, classRelation.length);
      classRelation.push(classRelation[c]!);
      classEase.push(0);
      classTag.push(classTag[c]!);
    }
    edgeClass[k] = closed.get(c)!;
    edgeSpread[k] = 0;
  }
  return { ...base, edgeClass, classRelation: Uint8Array.from(classRelation), classEase: Float32Array.from(classEase), classTag: Int32Array.from(classTag), edgeSpread };
}

/** The member edges of an edge entry, as source>target pairs, and their targets. */
function edgesOf(base: CompiledModel, entry: number): { pairs: Set<string>; targets: Set<number> } {
  const pairs = new Set<string>();
  const targets = new Set<number>();
  for (let source = 0; source < base.nodeCount; source++) {
    for (let k = base.offsets[source]!; k < base.offsets[source + 1]!; k++) {
      if (base.edgeGroup[k]! >> 1 !== entry) continue;
      pairs.add(`${source}>${base.targets[k]!}`);
      targets.add(base.targets[k]!);
    }
  }
  return { pairs, targets };
}

/** What a run's trace shows: the source>target pairs compromises went along, and the members a control blocked. */
function traced(trace: TraceBuffer): { compromised: Set<string>; blocked: Set<number> } {
  const compromised = new Set<string>();
  const blocked = new Set<number>();
  for (let i = 0; i < trace.length; i++) {
    if (trace.kind[i] === T_COMPROMISE) compromised.add(`${trace.from[i]!}>${trace.node[i]!}`);
    else if (trace.kind[i] === T_BLOCKED) blocked.add(trace.node[i]!);
  }
  return { compromised, blocked };
}

/** Whether the run's trace shows the entry's edges mattering: a compromise along one, or a block at one's target. */
function used({ pairs, targets }: { pairs: Set<string>; targets: Set<number> }, run: ReturnType<typeof traced>): boolean {
  for (const pair of pairs) if (run.compromised.has(pair)) return true;
  for (const target of targets) if (run.blocked.has(target)) return true;
  return false;
}

/** Every 24th edge entry that expands to member edges (a spread of device, server and cloud paths; every 12th took two minutes). */
function entriesWithEdges(base: CompiledModel): number[] {
  const seen = new Set<number>();
  for (let k = 0; k < base.edgeCount; k++) seen.add(base.edgeGroup[k]! >> 1);
  return [...seen].sort((a, b) => a - b).filter((_, i) => i % 24 === 0);
}

describe('coupled runs', () => {
  it('closing one edge entry leaves every run that never used it identical, metric for metric', () => {
    const state = new KernelState(model);
    const trace = new TraceBuffer();
    const baseline = Array.from({ length: RUNS }, (_, run) => {
      const row = Array.from(runKernel(model, state, SEED, run, { trace }));
      // What the trace shows, read once per run (not once per run and entry).
      return { row, trace: traced(trace) };
    });
    let unused = 0;
    let changed = 0;
    for (const entry of entriesWithEdges(model)) {
      const closed = closeEntry(model, entry);
      const closedState = new KernelState(closed);
      const edges = edgesOf(model, entry);
      for (let run = 0; run < RUNS; run++) {
        const row = Array.from(runKernel(closed, closedState, SEED, run));
        const { row: plain, trace: plainTrace } = baseline[run]!;
        if (used(edges, plainTrace)) {
          if (row.some((x, j) => j !== M.events && !Object.is(x, plain[j]))) changed++;
          continue;
        }
        unused++;
        // `events` counts attempts that changed nothing, so it may differ; every outcome must not.
        row[M.events] = plain[M.events]!;
        // Compared by hand (Object.is, as toEqual does for numbers): vitest's deep equality on ~1,500 rows of a
        // few hundred numbers took most of this test's two minutes. A difference names its metric.
        const differs = row.findIndex((x, j) => !Object.is(x, plain[j]));
        if (differs >= 0) expect({ metric: differs, value: row[differs] }, `edge entry ${entry}, run ${run}`).toEqual({ metric: differs, value: plain[differs] });
      }
    }
    // The check must have bite both ways: many unused (entry, run) pairs, and closing a used entry does change runs.
    expect(unused).toBeGreaterThan(200);
    expect(changed).toBeGreaterThan(10);
  }, 120_000);

  it('an intervention at T leaves the history before T identical, and after T every member infected along paths it did not touch keeps its event times', () => {
    const state = new KernelState(model);
    const plainTrace = new TraceBuffer();
    const changedTrace = new TraceBuffer();
    // Revoking identities closes identity and management edges from T; nothing else changes.
    const T = 6 * 60;
    const interventions = packInterventions([{ atMinutes: T, action: 'revoke-identities' }]);
    let kept = 0;
    let moved = 0;
    for (let run = 0; run < 60; run++) {
      runKernel(model, state, SEED, run, { trace: plainTrace });
      const plain = events(plainTrace);
      runKernel(model, state, SEED, run, { trace: changedTrace, interventions });
      const changed = events(changedTrace).filter((e) => e.kind !== 'intervention');
      // Before T: the same events, in the same order, at the same times.
      expect(changed.filter((e) => e.time < T)).toEqual(plain.filter((e) => e.time < T));
      // After T: a member whose chain of infection, back to its entry, never took an identity or
      // management edge after T was infected along paths the decision does not touch: its compromise, and
      // the events drawn from its own streams (payload, detection), keep their times. Its restore need
      // not: staff are shared, and the queue it waits in holds members whose fate did change.
      const infectedBy = new Map(plain.filter((e) => e.kind === 'compromise').map((e) => [e.node, e]));
      const untouched = (node: number): boolean => {
        for (let e = infectedBy.get(node); e; e = e.from >= 0 ? infectedBy.get(e.from) : undefined) {
          if (e.time >= T && (e.relation === IDENTITY || e.relation === MANAGEMENT)) return false;
        }
        return true;
      };
      const byNode = (list: Event[]): Map<number, string> => {
        const out = new Map<number, string>();
        for (const e of list) if (e.time >= T && OWN.has(e.kind)) out.set(e.node, `${out.get(e.node) ?? ''} ${e.kind}@${e.time}`);
        return out;
      };
      const plainAfter = byNode(plain);
      const changedAfter = byNode(changed);
      const after = (list: Map<number, string>, node: number): string => list.get(node) ?? '';
      for (const node of infectedBy.keys()) {
        if (infectedBy.get(node)!.time < T && after(plainAfter, node) === '') continue;
        if (!untouched(node)) {
          if (after(plainAfter, node) !== after(changedAfter, node)) moved++;
          continue;
        }
        kept++;
        expect(after(changedAfter, node), `run ${run}, member ${node}`).toBe(after(plainAfter, node));
      }
    }
    expect(kept).toBeGreaterThan(500);
    expect(moved).toBeGreaterThan(10);
  }, 120_000);
});

/** Events a member's own streams time. */
const OWN = new Set(['compromise', 'disrupt', 'detect']);

interface Event {
  time: number;
  kind: string;
  node: number;
  from: number;
  relation: number;
}

function events(trace: TraceBuffer): Event[] {
    return Array.from({ length: trace.length }, (_, i) => ({
    time: trace.time[i]!,
    kind: TRACE_KINDS[trace.kind[i]!]!,
    node: trace.node[i]!,
    from: trace.from[i]!,
    relation: trace.kind[i] === T_COMPROMISE ? trace.detail[i]! : -1,
  }));
}
