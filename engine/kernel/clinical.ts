import { UNIT_APPOINTMENTS, UNIT_PROCEDURES, UNIT_TESTS, type CompiledModel } from '../compile/model.js';
import { cutOffColumn, M, regionColumn, SERVICE_FIGURES, SERVICE_SAMPLE_MINUTES, serviceColumn, SF, sitesInfectedColumn } from './metrics.js';
import { LEVELS, type ServiceBook } from './services.js';
import { recordsTaken } from './operators.js';
import { COMPROMISED, HEALTHY, SERIES_PER_POINT, type KernelState } from './state.js';

/** Clinical accounting: the run's outcomes; the services' capacity lives in services.ts, the patients' harm in harm.ts. */

/**
 * Keeps the member's integrity exposure in step with its state: a device the payload altered harms its
 * patients while it runs on — compromised, on the network or off it (a pump taken off the network keeps
 * infusing at its altered rate) — and stops when it is withdrawn (disrupted) or restored (harm.ts).
 */
export function integrity(s: KernelState, node: number, t: number): void {
  const book = s.services.harm;
  if (book.altered[node] === 0 && book.active[node] === 0) return;
  book.setIntegrity(node, book.altered[node] === 1 && s.state[node] === COMPROMISED, t);
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
  const book = s.services;
  book.close(horizon);
  let lost = 0;
  let diverting = 0;
  for (let service = 0; service < m.serviceCount; service++) {
    const units = book.lost[service]!;
    lost += units;
    const unit = m.serviceUnit[service]!;
    if (unit === UNIT_APPOINTMENTS) out[M.appointmentsCancelled]! += units;
    else if (unit === UNIT_PROCEDURES) out[M.proceduresPostponed]! += units;
    else if (unit === UNIT_TESTS) out[M.testsNotDone]! += units;
    diverting += book.diverting[service]!;
  }
  out[M.serviceUnitsLost] = lost;
  out[M.diversionHours] = diverting / 60;
  serviceFigures(m, book, out);
  book.harm.write(out);
  if (m.operatorCount > 0) out[M.recordsExposed] = recordsTaken(s);
  let affected = 0;
  let infected = 0;
  let withoutInfection = 0;
  let diverted = 0;
  for (let site = 0; site < m.siteCount; site++) {
    diverted += book.siteDiverted[site]!;
    if (m.siteIsTrust[site] === 0) continue;
    const hitSite = s.siteInfected[site] === 1;
    const loss = book.siteServiceLoss[site] === 1;
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
 * Sites hit per site kind (members hit per node kind are counted as they leave HEALTHY: KernelState.kindColumn),
 * trusts infected per region, and sites cut off: a site counts once per owner of an outside service it depends
 * on that was hit.
 */
function breakdowns(s: KernelState): void {
  const m = s.model;
  const out = s.out;
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

/**
 * Per service kind, its worst service's figures (metrics.ts SERVICE_FIGURES): units lost summed, the lowest
 * capacity at day 1, 7 and 27 of the disruption (1 when nothing was disrupted and the day is inside the horizon, NaN past it) and over the run, the most hours below 50%, and the longest time from a
 * service's first loss until it is back at 50% and at 90% for good (NaN when one is still below at the
 * horizon, and when none fell below), and whether one is still below 50% and 90% at the horizon (1 or 0).
 */
export function serviceFigures(m: CompiledModel, book: ServiceBook, out: Float64Array): void {
  const n = m.serviceCount;
  for (let kind = 0; kind < m.serviceKindCount; kind++) {
    const base = serviceColumn(m, kind, 0);
    for (let f = 0; f < SERVICE_FIGURES.length; f++) out[base + f] = 0;
    // No disruption: every service whole on day N, where an incident could have been seen on day N (N days
    // strictly before the horizon, the rule services.ts samples by). Past that no run's incident is ever seen
    // on day N, so a 1 there would be the mean of the unaffected runs alone, read as a recovery
    // (docs/metrics.md). Else a sample at or past the horizon is NaN.
    for (let j = 0; j < SERVICE_SAMPLE_MINUTES.length; j++) {
      out[base + SF.day1 + j] = book.incidentStart === Infinity && SERVICE_SAMPLE_MINUTES[j]! < m.horizonMinutes ? 1 : NaN;
    }
    out[base + SF.min] = 1;
    // -Infinity until a service of the kind is found to have fallen below the level (NaN if none did, below).
    for (let l = 0; l < LEVELS.length; l++) out[base + SF.backTo50 + l] = -Infinity;
  }
  for (let s = 0; s < n; s++) {
    const base = serviceColumn(m, m.serviceKind[s]!, 0);
    out[base + SF.lost]! += book.lost[s]!;
    for (let j = 0; j < SERVICE_SAMPLE_MINUTES.length; j++) {
      const c = book.samples[j * n + s]!;
      const at = base + SF.day1 + j;
      if (!Number.isNaN(c)) out[at] = Number.isNaN(out[at]!) ? c : Math.min(out[at]!, c);
    }
    out[base + SF.min] = Math.min(out[base + SF.min]!, book.minimum[s]!);
    out[base + SF.hoursBelow50] = Math.max(out[base + SF.hoursBelow50]!, book.below[s]! / 60);
    for (let l = 0; l < LEVELS.length; l++) {
      const i = l * n + s;
      // A service never below the level has no time back to count (it read 0, which a mean took in as a quick
      // recovery: a trial's "0 h, n 21" was the unaffected runs alone); one still below makes the kind NaN.
      if (book.pending[i] === 1) {
        out[base + SF.backTo50 + l] = NaN;
        out[base + SF.stillBelow50 + l] = 1;
      } else if (book.wentBelow[i] === 1) out[base + SF.backTo50 + l] = Math.max(out[base + SF.backTo50 + l]!, book.backAt[i]! - book.firstLoss[s]!);
    }
  }
  for (let kind = 0; kind < m.serviceKindCount; kind++) {
    const base = serviceColumn(m, kind, 0);
    for (let l = 0; l < LEVELS.length; l++) if (out[base + SF.backTo50 + l] === -Infinity) out[base + SF.backTo50 + l] = NaN;
  }
}
