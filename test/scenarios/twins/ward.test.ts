import { describe, expect, it } from 'vitest';
import { expandTwin } from '../../../engine/model/expand.js';
import { loadTwinFile } from '../../../engine/model/load-file.js';
import { LAYERS } from '../../../engine/model/vocabulary.js';

describe('the ward twin', () => {
  const ward = loadTwinFile('scenarios/twins/ward.yaml');

  it('is about 30 hand-readable entries across all three layers', () => {
    expect(ward.nodes.length).toBeGreaterThanOrEqual(25);
    expect(ward.nodes.length).toBeLessThanOrEqual(35);
    for (const layer of LAYERS) expect(ward.nodes.some((n) => n.layer === layer)).toBe(true);
  });

  it('uses every edge relation, so tests and docs can show each one', () => {
    const relations = new Set(ward.edges.map((e) => e.relation));
    expect([...relations].sort()).toEqual(['data', 'identity', 'management', 'network', 'radio', 'update']);
  });

  it('carries the three seed scenarios\' CVEs and conventional tags', () => {
    const cves = new Set(ward.nodes.flatMap((n) => n.vulns.map((v) => v.cve)));
    expect([...cves].sort()).toEqual(['CVE-2008-4250', 'CVE-2017-0144', 'CVE-2019-10964']);
    const tags = new Set(ward.nodes.flatMap((n) => n.tags));
    for (const tag of ['windows', 'smbv1', 'unsupported-os', 'internet-facing', 'edr-sensor', 'sensor-affected']) expect(tags).toContain(tag);
  });

  it('expands its groups', () => {
    const expanded = expandTwin(ward);
    expect(expanded.nodeCount).toBe(ward.nodes.reduce((s, n) => s + n.count, 0));
    expect(expanded.edgeCount).toBeGreaterThan(ward.edges.length);
  });
});
