import { compile } from '../../engine/compile/compile.js';
import { runKernel } from '../../engine/kernel/kernel.js';
import { M } from '../../engine/kernel/metrics.js';
import { KernelState } from '../../engine/kernel/state.js';
import { resolveRegime, resolveScenario } from '../../scenarios/index.js';
import { argument, main, round, sig3, type LaunchOptions, type Measurements } from '../harness/launch.js';

/**
 * How the cost of a run grows with the twin (issue 15): one scenario on acute-trust at 200, 780, 3,000 and
 * 12,000 beds, baseline regime, the kernel on this thread (the general path every seed scenario takes).
 * For each size: ms per run, popped events per run, ns per event, and the time to reset the run state after
 * a run. The exponents are least-squares slopes on log–log axes over the four sizes: time per run against members
 * (`kTimePerRun`), events per run against members (`kEventsPerRun`: the model's own growth — a larger trust
 * gives the worm more to reach) and time per event (`kTimePerEvent`: 0 means the per-event cost is flat);
 * members compromised per run against members (`kCompromisedPerRun`: the outbreak's share of the trust grows
 * with it) and time per compromised member (`kTimePerCompromised`).
 *
 *   node --import tsx bench/scenario/scaling.ts --scenario wannacry-down
 */
const SIZES = [200, 780, 3000, 12000] as const;

export async function measure(options: LaunchOptions): Promise<Measurements> {
  const name = argument(options.args, 'scenario', 'wannacry-down');
  const sizes = options.quick ? SIZES.slice(0, 2) : SIZES;
  const seed = 3000 + options.launch;
  const out: Measurements = { scenario: name };
  const points: { nodes: number; ms: number; events: number; compromised: number }[] = [];
  for (const beds of sizes) {
    const { scenario, twin } = resolveScenario(name, 'acute-trust', { beds });
    const model = compile(twin, scenario, resolveRegime('baseline')).model;
    const state = new KernelState(model);
    // About the same number of events timed at every size: a budget of runs inversely proportional to size.
    const runs = options.quick ? 4 : Math.max(24, Math.round(240_000 / beds));
    for (let i = 0; i < Math.max(4, runs >> 2); i++) runKernel(model, state, seed, 1_000_000 + i); // JIT warm-up
    // Timed in blocks; the median block's time per run (a block's runs are the same in every launch's order).
    const blocks = 5;
    const per = Math.ceil(runs / blocks);
    const msPerRun: number[] = [];
    let events = 0;
    let compromised = 0;
    for (let b = 0; b < blocks; b++) {
      const t = performance.now();
      for (let i = 0; i < per; i++) {
        const row = runKernel(model, state, seed, b * per + i);
        events += row[M.events]!;
        compromised += row[M.compromised]!;
      }
      msPerRun.push((performance.now() - t) / per);
    }
    msPerRun.sort((a, b) => a - b);
    const ms = msPerRun[blocks >> 1]!;
    const eventsPerRun = events / (blocks * per);
    // The reset alone, after a run (it puts back what that run changed): what a run pays before its first event.
    const resets = 20;
    let resetTotal = 0;
    for (let i = 0; i < resets; i++) {
      runKernel(model, state, seed, i);
      const t = performance.now();
      state.reset();
      resetTotal += performance.now() - t;
    }
    const resetMs = resetTotal / resets;
    const compromisedPerRun = compromised / (blocks * per);
    points.push({ nodes: model.nodeCount, ms, events: eventsPerRun, compromised: compromisedPerRun });
    out[`compromisedPerRun.${beds}`] = round(compromisedPerRun, 0);
    out[`eventsPerCompromised.${beds}`] = round(eventsPerRun / compromisedPerRun, 2);
    out[`nodes.${beds}`] = model.nodeCount;
    out[`zones.${beds}`] = model.zoneCount;
    out[`reachEntries.${beds}`] = model.zoneReach.length;
    out[`msPerRun.${beds}`] = round(ms, 3);
    out[`eventsPerRun.${beds}`] = round(eventsPerRun, 0);
    out[`nsPerEvent.${beds}`] = round((ms * 1e6) / eventsPerRun, 1);
    out[`eventsPerSecond.${beds}`] = sig3((eventsPerRun / ms) * 1000);
    out[`resetMs.${beds}`] = round(resetMs, 3);
  }
  out.kTimePerRun = round(slope(points.map((p) => [p.nodes, p.ms])), 3);
  out.kEventsPerRun = round(slope(points.map((p) => [p.nodes, p.events])), 3);
  out.kTimePerEvent = round(slope(points.map((p) => [p.nodes, p.ms / p.events])), 3);
  // The model's own growth: a larger trust lets the worm reach a larger share of it. Time per compromised
  // member against members is what the engine adds on top.
  out.kCompromisedPerRun = round(slope(points.map((p) => [p.nodes, p.compromised])), 3);
  out.kTimePerCompromised = round(slope(points.map((p) => [p.nodes, p.ms / p.compromised])), 3);
  return out;
}

/** Least-squares slope of log y on log x. */
function slope(points: readonly (readonly [number, number])[]): number {
  const xs = points.map(([x]) => Math.log(x));
  const ys = points.map(([, y]) => Math.log(y));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  return sxy / sxx;
}

main(import.meta.url, measure);
