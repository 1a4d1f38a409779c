import { describe, expect, it } from 'vitest';
import { decisionDetail, describeDecision, describeDetail, formatDecision, parseDecision, parseDecisions, targetOf } from '../../../engine/batch/decisions.js';
import { INTERVENTION_ACTIONS, type Intervention } from '../../../engine/kernel/interventions.js';

const ZONES = ['trust/ed', 'trust/lab'];
const CONTEXT = { twin: 'acute-trust', zones: ZONES };
const ONE_OF_EACH = ['isolate-zone:trust/lab@100', 'reconnect-zone:trust/ed@2.5', 'disconnect-kinds:imaging-modality+lab-analyser@5', 'reconnect-kinds:infusion-pump@6', 'revoke-identities@7', 'restore-identities@8', 'halt-update@30', 'resume-update@31', 'segment@0', 'unsegment@9', 'add-staff:3@1440'];

describe('the room’s decisions as written (strata trace --decide, /api/trace?decide=, the dashboard’s what-ifs)', () => {
  it('reads one of each of the kernel’s actions and writes each back as it was given (kinds in the vocabulary’s order)', () => {
    expect(new Set(ONE_OF_EACH.map((t) => t.split(/[:@]/)[0]))).toEqual(new Set(INTERVENTION_ACTIONS));
    for (const text of ONE_OF_EACH) {
      const decision = parseDecision(text, CONTEXT) as Intervention;
      expect(typeof decision).toBe('object');
      expect(formatDecision(decision, ZONES)).toBe(text);
    }
  });

  it('names each decision in the trace’s words and the page’s', () => {
    const lab = parseDecision('disconnect-kinds:lab-analyser+imaging-modality@5', CONTEXT) as Intervention;
    expect(decisionDetail(lab.action, lab.argument!, ZONES)).toBe('disconnect-kinds imaging-modality, lab-analyser');
    expect(describeDecision(lab.action, lab.argument!, ZONES)).toBe('every imaging modality, lab analyser disconnected');
    expect(describeDecision('isolate-zone', 1, ZONES)).toBe('zone trust/lab isolated');
    expect(describeDecision('add-staff', 3, ZONES)).toBe('3 more staff on each recovery queue');
    expect(decisionDetail('halt-update', 0, ZONES)).toBe('halt-update');
    expect(targetOf('segment')).toBeNull();
  });

  it('gives one line per bad decision, naming it after the caller’s prefix', () => {
    const { decisions, problems } = parseDecisions(['halt-update@1', 'isolate-zone:nowhere@1', 'segment'], CONTEXT, 'decide ');
    expect(decisions).toEqual([{ atMinutes: 1, action: 'halt-update' }]);
    expect(problems).toEqual(['decide "isolate-zone:nowhere@1": expected a zone of twin acute-trust (trust/ed, trust/lab), got "nowhere"', 'decide "segment": expected ACTION[:TARGET]@MINUTES (e.g. isolate-zone:trust/lab@100, halt-update@30)']);
  });
});

describe('sameDecisions', () => {
  it('takes the same decisions in another order as the same runs only where no two fall at one minute', async () => {
    const { sameDecisions } = await import('../../../engine/batch/decisions.js');
    expect(sameDecisions(['halt-update@30', 'add-staff:5@1440'], ['halt-update@30', 'add-staff:5@1440'])).toBe(true);
    expect(sameDecisions(['halt-update@30', 'add-staff:5@1440'], ['add-staff:5@1440', 'halt-update@30'])).toBe(true);
    // At one minute the order given is the order taken: not the same runs.
    expect(sameDecisions(['segment@60', 'isolate-zone:trust/lab@60'], ['isolate-zone:trust/lab@60', 'segment@60'])).toBe(false);
    expect(sameDecisions(['segment@100', 'isolate-zone:trust/lab@1e2'], ['isolate-zone:trust/lab@1e2', 'segment@100'])).toBe(false);
    // Different decisions, or more of them, are never the same.
    expect(sameDecisions(['halt-update@30'], ['halt-update@31'])).toBe(false);
    expect(sameDecisions(['halt-update@30'], ['halt-update@30', 'halt-update@30'])).toBe(false);
    expect(sameDecisions([], [])).toBe(true);
  });
});

describe('a traced decision in words', () => {
  it("says each action's traced detail as the banner says the decision, and leaves what it does not know as it is", () => {
    const zones = ['trust/lab', 'trust/server'];
    for (const action of INTERVENTION_ACTIONS) {
      const argument = targetOf(action) === 'zone' ? 1 : targetOf(action) === 'kinds' ? 0b101 : targetOf(action) === 'staff' ? 3 : 0;
      expect(describeDetail(decisionDetail(action, argument, zones), zones), action).toBe(describeDecision(action, argument, zones));
    }
    expect(describeDetail('isolate-zone trust/nowhere', zones)).toBe('isolate-zone trust/nowhere');
    expect(describeDetail('disconnect-kinds toaster', zones)).toBe('disconnect-kinds toaster');
    expect(describeDetail('lab-analyser disconnected', zones)).toBe('lab-analyser disconnected');
  });
});
