import type { MorrisIndices, ParameterRange } from '../../engine/sensitivity/index.js';
import { isDayCapacity, number, table, timeUnit, unitLabel, type TimeUnit } from '../format.js';
import { outcomeLabel, type OutcomeResult } from './outcomes.js';
import type { FixedParameter, SensitivityParameter } from './parameters.js';

/** Significant digits for the values a design ran with: a methods table copies them (10,080 read 10,100: a trial). */
const EXACT = 8;

/** What an analysis ran: enough to say it in a header and to rerun it. */
export interface AnalysisInfo {
  scenario: string;
  title: string;
  twin: string;
  regime: string;
  seed: number;
  runs: number;
  trajectories: number;
  levels: number;
  candidates: number;
  points: number;
  group: string;
  version: string;
}

export interface Analysis {
  info: AnalysisInfo;
  parameters: SensitivityParameter[];
  fixed: FixedParameter[];
  /** Per design point, in design order: each parameter's value as run, and the parameter moved to reach it (null: a trajectory's start). */
  design: { values: number[][]; moved: (string | null)[] };
  outcomes: OutcomeResult[];
}

/** A parameter's indices for one outcome, most influential first (μ* descending; undefined last). */
export function ranked(parameters: readonly SensitivityParameter[], indices: readonly MorrisIndices[]): { parameter: SensitivityParameter; index: MorrisIndices }[] {
  return parameters.map((parameter, i) => ({ parameter, index: indices[i]! })).sort((a, b) => (Number.isNaN(b.index.muStar) ? -1 : Number.isNaN(a.index.muStar) ? 1 : b.index.muStar - a.index.muStar));
}

/**
 * The parameters that moved the outcome, most influential first; those that moved only whether it happens
 * (μ* = 0 over the runs with it at both points of every step, but runs with it at one point only:
 * `occurrence`); and those that never did: μ* = 0 means every one of its steps left the outcome unchanged,
 * run by run, but for floating-point round-off (ROUND_OFF in engine/sensitivity/elementary-effects.ts).
 */
export function partitioned(parameters: readonly SensitivityParameter[], indices: readonly MorrisIndices[], occurrence?: ArrayLike<number>) {
  const order = ranked(parameters, indices);
  const whether = (r: (typeof order)[number]) => (occurrence?.[parameters.indexOf(r.parameter)] ?? 0) > 0;
  return {
    moved: order.filter((r) => r.index.muStar !== 0),
    whetherOnly: order.filter((r) => r.index.muStar === 0 && whether(r)).map((r) => r.parameter.path),
    none: order.filter((r) => r.index.muStar === 0 && !whether(r)).map((r) => r.parameter.path),
  };
}

/** μ* within twice its Monte Carlo standard error: the runs per point cannot tell it from no effect. */
export function unresolved(index: MorrisIndices): boolean {
  return Number.isFinite(index.standardError) && index.muStar < 2 * index.standardError;
}

export function rangeText(range: ParameterRange): string {
  const notes = [range.scale === 'log' ? 'log' : '', range.integer ? 'whole' : ''].filter(Boolean).join(', ');
  return `${number(range.low, EXACT)} – ${number(range.high, EXACT)}${notes ? ` (${notes})` : ''}`;
}

export function analysisHeader(info: AnalysisInfo): string {
  const candidates = info.candidates > info.trajectories ? ` (the most spread of ${info.candidates})` : '';
  return `${info.title}\ntwin ${info.twin} · regime ${info.regime} · Morris: ${info.trajectories} trajectories${candidates}, ${info.levels} levels, ${info.points} points × ${info.runs} runs · seed ${info.seed} · group ${info.group}`;
}

export function analysisTable(analysis: Analysis): string {
  const { info, parameters, fixed, outcomes } = analysis;
  const out = [analysisHeader(info), ''];
  out.push(table(['parameter', 'as run', 'range', 'range from'], parameters.map((p) => [p.path, number(p.baseline, EXACT), rangeText(p.range), p.rangeSource])));
  if (fixed.length > 0) out.push('', 'Marked uncertain but left fixed:', ...fixed.map((f) => `  ${f.path}: ${f.reason}`));
  for (const outcome of outcomes) {
    if (!outcome.ranked) continue;
    const defined = outcome.pointMeans.filter(Number.isFinite);
    const unit = outcomeUnit(outcome);
    const factor = unit ? 1 / unit.divisor : 1;
    out.push('', `${unitLabel(outcomeLabel(outcome.metric), unit)} — its mean at the design points runs from ${number(Math.min(...defined) * factor)} to ${number(Math.max(...defined) * factor)}`);
    const { moved, whetherOnly, none } = partitioned(parameters, outcome.indices, outcome.occurrence);
    const rows = moved.map(({ parameter, index }) => [
      parameter.path,
      `${number(index.muStar * factor)}${unresolved(index) ? ' ~' : ''}`,
      number(index.mu * factor),
      number(index.sigma * factor),
      number(index.standardError * factor),
      index.effects < info.trajectories ? String(index.effects) : '',
    ]);
    out.push(table(['parameter', 'μ*', 'μ', 'σ', 'se', 'n*'], rows));
    if (whetherOnly.length > 0) out.push(`Only whether it happens, not its value where it happens at both points: ${whetherOnly.join(', ')}`);
    if (none.length > 0) out.push(`No effect in any run: ${none.join(', ')}`);
  }
  const skipped = outcomes.filter((o): o is Extract<OutcomeResult, { ranked: false }> => !o.ranked);
  if (skipped.length > 0) out.push('', 'Not ranked:', ...skipped.map((o) => `  ${unitLabel(outcomeLabel(o.metric), outcomeUnit(o))} (${o.metric}): ${notRanked(o)}`));
  out.push(
    '',
    'μ*: mean absolute elementary effect (Campolongo et al. 2007), the change in the outcome’s mean across the',
    "parameter's whole range were it linear, in the outcome's unit (a time's beside its name): it ranks the parameters. μ: the",
    'mean effect, signed (μ ≈ −μ*: raising the parameter lowers the outcome). σ: how much the effect changes with',
    'the other parameters (interaction or curvature; Morris 1991). se: Monte Carlo standard error of one effect,',
    'from the paired runs; ~ marks μ* under 2 se, not told apart from no effect. n*: effects used, where fewer than',
    'the trajectories (a time undefined at a point, or a whole-number step rounded to nothing).',
  );
  return out.join('\n');
}

/**
 * The unit an outcome's time is shown in (timeUnit), from every figure its table shows — the design points'
 * means, μ*, μ and σ, or the one value of an outcome not ranked — so the table, its "not ranked" line, the
 * tornado and docs/sensitivity.md say one unit for it (the tornado had taken its unit from μ* alone: a review).
 */
export function outcomeUnit(outcome: { metric: string; pointMeans?: ArrayLike<number | null>; indices?: readonly { muStar: number | null; mu: number | null; sigma: number | null }[]; value?: number | null }): TimeUnit | null {
  const points = outcome.pointMeans ? Array.from(outcome.pointMeans) : [];
  const indices = (outcome.indices ?? []).flatMap((i) => [i.muStar, i.mu, i.sigma]);
  return timeUnit(outcome.metric, [...points, ...indices, outcome.value]);
}

function notRanked(outcome: Extract<OutcomeResult, { ranked: false }>): string {
  // A day-N capacity is NaN only past the horizon (docs/metrics.md); anything else missing never happened.
  if (outcome.value === null) return isDayCapacity(outcome.metric) ? 'past the horizon at every design point' : 'never happens at any design point';
  const unit = outcomeUnit(outcome);
  return `the same at every design point: ${number(unit ? outcome.value / unit.divisor : outcome.value)}${unit ? ` ${unit.unit}` : ''}`;
}

/** JSON numbers: NaN and infinities become null. */
const clean = (x: number | null) => (x !== null && Number.isFinite(x) ? x : null);

/** One parameter's indices for one outcome in --json (NaN as null). */
export interface IndexJson {
  path: string;
  muStar: number | null;
  mu: number | null;
  sigma: number | null;
  standardError: number | null;
  effects: number;
  resolved: boolean;
  /** Runs, over its steps, with the outcome at one point of a step only (it happened at one, not the other). */
  occurrenceChanges: number;
}

/** What --json prints: the analysis, parameters and per outcome the indices, most influential first. */
export interface AnalysisJson extends AnalysisInfo {
  method: 'morris';
  parameters: ({ path: string; baseline: number | null; rangeFrom: string; why: string } & ParameterRange)[];
  fixed: FixedParameter[];
  design: Analysis['design'];
  outcomes: ({ metric: string; ranked: true; pointMeans: (number | null)[]; indices: IndexJson[] } | { metric: string; ranked: false; value: number | null; reason: string })[];
}

export function analysisJson(analysis: Analysis): AnalysisJson {
  const { info, parameters, fixed, design, outcomes } = analysis;
  return {
    ...info,
    method: 'morris' as const,
    parameters: parameters.map((p) => ({ path: p.path, baseline: p.baseline, low: p.range.low, high: p.range.high, scale: p.range.scale, integer: p.range.integer, rangeFrom: p.rangeSource, why: p.reason })),
    fixed,
    design,
    outcomes: outcomes.map((o) =>
      o.ranked
        ? {
            metric: o.metric,
            ranked: true as const,
            pointMeans: Array.from(o.pointMeans, clean),
            indices: ranked(parameters, o.indices).map(({ parameter, index }) => ({
              path: parameter.path,
              muStar: clean(index.muStar),
              mu: clean(index.mu),
              sigma: clean(index.sigma),
              standardError: clean(index.standardError),
              effects: index.effects,
              resolved: !unresolved(index),
              occurrenceChanges: o.occurrence[parameters.indexOf(parameter)]!,
            })),
          }
        : { metric: o.metric, ranked: false as const, value: o.value, reason: notRanked(o) },
    ),
  };
}
