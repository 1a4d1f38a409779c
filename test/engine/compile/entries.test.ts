import { describe, expect, it } from 'vitest';
import { compileEntries } from '../../../engine/compile/entries.js';
import { expand, MS08_067, node, OPERATOR_FIELDS, tinyScenario, tinyTwin, tinyUpdate } from './tiny.js';

describe('compileEntries', () => {
  // pcs#0..#3 (members 0-3), vulnerable at ease 1 on #0 and #2 only; jump (4), an unpatched server.
  const twin = tinyTwin({ nodes: [node('pcs', { count: 4, vulns: [MS08_067] }), node('jump', { vulns: [MS08_067] }), node('update', { layer: 'cloud', kind: 'update-service' })], edges: [{ from: 'update', to: 'jump', relation: 'update' }] });
  const expanded = expand(twin);
  const ease = new Float32Array([1, 0, 1, 0, 1, 0]);
  const entries = [
    { select: { ids: ['pcs'] }, count: 2, atMinutes: 30, spreadMinutes: 60 },
    { select: { kinds: ['server' as const] }, share: 0.5 },
  ];

  it('lets a worm enter only where its exploit works', () => {
    const worm = tinyScenario(twin, { threat: { kind: 'worm', entries, exploits: ['CVE-2008-4250'], spread: { dist: 'fixed', minutes: 10 }, payload: { effect: 'none', delay: { dist: 'fixed', minutes: 0 } } } });
    const e = compileEntries(twin, expanded, worm.threat, ease);
    expect([...e.entryOffsets]).toEqual([0, 2, 5]);
    expect([...e.entryCandidates]).toEqual([0, 2, 0, 2, 4]);
    // [count, atMinutes, spreadMinutes]; share 0.5 of 3 candidates rounds to 2.
    expect([...e.entryParams]).toEqual([2, 30, 60, 2, 0, 0]);
  });

  it('lets an intrusion enter at any selected member (credentials need no exploit)', () => {
    const intrusion = tinyScenario(twin, { threat: { kind: 'intrusion', entries, ...OPERATOR_FIELDS, payload: { effect: 'none', delay: { dist: 'fixed', minutes: 0 } } } });
    const e = compileEntries(twin, expanded, intrusion.threat, ease);
    expect([...e.entryOffsets]).toEqual([0, 4, 9]);
    expect([...e.entryCandidates]).toEqual([0, 1, 2, 3, 0, 1, 2, 3, 4]);
    expect([...e.entryParams]).toEqual([2, 30, 60, 3, 0, 0]); // 0.5 × 5 = 2.5 rounds to 3
  });

  it('seeds at least one member for a share', () => {
    const few = tinyScenario(twin, { threat: { kind: 'intrusion', entries: [{ select: { ids: ['jump'] }, share: 0.01 }], ...OPERATOR_FIELDS, payload: { effect: 'none', delay: { dist: 'fixed', minutes: 0 } } } });
    expect(compileEntries(twin, expanded, few.threat, ease).entryParams[0]).toBe(1);
  });

  it('has no seed entries for a faulty update', () => {
    const e = compileEntries(twin, expanded, tinyUpdate(twin, 'update', ['jump']).threat, ease);
    expect([...e.entryOffsets]).toEqual([0]);
    expect(e.entryCandidates).toHaveLength(0);
    expect(e.entryParams).toHaveLength(0);
  });
});
