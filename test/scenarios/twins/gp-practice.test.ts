import { describe, expect, it } from 'vitest';
import { twinFromValue } from '../../../engine/model/load.js';
import { TwinBuilder } from '../../../scenarios/twins/builder.js';
import { addGpPractice, type PracticeSpec } from '../../../scenarios/twins/gp-practice.js';
import { addNationalServices } from '../../../scenarios/twins/national.js';

/** Two practices, one on each GP supplier, beside the national services. */
function practices(sensor: boolean) {
  const b = new TwinBuilder();
  const national = addNationalServices(b, 0.6);
  b.owner({ id: 'gp-it', kind: 'operator' });
  const spec: Omit<PracticeSpec, 'id' | 'supplier'> = { region: 'london', owner: 'gp-it', workstations: 9, service: 'gp', smbv1UnpatchedShare: 0.3, sensor };
  b.service({ id: 'gp', name: 'GP consultations', unit: 'consultations', demandPerHour: 3, criticality: 3 });
  addGpPractice(b, national, { ...spec, id: 'gp-a', supplier: 'a' });
  addGpPractice(b, national, { ...spec, id: 'gp-b', supplier: 'b' });
  return twinFromValue(b.twin({ name: 'practices' }), '<practices>');
}

describe('addGpPractice', () => {
  it("leaves the practice's own desktops off the sensor: the update reaches supplier A's practices through its platform", () => {
    const twin = practices(false);
    const node = (id: string) => twin.nodes.find((n) => n.id === id)!;
    for (const id of ['gp-a/workstations', 'gp-b/workstations']) {
      expect(node(id).tags, id).not.toContain('sensor-affected');
      expect(node(id).tags, id).not.toContain('edr-sensor');
    }
    expect(twin.edges.filter((e) => e.from === 'update-service').map((e) => e.to)).toEqual(['gp-system/a']);
    expect(node('gp-system/a').tags).toContain('sensor-affected');
    expect(node('gp-system/b').tags).not.toContain('sensor-affected');
    const data = (from: string, to: string) => twin.edges.some((e) => e.from === from && e.to === to && e.relation === 'data');
    expect(data('gp-a/workstations', 'gp-system/a')).toBe(true);
    expect(data('gp-b/workstations', 'gp-system/b')).toBe(true);
  });

  it("puts a deploying practice's desktops on the sensor, with the agent and the vendor's update edge", () => {
    const twin = practices(true);
    for (const id of ['gp-a/workstations', 'gp-b/workstations']) {
      const n = twin.nodes.find((x) => x.id === id)!;
      expect(n.tags, id).toEqual(expect.arrayContaining(['windows', 'edr-sensor', 'sensor-affected']));
      expect(n.controls, id).toEqual(['edr']);
      expect(twin.edges.some((e) => e.from === 'update-service' && e.to === id && e.relation === 'update'), id).toBe(true);
    }
  });
});
