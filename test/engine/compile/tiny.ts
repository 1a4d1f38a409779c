import { expandTwin, type ExpandedTwin } from '../../../engine/model/expand.js';
import { regimeFromValue, scenarioFromValue, twinFromValue } from '../../../engine/model/load.js';
import type { Regime, RegimeInput } from '../../../engine/model/regime.js';
import type { Scenario, ScenarioInput } from '../../../engine/model/scenario.js';
import type { Twin, TwinInput } from '../../../engine/model/twin.js';
import * as documents from '../kernel/tiny.js';
import { OPERATOR_FIELDS, recovery } from '../kernel/tiny.js';

export { OPERATOR_FIELDS, recovery };

/**
 * Tiny hand-written documents for the compile steps' tests, validated (defaults filled) so a step can be
 * called on them directly. Overrides merge shallowly.
 */

type NodeInput = TwinInput['nodes'][number];

/** CVE-2017-0144 (EternalBlue) as NVD rates it: AV:N/AC:H/PR:N/UI:N, exploit ease 0.44 / 0.77. */
export const ETERNAL_BLUE = { cve: 'CVE-2017-0144', cvss: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H', source: 'NVD' };
/** CVE-2008-4250 (MS08-067) as NVD rates it: AV:N/AC:L/PR:N/UI:N, the highest exploit ease, 1. */
export const MS08_067 = { cve: 'CVE-2008-4250', cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', source: 'NVD' };
/** CVE-2019-10964 (Medtronic MiniMed) as NVD rates it: AV:A/AC:L/PR:N/UI:N, exploit ease 0.62 / 0.85. */
export const MINIMED = { cve: 'CVE-2019-10964', cvss: 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', source: 'NVD' };

/** A node on the hospital site, a network server of the trust's unless told otherwise. */
export function node(id: string, extra: Partial<NodeInput> = {}): NodeInput {
  return { id, layer: 'network', kind: 'server', owner: 'trust', site: 'hospital', recovery, ...extra };
}

/** The kernel suite's tiny twin (test/engine/kernel/tiny.ts) with one server, validated. */
export function tinyTwin(parts: Partial<TwinInput>): Twin {
  return twinFromValue(documents.tinyTwin({ nodes: [node('n0')], ...parts }), 'tiny-twin');
}

/** The kernel suite's tiny worm scenario entering at the twin's first node, validated. */
export function tinyScenario(twin: Twin, parts: Partial<ScenarioInput> = {}): Scenario {
  const base = documents.tinyScenario({});
  return scenarioFromValue(documents.tinyScenario({ threat: { ...base.threat, entries: [{ select: { ids: [twin.nodes[0]!.id] } }] } as ScenarioInput['threat'], ...parts }), 'tiny-scenario', twin);
}

/** A faulty update from `source` to whatever `affects` selects (CrowdStrike-like, figures arbitrary). */
export function tinyUpdate(twin: Twin, source: string, affects: string[], parts: Partial<ScenarioInput> = {}): Scenario {
  return tinyScenario(twin, {
    threat: { kind: 'faulty-update', source: { ids: [source] }, affects: { ids: affects }, liveMinutes: 78, arrival: { dist: 'fixed', minutes: 5 } },
    ...parts,
  });
}

export function tinyRegime(controls: RegimeInput['controls'] = {}): Regime {
  return regimeFromValue(documents.tinyRegime(controls), 'tiny-regime');
}

export function expand(twin: Twin): ExpandedTwin {
  return expandTwin(twin);
}

/** The members of a typed array whose value is non-zero. */
export function indicesOf(values: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) out.push(i);
  return out;
}
