import { describe, expect, it } from 'vitest';
import { compileServices } from '../../../engine/compile/services.js';
import { Twin, type TwinInput } from '../../../engine/model/twin.js';
import * as documents from '../kernel/tiny.js';
import { expand, node } from './tiny.js';

/**
 * A twin through the schema only (defaults filled), not the twin's rules: these cases leave services that no
 * node supports, which loading refuses (check-twin.ts), to see what the compile step makes of them.
 */
function tinyTwin(parts: Partial<TwinInput>): Twin {
  return Twin.parse(documents.tinyTwin({ nodes: [node('n0')], ...parts }));
}

describe('compileServices', () => {
  const services = [
    { id: 'outpatients', name: 'Outpatients', unit: 'appointments' as const, demandPerHour: 40, criticality: 2, site: 'hospital' },
    { id: 'ed', name: 'Emergency', unit: 'attendances' as const, demandPerHour: 12, criticality: 5, diversion: true },
    { id: 'lab', name: 'Lab', unit: 'tests' as const, demandPerHour: 90, criticality: 3 },
  ];

  it('counts ordinary supporters with weight 1 (CSR by member)', () => {
    const twin = tinyTwin({ services, nodes: [node('pcs', { count: 3, services: ['outpatients', 'lab'] }), node('lis', { services: ['lab'] }), node('idle')] });
    const s = compileServices(twin, expand(twin));
    expect([...s.nodeServiceOffsets]).toEqual([0, 2, 4, 6, 7, 7]);
    expect([...s.nodeServices]).toEqual([0, 2, 0, 2, 0, 2, 2]);
    expect([...s.nodeServiceWeight]).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect([...s.serviceSupport]).toEqual([3, 0, 4]);
  });

  it('weighs a critical member c · n / (1 − C) so its loss takes c of the capacity', () => {
    // ed: 6 ordinary supporters and one member critical with share 0.25, so C = 0.25:
    // the critical member weighs 0.25 × 6 / 0.75 = 2 out of a total of 6 / 0.75 = 8 (2/8 = 0.25).
    const twin = tinyTwin({ services, nodes: [node('cubicles', { count: 6, services: ['ed'] }), node('ehr', { criticalFor: [{ service: 'ed', share: 0.25 }] })] });
    const s = compileServices(twin, expand(twin));
    expect([...s.nodeServiceWeight]).toEqual([1, 1, 1, 1, 1, 1, 2]);
    expect(s.serviceSupport[1]).toBe(8);
    expect([...s.nodeServiceOffsets]).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('weighs a critical member with no ordinary supporter c out of 1', () => {
    const twin = tinyTwin({ services, nodes: [node('analysers', { count: 2, criticalFor: [{ service: 'lab', share: 0.3 }] })] });
    const s = compileServices(twin, expand(twin));
    expect([...s.nodeServiceWeight]).toEqual([0.3, 0.3]);
    expect(s.serviceSupport[2]).toBe(1);
  });

  it('lists a member\'s ordinary services before those it is critical for', () => {
    const twin = tinyTwin({ services, nodes: [node('ehr', { services: ['lab'], criticalFor: [{ service: 'ed', share: 0.5 }] })] });
    const s = compileServices(twin, expand(twin));
    expect([...s.nodeServices]).toEqual([2, 1]);
    expect([...s.nodeServiceWeight]).toEqual([1, 0.5]);
  });

  it('writes demand, unit (SERVICE_UNITS index), diversion and site of each service', () => {
    const twin = tinyTwin({ services });
    const s = compileServices(twin, expand(twin));
    expect([...s.serviceDemand]).toEqual([40, 12, 90]);
    expect([...s.serviceUnit]).toEqual([0, 1, 3]);
    expect([...s.serviceDiversion]).toEqual([0, 1, 0]);
    expect([...s.serviceSite]).toEqual([0, -1, -1]);
  });
});
