import { describe, expect, it } from 'vitest';
import { EventHeap } from '../../../engine/kernel/heap.js';
import { runKernel } from '../../../engine/kernel/kernel.js';
import { M } from '../../../engine/kernel/metrics.js';
import { KernelState } from '../../../engine/kernel/state.js';
import { build, recovery, SMB, tinyRegime, tinyScenario, tinyTwin } from './tiny.js';

/** A small deterministic generator for the test's own choices (xorshift32). */
function generator(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

interface Queued {
  time: number;
  seq: number;
  node: number;
}

/** Serves `heap` against a plain list kept in (time, sequence) order: every pop must match the list's first. */
function pop(heap: EventHeap, reference: Queued[]): Queued {
  reference.sort((a, b) => a.time - b.time || a.seq - b.seq);
  const expected = reference.shift()!;
  const slot = heap.first();
  expect([heap.time[slot], heap.seq[slot], heap.node[slot]]).toEqual([expected.time, expected.seq, expected.node]);
  heap.pop();
  return expected;
}

/** A queue and its reference list, filled by one push (node = sequence number). */
function queue(): { heap: EventHeap; reference: Queued[]; push: (time: number) => void } {
  const heap = new EventHeap();
  const reference: Queued[] = [];
  let seq = 0;
  const push = (time: number): void => {
    heap.push(time, 0, seq, 0);
    reference.push({ time, seq, node: seq });
    seq++;
  };
  return { heap, reference, push };
}

describe('EventHeap', () => {
  it('serves events in (time, sequence) order as a simulation schedules them: never before the event served', () => {
    for (const seed of [1, 2, 3]) {
      const random = generator(seed);
      const heap = new EventHeap(4);
      const reference: Queued[] = [];
      let seq = 0;
      let now = 0;
      const push = (time: number): void => {
        heap.push(time, 1, seq, 0);
        reference.push({ time, seq, node: seq });
        seq++;
      };
      for (let i = 0; i < 20; i++) push(random() * 10);
      for (let step = 0; step < 5000; step++) {
        if (heap.size > 0 && random() < 0.5) now = pop(heap, reference).time;
        // Exponential, fixed (ties on whole minutes) and zero delays, and far-off events.
        const r = random();
        const delay = r < 0.6 ? -Math.log(1 - random()) : r < 0.8 ? Math.floor(random() * 3) : r < 0.9 ? 0 : 1e6 * random();
        push(now + delay);
      }
      while (heap.size > 0) pop(heap, reference);
      expect(reference).toHaveLength(0);
    }
  });

  it('keeps ties first scheduled, first served, through every bucket', () => {
    const heap = new EventHeap();
    const reference: Queued[] = [];
    const times = [5, 3, 5, 3, 1e9, 5, 0, 0, 1e9, 3];
    times.forEach((time, seq) => {
      heap.push(time, 0, seq, 0);
      reference.push({ time, seq, node: seq });
    });
    const served: number[] = [];
    while (heap.size > 0) served.push(pop(heap, reference).node);
    expect(served).toEqual([6, 7, 1, 3, 9, 0, 2, 5, 4, 8]);
  });

  it('takes an event earlier than the last one served and still serves in order', () => {
    const { heap, reference, push } = queue();
    for (const t of [10, 20, 30, 40]) push(t);
    expect(pop(heap, reference).time).toBe(10);
    push(5);
    push(25);
    push(5);
    const served: number[] = [];
    while (heap.size > 0) served.push(pop(heap, reference).time);
    expect(served).toEqual([5, 5, 20, 25, 30, 40]);
  });

  it('peeks without moving anything: an event scheduled after a peek, below what it saw, is served first', () => {
    const { heap, reference, push } = queue();
    push(10);
    push(20);
    expect(pop(heap, reference).time).toBe(10);
    push(30);
    expect(heap.time[heap.peek()]).toBe(20);
    push(15);
    expect(heap.time[heap.peek()]).toBe(15);
    push(12);
    push(12);
    const served: number[] = [];
    while (heap.size > 0) served.push(pop(heap, reference).time);
    expect(served).toEqual([12, 12, 15, 20, 30]);
    expect(heap.rebuilds).toBe(0);
  });

  it('peeks the first of equal times by sequence number, as it will serve them (the node queue compares it)', () => {
    // Equal times above the last key served share a bucket, newest first; peek() must still name the oldest,
    // also when more of them are pushed after a first peek, and at a high digit of the keys (1e6).
    const cases: { times: number[]; late: number[] }[] = [
      { times: [7, 7], late: [] },
      { times: [9, 7, 7, 7], late: [7] },
      { times: [1e6, 1e6, 3e6], late: [1e6, 1e6] },
    ];
    for (const { times, late } of cases) {
      const heap = new EventHeap();
      heap.push(0.5, 0, -1, -1);
      heap.pop();
      const earliest = Math.min(...times);
      const oldest = times.indexOf(earliest);
      times.forEach((t, i) => heap.push(t, 0, i, 0));
      expect(heap.node[heap.peek()], `${times}`).toBe(oldest);
      late.forEach((t, i) => heap.push(t, 0, times.length + i, 0));
      const peeked = heap.peek();
      expect([heap.time[peeked], heap.node[peeked]], `${times} + ${late}`).toEqual([earliest, oldest]);
      // Served in the order peeked: the same slot comes first.
      expect(heap.first()).toBe(peeked);
    }
  });

  it('grows past its capacity, shares the sequence counter with takeSequence and starts over on clear', () => {
    const heap = new EventHeap(2);
    heap.push(3, 0, 0, 0);
    expect(heap.takeSequence()).toBe(1);
    for (let i = 0; i < 100; i++) heap.push(100 - i, 2, i, -i);
    expect(heap.size).toBe(101);
    const first = heap.first();
    expect([heap.time[first], heap.kind[first], heap.node[first], heap.aux[first], heap.seq[first]]).toEqual([1, 2, 99, -99, 101]);
    heap.clear();
    expect(heap.size).toBe(0);
    heap.push(7, 0, 0, 0);
    expect(heap.seq[heap.first()]).toBe(0);
  });

  it('says so when asked for the first of no events', () => {
    const heap = new EventHeap();
    expect(() => heap.first()).toThrow(RangeError);
    heap.push(2, 0, 0, 0);
    heap.pop();
    expect(() => heap.pop()).toThrow(RangeError);
  });

  it('refuses a negative or undefined time', () => {
    const heap = new EventHeap();
    heap.push(1, 0, 0, 0);
    expect(() => heap.push(-1, 0, 0, 0)).toThrow(RangeError);
    expect(() => heap.push(Number.NaN, 0, 0, 0)).toThrow(RangeError);
    expect(heap.size).toBe(1);
    expect(heap.time[heap.first()]).toBe(1);
  });

  it('is never rebuilt by the kernel, which peeks while the node queue may serve first', () => {
    // A static-spread worm with unsure attempts (a patch coverage), entries and a payload: both queues busy.
    const nodes = Array.from({ length: 40 }, (_, i) => ({
      id: `n${i}`,
      layer: 'network' as const,
      kind: 'server' as const,
      owner: 'trust',
      vulns: [SMB],
      tags: i % 2 === 0 ? ['unsupported-os'] : [],
      recovery,
    }));
    const edges = nodes.flatMap((_, i) => [1, 7, 13].map((d) => ({ from: `n${i}`, to: `n${(i + d) % 40}`, relation: 'network' as const, bidirectional: true })));
    const scenario = tinyScenario({
      threat: {
        kind: 'worm',
        entries: [{ select: { ids: ['n0'] } }, { select: { layers: ['network'] }, count: 8, atMinutes: 2, spreadMinutes: 10 }],
        exploits: ['CVE-2017-0144'],
        spread: { dist: 'exponential', meanMinutes: 2 },
        payload: { effect: 'disrupt', delay: { dist: 'exponential', meanMinutes: 3 } },
      },
      recovery: { staff: 0, autoRestore: { dist: 'exponential', meanMinutes: 1 } },
    } as Parameters<typeof tinyScenario>[0]);
    const { model } = build(tinyTwin({ nodes, edges }), scenario, tinyRegime({ patchCoverage: 0.3, patchSupportedOnly: true }));
    expect(model.staticSpread).toBe(1);
    const state = new KernelState(model);
    let events = 0;
    for (let run = 0; run < 100; run++) events += runKernel(model, state, 8, run)[M.events]!;
    expect(events).toBeGreaterThan(1000);
    expect(state.heap.rebuilds).toBe(0);
  });
});

