import { describe, expect, it } from 'vitest';
import { runBatch } from '../../../engine/batch/batch.js';
import { traceRun } from '../../../engine/batch/trace.js';
import { compile } from '../../../engine/compile/compile.js';
import { resolveRegime, resolveScenario } from '../../../scenarios/index.js';

describe('the event trace of one run', () => {
  const { scenario, twin } = resolveScenario('wannacry-down', 'ward');
  const compiled = compile(twin, scenario, resolveRegime('baseline'));

  it('names nodes, orders events in time, marks layer crossings and matches the batch row of that run', async () => {
    const doc = traceRun(compiled, 42, 3);
    expect(doc.events.length).toBeGreaterThan(0);
    for (let i = 1; i < doc.events.length; i++) expect(doc.events[i]!.t).toBeGreaterThanOrEqual(doc.events[i - 1]!.t);
    const compromises = doc.events.filter((e) => e.kind === 'compromise');
    expect(compromises.length).toBe(doc.outcome.compromised);
    expect(doc.events.filter((e) => e.crossing === 'down').length).toBe(doc.outcome['crossings.down']);
    for (const e of compromises) expect(doc.nodes[e.node!]!.id).toMatch(/^[a-z0-9-]+(#\d+)?$/);
    const batch = await runBatch(compiled, { runs: 4, seed: 42, workers: 0 });
    const width = batch.metricNames.length;
    expect(batch.rows[3 * width + batch.metricNames.indexOf('compromised')]).toBe(doc.outcome.compromised);
  });

  it("shows an operator's moves as the target reached from the host, named by action, each followed by its compromise", () => {
    const medjack = resolveScenario('medjack-up', 'acute-trust');
    const doc = traceRun(compile(medjack.twin, medjack.scenario, resolveRegime('baseline')), 20170512, 0);
    const actions = doc.events.filter((e) => e.kind === 'action');
    expect(actions.length).toBeGreaterThan(0);
    for (const e of actions) expect(['discover', 'exploit', 'harvest', 'move', 'exfiltrate', 'deploy']).toContain(e.detail);
    // A move that lands is recorded at the same minute as the compromise of the same target, from the same host.
    const moves = actions.filter((e) => e.from !== null && doc.events.some((c) => c.kind === 'compromise' && c.t === e.t && c.node === e.node));
    expect(moves.length).toBeGreaterThan(0);
    for (const e of moves) expect(doc.events.find((c) => c.kind === 'compromise' && c.t === e.t && c.node === e.node)!.from).toBe(e.from);
  });
});
