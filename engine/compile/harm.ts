import { HARM_EFFECTS, HARM_PROFILES, harmKinds, SEVERITIES, type ClinicalMitigation, type HarmEffect, type HarmPath, type SeverityRates } from '../model/harm.js';
import type { Controls } from '../model/regime.js';
import type { Scenario } from '../model/scenario.js';
import type { Twin } from '../model/twin.js';
import { NODE_KINDS, type NodeKind } from '../model/vocabulary.js';
import { packDelay } from './delay.js';
import type { CompiledModel } from './model.js';
import { shared } from './shared.js';

/** The device kinds with a harm profile, in NODE_KINDS order: the `harm.<kind>.*` columns. */
export const HARM_KINDS: readonly NodeKind[] = harmKinds(NODE_KINDS);

export type HarmArrays = Pick<CompiledModel, 'harmKindOf' | 'harmRates' | 'harmTherapy' | 'detectAltered' | 'harmOwnerColumn' | 'harmOwnerCount'>;

/** The share of a path's harm that gets past the mitigations the regime holds: Π (1 − efficacy). */
export function unmitigated(path: HarmPath, controls: Partial<Record<ClinicalMitigation, boolean>>): number {
  let share = 1;
  for (const m of path.mitigatedBy) if (controls[m.control] === true) share *= 1 - m.efficacy;
  return share;
}

/** The rates a path runs at: the scenario's replacement for the kind and effect (the last one naming it wins), else the default. */
export function pathRates(kind: NodeKind, effect: HarmEffect, clinical: Scenario['clinical']): SeverityRates {
  let rates = HARM_PROFILES[kind]![effect].perPatientHour;
  for (const r of clinical.harm) if (r.effect === effect && r.kinds.includes(kind)) rates = r.perPatientHour;
  return rates;
}

/**
 * The harm model as numbers (docs/metrics.md "Patient harm"): each node kind's harm kind (-1: none), and per
 * harm kind, effect and severity the expected events per attached patient-hour after the regime's clinical
 * mitigations — [harm kind × 2 + effect] × 5 + severity. `detectAltered` is the clinicians' noticing.
 */
export function compileHarm(twin: Twin, scenario: Scenario, controls: Controls): HarmArrays {
  const harmKindOf = shared(Int8Array, NODE_KINDS.length).fill(-1);
  const harmRates = shared(Float64Array, HARM_KINDS.length * HARM_EFFECTS.length * SEVERITIES.length);
  const harmTherapy = shared(Uint8Array, HARM_KINDS.length);
  HARM_KINDS.forEach((kind, h) => {
    harmKindOf[NODE_KINDS.indexOf(kind)] = h;
    harmTherapy[h] = HARM_PROFILES[kind]!.role === 'therapy' ? 1 : 0;
    HARM_EFFECTS.forEach((effect, e) => {
      const share = unmitigated(HARM_PROFILES[kind]![effect], controls);
      const rates = pathRates(kind, effect, scenario.clinical);
      SEVERITIES.forEach((severity, v) => (harmRates[(h * HARM_EFFECTS.length + e) * SEVERITIES.length + v] = rates[severity] * share));
    });
  });
  const owners = harmOwners(twin);
  const harmOwnerColumn = shared(Int32Array, twin.owners.length).fill(-1);
  twin.owners.forEach((o, i) => (harmOwnerColumn[i] = owners.indexOf(o.id)));
  return { harmKindOf, harmRates, harmTherapy, detectAltered: packDelay(scenario.detection.altered), harmOwnerColumn, harmOwnerCount: owners.length };
}

/** The owners of devices that can harm a patient (patients attached, a kind with a harm profile), in twin order. */
export function harmOwners(twin: Twin): string[] {
  const owning = new Set(twin.nodes.filter((n) => n.patientsAttached > 0 && HARM_PROFILES[n.kind] !== undefined).map((n) => n.owner));
  return twin.owners.map((o) => o.id).filter((id) => owning.has(id));
}


