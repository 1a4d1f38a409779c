import { E_ARRIVAL, E_HALT_RULE, E_WAVE, HALTED, HALTED_BY_ROLLOUT, haltControl, NOT_HALTED } from './codes.js';
import { delayAt, STREAM } from './rng.js';
import { CONTROL } from '../compile/model.js';
import { disrupt, isolatedBetween, protect } from './spread.js';
import { HEALTHY, type KernelState } from './state.js';
import { T_HALT } from './trace.js';

/** The faulty update: waves of arrivals, and the halt (docs/engine.md "Faulty update"). */

export function wave(s: KernelState, w: number, t: number): void {
  const m = s.model;
  const waves = m.waveOffsets.length - 1;
  if (s.halted !== NOT_HALTED) {
    const control = haltControl(s.halted);
    for (let k = m.waveOffsets[w]!; k < m.waveOffsets[waves]!; k++) if (m.affected[m.waveEndpoints[k]!] === 1) protect(s, m.waveEndpoints[k]!, control, t);
    return;
  }
  const pulled = m.releaseMinutes + m.liveMinutes;
  for (let k = m.waveOffsets[w]!; k < m.waveOffsets[w + 1]!; k++) {
    // The endpoint's own arrival delay from its wave's release, whichever wave a regime puts it in.
    const due = t + delayAt(m.arrival, 0, 1, s.streams.keys, STREAM.arrival, m.waveEndpoints[k]!, m.waveSources[k]!);
    if (due < pulled) s.schedule(due, E_ARRIVAL, m.waveEndpoints[k]!, m.waveSources[k]!);
  }
  if (w + 1 < waves) s.schedule(t + m.waveIntervalMinutes, E_WAVE, -1, w + 1);
}

export function arrival(s: KernelState, node: number, source: number, t: number): void {
  const m = s.model;
  if (m.affected[node] === 0 || s.state[node] !== HEALTHY || s.disconnected[node] === 1) return;
  if (s.halted !== NOT_HALTED) return protect(s, node, haltControl(s.halted), t);
  if (m.site[node]! >= 0 && s.siteHalted[m.site[node]!] === 1) return protect(s, node, haltControl(HALTED), t);
  // The update comes over the network from its source: an isolated zone does not receive it.
  if (isolatedBetween(s, source, node)) return protect(s, node, CONTROL.isolation, t);
  disrupt(s, node, source, t);
  if (++s.failures >= m.haltAfterFailures && s.halted === NOT_HALTED && !s.haltPending) {
    // The halt takes effect after its delay (none: at once); arrivals meanwhile still fail. The delay's
    // counter is the rule's firing this run, not the failure count: a run's first firing draws the same
    // delay whatever the threshold, so regimes that differ only in it stay paired.
    const delay = delayAt(m.haltDelay, 0, 1, s.streams.keys, STREAM.haltRule, 0, s.haltFirings++);
    if (delay > 0) {
      s.haltPending = true;
      s.schedule(t + delay, E_HALT_RULE, -1, 0);
    } else haltRule(s, t);
  }
}

/** The halt rule takes effect, unless the update has been halted otherwise meanwhile. */
export function haltRule(s: KernelState, t: number): void {
  s.haltPending = false;
  if (s.halted !== NOT_HALTED) return;
  s.halted = HALTED_BY_ROLLOUT;
  // Detail 2: halted by the halt rule (1 is a response or decision, 0 a lift; batch/trace.ts).
  s.trace?.push(t, T_HALT, -1, -1, 2);
}
