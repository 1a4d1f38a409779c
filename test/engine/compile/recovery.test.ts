import { describe, expect, it } from 'vitest';
import { compileMembers } from '../../../engine/compile/members.js';
import { DIST_CODE } from '../../../engine/compile/model.js';
import { compileRecovery } from '../../../engine/compile/recovery.js';
import { expand, node, tinyTwin } from './tiny.js';

describe('compileRecovery', () => {
  // Members: a (hospital), b#0 b#1 (clinic), c (no site), d (hospital).
  const twin = tinyTwin({
    sites: [
      { id: 'hospital', kind: 'acute-trust' },
      { id: 'clinic', kind: 'gp-practice' },
    ],
    services: [
      { id: 'outpatients', name: 'Outpatients', unit: 'appointments', demandPerHour: 10, criticality: 2 },
      { id: 'ed', name: 'Emergency', unit: 'attendances', demandPerHour: 5, criticality: 5 },
      { id: 'lab', name: 'Lab', unit: 'tests', demandPerHour: 20, criticality: 3 },
    ],
    nodes: [
      node('a', { services: ['outpatients'], recovery: { handsOnMinutes: 120 } }),
      node('b', { site: 'clinic', count: 2, services: ['outpatients'], criticalFor: [{ service: 'ed', share: 0.25 }], recovery: { handsOnMinutes: 20 } }),
      node('c', { site: undefined, layer: 'cloud', kind: 'ehr', services: ['lab'] }),
      node('d'),
    ],
  });
  const expanded = expand(twin);
  const { site } = compileMembers(twin, expanded);

  it('divides hands-on minutes by backupRestoreSpeedup', () => {
    expect([...compileRecovery(twin, expanded, site, { staff: 1, perSite: false }, {}).handsOnMinutes]).toEqual([120, 20, 20, 10, 10]);
    const faster = compileRecovery(twin, expanded, site, { staff: 1, perSite: false }, { backupRestoreSpeedup: 2 });
    expect([...faster.handsOnMinutes]).toEqual([60, 10, 10, 5, 5]);
    expect(faster.restoreSpeedup).toBe(2);
  });

  it('gives each member the highest criticality among the services it supports or is critical for', () => {
    expect([...compileRecovery(twin, expanded, site, { staff: 1, perSite: false }, {}).priority]).toEqual([2, 5, 5, 3, 0]);
  });

  it('puts members in their site\'s queue when staff work per site, those without a site in one more', () => {
    const recovery = compileRecovery(twin, expanded, site, { staff: 2, perSite: true }, { extraStaff: 3 });
    expect(recovery.queueCount).toBe(3);
    expect([...recovery.queue]).toEqual([0, 1, 1, 2, 0]);
    expect([...recovery.queueOffsets]).toEqual([0, 2, 4, 5]);
    expect(recovery.staffPerQueue).toBe(5);
  });

  it('keeps one queue when staff are shared', () => {
    const recovery = compileRecovery(twin, expanded, site, { staff: 2, perSite: false }, {});
    expect(recovery.queueCount).toBe(1);
    expect([...recovery.queue]).toEqual([0, 0, 0, 0, 0]);
    expect([...recovery.queueOffsets]).toEqual([0, 5]);
    expect(recovery.staffPerQueue).toBe(2);
  });

  it('packs the start delay (none: at once) and automatic restoration (none: never)', () => {
    const plain = compileRecovery(twin, expanded, site, { staff: 1, perSite: false }, {});
    expect([...plain.startDelay]).toEqual([DIST_CODE.fixed, 0, 0]);
    expect([...plain.autoRestore]).toEqual([DIST_CODE.fixed, Infinity, 0]);
    const both = compileRecovery(
      twin,
      expanded,
      site,
      { staff: 1, perSite: false, startDelay: { dist: 'fixed', minutes: 30 }, autoRestore: { dist: 'weibull', shape: 2, scaleMinutes: 600 } },
      {},
    );
    expect([...both.startDelay]).toEqual([DIST_CODE.fixed, 30, 0]);
    expect([...both.autoRestore]).toEqual([DIST_CODE.weibull, 2, 600]);
  });
});
