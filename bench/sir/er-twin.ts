import { readFileSync } from 'node:fs';
import { compile } from '../../engine/compile/compile.js';
import type { CompiledModel } from '../../engine/compile/model.js';
import { regimeFromValue, scenarioFromValue, twinFromValue } from '../../engine/model/load.js';
import type { RegimeInput } from '../../engine/model/regime.js';
import type { ScenarioInput } from '../../engine/model/scenario.js';
import type { TwinInput } from '../../engine/model/twin.js';

/**
 * Continuous-time Markovian SIR as a Strata twin and scenario, so the kernel can be set beside sir_ref.c
 * on the same graph. Minutes are the time unit: transmission at rate β = 0.5 per minute along each edge is
 * an exponential spread delay of mean 1/β = 2 minutes (the CVE below has CVSS exploitability ease 1, so the
 * delay is not scaled), and recovery at rate γ = 1 is `autoRestore` with mean 1 minute. A restored node
 * never becomes susceptible again (SIR, not SIS). There are no zones, so no in-zone scanning: the worm
 * moves along the explicit edges only, as the C reference does.
 */
export const BETA = 0.5;
export const GAMMA = 1;

/** AV:N/AC:L/PR:N/UI:N: the highest CVSS v3.1 exploitability, ease exactly 1 (engine/compile/ease.ts). */
const VULN = { cve: 'CVE-2017-0144', cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', source: 'bench: ease 1' };

/** An edge list of `u v` lines (0-based), as gen_er.c writes it, as pairs [u0, v0, u1, v1, ...]. */
export function readEdgeList(file: string): Int32Array {
  const text = readFileSync(file, 'latin1');
  const pairs: number[] = [];
  let value = 0;
  let inNumber = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      inNumber = true;
    } else if (inNumber) {
      pairs.push(value);
      value = 0;
      inNumber = false;
    }
  }
  if (inNumber) pairs.push(value);
  if (pairs.length % 2 !== 0) throw new Error(`bench/sir: ${file}: odd number of node ids`);
  return Int32Array.from(pairs);
}

/** One single-node entry per graph node on the network layer, each undirected edge one bidirectional entry. */
export function sirTwin(nodes: number, edges: Int32Array): TwinInput {
  return {
    schema: 'strata.twin/v1',
    name: `er-${nodes}`,
    owners: [{ id: 'operator', kind: 'operator' }],
    nodes: Array.from({ length: nodes }, (_, i) => ({ id: `v${i}`, layer: 'network', kind: 'server', owner: 'operator', vulns: [VULN], recovery: { handsOnMinutes: 1 } })),
    edges: Array.from({ length: edges.length / 2 }, (_, e) => ({ from: `v${edges[2 * e]}`, to: `v${edges[2 * e + 1]}`, relation: 'network', bidirectional: true })),
  };
}

/** One random seed node; no detection (payload none, so nothing is ever disrupted), no staff, no responses. */
export function sirScenario(twinName: string): ScenarioInput {
  return {
    schema: 'strata.scenario/v1',
    name: 'sir',
    title: 'Markovian SIR (perf-anchor equivalence)',
    twin: twinName,
    // Outbreaks on these graphs are over within about an hour of simulated time; a day leaves a wide margin
    // (the bench checks that every compromised node was restored before the horizon).
    horizonHours: 24,
    threat: {
      kind: 'worm',
      entries: [{ select: { layers: ['network'] }, count: 1 }],
      exploits: [VULN.cve],
      relations: ['network'],
      spread: { dist: 'exponential', meanMinutes: 1 / BETA },
      payload: { effect: 'none', delay: { dist: 'fixed', minutes: 0 } },
    },
    detection: { disrupted: { dist: 'fixed', minutes: 500_000 } },
    recovery: { staff: 0, autoRestore: { dist: 'exponential', meanMinutes: 1 / GAMMA } },
  };
}

export const SIR_REGIME: RegimeInput = { schema: 'strata.regime/v1', name: 'none', title: 'No controls', controls: {} };

/** The SIR model compiled from an edge list, each step timed: build the TwinInput, validate, compile. */
export function compileSir(nodes: number, edges: Int32Array): { model: CompiledModel; buildMs: number; validateMs: number; compileMs: number } {
  let t = performance.now();
  const input = sirTwin(nodes, edges);
  const buildMs = performance.now() - t;
  t = performance.now();
  const twin = twinFromValue(input, `<bench:er-${nodes}>`);
  const scenario = scenarioFromValue(sirScenario(twin.name), '<bench:sir>', twin);
  const regime = regimeFromValue(SIR_REGIME, '<bench:none>');
  const validateMs = performance.now() - t;
  t = performance.now();
  const { model } = compile(twin, scenario, regime);
  return { model, buildMs, validateMs, compileMs: performance.now() - t };
}
