import { describe, expect, it } from 'vitest';
import { parseDecisions } from '../../cli/decisions.js';
import { UsageError } from '../../cli/errors.js';
import { NODE_KINDS } from '../../engine/model/vocabulary.js';
import { strata } from './cli.js';

const CONTEXT = { twin: 'acute-trust', zones: ['trust/ed', 'trust/lab'] };

describe('the room’s decisions (strata trace --decide)', () => {
  it('reads every intervention with its target, as the kernel takes it', () => {
    const kinds = (1 << NODE_KINDS.indexOf('lab-analyser')) | (1 << NODE_KINDS.indexOf('imaging-modality'));
    expect(parseDecisions(['isolate-zone:trust/lab@100', 'reconnect-zone:trust/ed@2.5', 'disconnect-kinds:lab-analyser+imaging-modality@5', 'add-staff:3@1440', 'halt-update@30', 'unsegment@0'], CONTEXT)).toEqual([
      { atMinutes: 100, action: 'isolate-zone', argument: 1 },
      { atMinutes: 2.5, action: 'reconnect-zone', argument: 0 },
      { atMinutes: 5, action: 'disconnect-kinds', argument: kinds },
      { atMinutes: 1440, action: 'add-staff', argument: 3 },
      { atMinutes: 30, action: 'halt-update' },
      { atMinutes: 0, action: 'unsegment' },
    ]);
  });

  it('says what is wrong with each bad decision, one line each, as bad input', () => {
    const bad = ['isolate-zone:trust/nope@1', 'frob@1', 'add-staff:0@1', 'halt-update:estate@1', 'isolate-zone:trust/lab', 'disconnect-kinds:pumps@1', 'segment@-5'];
    let error: unknown;
    try {
      parseDecisions(bad, CONTEXT);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    const lines = (error as Error).message.split('\n');
    expect(lines).toHaveLength(bad.length);
    bad.forEach((text, i) => expect(lines[i]!.startsWith(`--decide ${JSON.stringify(text)}: expected `)).toBe(true));
    expect(lines[0]).toContain('expected a zone of twin acute-trust (trust/ed, trust/lab), got "trust/nope"');
  });

  it('replays a run with the room’s decision: the same history before it, the decision traced, then what it changed', () => {
    const args = ['trace', 'medjack-up', '--run', '0'];
    const plain = JSON.parse(strata(args).stdout) as { events: { t: number; kind: string; detail: string | null }[]; outcome: Record<string, number> };
    const decided = JSON.parse(strata([...args, '--decide', 'revoke-identities@60']).stdout) as typeof plain;
    const before = (events: typeof plain.events) => events.filter((e) => e.t < 60);
    expect(before(decided.events)).toEqual(before(plain.events));
    expect(decided.events.find((e) => e.kind === 'intervention')).toMatchObject({ t: 60, detail: 'revoke-identities' });
    expect(decided.outcome['blocked.revocation']).toBeGreaterThan(plain.outcome['blocked.revocation']!);
    expect(strata([...args, '--decide', 'isolate-zone:nowhere@5'])).toMatchObject({ code: 2 });
  });

  it('refuses, against the run it would change, a decision that cannot act: after the end, a kind the twin lacks, an update a worm has not, staff past the limit', () => {
    const { code, stderr } = strata(['trace', 'wannacry-down', '--decide', 'segment@999999', '--decide', 'disconnect-kinds:pacemaker@10', '--decide', 'halt-update@30', '--decide', 'add-staff:2147483648@60', '--decide', 'HALT-UPDATE@5']);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([
      'strata: --decide "segment@999999": expected a minute within the run (0 to 10,080, its horizon; later changes nothing), got 999999',
      expect.stringMatching(/^strata: --decide "disconnect-kinds:pacemaker@10": expected a kind twin acute-trust has \(.*\), got "pacemaker"$/),
      'strata: --decide "halt-update@30": expected a scenario with a faulty update for halt-update (it acts on the update\'s rollout), got a worm',
      'strata: --decide "add-staff:2147483648@60": expected add-staff:N@MINUTES, N a whole number of staff from 1 to 1,000,000, got "2147483648"',
      expect.stringMatching(/^strata: --decide "HALT-UPDATE@5": expected an action of isolate-zone, .*, got "HALT-UPDATE"$/),
    ]);
  });
});
