import { UNIT_APPOINTMENTS } from '../compile/model.js';
import { cutOffColumn, infectedKindColumn, M, regionColumn, sitesInfectedColumn } from './metrics.js';
import { recordsTaken } from './operators.js';
import { HEALTHY, SERIES_PER_POINT, type KernelState } from './state.js';

/** Clinical accounting: services' capacity (piecewise constant, integrated at every change), patients at risk, the run's outcomes. */

function touchService(s: KernelState, service: number, t: number): void {
  const m = s.model;
  const dt = t - s.serviceLastMinutes[service]!;
  if (dt > 0 && s.serviceDown[service]! > 0) {
    const loss = ((1 - m.downtimeCapacity) * s.serviceDownWeight[service]!) / m.serviceSupport[service]!;
    s.serviceLost[service]! += (m.serviceDemand[service]! * loss * dt) / 60;
    if (m.serviceDiversion[service] === 1 && 1 - loss < m.diversionBelow) s.serviceDivertingMinutes[service]! += dt;
  }
  s.serviceLastMinutes[service] = t;
}

/** The member goes down (delta 1) or comes back (−1) for every service it supports. */
export function changeServices(s: KernelState, node: number, delta: number, t: number): void {
  const m = s.model;
  for (let k = m.nodeServiceOffsets[node]!, end = m.nodeServiceOffsets[node + 1]!; k < end; k++) {
    const service = m.nodeServices[k]!;
    touchService(s, service, t);
    s.serviceDown[service]! += delta;
    // The weighted count returns to exactly 0 with the last member back (no rounding residue).
    s.serviceDownWeight[service] = s.serviceDown[service] === 0 ? 0 : s.serviceDownWeight[service]! + delta * m.nodeServiceWeight[k]!;
    const site = m.serviceSite[service]!;
    if (site >= 0 && s.serviceDown[service]! > 0) {
      s.siteServiceLoss[site] = 1;
      const loss = ((1 - m.downtimeCapacity) * s.serviceDownWeight[service]!) / m.serviceSupport[service]!;
      if (m.serviceDiversion[service] === 1 && 1 - loss < m.diversionBelow) s.siteDiverted[site] = 1;
    }
  }
}

export function touchSafety(s: KernelState, t: number): void {
  s.safetyIntegral += s.patientsAtRisk * (t - s.safetyLastMinutes);
  s.safetyLastMinutes = t;
}

export function recordPoint(s: KernelState, series: Float64Array, point: number): void {
  const base = point * SERIES_PER_POINT;
  for (let layer = 0; layer < 3; layer++) {
    series[base + layer] = s.compromisedNow[layer]!;
    series[base + 3 + layer] = s.disruptedNow[layer]!;
  }
}

/** Closes the run's integrals at the horizon and writes its outcomes. */
export function finish(s: KernelState, events: number): void {
  const m = s.model;
  const out = s.out;
  const horizon = s.horizon;
  let appointments = 0;
  let lost = 0;
  let diverting = 0;
  for (let service = 0; service < m.serviceCount; service++) {
    touchService(s, service, horizon);
    lost += s.serviceLost[service]!;
    if (m.serviceUnit[service] === UNIT_APPOINTMENTS) appointments += s.serviceLost[service]!;
    diverting += s.serviceDivertingMinutes[service]!;
  }
  out[M.appointmentsCancelled] = appointments;
  out[M.serviceUnitsLost] = lost;
  out[M.diversionHours] = diverting / 60;
  touchSafety(s, horizon);
  out[M.safetyEvents] = (s.safetyIntegral * m.safetyPerPatientHour) / 60;
  if (m.operatorCount > 0) out[M.recordsExposed] = recordsTaken(s);
  let affected = 0;
  let infected = 0;
  let withoutInfection = 0;
  let diverted = 0;
  for (let site = 0; site < m.siteCount; site++) {
    diverted += s.siteDiverted[site]!;
    if (m.siteIsTrust[site] === 0) continue;
    const hitSite = s.siteInfected[site] === 1;
    const loss = s.siteServiceLoss[site] === 1;
    if (hitSite || loss) affected++;
    if (hitSite) infected++;
    else if (loss) withoutInfection++;
  }
  out[M.sitesDiverting] = diverted;
  out[M.trustsAffected] = affected;
  out[M.trustsInfected] = infected;
  out[M.trustsDisruptedWithoutInfection] = withoutInfection;
  breakdowns(s);
  const recovered = s.currentDisrupted === 0;
  out[M.recovered] = recovered ? 1 : 0;
  out[M.disruptedAtEnd] = s.currentDisrupted;
  out[M.timeToRecovery] = out[M.disrupted] === 0 ? 0 : (recovered ? s.lastRestoreMinutes : horizon) - s.firstDisruptionMinutes;
  out[M.events] = events;
}

/**
 * Members hit per node kind (a member leaves HEALTHY only by being compromised or failed by the update), sites
 * hit per site kind, trusts infected per region, and sites cut off: a site counts once per owner of an
 * outside service it depends on that was hit.
 */
function breakdowns(s: KernelState): void {
  const m = s.model;
  const out = s.out;
  const kinds = infectedKindColumn(m);
  for (let i = 0; i < m.nodeCount; i++) if (s.state[i] !== HEALTHY) out[kinds + m.kind[i]!]!++;
  const siteKinds = sitesInfectedColumn(m);
  const regions = regionColumn(m);
  const cutOff = cutOffColumn(m);
  for (let site = 0; site < m.siteCount; site++) {
    if (s.siteInfected[site] === 1) {
      out[siteKinds + m.siteKind[site]!]!++;
      if (m.siteIsTrust[site] === 1 && m.siteRegion[site]! >= 0) out[regions + m.siteRegion[site]!]!++;
    }
    let counted = -1;
    for (let k = m.siteDependencyOffsets[site]!; k < m.siteDependencyOffsets[site + 1]!; k++) {
      const column = m.siteDependencyColumn[k]!;
      if (column === counted || s.state[m.siteDependencies[k]!] === HEALTHY) continue;
      out[cutOff + column]!++;
      counted = column;
    }
  }
}
