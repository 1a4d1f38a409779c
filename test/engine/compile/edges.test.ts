import { describe, expect, it } from 'vitest';
import { carriesCredential, compileEdges } from '../../../engine/compile/edges.js';
import { edgeKeyOf } from '../../../engine/compile/edge-keys.js';
import { CONTROL, easeOf, needsExploit, relationOf } from '../../../engine/compile/model.js';
import { lowbias32 } from '../../../engine/kernel/rng.js';
import { RELATIONS, type Relation } from '../../../engine/model/vocabulary.js';
import { expand, node, tinyTwin } from './tiny.js';

const code = (r: Relation): number => RELATIONS.indexOf(r);

describe('compileEdges: CSR by source', () => {
  // Edge entries in document order: 0 c→a network, 1 a→b network, 2 a→c data, 3 b→d identity, 4 a→d radio.
  const twin = tinyTwin({
    nodes: [node('a'), node('b'), node('c'), node('d')],
    edges: [
      { from: 'c', to: 'a', relation: 'network' },
      { from: 'a', to: 'b', relation: 'network' },
      { from: 'a', to: 'c', relation: 'data' },
      { from: 'b', to: 'd', relation: 'identity' },
      { from: 'a', to: 'd', relation: 'radio' },
    ],
  });
  // Exploit ease of a, b, c, d, chosen by hand (exact in 32-bit floats).
  const ease = new Float32Array([0.5, 0.75, 1, 0.25]);
  const edges = compileEdges(twin, expand(twin), ease, {});
  const each = <T>(f: (k: number) => T): T[] => Array.from(edges.targets, (_t, k) => f(k));

  it('groups out-edges by source, in document order within a source', () => {
    expect([...edges.offsets]).toEqual([0, 3, 4, 5, 5]);
    expect([...edges.targets]).toEqual([1, 2, 3, 3, 0]); // a→b, a→c, a→d, b→d, c→a
    expect(each((k) => relationOf(edges, k))).toEqual([code('network'), code('data'), code('radio'), code('identity'), code('network')]);
  });

  it('multiplies the relation\'s ease by the target\'s exploit ease, credential edges by nothing', () => {
    // a→b network 1 × 0.75; a→c data 0.25 × 1; a→d radio 0.5 × 0.25; b→d identity 1; c→a network 1 × 0.5.
    expect(each((k) => easeOf(edges, k))).toEqual([0.75, 0.25, 0.125, 1, 0.5]);
    expect(each((k) => needsExploit(relationOf(edges, k)))).toEqual([true, true, true, false, true]);
    expect([...edges.edgeGroup].map((g) => edges.groupPass[g])).toEqual([1, 1, 1, 1, 1]);
    expect([...edges.edgeGroup].map((g) => edges.groupControl[g])).toEqual([-1, -1, -1, -1, -1]);
  });

  it('tags each member edge with its edge entry × 2 (+1 when reversed)', () => {
    expect([...edges.edgeGroup]).toEqual([2, 4, 8, 6, 0]);
    expect(edges.edgeGroupCount).toBe(10);
  });

  it('expands groups and bidirectional edges, reverse copies in the odd group', () => {
    // pumps#0, pumps#1 ↔ gw, one-to-all: pumps#0→gw, gw→pumps#0, pumps#1→gw, gw→pumps#1.
    const pumps = tinyTwin({
      nodes: [node('pumps', { count: 2, layer: 'physical', kind: 'infusion-pump' }), node('gw')],
      edges: [{ from: 'pumps', to: 'gw', relation: 'network', bidirectional: true }],
    });
    const e = compileEdges(pumps, expand(pumps), new Float32Array([1, 1, 1]), {});
    expect([...e.offsets]).toEqual([0, 1, 2, 4]);
    expect([...e.targets]).toEqual([2, 2, 0, 1]);
    expect([...e.edgeGroup]).toEqual([0, 0, 1, 1]);
    expect(e.edgeGroupCount).toBe(2);
  });

  it('gives a repeated edge (same source, target and relation) a class of its own, whose tag counts the repeat', () => {
    const twice = tinyTwin({
      nodes: [node('a'), node('b')],
      edges: [
        { from: 'a', to: 'b', relation: 'network' },
        { from: 'a', to: 'b', relation: 'network' },
      ],
    });
    const e = compileEdges(twice, expand(twice), new Float32Array([1, 1]), {});
    expect([...e.edgeClass]).toEqual([0, 1]);
    expect([...e.classRelation]).toEqual([code('network'), code('network')]);
    expect([...e.classTag]).toEqual([code('network'), code('network') + 8]);
  });

  it('keys each edge as it was keyed when keys were stored per edge: a hash of source, target, relation and repeat', () => {
    const twin2 = tinyTwin({
      nodes: [node('a'), node('b')],
      edges: [
        { from: 'a', to: 'b', relation: 'network' },
        { from: 'a', to: 'b', relation: 'network' },
        { from: 'b', to: 'a', relation: 'identity' },
      ],
    });
    const e = compileEdges(twin2, expand(twin2), new Float32Array([1, 1]), {});
    // The formula of the stored keys (edge-keys.ts before 5f9e0d1), and its values, pinned.
    const stored = (source: number, target: number, relation: number, repeat: number) => lowbias32(lowbias32(lowbias32(source ^ 0x5bd1e995) ^ target) ^ (relation + 8 * repeat));
    const keys = [edgeKeyOf(e, 0, 0), edgeKeyOf(e, 0, 1), edgeKeyOf(e, 1, 2)];
    expect(keys).toEqual([stored(0, 1, code('network'), 0), stored(0, 1, code('network'), 1), stored(1, 0, code('identity'), 0)]);
    expect(keys).toEqual([1778262739, 2660650990, 3636822075]);
  });

  it('numbers past 65,536 classes in four bytes per edge', () => {
    // 65,537 equal entries a → b: repeats 0 … 65,536, a class each.
    const many = tinyTwin({ nodes: [node('a'), node('b')], edges: Array.from({ length: 2 ** 16 + 1 }, () => ({ from: 'a', to: 'b', relation: 'data' as const })) });
    const e = compileEdges(many, expand(many), new Float32Array([1, 1]), {});
    expect(e.edgeClass).toBeInstanceOf(Uint32Array);
    expect(e.classTag[e.edgeClass[2 ** 16]!]).toBe(code('data') + 8 * 2 ** 16);
  });

  it('numbers up to 256 classes in a byte per edge, more in two bytes', () => {
    // A hub with a network edge to each of `n` members, each its own entry of its own exploit ease: n classes.
    const classes = (n: number) => {
      const t = tinyTwin({ nodes: [node('hub'), ...Array.from({ length: n }, (_, i) => node(`m${i}`))], edges: Array.from({ length: n }, (_, i) => ({ from: 'hub', to: `m${i}`, relation: 'network' as const })) });
      const ease = Float32Array.from({ length: n + 1 }, (_, i) => (i === 0 ? 1 : i / 512));
      const e = compileEdges(t, expand(t), ease, {});
      // Every edge reads back its relation and its target's ease.
      expect(Array.from(e.targets, (target, k) => [relationOf(e, k), easeOf(e, k)])).toEqual(Array.from(e.targets, (target) => [code('network'), ease[target]]));
      return e;
    };
    expect(classes(256).edgeClass).toBeInstanceOf(Uint8Array);
    expect(classes(257).edgeClass).toBeInstanceOf(Uint16Array);
  });

  it('gives the edges of a group one class, its relation and ease, and refuses a group whose targets differ in exploit ease', () => {
    const pumps = tinyTwin({
      nodes: [node('pumps', { count: 2, layer: 'physical', kind: 'infusion-pump' }), node('gw')],
      edges: [{ from: 'gw', to: 'pumps', relation: 'data' }],
    });
    const e = compileEdges(pumps, expand(pumps), new Float32Array([0.5, 0.5, 1]), {});
    expect([...e.edgeClass]).toEqual([0, 0]);
    expect([...e.classRelation]).toEqual([code('data')]);
    expect([...e.classEase]).toEqual([0.125]); // 0.25 × 0.5
    // Exploit ease is compiled per twin entry (compileVulnerabilities); a model that broke that is refused.
    expect(() => compileEdges(pumps, expand(pumps), new Float32Array([0.5, 1, 1]), {})).toThrow(/edge group 0 differ in exploit ease/);
  });
});

describe('compileEdges: MFA and least privilege', () => {
  // One edge of every relation from `from` to `to` (ease 1), in RELATIONS order.
  const twin = tinyTwin({
    nodes: [node('from'), node('to')],
    edges: RELATIONS.map((relation) => ({ from: 'from', to: 'to', relation })),
  });
  const ease = new Float32Array([1, 1]);
  const credential = RELATIONS.map((r) => r === 'identity' || r === 'management');

  it('treats identity and management as the credential relations', () => {
    expect(RELATIONS.map(carriesCredential)).toEqual(credential);
  });

  it.each([
    ['mfa', { mfa: true }, 0.1, CONTROL.mfa],
    ['least privilege', { leastPrivilege: true }, 0.2, CONTROL.leastPrivilege],
    ['both', { mfa: true, leastPrivilege: true }, 0.2 * 0.1, CONTROL.mfa],
  ])('%s: credential edges pass with its probability, the others untouched', (_name, controls, pass, control) => {
    const e = compileEdges(twin, expand(twin), ease, controls);
    RELATIONS.forEach((_r, k) => {
      expect(e.groupPass[e.edgeGroup[k]!]).toBeCloseTo(credential[k] ? pass : 1, 7);
      expect(e.groupControl[e.edgeGroup[k]!]).toBe(credential[k] ? control : -1);
    });
  });

  it('applies a target\'s own mfa or least-privilege control to the edges into it only', () => {
    const own = tinyTwin({
      nodes: [node('a'), node('idp', { controls: ['mfa'] }), node('jump', { controls: ['least-privilege'] })],
      edges: [
        { from: 'a', to: 'idp', relation: 'identity' },
        { from: 'a', to: 'jump', relation: 'management' },
        { from: 'idp', to: 'a', relation: 'identity' },
      ],
    });
    const e = compileEdges(own, expand(own), new Float32Array([1, 1, 1]), {});
    expect([...e.edgeGroup].map((g) => e.groupPass[g])).toEqual([Math.fround(0.1), Math.fround(0.2), 1]);
    expect([...e.edgeGroup].map((g) => e.groupControl[g])).toEqual([CONTROL.mfa, CONTROL.leastPrivilege, -1]);
  });
});
