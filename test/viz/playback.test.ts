import { describe, expect, it } from 'vitest';
import { atEnd, clock, disconnections, isolatedZones, memberInWords, offline, parseClock, COMPROMISED, DISRUPTED, endInWords, FLAG_ALTERED, FLAG_DETECTED, HEALTHY, inWords, Playback, RESTORED, serviceInWords, stripLines, vulnerabilityInWords, type TraceDoc } from '../../viz/src/playback.js';

const trace: TraceDoc = {
  schema: 'strata.trace/v1',
  twin: 't',
  scenario: 's',
  regime: 'r',
  seed: 1,
  run: 0,
  horizonMinutes: 1000,
  nodes: [
    { id: 'pacs', layer: 'network', kind: 'pacs', zone: null, site: null },
    { id: 'ws#3', layer: 'physical', kind: 'radiology-workstation', zone: null, site: null },
  ],
  events: [
    { t: 0, kind: 'entry', node: 0, from: null, detail: null, crossing: null },
    { t: 0, kind: 'compromise', node: 0, from: null, detail: null, crossing: null },
    { t: 134, kind: 'compromise', node: 1, from: 0, detail: 'data', crossing: 'down' },
    { t: 140, kind: 'alter', node: 1, from: null, detail: null, crossing: null },
    { t: 200, kind: 'detect', node: 1, from: null, detail: null, crossing: null },
    { t: 200, kind: 'disrupt', node: 1, from: null, detail: null, crossing: null },
    { t: 500, kind: 'restore', node: 1, from: null, detail: null, crossing: null },
  ],
  serviceStepMinutes: 60,
  services: [],
  outcome: {},
};

describe('replaying a trace', () => {
  it('gives each node its state and flags at any time, forward and back', () => {
    const p = new Playback(trace);
    p.seek(100);
    expect([p.state[0], p.state[1]]).toEqual([COMPROMISED, HEALTHY]);
    p.seek(150);
    expect(p.state[1]).toBe(COMPROMISED);
    expect(p.flags[1]! & FLAG_ALTERED).toBeTruthy();
    p.seek(300);
    expect(p.state[1]).toBe(DISRUPTED);
    expect(p.flags[1]! & FLAG_DETECTED).toBeTruthy();
    p.seek(600);
    expect(p.state[1]).toBe(RESTORED);
    expect(p.flags[1]! & FLAG_ALTERED).toBe(0);
    // Back in time: replayed from the start.
    p.seek(150);
    expect([p.state[1], p.flags[1]! & FLAG_DETECTED]).toEqual([COMPROMISED, 0]);
  });

  it('steps to the next event and tells each layer crossing in words', () => {
    const p = new Playback(trace);
    p.seek(0);
    expect(p.nextEventTime()).toBe(134);
    p.seek(134);
    expect(p.crossings).toEqual([2]);
    expect(p.describe(2)).toBe('T+2h14 a PACS (network) → a radiology workstation (devices) via a data flow');
    expect(p.describeIds(2)).toBe('T+2h14 pacs (network) → ws#3 (physical) via a data flow');
    expect(p.counts()[1]).toEqual([0, 1, 0, 0]);
  });

  it('reads which members are off the network from the disconnections so far, the latest winning, at a site or estate-wide', () => {
    const cut = (t: number, detail: string) => ({ t, kind: 'disconnect', node: null, from: null, detail, crossing: null });
    const doc: TraceDoc = { ...trace, events: [cut(10, 'lab-analyser, imaging-modality disconnected at trust'), cut(20, 'pacs disconnected'), cut(30, 'lab-analyser reconnected at trust'), cut(40, 'pacs reconnected at other')] };
    const list = disconnections(doc);
    expect(list.map((d) => [d.t, [...d.kinds], d.site, d.off])).toEqual([
      [10, ['lab-analyser', 'imaging-modality'], 'trust', true],
      [20, ['pacs'], null, true],
      [30, ['lab-analyser'], 'trust', false],
      [40, ['pacs'], 'other', false],
    ]);
    // Members: a lab analyser and a PACS at trust, a lab analyser and a PACS at other, a monitor at trust.
    const kinds = ['lab-analyser', 'pacs', 'lab-analyser', 'pacs', 'patient-monitor'];
    const sites = ['trust', 'trust', 'other', 'other', 'trust'];
    const at = (applied: number) => [...offline(list, applied, (m) => kinds[m]!, (m) => sites[m]!, new Uint8Array(5))];
    expect(at(0)).toEqual([0, 0, 0, 0, 0]);
    expect(at(1)).toEqual([1, 0, 0, 0, 0]);
    expect(at(2)).toEqual([1, 1, 0, 1, 0]);
    expect(at(3)).toEqual([0, 1, 0, 1, 0]);
    expect(at(4)).toEqual([0, 1, 0, 0, 0]);
  });

  it('reads a time as the clock writes it, in days, hours and minutes, or as bare hours', () => {
    expect(parseClock('T+3d 4h00')).toBe(3 * 1440 + 240);
    expect(parseClock(clock(3 * 1440 + 245))).toBe(3 * 1440 + 245);
    expect([parseClock('T+2h14'), parseClock('2h14'), parseClock('2h 14m'), parseClock('134min')]).toEqual([134, 134, 134, 134]);
    expect([parseClock('3d'), parseClock('3d 4h'), parseClock('2 days 3 hours')]).toEqual([4320, 4560, 3060]);
    expect([parseClock('1'), parseClock('76.5'), parseClock('1.5h')]).toEqual([60, 4590, 90]);
    // A bare number after days is neither hours nor minutes for sure; nothing, words and negatives are none.
    expect([parseClock('3d 5'), parseClock(''), parseClock('now'), parseClock('-1'), parseClock('T+')]).toEqual([null, null, null, null, null]);
    // Slips past the clock's own limits, and long input, answered at once (800 spaces took 15 s: a review).
    expect([parseClock('2h90'), parseClock('1d 30h'), parseClock('1d 2h 75m')]).toEqual([null, null, null]);
    expect(parseClock(`${' '.repeat(800)}x`)).toBeNull();
    expect(parseClock(`1${' '.repeat(30)}h`)).toBeNull();
    // Every whole minute the clock writes reads back, to 400 days.
    for (let m = 0; m <= 400 * 1440; m += 7) if (parseClock(clock(m)) !== m) throw new Error(`clock(${m}) = ${clock(m)} read back as ${parseClock(clock(m))}`);
  });

  it('writes the clock as T+hours and minutes, and in days past two days', () => {
    expect(clock(134)).toBe('T+2h14');
    expect(clock(3 * 1440 + 4 * 60)).toBe('T+3d 4h00');
    expect(clock(2 * 1440 + 4 * 60 + 5)).toBe('T+2d 4h05');
  });

  // A trial's WannaCry run ended with every device restored and its services near half: the words said
  // "0 still down at the end" and nothing of the services or the zones still isolated.
  describe('the end of the run in words', () => {
    const service = (id: string, kind: string, unit: string, last: number) => ({ id, kind, unit, demandPerHour: 1, site: null, capacity: [1, 0.2, last] });
    const isolate = (t: number, kind: string, detail: string) => ({ t, kind, node: null, from: null, detail, crossing: null });
    const ended: TraceDoc = {
      ...trace,
      services: [
        service('trust/radiology', 'radiology', 'scans', 0.438),
        service('trust/pathology', 'pathology', 'tests', 0.44),
        service('site-b/pathology', 'pathology', 'tests', 0.95),
        service('trust/emergency', 'emergency', 'attendances', 0.776),
        service('trust/infusion', 'infusion', 'infusions', 0.9),
      ],
      events: [
        isolate(10, 'isolate-zone', 'trust/lab'),
        isolate(20, 'isolate-zone', 'trust/server'),
        isolate(30, 'intervention', 'isolate-zone trust/ward-01'),
        isolate(40, 'isolate-zone', 'trust/lab (lifted)'),
        isolate(50, 'intervention', 'reconnect-zone trust/server'),
        isolate(60, 'intervention', 'halt-update'),
      ],
      outcome: { compromised: 3, disrupted: 3, disruptedAtEnd: 0, 'service.infusion.lost': 1, 'service.radiology.lost': 12 },
    };

    it('tells the zones isolated at any time, by the responses and the room, less those lifted or reconnected (the node panel)', () => {
      expect([...isolatedZones(ended, 25)]).toEqual(['trust/lab', 'trust/server']);
      expect([...isolatedZones(ended, 35)]).toEqual(['trust/lab', 'trust/server', 'trust/ward-01']);
      expect([...isolatedZones(ended, 45)]).toEqual(['trust/server', 'trust/ward-01']);
      expect([...isolatedZones(ended, 55)]).toEqual(['trust/ward-01']);
      expect([...isolatedZones(ended, 5)]).toEqual([]);
    });

    it('names each kind still below 90% at its lowest service, lowest first, and counts the zones still isolated', () => {
      expect(atEnd(ended)).toEqual({
        services: [
          { kind: 'radiology', capacity: 0.438 },
          { kind: 'pathology', capacity: 0.44 },
          { kind: 'emergency', capacity: 0.776 },
        ],
        zonesIsolated: 1,
      });
      expect(endInWords(ended)).toBe('at the end of the run radiology and pathology were at 44% of normal and emergency at 78%, with 1 zone still isolated');
    });

    it('closes the run\'s words with it, and says one unit in the singular', () => {
      const words = inWords(ended);
      expect(words).toMatch(/^In this run 3 systems were compromised and 3 disrupted \(0 still down at the end\);/);
      expect(words).toContain('the services could not provide 12 radiology scans and 1 infusion');
      // Patients as a unit are care not given, not people lost (a trial read "4 diabetes patients were lost" as deaths).
      const diabetes = { ...ended, services: [service('d', 'diabetes', 'patients', 0.95)], outcome: { ...ended.outcome, 'service.diabetes.lost': 4 } };
      expect(inWords(diabetes)).toContain('the services could not provide care for 4 diabetes patients');
      expect(words).toMatch(/; at the end of the run radiology and pathology were at 44% of normal and emergency at 78%, with 1 zone still isolated\.$/);
    });

    it('says nothing of the end when every service is back and no zone is isolated, and the zones alone when only they are', () => {
      expect(endInWords({ ...ended, services: [], events: [] })).toBe('');
      expect(inWords({ ...ended, services: [], events: [] })).not.toContain('at the end of the run');
      expect(endInWords({ ...ended, services: [] })).toBe('at the end of the run 1 zone still isolated, though every service was back above 90% of normal');
    });

    it('names five kinds and counts the rest', () => {
      // Just below 90% is said as 89%, not 90% among services "still below 90%" (a review).
      expect(endInWords({ ...ended, events: [], services: [service('r', 'radiology', 'scans', 0.8996)] })).toBe('at the end of the run radiology was at 89% of normal');
      const many = { ...ended, events: [], services: ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((k, i) => service(k, k, 'units', 0.1 * (i + 1))) };
      expect(endInWords(many)).toBe('at the end of the run a was at 10% of normal, b at 20%, c at 30%, d at 40%, e at 50% and 2 more kinds of service below 90%');
    });
  });
});

describe('the node panel in words', () => {
  it('says a member by its kind and place, a vulnerability by what its source says, a service as the strip does', () => {
    expect(memberInWords({ kind: 'lab-analyser', layer: 'physical', zone: 'trust/lab', site: 'trust' })).toBe('a lab analyser in trust/lab (devices)');
    expect(memberInWords({ kind: 'ehr', layer: 'network', zone: null, site: 'trust' })).toBe('an EHR in trust (network)');
    expect(memberInWords({ kind: 'national-service', layer: 'cloud', zone: null, site: null })).toBe('a national service (cloud)');
    expect(vulnerabilityInWords({ cve: 'CVE-2017-0144', score: 8.1, source: 'NVD CVE-2017-0144 (MS17-010, SMBv1; exploited by WannaCry, May 2017)', share: 1 })).toBe(
      'CVE-2017-0144, CVSS 8.1; source: NVD CVE-2017-0144 (MS17-010, SMBv1; exploited by WannaCry, May 2017)',
    );
    expect(vulnerabilityInWords({ cve: 'CVE-2099-1', score: null, source: 'assumption', share: 0.4 })).toBe('CVE-2099-1, CVSS not scored, in 40% of them; source: assumption');
    const services = [{ id: 'trust/pathology', kind: 'pathology', site: 'trust' }, { id: 'spine', kind: 'national-lookup', site: null }];
    expect(serviceInWords('trust/pathology', services)).toBe('pathology (trust)');
    expect(serviceInWords('spine', services)).toBe('national-lookup');
    // Not in the run's list (it lost no capacity): from its id as the twins write it.
    expect(serviceInWords('acute-001/emergency', services)).toBe('emergency (acute-001)');
    expect(serviceInWords('solo', services)).toBe('solo');
  });
});

describe("the clinical strip's lines", () => {
  it('draws each kind once, at each time the lowest of its sites, with how many lost it; leaves out a kind that never lost 1%', () => {
    const s = (id: string, kind: string, capacity: number[]) => ({ id, kind, site: id.split('/')[0]!, capacity });
    // Site a's pathology falls first (hour 1), site b's furthest (hour 2): the line is both, from hour 1.
    const lines = stripLines([s('a/pathology', 'gp-pathology', [1, 0.5, 0.6, 1]), s('b/pathology', 'gp-pathology', [1, 1, 0, 0.2]), s('c/pathology', 'gp-pathology', [1, 1, 0.9, 1]), s('a/radiology', 'radiology', [1, 0.06, 1, 1]), s('a/infusion', 'infusion', [1, 0.9996, 1, 1])]);
    expect(lines).toEqual([
      { kind: 'gp-pathology', id: 'gp-pathology', site: null, sites: 3, worst: 'b', capacity: [1, 0.5, 0, 0.2] },
      { kind: 'radiology', id: 'a/radiology', site: 'a', sites: 1, worst: 'a', capacity: [1, 0.06, 1, 1] },
    ]);
    // Nothing lost 1%: the small losses are drawn rather than nothing.
    expect(stripLines([s('a/infusion', 'infusion', [1, 0.9996])]).map((l) => l.id)).toEqual(['a/infusion']);
    // At most eight kinds, those that fell furthest.
    const many = Array.from({ length: 10 }, (_, i) => s(`x/k${i}`, `k${i}`, [1, i / 20]));
    expect(stripLines(many).map((l) => l.kind)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7']);
  });
});
