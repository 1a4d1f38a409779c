import { CREDENTIAL } from '../compile/credentials.js';
import { ACTION, STRATEGY } from '../compile/operator-codes.js';
import { CONTROL, DIST_CODE, easeOf, PAYLOAD_ALTER, PAYLOAD_NONE, relationOf, type CompiledModel } from '../compile/model.js';
import { E_ACTION, E_DETECT, E_PUSH, IDENTITY, MANAGEMENT, NETWORK, RADIO } from './codes.js';
import { delayAt, STREAM, uniformAt } from './rng.js';
import { alter, compromise, disrupt, inIsolatedZone, infectious, isolatedBetween, protect } from './spread.js';
import { COMPROMISED, DISRUPTED, HEALTHY, type KernelState } from './state.js';
import { T_ACTION } from './trace.js';
import { Blocks } from './blocks.js';

/**
 * Operator-driven intrusions (docs/engine.md "Operators"): a finite number of hands-on-keyboard operators,
 * each taking one action at a time from the hosts they hold — discover a host's neighbourhood, exploit a
 * service across a link, harvest the credentials a host holds, move with a held credential, exfiltrate
 * records, deploy the payload through the management plane. A strategy picks the next move: goal-directed
 * (a soft-min over estimated time to the nearest goal still to take) or opportunistic (breadth-first).
 * Every action may raise an alert, and an alert makes its host detected after triage, so detection races
 * the operators. Nothing spreads by itself: a compromise only comes from an action.
 */

/** Hosts a discovery samples from the zones its host's zone reaches, and from its local-admin group. */
export const DISCOVER_SAMPLE = 16;
/** Exfiltration runs in chunks of at most this many hours, so a host restored midway keeps what was taken. */
export const EXFILTRATION_CHUNK_HOURS = 24;
/** Frontier routes that are not an explicit edge: a scan target of a reached zone, a local-admin sibling. */
const VIA_ZONE = -1;
const VIA_SIBLING = -2;
/** An operator's state: idle, busy with an action, or completing one (not to be woken). */
const IDLE = 0;
const BUSY = 1;
const FINISHING = 2;
/**
 * Not an action of the scenario's: an operator that chose to stay put and has nothing to take lies low for
 * a `discover`-time, then reconsiders (its choice is a fresh draw). Without it a lone operator that stayed
 * put would idle until the payload fell due.
 */
const WAIT = -1;
/** chooseRoute's answer when the operator chose to stay put (usable routes remain), unlike -1: none usable. */
const STAYED = -2;

/** Per-run operator state, allocated once per (worker, model) and reset per run; empty unless the threat has operators. */
export class OperatorState {
  readonly status: Uint8Array;
  readonly action: Int8Array;
  readonly host: Int32Array;
  readonly target: Int32Array;
  readonly via: Int32Array;
  readonly amount: Float64Array;
  readonly actions: Int32Array;
  /** Hosts waiting for a harvest, a discovery, an exfiltration chunk: each list holds a host at most once at a time. */
  readonly toHarvest: HostList;
  readonly toDiscover: HostList;
  readonly toExfiltrate: HostList;
  /** Known routes to hosts not yet held, in discovery order: (host acted from, edge or VIA_*, target); target -1 once used. */
  frontierHost: Int32Array = new Int32Array(256);
  frontierVia: Int32Array = new Int32Array(256);
  frontierTarget: Int32Array = new Int32Array(256);
  frontierLength = 0;
  /** Whether an edge, a zone route to a member, a sibling route to a member is already in the frontier this run. */
  readonly listedEdge: Uint8Array;
  readonly listedZone: Uint8Array;
  readonly listedSibling: Uint8Array;
  /** Hosts compromised this run, in order (operators act from those still held). */
  readonly held: Int32Array;
  heldCount = 0;
  /** Members an operator is acting on now. */
  readonly claimed: Uint8Array;
  /** Credentials held: per edge group (entry and direction), and per group of members sharing a local administrator. */
  readonly credentialHeld: Uint8Array;
  readonly localAdminHeld: Uint8Array;
  /** Records taken from each holder, and the most taken from any holder of each catchment (its patients, once). */
  readonly taken: Float64Array;
  readonly catchmentTaken: Float64Array;
  /** Per goal (targets-of-value selector), 1 once any of its members is held. */
  readonly goalTaken: Uint8Array;
  /** Scratch for the goal-directed choice: each twin entry's best route score and one route with it. */
  readonly entryBest: Float64Array;
  readonly entryRoute: Int32Array;
  readonly entriesSeen: Int32Array;
  /** Scratch for discovery: routes listed per edge group from the host being discovered. */
  readonly groupListed: Uint8Array;
  started = false;
  payloadAt = Infinity;
  deployed = false;
  /** The payload has been deployed (deploy() ran): a held host back on the network takes it then (reconnected). */
  landedPayload = false;

  constructor(m: CompiledModel, blocks = new Blocks()) {
    const ops = m.operatorCount;
    const n = ops > 0 ? m.nodeCount : 0;
    this.status = blocks.array(Uint8Array, ops);
    this.action = blocks.array(Int8Array, ops);
    this.host = blocks.array(Int32Array, ops);
    this.target = blocks.array(Int32Array, ops);
    this.via = blocks.array(Int32Array, ops);
    this.amount = blocks.array(Float64Array, ops);
    this.actions = blocks.array(Int32Array, ops);
    this.toHarvest = new HostList(n, blocks);
    this.toDiscover = new HostList(n, blocks);
    this.toExfiltrate = new HostList(n, blocks);
    this.listedEdge = blocks.array(Uint8Array, ops > 0 ? m.edgeCount : 0);
    this.listedZone = blocks.array(Uint8Array, n);
    this.listedSibling = blocks.array(Uint8Array, n);
    this.claimed = blocks.array(Uint8Array, n);
    this.held = blocks.array(Int32Array, n);
    this.credentialHeld = blocks.array(Uint8Array, ops > 0 ? m.edgeGroupCount : 0);
    this.localAdminHeld = blocks.array(Uint8Array, ops > 0 ? m.groupStart.length - 1 : 0);
    this.taken = blocks.array(Float64Array, n);
    this.catchmentTaken = blocks.array(Float64Array, ops > 0 ? m.siteCount + 1 : 0);
    const entries = ops > 0 ? m.groupStart.length - 1 : 0;
    this.goalTaken = blocks.array(Uint8Array, m.goalCount);
    this.entryBest = blocks.array(Float64Array, entries).fill(Infinity);
    this.entryRoute = blocks.array(Int32Array, entries);
    this.entriesSeen = blocks.array(Int32Array, entries);
    this.groupListed = blocks.array(Uint8Array, ops > 0 ? m.edgeGroupCount : 0);
  }

  reset(m: CompiledModel): void {
    if (m.operatorCount === 0) return;
    this.status.fill(IDLE);
    this.actions.fill(0);
    this.toHarvest.clear();
    this.toDiscover.clear();
    this.toExfiltrate.clear();
    this.frontierLength = 0;
    this.listedEdge.fill(0);
    this.listedZone.fill(0);
    this.listedSibling.fill(0);
    this.claimed.fill(0);
    this.heldCount = 0;
    this.credentialHeld.fill(0);
    this.localAdminHeld.fill(0);
    this.taken.fill(0);
    this.catchmentTaken.fill(0);
    this.goalTaken.fill(0);
    this.started = false;
    this.payloadAt = Infinity;
    this.deployed = false;
    this.landedPayload = false;
  }

  addRoute(host: number, via: number, target: number): void {
    if (this.frontierLength === this.frontierTarget.length) {
      const grow = (a: Int32Array): Int32Array => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.frontierHost = grow(this.frontierHost);
      this.frontierVia = grow(this.frontierVia);
      this.frontierTarget = grow(this.frontierTarget);
    }
    this.frontierHost[this.frontierLength] = host;
    this.frontierVia[this.frontierLength] = via;
    this.frontierTarget[this.frontierLength++] = target;
  }
}

/** A first-in, first-out list of hosts, each at most once at a time (a ring over the members). */
export class HostList {
  private readonly items: Int32Array;
  private readonly queued: Uint8Array;
  private head = 0;
  size = 0;
  constructor(capacity: number, blocks = new Blocks()) {
    this.items = blocks.array(Int32Array, capacity);
    this.queued = blocks.array(Uint8Array, capacity);
  }
  clear(): void {
    this.head = 0;
    this.size = 0;
    this.queued.fill(0);
  }
  push(host: number): void {
    if (this.queued[host] === 1) return;
    this.queued[host] = 1;
    this.items[(this.head + this.size++) % this.items.length] = host;
  }
  shift(): number {
    const host = this.items[this.head]!;
    this.head = (this.head + 1) % this.items.length;
    this.size--;
    this.queued[host] = 0;
    return host;
  }
}

/** A host has just been compromised: the operators learn it; the first foothold starts them. */
export function landed(s: KernelState, node: number, t: number): void {
  const m = s.model;
  const o = s.operators;
  if (m.goal[node]! > 0) o.goalTaken[m.goal[node]! - 1] = 1;
  o.held[o.heldCount++] = node;
  if (hasCredentials(m, node)) o.toHarvest.push(node);
  o.toDiscover.push(node);
  if (m.records[node]! > 0 && m.exfiltrationPerHour > 0) o.toExfiltrate.push(node);
  if (!o.started) {
    o.started = true;
    if (m.payloadEffect !== PAYLOAD_NONE) {
      // One draw per run (entity: past the last member) for when the operators turn to the payload.
      o.payloadAt = t + delayAt(m.payloadDelay, 0, 1, s.streams.keys, STREAM.payload, m.nodeCount, 0);
      s.schedule(o.payloadAt, E_ACTION, -1, -1);
    }
  }
  wake(s, t);
}

/** Idle operators look for something to do (after a foothold, a credential, or when the payload falls due). */
export function wake(s: KernelState, t: number): void {
  const o = s.operators;
  for (let op = 0; op < o.status.length; op++) if (o.status[op] === IDLE) dispatch(s, op, t);
}

/** Whether a harvest on the host can yield anything: it holds a credential to an edge, or shares a local administrator. */
function hasCredentials(m: CompiledModel, node: number): boolean {
  if (m.localAdmin[node] === 1) return true;
  for (let k = m.offsets[node]!; k < m.offsets[node + 1]!; k++) if (m.edgeCredential[k]! >= 0 && (m.relationMask & (1 << relationOf(m, k))) !== 0) return true;
  return false;
}

/** Operator `op` is free at t: it picks its next action (in order: payload, harvest, discover, move, exfiltrate) or idles. */
function dispatch(s: KernelState, op: number, t: number): void {
  const m = s.model;
  const o = s.operators;
  if (o.payloadAt <= t && !o.deployed) {
    o.deployed = true;
    return begin(s, op, ACTION.deploy, -1, -1, -1, t);
  }
  while (o.toHarvest.size > 0) {
    const host = o.toHarvest.shift();
    if (infectious(s, host)) return begin(s, op, ACTION.harvest, host, -1, -1, t);
  }
  while (o.toDiscover.size > 0) {
    const host = o.toDiscover.shift();
    if (infectious(s, host)) return begin(s, op, ACTION.discover, host, -1, -1, t);
  }
  const f = chooseRoute(s, op);
  const stayed = f === STAYED;
  if (f >= 0) {
    const via = o.frontierVia[f]!;
    const target = o.frontierTarget[f]!;
    o.frontierTarget[f] = -1;
    o.claimed[target] = 1;
    const credential = via === VIA_SIBLING || (via >= 0 && m.edgeCredential[via]! >= 0);
    const ease = credential ? 1 : via >= 0 ? easeOf(m, via) : m.exploitEase[target]!;
    return begin(s, op, credential ? ACTION.move : ACTION.exploit, o.frontierHost[f]!, target, via, t, -1, ease);
  }
  // A holder in an isolated zone cannot send its records out: it goes to the back of the list, once each.
  for (let left = o.toExfiltrate.size; left > 0; left--) {
    const host = o.toExfiltrate.shift();
    if (!infectious(s, host)) continue;
    if (inIsolatedZone(s, host)) {
      o.toExfiltrate.push(host);
      continue;
    }
    const chunk = Math.min(m.records[host]! - o.taken[host]!, m.exfiltrationPerHour * EXFILTRATION_CHUNK_HOURS);
    if (chunk <= 0) continue;
    o.amount[op] = chunk;
    return begin(s, op, ACTION.exfiltrate, host, -1, -1, t, (chunk / m.exfiltrationPerHour) * 60);
  }
  if (stayed) return begin(s, op, WAIT, -1, -1, -1, t, delayAt(m.actionDelays, ACTION.discover * 3, 1, s.streams.keys, STREAM.operator, op, o.actions[op]! * 4));
  o.status[op] = IDLE;
}

/** Starts an action: its duration is drawn from the action's delay (divided by `ease`), unless given. */
function begin(s: KernelState, op: number, action: number, host: number, target: number, via: number, t: number, minutes = -1, ease = 1): void {
  const m = s.model;
  const o = s.operators;
  const counter = o.actions[op]! * 4;
  const duration = minutes >= 0 ? minutes : delayAt(m.actionDelays, action * 3, ease, s.streams.keys, STREAM.operator, op, counter);
  o.status[op] = BUSY;
  o.action[op] = action;
  o.host[op] = host;
  o.target[op] = target;
  o.via[op] = via;
  s.schedule(t + duration, E_ACTION, -1, op);
}

/**
 * The route operator `op` takes next, or -1. Usable routes: the target still healthy, connected and not
 * being acted on, the host acted from still held, and the credential held where the route needs one (an
 * exploit route needs only the target's vulnerability). Opportunistic: the first usable route in discovery
 * order (breadth-first). Goal-directed: only routes toward a goal not yet taken; score = the route's expected
 * minutes + the target's estimated minutes to that goal; the operator picks a kind of host — a twin entry —
 * with weight exp(−best score of its routes / τ) (a soft-min, as the MAL simulators' TTC attacker), then the
 * entry's best route (the earliest found among equals), or to stay put. Weighing entries, not routes, keeps a
 * thousand identical workstations from outvoting the one domain controller. Used routes are compacted away
 * as the frontier is read.
 */
function chooseRoute(s: KernelState, op: number): number {
  const m = s.model;
  const o = s.operators;
  const goalDirected = m.strategy === STRATEGY.goalDirected;
  let kept = 0;
  let best = Infinity;
  let seen = 0;
  for (let f = 0; f < o.frontierLength; f++) {
    const target = o.frontierTarget[f]!;
    if (target < 0 || s.state[target] !== HEALTHY) continue;
    const at = kept++;
    if (at !== f) {
      o.frontierHost[at] = o.frontierHost[f]!;
      o.frontierVia[at] = o.frontierVia[f]!;
      o.frontierTarget[at] = target;
    }
    const score = routeScore(s, at, goalDirected);
    if (score === Infinity) continue;
    if (!goalDirected) {
      // Breadth-first: the earliest usable route; the rest of the frontier moves up behind it.
      for (let g = f + 1; g < o.frontierLength; g++, kept++) {
        o.frontierHost[kept] = o.frontierHost[g]!;
        o.frontierVia[kept] = o.frontierVia[g]!;
        o.frontierTarget[kept] = o.frontierTarget[g]!;
      }
      o.frontierLength = kept;
      return at;
    }
    const entry = m.memberGroup[target]!;
    if (o.entryBest[entry] === Infinity) o.entriesSeen[seen++] = entry;
    if (score < o.entryBest[entry]!) {
      o.entryBest[entry] = score;
      o.entryRoute[entry] = at;
    }
    if (score < best) best = score;
  }
  o.frontierLength = kept;
  if (seen === 0) return -1;
  // Staying put — keeping what it holds hidden, and exfiltrating — competes as one more option, scored by the
  // held host nearest a goal still to take: sideways and backward moves cost more than they gain, so the
  // operator takes fewer of them the worse they are, instead of wandering the estate.
  let stay = Infinity;
  for (let j = 0; j < o.heldCount; j++) {
    const h = o.held[j]!;
    const goal = m.goalOf[h]!;
    if (goal >= 0 && o.goalTaken[goal] === 0 && infectious(s, h) && m.goalDistance[h]! < stay) stay = m.goalDistance[h]!;
  }
  if (stay < best) best = stay;
  const tau = m.temperatureMinutes;
  let total = stay === Infinity ? 0 : Math.exp(-(stay - best) / tau);
  for (let j = 0; j < seen; j++) total += Math.exp(-(o.entryBest[o.entriesSeen[j]!]! - best) / tau);
  let u = uniformAt(s.streams.keys, STREAM.operator, op, o.actions[op]! * 4 + 1) * total - (stay === Infinity ? 0 : Math.exp(-(stay - best) / tau));
  let chosen = u <= 0 ? -2 : -1;
  for (let j = 0; j < seen; j++) {
    const entry = o.entriesSeen[j]!;
    if (chosen === -1) {
      u -= Math.exp(-(o.entryBest[entry]! - best) / tau);
      if (u <= 0 || j === seen - 1) chosen = o.entryRoute[entry]!;
    }
    o.entryBest[entry] = Infinity;
  }
  return chosen === -2 ? STAYED : chosen;
}

/** A route's score (see chooseRoute); Infinity when it is not usable now. */
function routeScore(s: KernelState, f: number, goalDirected: boolean): number {
  const m = s.model;
  const o = s.operators;
  const host = o.frontierHost[f]!;
  const via = o.frontierVia[f]!;
  const target = o.frontierTarget[f]!;
  if (o.claimed[target] === 1 || s.disconnected[target] === 1 || !infectious(s, host)) return Infinity;
  let cost: number;
  if (via === VIA_SIBLING) {
    if (o.localAdminHeld[m.memberGroup[target]!] === 0) return Infinity;
    cost = m.actionMeans[ACTION.move]!;
  } else if (via >= 0 && m.edgeCredential[via]! >= 0) {
    if (o.credentialHeld[m.edgeGroup[via]!] === 0) return Infinity;
    cost = m.actionMeans[ACTION.move]!;
  } else cost = m.actionMeans[ACTION.exploit]! / (via >= 0 ? easeOf(m, via) : m.exploitEase[target]!);
  if (!goalDirected) return cost;
  const goal = m.goalOf[target]!;
  if (goal < 0 || o.goalTaken[goal] === 1) return Infinity;
  return cost + m.goalDistance[target]!;
}

/** Operator `op`'s action completes at t (aux -1: idle operators wake, the payload falling due). */
export function act(s: KernelState, op: number, t: number): void {
  if (op < 0) return wake(s, t);
  const m = s.model;
  const o = s.operators;
  o.status[op] = FINISHING;
  const action = o.action[op]!;
  const host = o.host[op]!;
  const target = o.target[op]!;
  let alertAt = host;
  if (action !== WAIT) s.trace?.push(t, T_ACTION, host, target, action);
  if (action === WAIT) alertAt = -1;
  else if (action === ACTION.deploy) deploy(s, t);
  else if (!infectious(s, host)) alertAt = -1;
  else if (action === ACTION.harvest) harvest(s, host);
  else if (action === ACTION.discover) discover(s, host);
  else if (action === ACTION.exfiltrate && inIsolatedZone(s, host)) {
    // The zone was isolated while the chunk went out: the transfer is cut and the chunk counts nothing
    // (an assumption: the archive is staged and sent whole); the host waits for the zone to reopen.
    o.toExfiltrate.push(host);
  } else if (action === ACTION.exfiltrate) {
    o.taken[host]! += o.amount[op]!;
    const c = m.catchment[host]!;
    if (c >= 0) o.catchmentTaken[c] = Math.max(o.catchmentTaken[c]!, o.taken[host]!);
    else o.catchmentTaken[m.siteCount]! += o.amount[op]!;
    if (o.taken[host]! < m.records[host]!) o.toExfiltrate.push(host);
  } else {
    o.claimed[target] = 0;
    if (cross(s, host, target, o.via[op]!, t)) alertAt = target;
  }
  if (alertAt >= 0) alert(s, op, action, alertAt, t);
  o.actions[op]!++;
  dispatch(s, op, t);
  // What this action found or took (a credential, a route) may give idle operators something to do.
  wake(s, t);
}

/** A harvest on `host`: each class of credential it holds is taken with its chance, drawn once per (host, class). */
function harvest(s: KernelState, host: number): void {
  const m = s.model;
  const o = s.operators;
  const keys = s.streams.keys;
  if (m.localAdmin[host] === 1 && uniformAt(keys, STREAM.harvest, host, CREDENTIAL.localAdmin) < m.credentialChance[CREDENTIAL.localAdmin]!) {
    // A shared local administrator opens the host's group: discover again to find its siblings.
    if (o.localAdminHeld[m.memberGroup[host]!] === 0) o.toDiscover.push(host);
    o.localAdminHeld[m.memberGroup[host]!] = 1;
  }
  let yielded = 0;
  for (let k = m.offsets[host]!; k < m.offsets[host + 1]!; k++) {
    const c = m.edgeCredential[k]!;
    if (c < 0 || (m.relationMask & (1 << relationOf(m, k))) === 0) continue;
    // Bit c of `yielded`: the class was drawn and taken (bit c + 8: drawn and not).
    if ((yielded & (0x101 << c)) === 0) yielded |= (uniformAt(keys, STREAM.harvest, host, c) < m.credentialChance[c]! ? 1 : 0x100) << c;
    if ((yielded & (1 << c)) !== 0) o.credentialHeld[m.edgeGroup[k]!] = 1;
  }
}

/** A discovery on `host`: a sample of its usable links, of the scan targets its zone reaches, of its local-admin group. */
function discover(s: KernelState, host: number): void {
  const m = s.model;
  const o = s.operators;
  const keys = s.streams.keys;
  // Up to DISCOVER_SAMPLE links per edge group (a directory administers thousands of hosts alike), starting
  // at a drawn place in the host's list so which ones is a sample.
  const first = m.offsets[host]!;
  const degree = m.offsets[host + 1]! - first;
  const start = degree > 0 ? Math.floor(uniformAt(keys, STREAM.discover, host, 2 * DISCOVER_SAMPLE) * degree) : 0;
  for (let j = 0; j < degree; j++) {
    const k = first + ((start + j) % degree);
    if (o.listedEdge[k] === 1 || (m.relationMask & (1 << relationOf(m, k))) === 0 || easeOf(m, k) === 0 || s.state[m.targets[k]!] !== HEALTHY) continue;
    const group = m.edgeGroup[k]!;
    if (o.groupListed[group] === DISCOVER_SAMPLE) continue;
    o.groupListed[group]!++;
    o.listedEdge[k] = 1;
    o.addRoute(host, k, m.targets[k]!);
  }
  for (let k = first; k < first + degree; k++) o.groupListed[m.edgeGroup[k]!] = 0;
  const zone = m.zone[host]!;
  if (zone >= 0 && (m.relationMask & (1 << NETWORK)) !== 0 && s.reachSlotEnd[zone]! > 0) {
    const first = m.zoneReachOffsets[zone]!;
    const last = m.zoneReachOffsets[zone + 1]!;
    for (let j = 0; j < DISCOVER_SAMPLE; j++) {
      const slot = Math.floor(uniformAt(keys, STREAM.discover, host, j) * s.reachSlotEnd[zone]!);
      let r = last - 1;
      while (r > first && s.reachSlotStart[r]! > slot) r--;
      const to = m.zoneReach[r]!;
      const target = m.zoneTargets[m.zoneTargetOffsets[to]! + slot - s.reachSlotStart[r]!]!;
      if (target === host || o.listedZone[target] === 1 || s.state[target] !== HEALTHY || !s.reachIsOpen(r, zone, to)) continue;
      o.listedZone[target] = 1;
      o.addRoute(host, VIA_ZONE, target);
    }
  }
  if (m.localAdmin[host] === 1 && o.localAdminHeld[m.memberGroup[host]!] === 1) {
    const g = m.memberGroup[host]!;
    const start = m.groupStart[g]!;
    const size = m.groupStart[g + 1]! - start;
    for (let j = 0; j < DISCOVER_SAMPLE; j++) {
      const target = start + Math.floor(uniformAt(keys, STREAM.discover, host, DISCOVER_SAMPLE + j) * size);
      if (target === host || o.listedSibling[target] === 1 || s.state[target] !== HEALTHY) continue;
      o.listedSibling[target] = 1;
      o.addRoute(host, VIA_SIBLING, target);
    }
  }
}

/**
 * An exploit or a move from `host` to `target` completes: the checks of an attempt (docs/engine.md
 * "Traversal attempt") for the route's relation, then the compromise. Returns whether it got through.
 */
function cross(s: KernelState, host: number, target: number, via: number, t: number): boolean {
  const m = s.model;
  if (s.state[target] !== HEALTHY || s.disconnected[target] !== 0) return false;
  const relation = via >= 0 ? relationOf(m, via) : NETWORK;
  const credential = via === VIA_SIBLING || (via >= 0 && m.edgeCredential[via]! >= 0);
  // A site's revocation resets the accounts its hosts hold and those held on its hosts: a credential route
  // out of the site (to a hosted EHR, a vendor tenant) is closed as well as one into it.
  const site = m.site[target]!;
  const from = m.site[host]!;
  if (credential && (s.revoked === 1 || (site >= 0 && s.siteRevoked[site] === 1) || (from >= 0 && s.siteRevoked[from] === 1))) {
    protect(s, target, CONTROL.revocation, t);
    return false;
  }
  if (relation !== RADIO && isolatedBetween(s, host, target)) {
    protect(s, target, CONTROL.isolation, t);
    return false;
  }
  s.estateOf(target);
  if (!credential && s.unexposed[target] === 1) return false;
  if (!credential && s.patched[target] === 1) {
    protect(s, target, CONTROL.patch, t);
    return false;
  }
  const group = via >= 0 ? m.edgeGroup[via]! : -1;
  if (group >= 0 && m.groupPass[group]! < 1) {
    if (s.groupPasses[group] === -1) s.groupPasses[group] = uniformAt(s.streams.keys, STREAM.groupPass, group, 0) < m.groupPass[group]! ? 1 : 0;
    if (s.groupPasses[group] === 0) {
      protect(s, target, m.groupControl[group]!, t);
      return false;
    }
  }
  compromise(s, target, host, t, via === VIA_SIBLING ? IDENTITY : relation);
  return true;
}

/**
 * The payload: every held host is disrupted (or, for `alter`, every held device at the patient altered),
 * and every host a held management credential administers is pushed the payload (compromised, then
 * disrupted or altered) unless revocation or its path's controls stop it — at once, or when it lands
 * (`payload.arrival`, drawn per device: `land`).
 */
function deploy(s: KernelState, t: number): void {
  const m = s.model;
  const o = s.operators;
  o.landedPayload = true;
  const altering = m.payloadEffect === PAYLOAD_ALTER;
  for (let i = 0; i < m.nodeCount; i++) {
    if (s.state[i] !== COMPROMISED || s.disconnected[i] !== 0) continue;
    if (altering) alter(s, i, t);
    else disrupt(s, i, -1, t);
  }
  for (let u = 0; u < m.nodeCount; u++) {
    for (let k = m.offsets[u]!; k < m.offsets[u + 1]!; k++) {
      if (relationOf(m, k) !== MANAGEMENT || m.edgeCredential[k]! < 0 || o.credentialHeld[m.edgeGroup[k]!] === 0) continue;
      const v = m.targets[k]!;
      if (s.state[v] !== HEALTHY || s.disconnected[v] !== 0) continue;
      if (m.pushArrival[0] === DIST_CODE.fixed && m.pushArrival[1] === 0) pushed(s, u, v, k, t);
      else s.schedule(t + delayAt(m.pushArrival, 0, 1, s.streams.keys, STREAM.push, v, 0), E_PUSH, u, k);
    }
  }
}

/**
 * A held host taken off the network when the payload was deployed is out of the operators' reach then; back on
 * the network while still held, it takes the payload (the operators still hold it), so a precautionary
 * disconnection delays the encryption of a host the intrusion holds rather than sparing it for good.
 */
export function reconnected(s: KernelState, node: number, t: number): void {
  if (!s.operators.landedPayload || s.state[node] !== COMPROMISED || s.disconnected[node] !== 0) return;
  if (s.model.payloadEffect === PAYLOAD_ALTER) alter(s, node, t);
  else disrupt(s, node, -1, t);
}

/**
 * A push along management edge k from `u` lands: unless `u` has been taken off the network meanwhile (a
 * pulled gateway pushes nothing), the checks of a move (revocation, the path's controls), then the payload.
 */
export function land(s: KernelState, u: number, k: number, t: number): void {
  const v = s.model.targets[k]!;
  if (s.state[v] !== HEALTHY || s.disconnected[v] !== 0) return;
  if (s.disconnected[u] !== 0) return protect(s, v, CONTROL.isolation, t);
  pushed(s, u, v, k, t);
}

function pushed(s: KernelState, u: number, v: number, k: number, t: number): void {
  if (!cross(s, u, v, k, t)) return;
  if (s.model.payloadEffect === PAYLOAD_ALTER) alter(s, v, t);
  else disrupt(s, v, u, t);
}

/** An action may raise an alert on its host (EDR raises the chance); an alert detects the host after triage. */
function alert(s: KernelState, op: number, action: number, host: number, t: number): void {
  const m = s.model;
  const keys = s.streams.keys;
  const counter = s.operators.actions[op]! * 4;
  const chance = 1 - Math.pow(1 - m.alertChance[action]!, m.detectSpeedup[host]!);
  if (chance <= 0 || uniformAt(keys, STREAM.operator, op, counter + 2) >= chance) return;
  const state = s.state[host];
  if (s.detected[host] === 1 || (state !== COMPROMISED && state !== DISRUPTED)) return;
  s.schedule(t + delayAt(m.alertTriage, 0, 1, keys, STREAM.operator, op, counter + 3), E_DETECT, host, 0);
}

/** Records exposed: each catchment's patients counted once (the most taken from any one of its holders). */
export function recordsTaken(s: KernelState): number {
  const o = s.operators;
  let total = 0;
  for (let c = 0; c < o.catchmentTaken.length; c++) total += o.catchmentTaken[c]!;
  return total;
}
