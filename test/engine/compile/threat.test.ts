import { describe, expect, it } from 'vitest';
import { DIST_CODE, PAYLOAD_DISRUPT, PAYLOAD_NONE, THREAT_CODE } from '../../../engine/compile/model.js';
import { compileThreat, relationMaskOf } from '../../../engine/compile/threat.js';
import { RELATIONS } from '../../../engine/model/vocabulary.js';
import { ETERNAL_BLUE, node, OPERATOR_FIELDS, tinyScenario, tinyTwin, tinyUpdate } from './tiny.js';

const bit = (r: (typeof RELATIONS)[number]): number => 1 << RELATIONS.indexOf(r);

describe('compileThreat', () => {
  const twin = tinyTwin({
    nodes: [node('n0', { vulns: [ETERNAL_BLUE], records: 100 }), node('cs', { layer: 'cloud', kind: 'update-service' })],
    edges: [{ from: 'cs', to: 'n0', relation: 'update' }],
  });

  it('packs a worm: network scanning, its spread and mean, payload, kill switch', () => {
    const worm = tinyScenario(twin, {
      threat: {
        kind: 'worm',
        entries: [{ select: { ids: ['n0'] } }],
        exploits: ['CVE-2017-0144'],
        spread: { dist: 'lognormal', medianMinutes: 30, sigma: 1 },
        payload: { effect: 'disrupt', delay: { dist: 'fixed', minutes: 20 } },
        killSwitchAtMinutes: 444,
      },
    });
    const t = compileThreat(worm.threat);
    expect(t.threat).toBe(THREAT_CODE.worm);
    expect(t.relationMask).toBe(bit('network'));
    expect(t.scansZones).toBe(1);
    expect([...t.spread]).toEqual([DIST_CODE.lognormal, Math.log(30), 1]);
    expect(t.spreadMeanMinutes).toBeCloseTo(30 * Math.exp(0.5), 12); // lognormal mean: median × e^(σ²/2)
    expect(t.payloadEffect).toBe(PAYLOAD_DISRUPT);
    expect([...t.payloadDelay]).toEqual([DIST_CODE.fixed, 20, 0]);
    expect(t.killSwitchMinutes).toBe(444);
    expect(t.exfiltrationPerHour).toBe(0);
    expect(t.releaseMinutes).toBe(Infinity);
    expect(t.liveMinutes).toBe(0);
    expect([...t.arrival]).toEqual([DIST_CODE.fixed, Infinity, 0]);
  });

  it('packs an intrusion: its relations and exfiltration; no spread or scanning of its own (its operators act)', () => {
    const intrusion = tinyScenario(twin, {
      threat: {
        kind: 'intrusion',
        entries: [{ select: { ids: ['n0'] } }],
        relations: ['identity', 'data'],
        ...OPERATOR_FIELDS,
        payload: { effect: 'none', delay: { dist: 'fixed', minutes: 0 } },
        exfiltration: { recordsPerHour: 1000 },
      },
    });
    const t = compileThreat(intrusion.threat);
    expect(t.threat).toBe(THREAT_CODE.intrusion);
    expect(t.relationMask).toBe(bit('identity') | bit('data'));
    expect(t.scansZones).toBe(0);
    expect([...t.spread]).toEqual([DIST_CODE.fixed, Infinity, 0]);
    expect(t.spreadMeanMinutes).toBe(Infinity);
    expect(t.payloadEffect).toBe(PAYLOAD_NONE);
    expect(t.killSwitchMinutes).toBe(Infinity);
    expect(t.exfiltrationPerHour).toBe(1000);
  });

  it('packs a faulty update: update edges only, disruption at once, release, pull and arrival', () => {
    const update = tinyUpdate(twin, 'cs', ['n0'], {});
    const t = compileThreat({ ...update.threat, releaseAtMinutes: 15 } as typeof update.threat);
    expect(t.threat).toBe(THREAT_CODE['faulty-update']);
    expect(t.relationMask).toBe(bit('update'));
    expect(relationMaskOf(update.threat)).toBe(bit('update'));
    expect(t.scansZones).toBe(0);
    expect([...t.spread]).toEqual([DIST_CODE.fixed, Infinity, 0]);
    expect(t.spreadMeanMinutes).toBe(Infinity);
    expect(t.payloadEffect).toBe(PAYLOAD_DISRUPT);
    expect([...t.payloadDelay]).toEqual([DIST_CODE.fixed, 0, 0]);
    expect(t.releaseMinutes).toBe(15);
    expect(t.liveMinutes).toBe(78);
    expect([...t.arrival]).toEqual([DIST_CODE.fixed, 5, 0]);
  });
});
