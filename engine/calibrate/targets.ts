import { z } from 'zod';
import { Id, Text } from '../model/common.js';

/**
 * `strata.targets/v1`: what a scenario should reproduce (figures from the public record, with sources) and
 * which uncertain parameters may move to get there (with prior ranges and why).
 */
export const Targets = z.strictObject({
  schema: z.literal('strata.targets/v1'),
  scenario: z.string().min(1),
  twin: z.string().min(1),
  regime: z.string().min(1).default('baseline'),
  draws: z.number().int().min(2).max(10_000).meta({ description: 'Parameter draws from the priors.' }),
  runsPerDraw: z.number().int().min(1).max(10_000),
  accept: z.number().gt(0).max(1).meta({ description: 'Share of draws, closest first, kept as the posterior (ABC rejection).' }),
  rounds: z
    .number()
    .int()
    .min(1)
    .max(20)
    .default(1)
    .meta({ description: 'ABC population Monte Carlo rounds of `draws` each: round 1 draws from the priors, later ones near the last accepted particles (1: plain rejection).' }),
  validationRuns: z.number().int().min(10).max(100_000).default(200),
  estimate: z
    .discriminatedUnion('method', [
      z.strictObject({ method: z.literal('posterior-median') }),
      z.strictObject({
        method: z.literal('refined-best'),
        candidates: z.number().int().min(2).max(1000).meta({ description: 'The closest accepted draws re-simulated.' }),
        runs: z.number().int().min(2).max(10_000).meta({ description: 'Runs per candidate, on a seed of their own (seed + 1).' }),
      }),
    ])
    .default({ method: 'posterior-median' })
    .meta({
      description:
        'The calibrated point: the median of each parameter over the accepted draws, or the accepted draw closest to the targets once the closest candidates are re-simulated with more runs (a sweep with a distance, refined; for parameters that trade off against each other, where the marginal medians need not fit jointly).',
    }),
  parameters: z
    .array(
      z.strictObject({
        path: z.string().regex(/^(scenario|regime|controls)\./, 'expected a path starting scenario., regime. or controls. (twin generator parameters would need a new twin per draw)'),
        prior: z.tuple([z.number(), z.number()]).refine(([lo, hi]) => lo < hi, { error: (issue) => `expected [low, high] with low < high, got ${JSON.stringify(issue.input)}` }),
        why: Text.min(1),
      }),
    )
    .min(1),
  targets: z
    .array(
      z.strictObject({
        metric: z.union([Id, z.array(Id).min(1)]).meta({ description: 'A metric (docs/metrics.md), or a list of metrics summed run by run.' }),
        label: Text.min(1).optional().meta({ description: 'A short name for reports (default: the metric).' }),
        // Every metric counts or times something, never below zero: a record below it is a typo (a trial's -34).
        value: z.number().min(0),
        bound: z
          .enum(['equal', 'at-least'])
          .default('equal')
          .meta({ description: 'at-least: the record is a lower bound ("at least 1,220"): covered when the 95th percentile reaches it.' }),
        source: Text.min(1),
        /** Whether the calibration fits it; otherwise it is only reported. */
        fit: z.boolean().default(true),
      }),
    )
    .min(1),
})
  // A parameter named twice would be drawn twice, the second draw overwriting the first (a trial).
  .refine((t) => new Set(t.parameters.map((p) => p.path)).size === t.parameters.length, {
    path: ['parameters'],
    error: (issue) => {
      const paths = (issue.input as { parameters: { path: string }[] }).parameters.map((p) => p.path);
      const twice = paths.find((p, i) => paths.indexOf(p) !== i);
      return `expected each path once, got ${JSON.stringify(twice)} twice`;
    },
  })
  // Nothing fitted is nothing to calibrate to: every draw's distance would be 0 (a trial's "best distance 0.000").
  .refine((t) => t.targets.some((target) => target.fit), { path: ['targets'], error: 'expected at least one target with fit: true (the others are only reported)' });
export type Targets = z.infer<typeof Targets>;

/** A target's metric as one label: a sum of metrics reads `a + b`. */
export function metricLabel(metric: string | readonly string[]): string {
  return typeof metric === 'string' ? metric : metric.join(' + ');
}
