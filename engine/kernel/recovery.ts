import { E_RESTORE_DONE } from './codes.js';
import { closeOpen } from './responses.js';
import { integrity } from './clinical.js';
import { COMPROMISED, DISRUPTED, RESTORED, type KernelState } from './state.js';
import { T_RESTORE } from './trace.js';

/** Recovery: restoring a member, and the staff queues that do it (docs/engine.md "Recovery"). */

export function restore(s: KernelState, node: number, t: number): void {
  const m = s.model;
  const layer = m.layer[node]!;
  if (s.compromisedIn[node] === s.run) s.compromisedNow[layer]!--;
  if (s.state[node] === DISRUPTED) {
    s.disruptedNow[layer]!--;
    s.currentDisrupted--;
    if (s.disconnected[node] === 0) s.services.change(node, -1, t);
    s.services.harm.down(node, -1, t);
    // Recovery is of what was disrupted: cleaning a host compromised and never disrupted (found weeks
    // later, perhaps) does not end it (timeToRecovery).
    s.lastRestoreMinutes = t;
  }
  s.state[node] = RESTORED;
  s.services.harm.altered[node] = 0;
  integrity(s, node, t);
  closeOpen(s, node, t);
  s.trace?.push(t, T_RESTORE, node, -1, -1);
}

/** A detected member is ready for recovery: it joins its queue and free staff start on the queue. */
export function ready(s: KernelState, node: number, t: number): void {
  if (join(s, node, t)) startJobs(s, s.model.queue[node]!, t);
}

/** The member joins its queue if it is still down (staff are not started: see ready()); whether it joined. */
export function join(s: KernelState, node: number, t: number): boolean {
  if (s.state[node] !== COMPROMISED && s.state[node] !== DISRUPTED) return false;
  s.readyAt[node] = t;
  enqueue(s, s.model.queue[node]!, node);
  return true;
}

/** A member's hands-on restoration is done: its staff member is free again. */
export function restoreDone(s: KernelState, node: number, t: number): void {
  const q = s.model.queue[node]!;
  s.freeStaff[q]!++;
  if (s.state[node] === COMPROMISED || s.state[node] === DISRUPTED) restore(s, node, t);
  startJobs(s, q, t);
}

// --- recovery queues: a binary heap per queue over slices of `jobs`, best = highest priority, then earliest.

function before(s: KernelState, a: number, b: number): boolean {
  const pa = s.model.priority[a]!;
  const pb = s.model.priority[b]!;
  if (pa !== pb) return pa > pb;
  const ta = s.readyAt[a]!;
  const tb = s.readyAt[b]!;
  return ta !== tb ? ta < tb : a < b;
}

function enqueue(s: KernelState, q: number, node: number): void {
  const base = s.model.queueOffsets[q]!;
  const jobs = s.jobs;
  let i = s.queueLength[q]!++;
  while (i > 0) {
    const p = (i - 1) >> 1;
    const parent = jobs[base + p]!;
    if (!before(s, node, parent)) break;
    jobs[base + i] = parent;
    i = p;
  }
  jobs[base + i] = node;
}

function dequeue(s: KernelState, q: number): number {
  const base = s.model.queueOffsets[q]!;
  const jobs = s.jobs;
  const top = jobs[base]!;
  const size = --s.queueLength[q]!;
  const last = jobs[base + size]!;
  let i = 0;
  for (;;) {
    let c = 2 * i + 1;
    if (c >= size) break;
    if (c + 1 < size && before(s, jobs[base + c + 1]!, jobs[base + c]!)) c++;
    if (!before(s, jobs[base + c]!, last)) break;
    jobs[base + i] = jobs[base + c]!;
    i = c;
  }
  jobs[base + i] = last;
  return top;
}

/** A recovery queue's staff start: they take its members found so far. */
export function startQueue(s: KernelState, q: number, t: number): void {
  s.queueStarted[q] = 2;
  startJobs(s, q, t);
}

/** Free staff of queue q, once it has started, take the best ready members still down. */
export function startJobs(s: KernelState, q: number, t: number): void {
  if (s.queueStarted[q] !== 2) return;
  while (s.freeStaff[q]! > 0 && s.queueLength[q]! > 0) {
    const node = dequeue(s, q);
    if (s.state[node] !== COMPROMISED && s.state[node] !== DISRUPTED) continue;
    s.freeStaff[q]!--;
    s.schedule(t + s.model.handsOnMinutes[node]!, E_RESTORE_DONE, node, 0);
  }
}
