import { E_ESCALATE, E_LIFT, E_QUEUE_START, E_READY, E_RESPONSE, E_TEAM, HALTED, NOT_HALTED, R_DISCONNECT, R_HALT, R_ISOLATE, R_REVOKE } from './codes.js';
import { INTERVENTION_CODES as I } from './interventions.js';
import { reconnected, wake } from './operators.js';
import { join, startJobs } from './recovery.js';
import { M } from './metrics.js';
import { delayAt, STREAM, uniformAt } from './rng.js';
import { markZone, rescanAll, rescanMarked, shieldIsolated, shieldSegmented } from './scan.js';
import { disrupt } from './spread.js';
import { COMPROMISED, DISRUPTED, type KernelState } from './state.js';
import { T_DETECT, T_DISCONNECT, T_HALT, T_INTERVENTION, T_ISOLATE, T_REVOKE } from './trace.js';

/** Detection, the scenario's responses and the timed interventions (docs/engine.md "Detection", "Responses"). */

export function detect(s: KernelState, node: number, t: number): void {
  const m = s.model;
  const state = s.state[node];
  if (state !== COMPROMISED && state !== DISRUPTED) return;
  // A device found running altered therapy or readings is taken out of use at once (withdrawn: disrupted),
  // on the network or off it: a disconnected pump still infuses.
  if (state === COMPROMISED && s.services.harm.altered[node] === 1) disrupt(s, node, -1, t);
  if (s.detected[node] === 1) return;
  s.detected[node] = 1;
  if (Number.isNaN(s.out[M.firstDetectedAt])) s.out[M.firstDetectedAt] = t;
  s.trace?.push(t, T_DETECT, node, -1, -1);
  // Responses, in the scenario's order: zone isolation per zone, site-scoped ones per site, on the zone's or
  // site's own first detection; estate-wide ones only through the escalation rule (escalate()).
  const responses = m.responseParams.length / 4;
  const zone = m.zone[node]!;
  const site = m.site[node]!;
  const keys = s.streams.keys;
  // A response's delay is its own per zone or per site (entity: zone or site + 1).
  for (let r = 0; r < responses; r++) {
    const code = m.responseParams[r * 4]!;
    if (code === R_ISOLATE) {
      if (zone >= 0 && s.zoneIsolationScheduled[zone] === 0) {
        s.zoneIsolationScheduled[zone] = 1;
        s.schedule(t + delayAt(m.responseDelays, r * 3, 1, keys, STREAM.response, zone + 1, r), E_RESPONSE, zone, r);
      }
    } else if (m.responseParams[r * 4 + 2] === 1) {
      if (site >= 0 && s.siteResponded[r * m.siteCount + site] === 0) {
        s.siteResponded[r * m.siteCount + site] = 1;
        s.schedule(t + delayAt(m.responseDelays, r * 3, 1, keys, STREAM.response, site + 1, r), E_RESPONSE, site, r);
      }
    }
  }
  if (site >= 0 && s.siteDetected[site] === 0) {
    s.siteDetected[site] = 1;
    if (++s.sitesReporting === m.escalationSites) s.schedule(t + delayAt(m.escalationDelay, 0, 1, keys, STREAM.escalation, 0, 0), E_ESCALATE, -1, 0);
  }
  s.open[node] = 1;
  // The reason is back where it was gone: pending lift checks there are called off.
  const zoneOpened = zone >= 0 && ++s.zoneOpen[zone]! === 1;
  const siteOpened = site >= 0 && ++s.siteOpen[site]! === 1;
  const estateOpened = ++s.openTotal === 1;
  if (zoneOpened || siteOpened || estateOpened) {
    for (let r = 0; r < responses; r++) {
      if (m.responseLifts[r] === 0) continue;
      if (m.responseParams[r * 4] === R_ISOLATE) {
        if (zoneOpened) s.liftDue[r * s.liftWidth + zone] = Infinity;
      } else if (m.responseParams[r * 4 + 2] === 1) {
        if (siteOpened) s.liftDue[r * s.liftWidth + site] = Infinity;
      } else if (estateOpened) s.liftDue[r * s.liftWidth] = Infinity;
    }
  }
  const team = m.teamOf[node]!;
  if (team < 0 && m.startDelayPerMember === 1) s.schedule(t + delayAt(m.startDelay, 0, 1, keys, STREAM.startDelay, node, 0), E_READY, node, 0);
  else if (team < 0) {
    // The queue's staff start `startDelay` after its first detected member (once a run per queue, as a team
    // does); a member found before then waits in the queue, one found after is taken as staff come free.
    const q = m.queue[node]!;
    if (s.queueStarted[q] === 2) s.schedule(t, E_READY, node, 0);
    else {
      if (s.queueStarted[q] === 0) {
        s.queueStarted[q] = 1;
        s.schedule(t + delayAt(m.startDelay, 0, 1, keys, STREAM.startDelay, q, 0), E_QUEUE_START, -1, q);
      }
      join(s, node, t);
    }
  } else if (s.teamStarted[team] === 2) s.schedule(t, E_READY, node, 0);
  else if (s.teamStarted[team] === 0) {
    // The team's first detected member: it starts after its own delay, then takes every detected member.
    s.teamStarted[team] = 1;
    s.schedule(t + delayAt(m.teamStartDelays, team * 3, 1, keys, STREAM.teamStart, team, 0), E_TEAM, -1, team);
  }
}

/** A recovery team starts: every detected member of its owners still down joins its queue, then its staff start in order. */
export function startTeam(s: KernelState, team: number, t: number): void {
  const m = s.model;
  s.teamStarted[team] = 2;
  let queue = -1;
  for (let k = m.teamMemberOffsets[team]!; k < m.teamMemberOffsets[team + 1]!; k++) {
    const i = m.teamMembers[k]!;
    if (s.open[i] === 1 && join(s, i, t)) queue = m.queue[i]!;
  }
  if (queue >= 0) startJobs(s, queue, t);
}

/**
 * A detected member is restored: it no longer holds its zone's, site's or the estate's responses; a response
 * with a lift whose reason is now gone starts its checks (docs/engine.md "Responses").
 */
export function closeOpen(s: KernelState, node: number, t: number): void {
  if (s.open[node] === 0) return;
  const m = s.model;
  s.open[node] = 0;
  s.openTotal--;
  const zone = m.zone[node]!;
  const site = m.site[node]!;
  const zoneClear = zone >= 0 && --s.zoneOpen[zone]! === 0;
  const siteClear = site >= 0 && --s.siteOpen[site]! === 0;
  const responses = m.responseParams.length / 4;
  for (let r = 0; r < responses; r++) {
    if (m.responseLifts[r] === 0) continue;
    if (m.responseParams[r * 4] === R_ISOLATE) {
      if (zoneClear && s.zoneIsolated[zone] === 1) scheduleLift(s, r, zone, t);
    } else if (m.responseParams[r * 4 + 2] === 1) {
      if (siteClear && s.siteActive[r * m.siteCount + site] === 1) scheduleLift(s, r, site, t);
    } else if (s.openTotal === 0 && s.estateActive[r] === 1) scheduleLift(s, r, -1, t);
  }
}

function scheduleLift(s: KernelState, r: number, target: number, t: number): void {
  const m = s.model;
  const due = t + delayAt(m.liftDelays, r * 3, 1, s.streams.keys, STREAM.lift, target + 1, r);
  s.liftDue[r * s.liftWidth + Math.max(0, target)] = due;
  s.schedule(due, E_LIFT, target, r);
}

/** Whether response r's reason is gone at its target: no detected member still down there. */
function reasonGone(s: KernelState, r: number, target: number): boolean {
  const m = s.model;
  if (m.responseParams[r * 4] === R_ISOLATE) return s.zoneOpen[target] === 0;
  return target >= 0 ? s.siteOpen[target] === 0 : s.openTotal === 0;
}

/**
 * Response r's checks are done: lift it where its reason is still gone (a detection there during the checks
 * called them off: they start afresh once the reason is gone again); a later detection starts it again.
 */
export function lift(s: KernelState, r: number, target: number, t: number): void {
  const m = s.model;
  // Checks called off by a detection there, or superseded by later ones, lift nothing.
  const slot = r * s.liftWidth + Math.max(0, target);
  if (s.liftDue[slot] !== t || !reasonGone(s, r, target)) return;
  s.liftDue[slot] = Infinity;
  const code = m.responseParams[r * 4]!;
  if (code === R_ISOLATE) {
    // A later detection there isolates the zone again, whoever reopened it; a zone the room isolated stays so.
    s.zoneIsolationScheduled[target] = 0;
    if (s.zoneIsolated[target] === 0 || s.zoneDecided[target] === 1) return;
    isolateZone(s, target, 0);
    s.trace?.push(t, T_ISOLATE, -1, target, 0);
    markZone(s, target);
    rescanMarked(s, t);
    // Idle operators look again: a holder there may send its records out now.
    if (m.operatorCount > 0) wake(s, t);
    return;
  }
  if (target >= 0) {
    const at = r * m.siteCount + target;
    if (s.siteActive[at] === 0) return;
    s.siteActive[at] = 0;
    s.siteResponded[at] = 0;
  } else {
    if (s.estateActive[r] === 0) return;
    s.estateActive[r] = 0;
  }
  if (code === R_REVOKE) {
    if (target >= 0) s.siteRevoked[target] = 0;
    // Identities the room revoked estate-wide stay revoked until it restores them.
    else if (s.revokeDecided === 1) return;
    else s.revoked = 0;
    s.trace?.push(t, T_REVOKE, -1, target, 0);
  } else if (code === R_DISCONNECT) {
    // Kinds the room disconnected stay off the network until it reconnects them.
    const mask = m.responseParams[r * 4 + 1]! & ~s.decidedKinds;
    if (mask === 0) return;
    if (target >= 0) connectSite(s, mask, target, true, t);
    else disconnectKinds(s, mask, true, t);
  }
}

/** The national alert: every estate-wide response starts, each after its own delay (entity 0). */
export function escalate(s: KernelState, t: number): void {
  const m = s.model;
  s.escalated = 1;
  for (let r = 0; r < m.responseParams.length / 4; r++) {
    if (m.responseParams[r * 4] === R_ISOLATE || m.responseParams[r * 4 + 2] === 1) continue;
    s.schedule(t + delayAt(m.responseDelays, r * 3, 1, s.streams.keys, STREAM.response, 0, r), E_RESPONSE, -1, r);
  }
}

/** Response r takes effect; `target` is its zone (isolation), its site (site-scoped) or -1 (estate-wide). */
export function respond(s: KernelState, r: number, target: number, t: number): void {
  const m = s.model;
  const code = m.responseParams[r * 4]!;
  const mask = m.responseParams[r * 4 + 1]!;
  if (code !== R_ISOLATE && code !== R_HALT) {
    if (target >= 0) s.siteActive[r * m.siteCount + target] = 1;
    else s.estateActive[r] = 1;
  }
  if (m.responseLifts[r] === 1 && code !== R_HALT && reasonGone(s, r, target)) scheduleLift(s, r, target, t);
  if (code === R_ISOLATE) {
    // Traced only where it isolates: the room may have isolated the zone already.
    if (s.zoneIsolated[target] === 1) return;
    isolateZone(s, target, 1);
    s.trace?.push(t, T_ISOLATE, -1, target, 1);
    shieldIsolated(s, target, t);
  } else if (code === R_REVOKE) {
    if (target >= 0) s.siteRevoked[target] = 1;
    else s.revoked = 1;
    s.guarded = 1;
    s.trace?.push(t, T_REVOKE, -1, target, 1);
  } else if (code === R_HALT) {
    if (target >= 0) s.siteHalted[target] = 1;
    else s.halted = HALTED;
    s.trace?.push(t, T_HALT, -1, target, 1);
  } else if (code === R_DISCONNECT) {
    const share = m.responseParams[r * 4 + 3]!;
    if (target >= 0) connectSite(s, mask, target, false, t);
    else if (share >= 1) disconnectKinds(s, mask, false, t);
    // A share of sites comply with an estate-wide call, decided site by site.
    else for (let site = 0; site < m.siteCount; site++) if (uniformAt(s.streams.keys, STREAM.compliance, site, r) < share) connectSite(s, mask, site, false, t);
  }
}

/** A timed intervention (interventions.ts) takes effect. */
export function intervene(s: KernelState, code: number, argument: number, t: number): void {
  const m = s.model;
  s.trace?.push(t, T_INTERVENTION, -1, argument, code);
  switch (code) {
    case I['isolate-zone']: {
      // What the isolation closes is counted where it isolates (a zone the scenario isolated already counted).
      const newly = s.zoneIsolated[argument] === 0;
      isolateZone(s, argument, 1);
      if (newly) shieldIsolated(s, argument, t);
      s.zoneDecided[argument] = 1;
      break;
    }
    case I['reconnect-zone']:
      // Reconnecting a zone that is not isolated changes nothing: no rescan (new draws) and the rule's arming kept.
      if (s.zoneIsolated[argument] !== 1) break;
      isolateZone(s, argument, 0);
      s.zoneDecided[argument] = 0;
      // The scenario's isolation rule stays in force: a later detection there isolates the zone again.
      s.zoneIsolationScheduled[argument] = 0;
      rescanAll(s, t);
      if (m.operatorCount > 0) wake(s, t);
      break;
    case I['revoke-identities']:
    case I['restore-identities']:
      s.revoked = code === I['revoke-identities'] ? 1 : 0;
      s.revokeDecided = s.revoked;
      s.guarded |= s.revoked;
      break;
    case I['halt-update']:
    case I['resume-update']:
      s.halted = code === I['halt-update'] ? HALTED : NOT_HALTED;
      break;
    case I['disconnect-kinds']:
    case I['reconnect-kinds']:
      disconnectKinds(s, argument, code === I['reconnect-kinds'], t);
      s.decidedKinds = code === I['disconnect-kinds'] ? s.decidedKinds | argument : s.decidedKinds & ~argument;
      break;
    case I.segment:
      for (let r = 0; r < s.reachOpen.length; r++) if (m.zoneReachEssential[r] === 0) s.reachOpen[r] = 0;
      s.targets.recount();
      shieldSegmented(s, t);
      break;
    case I.unsegment:
      // Nothing segmented (every flow open): nothing to lift, no rescan.
      if (s.reachOpen.every((open) => open === 1)) break;
      s.reachOpen.fill(1);
      s.targets.recount();
      rescanAll(s, t);
      break;
    case I['add-staff']:
      for (let q = 0; q < m.queueCount; q++) {
        s.freeStaff[q]! += argument;
        startJobs(s, q, t);
      }
      break;
  }
}

function disconnectKinds(s: KernelState, mask: number, connect: boolean, t: number): void {
  const m = s.model;
  let changed = 0;
  for (let i = 0; i < m.nodeCount; i++) {
    if ((mask & (1 << m.kind[i]!)) === 0 || (s.disconnected[i] === 0) === connect) continue;
    changed++;
    s.disconnected[i] = connect ? 0 : 1;
    s.guarded |= connect ? 0 : 1;
    if (s.state[i] !== DISRUPTED) s.services.change(i, connect ? -1 : 1, t);
    if (!connect) s.targets.set(i, 0);
    // A zone not opened yet counts its targets when it opens.
    else if (s.estateDrawn(i) && s.scanTarget(i)) s.targets.set(i, 1);
    if (connect && m.operatorCount > 0) reconnected(s, i, t);
  }
  // No member changed (none of those kinds, or all already so): nothing happened, and no rescan draws anew.
  if (changed === 0) return;
  s.trace?.push(t, T_DISCONNECT, -1, mask, connect ? 0 : 1);
  if (connect) rescanAll(s, t);
}

function isolateZone(s: KernelState, zone: number, isolated: 0 | 1): void {
  if (s.zoneIsolated[zone] === isolated) return;
  s.targets.touchZone(zone, -1);
  const before = s.zoneIsolated[zone];
  s.zoneIsolated[zone] = isolated;
  // Counted only where the write took (an intervention's zone past the model's writes nothing).
  if (s.zoneIsolated[zone] !== before) s.isolatedZones += isolated === 1 ? 1 : -1;
  s.guarded |= s.isolatedZones > 0 ? 1 : 0;
  s.targets.touchZone(zone, 1);
}

/** Disconnects (or, for a lifted response, reconnects) the members of the given kinds at one site. */
function connectSite(s: KernelState, mask: number, site: number, connect: boolean, t: number): void {
  const m = s.model;
  let changed = 0;
  for (let k = m.siteMemberOffsets[site]!; k < m.siteMemberOffsets[site + 1]!; k++) {
    const i = m.siteMembers[k]!;
    if ((mask & (1 << m.kind[i]!)) === 0 || (s.disconnected[i] === 0) === connect) continue;
    changed++;
    s.disconnected[i] = connect ? 0 : 1;
    s.guarded |= connect ? 0 : 1;
    if (s.state[i] !== DISRUPTED) s.services.change(i, connect ? -1 : 1, t);
    if (!connect) s.targets.set(i, 0);
    else {
      if (s.estateDrawn(i) && s.scanTarget(i)) s.targets.set(i, 1);
      markZone(s, m.zone[i]!);
      if (m.operatorCount > 0) reconnected(s, i, t);
    }
  }
  if (changed === 0) return;
  // The site where the trace's node would be: which members went off the network is the kinds at this site.
  s.trace?.push(t, T_DISCONNECT, site, mask, connect ? 0 : 1);
  if (connect) rescanMarked(s, t);
}

