import { expandTwin, type ExpandedTwin } from '../model/expand.js';
import type { Regime } from '../model/regime.js';
import type { Scenario } from '../model/scenario.js';
import type { Twin } from '../model/twin.js';
import { compileClinical } from './clinical.js';
import { siteDependencies } from './dependencies.js';
import { compileDetection } from './detection.js';
import { compileEdges } from './edges.js';
import { compileEntries } from './entries.js';
import { compileHarm, harmOwners } from './harm.js';
import { compileMembers } from './members.js';
import { compileOperators } from './operators.js';
import type { Compiled, CompiledMeta, CompiledModel } from './model.js';
import { compileRecovery } from './recovery.js';
import { compileResponses } from './responses.js';
import { compileRollout } from './rollout.js';
import { compileServices, serviceKinds } from './services.js';
import { compileSites, regionsOf } from './sites.js';
import { compileEdgeSpread, isQuietRestore, isStaticSpread } from './static-spread.js';
import { compileThreat } from './threat.js';
import { compileVulnerabilities } from './vulnerabilities.js';
import { compileZones } from './zones.js';

export { kindMask } from './responses.js';

/**
 * (twin, scenario, regime) → the compiled model. Groups are expanded here; controls change the arrays,
 * never the kernel. Deterministic: the same inputs give the same arrays. Each step is a function of its
 * own file under engine/compile/, tested on its own in test/engine/compile/.
 */
export function compile(twin: Twin, scenario: Scenario, regime: Regime, expanded: ExpandedTwin = expandTwin(twin)): Compiled {
  const controls = regime.controls;
  const threat = scenario.threat;

  const members = compileMembers(twin, expanded);
  const vulnerabilities = compileVulnerabilities(twin, expanded, threat.kind === 'faulty-update' ? [] : threat.exploits, controls);
  const detection = compileDetection(twin, expanded, scenario, controls);
  const recovery = compileRecovery(twin, expanded, members.site, scenario.recovery, controls);
  const services = compileServices(twin, expanded, controls);
  const edges = compileEdges(twin, expanded, vulnerabilities.exploitEase, controls);
  const zones = compileZones(twin, expanded, members.zone, vulnerabilities.exploitEase, controls.segmentation ?? 0);
  const entries = compileEntries(twin, expanded, threat, vulnerabilities.exploitEase);
  const rollout = compileRollout(twin, expanded, threat, controls.stagedRollout, edges);
  const responses = compileResponses(scenario.responses, scenario.escalation);
  const regions = regionsOf(twin);
  const sites = compileSites(twin, members.site, regions);
  const dependencies = siteDependencies(twin.sites.length, members.site, members.owner, edges);
  const threatScalars = compileThreat(threat);
  const staticSpread = isStaticSpread(scenario);
  const operators = compileOperators(twin, expanded, threat, { ...members, ...vulnerabilities, ...edges, ...zones, ...services }, threatScalars.relationMask);

  const model: CompiledModel = {
    nodeCount: expanded.nodeCount,
    edgeCount: expanded.edgeCount,
    zoneCount: twin.zones.length,
    siteCount: twin.sites.length,
    serviceCount: twin.services.length,
    ownerCount: twin.owners.length,
    ...members,
    ...vulnerabilities,
    ...detection,
    ...recovery,
    ...services,
    ...edges,
    edgeSpread: compileEdgeSpread(staticSpread, threatScalars.relationMask, edges, vulnerabilities),
    ...zones,
    ...entries,
    ...rollout,
    ...responses,
    ...sites,
    siteDependencyOffsets: dependencies.offsets,
    siteDependencies: dependencies.nodes,
    siteDependencyColumn: dependencies.columns,
    dependencyOwnerCount: dependencies.owners.length,
    ...threatScalars,
    // A twin without zones has no scan targets and no zone to scan.
    scansZones: threatScalars.scansZones === 1 && twin.zones.length > 0 ? 1 : 0,
    ...operators,
    ...compileClinical(scenario.clinical, controls),
    ...compileHarm(twin, scenario, controls),
    horizonMinutes: scenario.horizonHours * 60,
    staticSpread: staticSpread ? 1 : 0,
    quietRestore: isQuietRestore(scenario, staticSpread, members.patients) ? 1 : 0,
  };
  return { model, meta: compileMeta(twin, scenario, regime, expanded, regions, dependencies.owners) };
}

/** Names for the arrays' indices, used only at the engine's edges. */
function compileMeta(twin: Twin, scenario: Scenario, regime: Regime, expanded: ExpandedTwin, regions: string[], dependencyOwners: number[]): CompiledMeta {
  return {
    twin: twin.name,
    scenario: scenario.name,
    regime: regime.name,
    entryIds: twin.nodes.map((x) => x.id),
    entryCounts: twin.nodes.map((x) => x.count),
    entryStart: expanded.entryStart,
    owners: twin.owners.map((o) => o.id),
    sites: twin.sites.map((s) => s.id),
    siteKinds: twin.sites.map((s) => s.kind),
    regions,
    dependencyOwners: dependencyOwners.map((o) => twin.owners[o]!.id),
    zones: twin.zones.map((z) => z.id),
    services: twin.services.map((s) => s.id),
    serviceUnits: twin.services.map((s) => s.unit),
    serviceKinds: serviceKinds(twin),
    harmOwners: harmOwners(twin),
  };
}
