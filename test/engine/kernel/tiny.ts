import { compile } from '../../../engine/compile/compile.js';
import type { Compiled } from '../../../engine/compile/model.js';
import { regimeFromValue, scenarioFromValue, twinFromValue } from '../../../engine/model/load.js';
import type { RegimeInput } from '../../../engine/model/regime.js';
import type { ScenarioInput } from '../../../engine/model/scenario.js';
import type { TwinInput } from '../../../engine/model/twin.js';

/** Small hand-built documents for the kernel's spec suite: defaults filled, overrides merged shallowly. */
export const recovery = { handsOnMinutes: 10 };

export function tinyTwin(parts: Partial<TwinInput>): TwinInput {
  return {
    schema: 'strata.twin/v1',
    name: 'tiny',
    owners: [
      { id: 'trust', kind: 'operator' },
      { id: 'vendor', kind: 'manufacturer' },
    ],
    sites: [{ id: 'hospital', kind: 'acute-trust' }],
    zones: [],
    services: [],
    nodes: [],
    edges: [],
    ...parts,
  };
}

export const SMB = { cve: 'CVE-2017-0144', cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', source: 'NVD (ease 1 for tests)' };

export function tinyScenario(parts: Partial<ScenarioInput>): ScenarioInput {
  return {
    schema: 'strata.scenario/v1',
    name: 'tiny',
    title: 'tiny',
    twin: 'tiny',
    horizonHours: 48,
    threat: {
      kind: 'worm',
      entries: [{ select: { ids: ['n0'] } }],
      exploits: ['CVE-2017-0144'],
      spread: { dist: 'fixed', minutes: 10 },
      payload: { effect: 'none', delay: { dist: 'fixed', minutes: 0 } },
    },
    detection: { disrupted: { dist: 'fixed', minutes: 1e5 } },
    recovery: { staff: 0 },
    ...parts,
  };
}

/**
 * An intrusion's operator fields with fixed, round action times (minutes), every credential harvested for
 * sure and no alerts: hand-computable paths. Spread over a threat and override what a test varies.
 */
export const OPERATOR_FIELDS = {
  operators: 1,
  strategy: 'opportunistic' as const,
  actions: {
    discover: { dist: 'fixed' as const, minutes: 10 },
    exploit: { dist: 'fixed' as const, minutes: 30 },
    harvest: { dist: 'fixed' as const, minutes: 20 },
    move: { dist: 'fixed' as const, minutes: 5 },
    deploy: { dist: 'fixed' as const, minutes: 60 },
  },
  credentials: { 'local-admin': 1, domain: 1, service: 1, vendor: 1 },
  alerts: { chance: { discover: 0, exploit: 0, harvest: 0, move: 0, exfiltrate: 0, deploy: 0 }, triage: { dist: 'fixed' as const, minutes: 60 } },
};

export function tinyRegime(controls: RegimeInput['controls'] = {}): RegimeInput {
  return { schema: 'strata.regime/v1', name: 'tiny', title: 'tiny', controls };
}

export function build(twin: TwinInput, scenario: ScenarioInput, regime: RegimeInput = tinyRegime()): Compiled {
  const t = twinFromValue(twin, 'tiny-twin');
  return compile(t, scenarioFromValue(scenario, 'tiny-scenario', t), regimeFromValue(regime, 'tiny-regime'));
}

/** A chain n0 → n1 → … of `count` single nodes on the given layers, joined by `relation` edges. */
export function chain(layers: ('physical' | 'network' | 'cloud')[], relation: 'network' | 'identity' = 'network'): Partial<TwinInput> {
  const kinds = { physical: 'clinical-workstation', network: 'server', cloud: 'vendor-api' } as const;
  return {
    nodes: layers.map((layer, i) => ({ id: `n${i}`, layer, kind: kinds[layer], owner: 'trust', site: 'hospital', vulns: [SMB], recovery })),
    edges: layers.slice(1).map((_, i) => ({ from: `n${i}`, to: `n${i + 1}`, relation })),
  };
}
