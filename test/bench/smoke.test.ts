import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { LaunchOptions, Measurements } from '../../bench/harness/launch.js';
import { measure as expandNhsEngland } from '../../bench/model/nhs-england-expand.js';
import { measure as crnPairing } from '../../bench/crn/pairing.js';
import { measure as cliStartup } from '../../bench/cli/startup.js';
import { measure as dashboard } from '../../bench/dashboard/fps.js';
import { measure as serverLoop } from '../../bench/dashboard/server-loop.js';
import { measure as sessionTraces } from '../../bench/dashboard/session-traces.js';
import { measure as tabletopReport } from '../../bench/dashboard/tabletop-report.js';
import { measure as dynamics } from '../../bench/dynamics/outcomes.js';
import { measure as acuteTrust } from '../../bench/scenario/acute-trust.js';
import { measure as nhsEngland } from '../../bench/scenario/nhs-england.js';
import { measure as scaling } from '../../bench/scenario/scaling.js';
import { anchorSources, parseSirRef } from '../../bench/sir/anchor.js';
import { measure as sirEr } from '../../bench/sir/sir-er.js';

/**
 * The benches' quick forms, run in this process so they never rot. Nothing here looks at speed: only that
 * every bench runs and returns the fields the runner and docs/performance.md rely on.
 */
const quick = (args: string[] = []): LaunchOptions => ({ quick: true, launch: 1, args });
const hasAnchor = anchorSources() !== undefined && spawnSync('gcc', ['--version']).status === 0;

function expectFields(m: Measurements, numbers: readonly string[], flags: readonly string[] = []): void {
  for (const key of numbers) {
    expect(typeof m[key], key).toBe('number');
    expect(Number.isFinite(m[key] as number), key).toBe(true);
  }
  for (const key of flags) expect(typeof m[key], key).toBe('boolean');
  // One JSON line: everything must survive a round trip.
  expect(JSON.parse(JSON.stringify(m))).toEqual(m);
}

describe('bench smoke (quick forms)', () => {
  it('parses sir_ref stats lines', () => {
    const line =
      'sir_ref[lazy] n=10000 m=40000 reps=400: median_ms=4.2521 runs/s(median)=235.2 runs/s(mean)=342.3 | total events/s=4.19e+06 mean events/run=12229 pushes/event=1.10 | major 268/400: median_ms=4.3832 median events/s=4.16e+06\n';
    expect(parseSirRef(line)).toMatchObject({ variant: 'lazy', reps: 400, eventsPerSecond: 4.19e6, meanEventsPerRun: 12229, major: 268 });
    expect(() => parseSirRef('garbage')).toThrow(/stats line/);
  });

  it.skipIf(!hasAnchor)('SIR equivalence: Strata beside the C anchor', async () => {
    const m = await sirEr(quick());
    expectFields(
      m,
      ['strataEventsPerSecond', 'cLazyEventsPerSecond', 'cIndexedEventsPerSecond', 'ratioVsCLazy', 'ratioVsCIndexed', 'jsLazyVsCLazy', 'jsIndexedVsCLazy', 'compileMs', 'validateMs', 'zMeanSize', 'zMajorShare', 'zMeanMajorSize', 'unfinishedRuns', 'gcPerThousandRuns'],
      ['agreementPass', 'cVariantsAgree', 'targetVsCLazyMet', 'floorVsCLazyMet'],
    );
    expect(m.unfinishedRuns).toBe(0);
    expect(m.cVariantsAgree).toBe(true);
    // The general path simulates the same outbreaks as the fast path: the same draws, another queue.
    expect(m.generalRunsDiffering).toBe(0);
    expect(typeof m.generalVsCLazy).toBe('number');
    // The bare loop (bench/prototypes/sir-bare.ts) draws what the general path draws: the same outbreaks.
    expect(m.bareRunsDiffering).toBe(0);
    expect(typeof m.generalVsBare).toBe('number');
    // sir_ref.c as WebAssembly: measured, simulating the native build's outbreaks, or absent with its reason.
    if (m.whyNoWasm === null) {
      expectFields(m, ['wasmLazyVsCLazy', 'wasmIndexedVsCLazy', 'wasmLazyVsJsLazy', 'wasmIndexedVsJsIndexed'], ['wasmAgrees']);
      expect(m.wasmAgrees).toBe(true);
    } else {
      expect(m.whyNoWasm).toMatch(/clang|wasi-libc/);
      expect(m.wasmLazyVsCLazy).toBeNull();
    }
  });

  it('acute-trust scenario: one thread, 1 and 2 workers, collections', async () => {
    const m = await acuteTrust(quick(['--scenario', 'crowdstrike-update']));
    expect(m.scenario).toBe('crowdstrike-update');
    expectFields(m, ['kernelEventsPerSecond', 'runsPerSecondThread', 'runsPerSecond1Worker', 'runsPerSecond2Workers', 'speedup2v1', 'gcPerThousandRuns', 'msPerRunP50', 'compileMs']);
  });

  it('scaling with the twin (two sizes in quick form): ms per run, ns per event, the exponents', async () => {
    const m = await scaling(quick(['--scenario', 'wannacry-down']));
    expectFields(m, ['msPerRun.200', 'nsPerEvent.780', 'resetMs.780', 'kTimePerRun', 'kEventsPerRun', 'kTimePerEvent']);
  });

  it('nhs-england (a small estate in quick form): compile, reset, runs, memory per worker', async () => {
    expectFields(await nhsEngland(quick()), ['compileMs', 'peakCompileRssMB', 'resetMs', 'msPerRunMedian', 'memoryPerWorkerMB', 'runsPerSecond2Workers']);
  });

  it('crn-pairing: paired/unpaired ratios of four comparisons (writes bench/results/crn-pairing.quick.json)', async () => {
    const m = await crnPairing(quick());
    expectFields(m, ['runs', 'varying.wannacry-down.charter', 'atMostHalf.medjack-up.least-privilege', 'identicallyZero.crowdstrike-update.staged-rollout']);
  });

  it('dynamics: medjack-up, wannacry-down and vendor-cloud-down figures on 20 runs (writes bench/results/dynamics.quick.json)', async () => {
    expectFields(await dynamics(quick()), ['medianCompromisedMedjack', 'cvCompromisedWannacry']);
  });

  it('dashboard: the ward animating and acute-trust frames in chromium (the national twin only in the full bench)', async () => {
    const m = await dashboard(quick());
    expectFields(m, ['wardAnimatingMs', 'acuteTrustFps', 'acuteTrustDrawMsP50', 'acuteTrustDrawMsP95']);
    expect(m.nhsEnglandAggregated).toBeNull();
  }, 120_000);

  it('server loop: a batch started from the page on the ward, the event loop watched', async () => {
    expectFields(await serverLoop(quick()), ['startMs', 'maxLoopDelayMs']);
  }, 60_000);

  it('session traces: every screen asking a decision\'s trace at once', async () => {
    const m = await sessionTraces(quick());
    expectFields(m, ['firstMs', 'lastMs', 'bytesPerScreen', 'jsonBytes', 'maxLoopDelayMs']);
    // Gzipped as sent.
    expect(m.bytesPerScreen as number).toBeLessThan(m.jsonBytes as number);
  }, 60_000);

  it('tabletop report: asked at once, after playing on, for other decisions, and back', async () => {
    const m = await tabletopReport(quick());
    expectFields(m, ['atOnceMs', 'afterPlayingMs', 'otherAtOnceMs', 'backMs']);
    // What the server says of each: the work the figures stand for.
    // After playing on: done, or still being prepared on its one worker and waited for; never computed on the asking.
    expect([m.atOnceHow, m.otherAtOnceHow, m.backHow]).toEqual(['computed', 'computed', 'prepared']);
    expect(['prepared', 'waited']).toContain(m.afterPlayingHow);
  }, 60_000);

  it('cli startup: --help and a one-run batch, wall clock', async () => {
    expectFields(await cliStartup(quick()), ['helpMs', 'runOneMs']);
  }, 60_000);

  it('nhs-england expansion', async () => {
    expectFields(await expandNhsEngland(quick()), ['generateMs', 'validateMs', 'expandMs', 'peakRssMB', 'nodeCount']);
  });
});
