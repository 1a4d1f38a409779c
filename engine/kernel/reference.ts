import { CONTROL, easeOf, needsExploit, PAYLOAD_ALTER, PAYLOAD_DISRUPT, relationOf, type CompiledModel } from '../compile/model.js';
import { blockedColumn, lostColumn, M, metricCount } from './metrics.js';
import { referenceNodes, referenceOutcomes, SortedQueue, type ReferenceEvent } from './reference-support.js';
import { ServiceBook } from './services.js';
import { HALTED, HALTED_BY_ROLLOUT, haltControl, IDENTITY, MANAGEMENT, NOT_HALTED, RADIO, R_HALT, R_ISOLATE, R_REVOKE, SCAN_CANDIDATES, WORM } from './codes.js';
import { INTERVENTION_CODES as I } from './interventions.js';
import { drawEstate } from './estate.js';
import { delayAt, exponentialAt, RunStreams, STREAM, uniformAt } from './rng.js';
import { edgeKeyOf } from '../compile/edge-keys.js';

/**
 * The reference kernel: the same specification as kernel.ts, written to be read rather than to be fast —
 * plain objects per node, a sorted list as the event queue, one function per event. It exists so that one
 * spec suite can run against both and check they agree exactly on the same seeds. It draws random numbers
 * from the same streams (rng.ts) with the same entities and counters: which number each draw takes is part
 * of the specification.
 */

export function runReference(m: CompiledModel, seed: number, runIndex: number, interventions: Float64Array = new Float64Array(0)): Float64Array {
  // Operators are specified by hand-computed tests on the fast kernel (test/engine/kernel/operators.test.ts).
  if (m.operatorCount > 0) throw new Error('the reference kernel does not model operator-driven intrusions');
  if (m.teamCount > 0) throw new Error('the reference kernel does not model recovery teams');
  if (m.payloadEffect === PAYLOAD_ALTER) throw new Error('the reference kernel does not model altered therapy (payload effect alter)');
  const horizon = m.horizonMinutes;
  const out = new Float64Array(metricCount(m));
  for (const name of ['reachedAt.physical', 'reachedAt.network', 'reachedAt.cloud', 'firstCrossingAt', 'firstDetectedAt', 'peakDisruptedAt'] as const) out[M[name]] = NaN;
  const nodes = referenceNodes(m.nodeCount);
  const keys = RunStreams.keysOf(seed, runIndex);
  // The run's estate: which members carry the exploited flaw, which are patched (estate.ts).
  const patched = new Uint8Array(m.nodeCount);
  const unexposed = new Uint8Array(m.nodeCount);
  const blind = new Uint8Array(m.nodeCount);
  drawEstate(m, keys, patched, unexposed, blind);
  // Once the kill switch is live, a member that can see it is no longer a target.
  let killSwitched = false;
  const zoneIsolated = new Set<number>();
  const zoneIsolationScheduled = new Set<number>();
  // The room's own decisions, which a response's lift leaves be (zones, a kind mask, estate-wide revocation).
  const zoneDecided = new Set<number>();
  let decidedKinds = 0;
  let revokeDecided = false;
  const reachOpen = Array.from(m.zoneReachOpen, (x) => x === 1);
  const targetsOf = (zone: number): number[] => Array.from(m.zoneTargets.subarray(m.zoneTargetOffsets[zone], m.zoneTargetOffsets[zone + 1]));
  const reachOf = (zone: number): number[] => Array.from({ length: m.zoneReachOffsets[zone + 1]! - m.zoneReachOffsets[zone]! }, (_, i) => m.zoneReachOffsets[zone]! + i);
  // Scanning draws from the healthy targets (uncompromised, unpatched, connected) of the open reachable zones.
  const healthyTarget = (i: number): boolean => nodes[i]!.state === 'healthy' && patched[i] === 0 && unexposed[i] === 0 && !nodes[i]!.disconnected && !(killSwitched && blind[i] === 0);
  // A flat zone's reach list starts with itself: its own subnet, scanned at 1/μ; the rest are routed, at 1/μr.
  const isFlat = (zone: number): boolean => reachOf(zone)[0] !== undefined && m.zoneReach[reachOf(zone)[0]!] === zone;
  const sides = (zone: number): { own: number[]; routed: number[] } => {
    const entries = reachOf(zone).filter((r) => open(r, zone, m.zoneReach[r]!));
    const ownEntries = isFlat(zone) ? entries.filter((r) => r === reachOf(zone)[0]) : [];
    return {
      own: ownEntries.flatMap((r) => targetsOf(m.zoneReach[r]!).filter(healthyTarget)),
      routed: entries.filter((r) => !ownEntries.includes(r)).flatMap((r) => targetsOf(m.zoneReach[r]!).filter(healthyTarget)),
    };
  };
  const scanRate = (zone: number): number => {
    const { own, routed } = sides(zone);
    return own.length / m.spreadMeanMinutes + routed.length / m.routedSpreadMeanMinutes;
  };
  const scanGeneration = new Map<number, number>();
  const scanCount = new Map<number, number>();
  const scanAvailable = new Map<number, number>();
  const shielded = new Set<number>();
  /** Reached zones walked for a control's shield (`zone/control`). */
  const walked = new Set<string>();
  const services = new ServiceBook(m);
  services.reset(keys);
  const siteInfected = new Set<number>();
  const queues: number[][] = Array.from({ length: m.queueCount }, () => []);
  const freeStaff = Array.from(m.queueStaff);
  // A queue's staff take jobs once it has started: startDelay after its first detected member (no teams here).
  const queueStarted: ('idle' | 'scheduled' | 'working')[] = Array.from({ length: m.queueCount }, () => (m.startDelayPerMember === 1 ? 'working' : 'idle'));
  const compromisedNow = [0, 0, 0];
  let currentDisrupted = 0;
  let revoked = false;
  let halted: number = NOT_HALTED;
  let failures = 0;
  let haltPending = false;
  let haltFirings = 0;
  let lastRestore = 0;
  let firstDisruption = Infinity;

  // The event queue: kept sorted by (time, seq); the first element is next.
  const queue = new SortedQueue(horizon);
  const schedule = (time: number, kind: ReferenceEvent['kind'], node: number, aux: number, guard = true) => queue.schedule(time, kind, node, aux, guard);
  const unschedule = (event: ReferenceEvent | undefined): void => queue.unschedule(event);

  // Attempts that surely succeed, by target, when nothing can close a path (see staticSpread): the earliest
  // one's time, and the event itself. A sure attempt superseded by an earlier one, or pending at a member
  // compromised another way, would do nothing when its time came, so it leaves the queue (as the fast
  // kernel's node-indexed queue holds one attempt per member).
  const prune = m.staticSpread === 1 && interventions.length === 0;
  const pendingAt = new Map<number, number>();
  const pendingAttempt = new Map<number, ReferenceEvent>();
  const infectious = (i: number): boolean => (nodes[i]!.state === 'compromised' || nodes[i]!.state === 'disrupted') && !nodes[i]!.disconnected;
  const active = (i: number): boolean => nodes[i]!.state === 'compromised' || nodes[i]!.state === 'disrupted';
  const protect = (i: number, control: number): void => {
    if (nodes[i]!.protectedBy.has(control)) return;
    nodes[i]!.protectedBy.add(control);
    out[blockedColumn(m.ownerCount, control)]!++;
  };
  const hit = (i: number, from: number, t: number): void => {
    const layer = m.layer[i]!;
    if (out[M['reached.physical'] + layer] === 0) {
      out[M['reached.physical'] + layer] = 1;
      out[M['reachedAt.physical'] + layer] = t;
    }
    if (from >= 0 && m.layer[from] !== layer) {
      out[m.layer[from]! < layer ? M['crossings.up'] : M['crossings.down']]!++;
      if (Number.isNaN(out[M.firstCrossingAt])) out[M.firstCrossingAt] = t;
    }
    out[lostColumn(m.owner[i]!)]!++;
    if (m.site[i]! >= 0) siteInfected.add(m.site[i]!);
  };

  const compromise = (i: number, from: number, t: number): void => {
    const layer = m.layer[i]!;
    if (prune) unschedule(pendingAttempt.get(i));
    nodes[i]!.state = 'compromised';
    nodes[i]!.compromisedAt = t;
    out[M['compromised.physical'] + layer]!++;
    out[M.compromised]!++;
    compromisedNow[layer]!++;
    hit(i, from, t);
    let restoreAt = Infinity;
    if (m.autoRestore[1] !== Infinity) {
      restoreAt = t + delayAt(m.autoRestore, 0, 1, keys, STREAM.autoRestore, i, 0);
      nodes[i]!.restoreAt = restoreAt;
      schedule(restoreAt, 'auto-restore', i, 0);
    }
    if (m.payloadEffect === PAYLOAD_DISRUPT) schedule(t + delayAt(m.payloadDelay, 0, 1, keys, STREAM.payload, i, 0), 'payload', i, 0);
    if (m.detectCompromised[1] !== Infinity) schedule(t + delayAt(m.detectCompromised, 0, m.detectSpeedup[i]!, keys, STREAM.detectCompromised, i, 0), 'detect', i, 0);
    const limit = Math.min(restoreAt, horizon);
    for (let k = m.offsets[i]!; k < m.offsets[i + 1]!; k++) {
      const relation = relationOf(m, k);
      const ease = easeOf(m, k);
      if ((m.relationMask & (1 << relation)) === 0) continue;
      if (ease === 0 || nodes[m.targets[k]!]!.state !== 'healthy') continue;
      if (unexposed[m.targets[k]!] === 1 && needsExploit(relation)) continue;
      const due = t + delayAt(m.spread, 0, ease, keys, STREAM.attempt, edgeKeyOf(m, i, k), 0);
      if (due >= limit) continue;
      const target = m.targets[k]!;
      if (prune && due >= (pendingAt.get(target) ?? Infinity)) continue;
      // Sure whatever the run's estate: no patch chance and a flaw carried for certain (compile/static-spread.ts).
      const sure = prune && m.groupPass[m.edgeGroup[k]!] === 1 && (!needsExploit(relation) || (m.patchChance[target] === 0 && m.carryChance[target] === 1));
      if (sure) {
        pendingAt.set(target, due);
        unschedule(pendingAttempt.get(target));
      }
      const event = schedule(due, 'attempt', i, k, false);
      if (sure) pendingAttempt.set(target, event!);
    }
    const zone = m.zone[i]!;
    if (m.scansZones === 1 && zone >= 0) {
      shield(zone);
      scheduleScan(i, t);
    }
  };

  const disrupt = (i: number, from: number, t: number): void => {
    const previous = nodes[i]!.state;
    const layer = m.layer[i]!;
    nodes[i]!.state = 'disrupted';
    out[M['disrupted.physical'] + layer]!++;
    out[M.disrupted]!++;
    currentDisrupted++;
    if (currentDisrupted > out[M.peakDisrupted]!) {
      out[M.peakDisrupted] = currentDisrupted;
      out[M.peakDisruptedAt] = t;
    }
    firstDisruption = Math.min(firstDisruption, t);
    if (previous === 'healthy') hit(i, from, t);
    if (!nodes[i]!.disconnected) services.change(i, 1, t);
    services.harm.down(i, 1, t);
    if (previous === 'healthy' && m.autoRestore[1] !== Infinity) {
      nodes[i]!.restoreAt = t + delayAt(m.autoRestore, 0, 1, keys, STREAM.autoRestore, i, 0);
      schedule(nodes[i]!.restoreAt, 'auto-restore', i, 0);
    }
    if (!nodes[i]!.detected && m.detectDisrupted[1] !== Infinity) schedule(t + delayAt(m.detectDisrupted, 0, m.detectSpeedup[i]!, keys, STREAM.detectDisrupted, i, 0), 'detect', i, 0);
  };

  const restore = (i: number, t: number): void => {
    const node = nodes[i]!;
    if (node.compromisedAt !== null) compromisedNow[m.layer[i]!]!--;
    if (node.state === 'disrupted') {
      currentDisrupted--;
      if (!node.disconnected) services.change(i, -1, t);
      services.harm.down(i, -1, t);
      lastRestore = t;
    }
    node.state = 'restored';
    if (!openNodes.delete(i)) return;
    // A response with a lift whose reason (detected members still down where it acted) is now gone starts its checks.
    const zone = m.zone[i]!;
    const site = m.site[i]!;
    for (let r = 0; r < m.responseParams.length / 4; r++) {
      if (m.responseLifts[r] === 0) continue;
      if (m.responseParams[r * 4] === R_ISOLATE) {
        if (zone >= 0 && zoneIsolated.has(zone) && reasonGone(r, zone)) scheduleLift(r, zone, t);
      } else if (m.responseParams[r * 4 + 2] === 1) {
        if (site >= 0 && activeResponses.has(`${r}/${site}`) && reasonGone(r, site)) scheduleLift(r, site, t);
      } else if (activeResponses.has(`${r}/-1`) && reasonGone(r, -1)) scheduleLift(r, -1, t);
    }
  };
  const openNodes = new Set<number>();
  const activeResponses = new Set<string>();
  const reasonGone = (r: number, target: number): boolean => {
    const where = m.responseParams[r * 4] === R_ISOLATE ? m.zone : m.site;
    return target < 0 ? openNodes.size === 0 : ![...openNodes].some((i) => where[i] === target);
  };
  // When each response's pending checks end, by `${response}/${zone or site, -1 estate-wide}`; a detection there calls them off.
  const liftDue = new Map<string, number>();
  const scheduleLift = (r: number, target: number, t: number): void => {
    const due = t + delayAt(m.liftDelays, r * 3, 1, keys, STREAM.lift, target + 1, r);
    liftDue.set(`${r}/${target}`, due);
    schedule(due, 'lift', target, r);
  };

  // The recovery queue: highest priority first, then earliest ready, then lowest index.
  const better = (a: number, b: number): boolean =>
    m.priority[a] !== m.priority[b] ? m.priority[a]! > m.priority[b]! : nodes[a]!.readyAt !== nodes[b]!.readyAt ? nodes[a]!.readyAt < nodes[b]!.readyAt : a < b;
  const startJobs = (q: number, t: number): void => {
    while (queueStarted[q] === 'working' && freeStaff[q]! > 0 && queues[q]!.length > 0) {
      const best = queues[q]!.reduce((x, y) => (better(y, x) ? y : x));
      queues[q]!.splice(queues[q]!.indexOf(best), 1);
      if (!active(best)) continue;
      freeStaff[q]!--;
      schedule(t + m.handsOnMinutes[best]!, 'restore-done', best, 0);
    }
  };

  const disconnectKinds = (mask: number, connect: boolean, t: number): void => {
    let changed = false;
    for (let i = 0; i < m.nodeCount; i++) {
      if ((mask & (1 << m.kind[i]!)) === 0 || !nodes[i]!.disconnected === connect) continue;
      changed = true;
      nodes[i]!.disconnected = !connect;
      if (nodes[i]!.state !== 'disrupted') services.change(i, connect ? -1 : 1, t);
    }
    if (connect && changed) rescanAll(t);
  };

  const open = (r: number, from: number, to: number): boolean => reachOpen[r]! && (to === from || (!zoneIsolated.has(from) && !zoneIsolated.has(to)));
  function scheduleScan(i: number, t: number): void {
    const rate = scanRate(m.zone[i]!);
    if (rate === 0) return;
    scanAvailable.set(i, rate);
    const count = (scanCount.get(i) ?? 0) + 1;
    scanCount.set(i, count);
    const due = t + exponentialAt(keys, STREAM.scanDelay, i, count) / rate;
    if (due < nodes[i]!.restoreAt) schedule(due, 'scan', i, scanGeneration.get(i) ?? 0);
  }
  function shield(zone: number): void {
    if (shielded.has(zone)) return;
    shielded.add(zone);
    for (const r of reachOf(zone)) {
      // Each reached zone is walked once per control a run, when its first scanner reaches it: only its members
      // healthy then are counted (scan.ts shield).
      const to = m.zoneReach[r]!;
      const isOpen = open(r, zone, to);
      const control = isOpen ? CONTROL.patch : reachOpen[r] ? CONTROL.isolation : CONTROL.segmentation;
      walk(to, control, isOpen);
      if (isOpen && killSwitched) walkKillSwitch(to);
    }
  }
  // Zone `to`'s members the kill switch keeps from scanners (healthy, connected, exposed, not blind; patched
  // ones too), once per zone (scan.ts walkKillSwitch).
  function walkKillSwitch(to: number): void {
    if (walked.has(`${to}/${CONTROL.killSwitch}`)) return;
    walked.add(`${to}/${CONTROL.killSwitch}`);
    for (const target of targetsOf(to)) {
      if (nodes[target]!.state === 'healthy' && !nodes[target]!.disconnected && unexposed[target] === 0 && blind[target] === 0) protect(target, CONTROL.killSwitch);
    }
  }
  // Zone `to`'s healthy targets protected by `control` (only the patched ones when the way is open), once per zone and control.
  function walk(to: number, control: number, isOpen: boolean): void {
    if (walked.has(`${to}/${control}`)) return;
    walked.add(`${to}/${control}`);
    for (const target of targetsOf(to)) {
      if (nodes[target]!.state !== 'healthy') continue;
      if (!isOpen || patched[target] === 1) protect(target, control);
    }
  }
  // A zone newly isolated: what that closes to zones that have had scanners is counted as their first scanner
  // would have (scan.ts shieldIsolated), unless segmentation closed the way first.
  function shieldIsolated(zone: number): void {
    if (m.scansZones === 0) return;
    if (shielded.has(zone)) for (const r of reachOf(zone)) if (m.zoneReach[r] !== zone && reachOpen[r]) walk(m.zoneReach[r]!, CONTROL.isolation, false);
    for (let y = 0; y < m.zoneCount; y++) {
      if (y === zone || !shielded.has(y)) continue;
      const r = reachOf(y).find((e) => m.zoneReach[e] === zone);
      if (r !== undefined && reachOpen[r]) return walk(zone, CONTROL.isolation, false);
    }
  }
  // Segmentation applied by the room: each zone that has had a scanner counts the ways it now closes (scan.ts shieldSegmented).
  function shieldSegmented(): void {
    if (m.scansZones === 0) return;
    for (const y of [...shielded].sort((a, b) => a - b)) for (const r of reachOf(y)) if (m.zoneReach[r] !== y && !reachOpen[r]) walk(m.zoneReach[r]!, CONTROL.segmentation, false);
  }
  // After paths into `zones` open again: the scanners in them or in a zone reaching them draw afresh.
  function rescanReaching(zones: Set<number>, t: number): void {
    if (m.scansZones === 0) return;
    const scanners = (zone: number): boolean => zones.has(zone) || reachOf(zone).some((r) => zones.has(m.zoneReach[r]!));
    for (let i = 0; i < m.nodeCount; i++) {
      if (m.zone[i]! < 0 || !infectious(i) || !scanners(m.zone[i]!)) continue;
      scanGeneration.set(i, (scanGeneration.get(i) ?? 0) + 1);
      scheduleScan(i, t);
    }
  }
  function rescanAll(t: number): void {
    if (m.scansZones === 0) return;
    for (let i = 0; i < m.nodeCount; i++) {
      if (m.zone[i]! < 0 || !infectious(i)) continue;
      scanGeneration.set(i, (scanGeneration.get(i) ?? 0) + 1);
      scheduleScan(i, t);
    }
  }
  const groupPasses = new Map<number, boolean>();
  const siteResponded = new Set<string>();
  const siteRevoked = new Set<number>();
  const sitesReporting = new Set<number>();
  const siteHalted = new Set<number>();
  function disconnectSite(mask: number, site: number, t: number): void {
    for (let i = 0; i < m.nodeCount; i++) {
      if (m.site[i] !== site || (mask & (1 << m.kind[i]!)) === 0 || nodes[i]!.disconnected) continue;
      nodes[i]!.disconnected = true;
      if (nodes[i]!.state !== 'disrupted') services.change(i, 1, t);
    }
  }

  const handlers: Record<ReferenceEvent['kind'], (e: ReferenceEvent, t: number) => void> = {
    entry: ({ node }, t) => {
      if (nodes[node]!.state !== 'healthy' || nodes[node]!.disconnected) return;
      if (m.threat === WORM && unexposed[node] === 1) return;
      if (m.threat === WORM && killSwitched && blind[node] === 0) protect(node, CONTROL.killSwitch);
      else if (patched[node]) protect(node, CONTROL.patch);
      else compromise(node, -1, t);
    },
    attempt: ({ node: source, aux: k }, t) => {
      const target = m.targets[k]!;
      if (!infectious(source) || nodes[target]!.state !== 'healthy' || nodes[target]!.disconnected) return;
      const relation = relationOf(m, k);
      if (m.threat === WORM && killSwitched && blind[target] === 0) return protect(target, CONTROL.killSwitch);
      if ((relation === IDENTITY || relation === MANAGEMENT) && (revoked || siteRevoked.has(m.site[target]!))) return protect(target, CONTROL.revocation);
      const [a, b] = [m.zone[source]!, m.zone[target]!];
      if (relation !== RADIO && a !== b && (zoneIsolated.has(a) || zoneIsolated.has(b))) return protect(target, CONTROL.isolation);
      if (needsExploit(relation) && patched[target] === 1) return protect(target, CONTROL.patch);
      const group = m.edgeGroup[k]!;
      if (m.groupPass[group]! < 1) {
        // One decision per edge entry and direction per run: a shared credential is stopped or it is not.
        if (!groupPasses.has(group)) groupPasses.set(group, uniformAt(keys, STREAM.groupPass, group, 0) < m.groupPass[group]!);
        if (!groupPasses.get(group)) return protect(target, m.groupControl[group]!);
      }
      compromise(target, source, t);
    },
    scan: ({ node, aux: generation }, t) => {
      if (generation !== (scanGeneration.get(node) ?? 0) || !infectious(node)) return;
      const zone = m.zone[node]!;
      const rate = scanRate(zone);
      if (rate === 0) return;
      const before = scanAvailable.get(node)!;
      const count = scanCount.get(node)!;
      if (rate < before && uniformAt(keys, STREAM.scanThin, node, count) * before >= rate) return scheduleScan(node, t);
      // Own subnet or a routed zone, in proportion to each side's share of the rate; then up to SCAN_CANDIDATES
      // draws over every (reach entry, target) slot of that side's entries; the first healthy and open one is
      // probed; else a uniform pick among that side's healthy open ones.
      const { own, routed } = sides(zone);
      const home = routed.length === 0 || (own.length > 0 && uniformAt(keys, STREAM.scanSide, node, count) * rate < own.length / m.spreadMeanMinutes);
      const entries = reachOf(zone).filter((r, j) => (isFlat(zone) && j === 0) === home);
      const candidates = home ? own : routed;
      const slots = entries.flatMap((r) => targetsOf(m.zoneReach[r]!).map((target) => ({ r, target })));
      const draw = (j: number): number => uniformAt(keys, STREAM.scanPick, node, count * (SCAN_CANDIDATES + 1) + j);
      let target = -1;
      for (let j = 0, slot; j < SCAN_CANDIDATES && target < 0 && slots.length > 0; j++) {
        if (healthyTarget((slot = slots[Math.floor(draw(j) * slots.length)]!).target) && open(slot.r, zone, m.zoneReach[slot.r]!)) target = slot.target;
      }
      if (target < 0) target = candidates[Math.floor(draw(SCAN_CANDIDATES) * candidates.length)]!;
      if (uniformAt(keys, STREAM.scanHit, node, count) < m.exploitEase[target]!) compromise(target, node, t);
      scheduleScan(node, t);
    },
    'kill-switch': () => {
      killSwitched = true;
      // What it keeps from the zones' scanners at work (scan.ts killSwitch).
      if (m.scansZones === 0) return;
      for (const y of [...shielded].sort((a, b) => a - b)) for (const r of reachOf(y)) if (open(r, y, m.zoneReach[r]!)) walkKillSwitch(m.zoneReach[r]!);
    },
    escalate: (_, t) => {
      for (let r = 0; r < m.responseParams.length / 4; r++) {
        if (m.responseParams[r * 4] === R_ISOLATE || m.responseParams[r * 4 + 2] === 1) continue;
        schedule(t + delayAt(m.responseDelays, r * 3, 1, keys, STREAM.response, 0, r), 'response', -1, r);
      }
    },
    payload: ({ node }, t) => {
      if (nodes[node]!.state === 'compromised') disrupt(node, -1, t);
    },
    detect: ({ node }, t) => {
      if (nodes[node]!.detected || !active(node)) return;
      nodes[node]!.detected = true;
      if (Number.isNaN(out[M.firstDetectedAt])) out[M.firstDetectedAt] = t;
      // The reason is back where it was gone (the first open member there): pending checks are called off.
      const opened = (where: Int32Array, place: number) => place >= 0 && ![...openNodes].some((i) => where[i] === place);
      const zoneOpened = opened(m.zone, m.zone[node]!);
      const siteOpened = opened(m.site, m.site[node]!);
      const estateOpened = openNodes.size === 0;
      openNodes.add(node);
      for (let r = 0; r < m.responseParams.length / 4; r++) {
        if (m.responseLifts[r] === 0) continue;
        if (m.responseParams[r * 4] === R_ISOLATE) {
          if (zoneOpened) liftDue.delete(`${r}/${m.zone[node]}`);
        } else if (m.responseParams[r * 4 + 2] === 1) {
          if (siteOpened) liftDue.delete(`${r}/${m.site[node]}`);
        } else if (estateOpened) liftDue.delete(`${r}/-1`);
      }
      const zone = m.zone[node]!;
      const site = m.site[node]!;
      for (let r = 0; r < m.responseParams.length / 4; r++) {
        const delay = (entity: number) => t + delayAt(m.responseDelays, r * 3, 1, keys, STREAM.response, entity, r);
        if (m.responseParams[r * 4] === R_ISOLATE) {
          if (zone >= 0 && !zoneIsolationScheduled.has(zone)) {
            zoneIsolationScheduled.add(zone);
            schedule(delay(zone + 1), 'response', zone, r);
          }
        } else if (m.responseParams[r * 4 + 2] === 1) {
          if (site >= 0 && !siteResponded.has(`${r}/${site}`)) {
            siteResponded.add(`${r}/${site}`);
            schedule(delay(site + 1), 'response', site, r);
          }
        }
      }
      // Estate-wide responses wait for the national alert: once `escalationSites` sites have reported.
      if (site >= 0 && !sitesReporting.has(site)) {
        sitesReporting.add(site);
        if (sitesReporting.size === m.escalationSites) schedule(t + delayAt(m.escalationDelay, 0, 1, keys, STREAM.escalation, 0, 0), 'escalate', -1, 0);
      }
      const q = m.queue[node]!;
      // Each member's own wait from its detection (startDelayPer: member), or its queue's one start.
      if (m.startDelayPerMember === 1) schedule(t + delayAt(m.startDelay, 0, 1, keys, STREAM.startDelay, node, 0), 'ready', node, 0);
      else if (queueStarted[q] === 'working') schedule(t, 'ready', node, 0);
      else {
        if (queueStarted[q] === 'idle') {
          queueStarted[q] = 'scheduled';
          schedule(t + delayAt(m.startDelay, 0, 1, keys, STREAM.startDelay, q, 0), 'queue-start', -1, q);
        }
        // Waits in the queue for its staff.
        nodes[node]!.readyAt = t;
        queues[q]!.push(node);
      }
    },
    'queue-start': ({ aux: q }, t) => {
      queueStarted[q] = 'working';
      startJobs(q, t);
    },
    ready: ({ node }, t) => {
      if (!active(node)) return;
      nodes[node]!.readyAt = t;
      queues[m.queue[node]!]!.push(node);
      startJobs(m.queue[node]!, t);
    },
    'restore-done': ({ node }, t) => {
      freeStaff[m.queue[node]!]!++;
      if (active(node)) restore(node, t);
      startJobs(m.queue[node]!, t);
    },
    'auto-restore': ({ node }, t) => {
      if (active(node)) restore(node, t);
    },
    response: ({ node: target, aux: r }, t) => {
      const [code, mask, , share] = [m.responseParams[r * 4], m.responseParams[r * 4 + 1]!, m.responseParams[r * 4 + 2], m.responseParams[r * 4 + 3]!];
      if (code !== R_ISOLATE && code !== R_HALT) activeResponses.add(`${r}/${target}`);
      if (m.responseLifts[r] === 1 && code !== R_HALT && reasonGone(r, target)) scheduleLift(r, target, t);
      if (code === R_ISOLATE) {
        if (!zoneIsolated.has(target)) {
          zoneIsolated.add(target);
          shieldIsolated(target);
        }
      } else if (code === R_REVOKE) {
        if (target >= 0) siteRevoked.add(target);
        else revoked = true;
      } else if (code === R_HALT) {
        if (target >= 0) siteHalted.add(target);
        else halted = HALTED;
      }
      else if (target >= 0) disconnectSite(mask, target, t);
      else if (share >= 1) disconnectKinds(mask, false, t);
      else for (let site = 0; site < m.siteCount; site++) if (uniformAt(keys, STREAM.compliance, site, r) < share) disconnectSite(mask, site, t);
    },
    lift: ({ node: target, aux: r }, t) => {
      if (liftDue.get(`${r}/${target}`) !== t || !reasonGone(r, target)) return;
      liftDue.delete(`${r}/${target}`);
      const [code, mask] = [m.responseParams[r * 4], m.responseParams[r * 4 + 1]!];
      if (code === R_ISOLATE) {
        zoneIsolationScheduled.delete(target);
        if (zoneDecided.has(target) || !zoneIsolated.delete(target)) return;
        rescanReaching(new Set([target]), t);
        return;
      }
      if (!activeResponses.delete(`${r}/${target}`)) return;
      siteResponded.delete(`${r}/${target}`);
      const undecided = mask & ~decidedKinds;
      if (code === R_REVOKE) {
        if (target >= 0) siteRevoked.delete(target);
        else if (!revokeDecided) revoked = false;
      } else if (target >= 0) {
        const zones = new Set<number>();
        for (let i = 0; i < m.nodeCount; i++) {
          if (m.site[i] !== target || (undecided & (1 << m.kind[i]!)) === 0 || !nodes[i]!.disconnected) continue;
          nodes[i]!.disconnected = false;
          if (nodes[i]!.state !== 'disrupted') services.change(i, -1, t);
          if (m.zone[i]! >= 0) zones.add(m.zone[i]!);
        }
        rescanReaching(zones, t);
      } else if (undecided !== 0) disconnectKinds(undecided, true, t);
    },
    wave: ({ aux: w }, t) => {
      const waves = m.waveOffsets.length - 1;
      if (halted !== NOT_HALTED) {
        for (let k = m.waveOffsets[w]!; k < m.waveOffsets[waves]!; k++) if (m.affected[m.waveEndpoints[k]!] === 1) protect(m.waveEndpoints[k]!, haltControl(halted));
        return;
      }
      for (let k = m.waveOffsets[w]!; k < m.waveOffsets[w + 1]!; k++) {
        const due = t + delayAt(m.arrival, 0, 1, keys, STREAM.arrival, m.waveEndpoints[k]!, m.waveSources[k]!);
        if (due < m.releaseMinutes + m.liveMinutes) schedule(due, 'arrival', m.waveEndpoints[k]!, m.waveSources[k]!);
      }
      if (w + 1 < waves) schedule(t + m.waveIntervalMinutes, 'wave', -1, w + 1);
    },
    arrival: ({ node, aux: source }, t) => {
      if (m.affected[node] === 0 || nodes[node]!.state !== 'healthy' || nodes[node]!.disconnected) return;
      if (halted !== NOT_HALTED) return protect(node, haltControl(halted));
      if (m.site[node]! >= 0 && siteHalted.has(m.site[node]!)) return protect(node, haltControl(HALTED));
      const [a, b] = [m.zone[source]!, m.zone[node]!];
      if (a !== b && (zoneIsolated.has(a) || zoneIsolated.has(b))) return protect(node, CONTROL.isolation);
      disrupt(node, source, t);
      failures++;
      if (failures >= m.haltAfterFailures && halted === NOT_HALTED && !haltPending) {
        const delay = delayAt(m.haltDelay, 0, 1, keys, STREAM.haltRule, 0, haltFirings++);
        if (delay > 0) {
          haltPending = true;
          schedule(t + delay, 'halt-rule', -1, 0);
        } else halted = HALTED_BY_ROLLOUT;
      }
    },
    'halt-rule': () => {
      haltPending = false;
      if (halted === NOT_HALTED) halted = HALTED_BY_ROLLOUT;
    },
    intervention: ({ aux: i }, t) => {
      const code = interventions[i * 3 + 1];
      const argument = interventions[i * 3 + 2]!;
      if (code === I['isolate-zone']) {
        if (!zoneIsolated.has(argument)) {
          zoneIsolated.add(argument);
          shieldIsolated(argument);
        }
        zoneDecided.add(argument);
      } else if (code === I['reconnect-zone']) {
        // A zone not isolated: nothing to reconnect, nothing drawn anew.
        if (!zoneIsolated.has(argument)) return;
        zoneIsolated.delete(argument);
        zoneDecided.delete(argument);
        zoneIsolationScheduled.delete(argument);
        rescanAll(t);
      }
      else if (code === I['revoke-identities'] || code === I['restore-identities']) revoked = revokeDecided = code === I['revoke-identities'];
      else if (code === I['halt-update'] || code === I['resume-update']) halted = code === I['halt-update'] ? HALTED : NOT_HALTED;
      else if (code === I['disconnect-kinds'] || code === I['reconnect-kinds']) {
        disconnectKinds(argument, code === I['reconnect-kinds'], t);
        decidedKinds = code === I['disconnect-kinds'] ? decidedKinds | argument : decidedKinds & ~argument;
      }
      else if (code === I.segment) {
        reachOpen.forEach((_, r) => (reachOpen[r] = reachOpen[r]! && m.zoneReachEssential[r] === 1));
        shieldSegmented();
      }
      else if (code === I.unsegment) {
        if (reachOpen.every((open) => open)) return;
        reachOpen.fill(true);
        rescanAll(t);
      }
      else if (code === I['add-staff']) {
        for (let q = 0; q < m.queueCount; q++) {
          freeStaff[q]! += argument;
          startJobs(q, t);
        }
      }
    },
  };

  for (let i = 0; i < interventions.length / 3; i++) schedule(interventions[i * 3]!, 'intervention', -1, i);
  schedule(m.killSwitchMinutes, 'kill-switch', -1, 0);
  for (let e = 0; e < m.entryOffsets.length - 1; e++) {
    const candidates = Array.from(m.entryCandidates.subarray(m.entryOffsets[e], m.entryOffsets[e + 1]));
    if (candidates.length === 0) continue;
    const [count, at, width] = [m.entryParams[e * 3]!, m.entryParams[e * 3 + 1]!, m.entryParams[e * 3 + 2]!];
    for (let c = 0; c < count; c++) {
      const node = candidates[Math.floor(uniformAt(keys, STREAM.entryMember, e, c) * candidates.length)]!;
      schedule(width > 0 ? at + uniformAt(keys, STREAM.entryTime, e, c) * width : at, 'entry', node, e);
    }
  }
  schedule(m.releaseMinutes, 'wave', -1, 0);

  let events = 0;
  // The services' capacity at day 1, 7 and 27 of the disruption: the state after every event up to then.
  const sampleUntil = (t: number): void => services.sampleUntil(t);
  for (let event = queue.next(); event; event = queue.next()) {
    events++;
    sampleUntil(event.time);
    handlers[event.kind](event, event.time);
  }
  sampleUntil(Infinity);

  referenceOutcomes(m, out, services, nodes, siteInfected, { currentDisrupted, lastRestore, firstDisruption });
  out[M.events] = events;
  return out;
}
