import { z } from 'zod';
import { CveId, Delay, Id, PositiveMinutes, Share, Text } from './common.js';
import { RelationList, Selector } from './selector.js';
import { HARM_EFFECTS, HARM_PROFILES, harmKinds, SEVERITIES } from './harm.js';
import { CREDENTIAL_CLASSES, LIMITS, NODE_KINDS, OPERATOR_ACTIONS, PAYLOAD_EFFECTS, RESPONSE_ACTIONS } from './vocabulary.js';

export { CREDENTIAL_CLASSES, OPERATOR_ACTIONS };

/**
 * `strata.scenario/v1`: what starts where, how it travels, and how the estate detects, responds and
 * recovers. Every figure that stands for a real-world one carries its source in a comment beside it in
 * the scenario files (see docs/sources.md).
 */

export const SCENARIO_SCHEMA_ID = 'strata.scenario/v1';

const Minutes = z.number().min(0).max(LIMITS.horizonHours * 60);

export const Entry = z
  .strictObject({
    select: Selector,
    count: z.number().int().min(1).max(1e6).optional().meta({ description: 'How many matching nodes are seeded, drawn per run with replacement (default 1).' }),
    share: Share.optional().meta({ description: 'Instead of count: this share of the matching nodes (at least one) is seeded.' }),
    atMinutes: Minutes.default(0),
    spreadMinutes: Minutes.default(0).meta({ description: 'Entries are spread uniformly over [atMinutes, atMinutes + spreadMinutes].' }),
    optional: z.boolean().default(false).meta({ description: 'A selector that matches no node of the twin is allowed (the entry then seeds nothing).' }),
  })
  .superRefine((e, ctx) => {
    if (e.count !== undefined && e.share !== undefined) ctx.addIssue({ code: 'custom', path: ['share'], message: `expected count or share (a share of the matching nodes instead of a count), got both: count ${e.count}, share ${e.share}` });
  });

export const Payload = z.strictObject({
  effect: z.enum(PAYLOAD_EFFECTS).meta({
    description:
      'disrupt: compromise turns into disruption (ransomware); alter: the device keeps running but its therapy, settings or readings are altered (integrity harm, docs/metrics.md "Patient harm"); none: stealthy.',
  }),
  delay: Delay,
});

/** An intrusion's payload: as a worm's, and how long a push through the management plane takes to land. */
export const IntrusionPayload = Payload.extend({
  arrival: Delay.optional().meta({
    description:
      'Time for the payload pushed through the management plane to reach each device a held credential administers (a device fetching its configuration when it next polls), drawn per device; the push is stopped if the pushing host is taken off the network or the credential revoked before then. Default: at once.',
  }),
});

export const Worm = z.strictObject({
  kind: z.literal('worm'),
  entries: z.array(Entry).min(1),
  exploits: z.array(CveId).min(1).meta({ description: 'CVE ids the worm exploits; nodes carrying one are susceptible.' }),
  relations: RelationList.default(['network']),
  spread: Delay.meta({
    description: "Time to compromise across one edge, or one host of the scanner's own subnet (its zone), for an exploit of baseline exploitability.",
  }),
  routedSpread: Delay.optional().meta({
    description:
      "Time for one scanner to find and take one host in another zone its zone routes to (random-address and routed-range probing), at baseline exploitability; default: `spread`.",
  }),
  payload: Payload,
  killSwitchAtMinutes: Minutes.optional().meta({ description: 'From this time a newly infected host that can see the kill switch stops (running infections keep scanning).' }),
  killSwitchBlindShare: Share.default(0).meta({
    description: 'Share of hosts that cannot see the kill switch (e.g. outbound only through a proxy the worm does not use), drawn per host per run: they are infected as before it.',
  }),
});


const ActionTimes = z.strictObject({
  discover: Delay.meta({ description: "Enumerating a compromised host's neighbourhood: its links and a sample of the hosts its zone reaches." }),
  exploit: Delay.meta({ description: 'Exploiting a service across one link at baseline exploitability (divided by the CVSS exploit ease).' }),
  harvest: Delay.meta({ description: 'Dumping the credentials a compromised host holds.' }),
  move: Delay.meta({ description: 'Signing in along an identity or management link, or as a shared local administrator, with a held credential.' }),
  deploy: Delay.meta({ description: 'Staging and pushing the payload through the management plane.' }),
});

export const Intrusion = z
  .strictObject({
    kind: z.literal('intrusion'),
    entries: z.array(Entry).min(1),
    exploits: z.array(CveId).default([]).meta({ description: 'CVE ids usable to pivot; credential pivots need none.' }),
    relations: RelationList.default(['network', 'identity', 'management', 'data']),
    operators: z.number().int().min(1).max(LIMITS.operators).default(1).meta({ description: 'Hands-on-keyboard operators, each taking one action at a time.' }),
    strategy: z
      .enum(['goal-directed', 'opportunistic'])
      .default('goal-directed')
      .meta({ description: 'goal-directed: moves toward `goals` by a soft-min over estimated time to goal, and stops moving once they are held; opportunistic: breadth-first, every host it finds.' }),
    goals: z.array(Selector).min(1).optional().meta({ description: 'The targets of value: members any of these selectors picks (a goal-directed strategy needs them).' }),
    temperatureMinutes: PositiveMinutes.default(60).meta({ description: 'Soft-min temperature: how far from the fastest estimated route an operator still picks.' }),
    actions: ActionTimes,
    credentials: z
      .strictObject(Object.fromEntries(CREDENTIAL_CLASSES.map((c) => [c, Share])) as Record<(typeof CREDENTIAL_CLASSES)[number], typeof Share>)
      .meta({ description: 'Chance a harvest on a host yields each class of credential it holds.' }),
    alerts: z
      .strictObject({
        chance: z.strictObject(Object.fromEntries(OPERATOR_ACTIONS.map((a) => [a, Share])) as Record<(typeof OPERATOR_ACTIONS)[number], typeof Share>),
        triage: Delay.meta({ description: 'From an alert to the host counting as detected.' }),
      })
      .meta({ description: 'Chance each action raises an alert on a host without EDR (EDR raises it: 1 − (1 − p)^speedup), and the time to triage one.' }),
    payload: IntrusionPayload,
    exfiltration: z
      .strictObject({ recordsPerHour: z.number().min(0).max(1e9) })
      .optional()
      .meta({ description: 'Records an operator copies out of a record holder per hour of exfiltration.' }),
  })
  .refine((t) => t.strategy !== 'goal-directed' || t.goals !== undefined, { path: ['goals'], message: 'a goal-directed intrusion needs goals (a selector of its targets of value)' });

export const FaultyUpdate = z.strictObject({
  kind: z.literal('faulty-update'),
  source: Selector.meta({ description: 'The update service(s) that publish the faulty update.' }),
  affects: Selector.meta({ description: 'Endpoints that break when they receive it (e.g. a sensor version).' }),
  releaseAtMinutes: Minutes.default(0),
  liveMinutes: PositiveMinutes.meta({ description: 'How long the faulty update is downloadable before it is pulled.' }),
  arrival: Delay.meta({ description: 'Time from release (or reconnect) until an endpoint fetches the update.' }),
});

export const Threat = z.discriminatedUnion('kind', [Worm, Intrusion, FaultyUpdate]);

export const Detection = z.strictObject({
  compromised: Delay.optional().meta({ description: 'Time to detect a compromised (not yet disrupted) node.' }),
  disrupted: Delay.meta({ description: 'Time to notice a disrupted node.' }),
  altered: Delay.optional().meta({
    description: "Time for clinicians to notice a device's altered therapy or readings, from the alteration; the device is then taken out of use. Without it, only the other detections find it.",
  }),
});

export const Response = z.strictObject({
  action: z.enum(RESPONSE_ACTIONS),
  delay: Delay.meta({ description: 'From first detection to the action taking effect.' }),
  kinds: z.array(z.enum(NODE_KINDS)).min(1).optional().meta({ description: 'For disconnect-kind: which device kinds.' }),
  scope: z
    .enum(['estate', 'site'])
    .default('site')
    .meta({
      description: "site: each site acts on its own first detection (a zone's isolation on the zone's own); estate: every site acts once the scenario's escalation rule fires (it needs one).",
    }),
  share: Share.default(1).meta({ description: 'estate-wide disconnect-kind: the share of sites that comply (drawn per run, site by site).' }),
  lift: z
    .strictObject({ after: Delay.meta({ description: 'Checks: from the reason being gone until the response is lifted.' }) })
    .optional()
    .meta({
      description:
        'Lift the response once its reason is gone — every detected member it covers (the zone, the site, or the estate) restored — after the checks take `after`. For isolate-zone, disconnect-kind and revoke-identities; a later detection starts it again.',
    }),
});

export const Escalation = z.strictObject({
  afterSites: z.number().int().min(1).max(1e6).meta({ description: 'The national alert goes out once this many sites have detected the incident.' }),
  delay: Delay.meta({ description: 'From the k-th site reporting to the alert; estate-wide responses take their own delays from the alert.' }),
});

export const RecoveryPlan = z.strictObject({
  staff: z.number().int().min(0).max(1e6).meta({ description: 'IT staff working the recovery queue at once (per site when perSite).' }),
  perSite: z.boolean().default(false),
  startDelay: Delay.optional().meta({ description: "From a recovery queue's first detected member until its staff start (once per queue and run); members found before then wait. With startDelayPer: member, from each member's own detection until it may be restored." }),
  startDelayPer: z
    .enum(['queue', 'member'])
    .optional()
    .meta({ description: "queue (default): one start per recovery queue and run (guidance, a workaround, a site's forensics); member: one wait per member from its own detection (a manufacturer's engineer per device)." }),
  autoRestore: Delay.optional().meta({ description: 'Restoration without staff (e.g. remote reboot); also plain SIR recovery.' }),
  teams: z
    .array(
      z.strictObject({
        name: Id,
        select: Selector.meta({ description: "The members this team restores instead of the staff above (a supplier's own systems); a member two teams select is the first's." }),
        staff: z.number().int().min(1).max(1e6).meta({ description: 'Members restored at once.' }),
        startDelay: Delay.meta({ description: "From the team's first detected member until it starts (containment, forensics, clean rebuild environment)." }),
        order: z
          .array(Selector)
          .max(100)
          .default([])
          .meta({ description: 'Rebuild order: members any earlier selector picks first; members no selector picks last, by criticality.' }),
      }),
    )
    .default([])
    .meta({ description: "Recovery teams with their own staff, start delay and order (a supplier rebuilding its platform)." }),
});

/** A scenario's replacement for the default harm rates of some device kinds' path (engine/model/harm.ts). */
export const HarmRates = z.strictObject({
  kinds: z
    .array(z.enum(NODE_KINDS))
    .min(1)
    .superRefine((kinds, ctx) => {
      kinds.forEach((kind, i) => {
        if (HARM_PROFILES[kind] === undefined) ctx.addIssue({ code: 'custom', path: [i], message: `expected a device kind with a harm profile (${harmKinds(NODE_KINDS).join(', ')}), got ${JSON.stringify(kind)}` });
      });
    }),
  effect: z.enum(HARM_EFFECTS),
  perPatientHour: z
    .strictObject(Object.fromEntries(SEVERITIES.map((s) => [s, z.number().min(0).max(1)])) as Record<(typeof SEVERITIES)[number], z.ZodNumber>)
    .meta({ description: 'Expected harm events per attached patient per hour of the effect, for each severity class (all five).' }),
  source: Text.meta({ description: 'Where the figures come from, or "assumption: …".' }),
});

export const Clinical = z.strictObject({
  diversionBelowCapacity: Share.default(0.5).meta({ description: 'A diversion service below this capacity share diverts ambulances.' }),
  downtimeCapacity: Share.default(0).meta({
    description: "Share of a service the estate kept going on paper in this incident (a regime's downtimeCapacity adds to it).",
  }),
  harm: z.array(HarmRates).max(100).default([]).meta({ description: 'Replacements for the default harm rates of device kinds (engine/model/harm.ts); later entries win.' }),
  safetyEventsPerPatientHour: z
    .never({ error: 'expected clinical.harm (harm per device kind and effect, docs/metrics.md "Patient harm"), got the removed field safetyEventsPerPatientHour' })
    .optional(),
});

export const Scenario = z.strictObject({
  schema: z.literal(SCENARIO_SCHEMA_ID),
  name: Id,
  title: Text,
  description: Text.optional(),
  twin: z.string().min(1).meta({ description: 'Default twin: a built-in name or a path relative to this file.' }),
  start: z.iso.datetime().optional().meta({ description: 'Wall-clock time of minute 0, for display.' }),
  horizonHours: z.number().positive().max(LIMITS.horizonHours),
  threat: Threat,
  detection: Detection,
  responses: z.array(Response).default([]),
  escalation: Escalation.optional().meta({ description: 'The rule that turns site reports into an estate-wide alert (the only way an estate-wide response fires).' }),
  recovery: RecoveryPlan,
  clinical: Clinical.default({ diversionBelowCapacity: 0.5, downtimeCapacity: 0, harm: [] }),
}).superRefine((scenario, ctx) => {
  scenario.responses.forEach((response, r) => {
    if (response.scope === 'estate' && scenario.escalation === undefined) {
      ctx.addIssue({ code: 'custom', path: ['responses', r, 'scope'], message: 'expected scope: site (a site acting on its own detection) or an escalation rule (escalation: { afterSites, delay }) for an estate-wide response, got scope: estate without one' });
    }
  });
});

export type Entry = z.infer<typeof Entry>;
export type Escalation = z.infer<typeof Escalation>;
export type Threat = z.infer<typeof Threat>;
export type Scenario = z.infer<typeof Scenario>;
export type ScenarioInput = z.input<typeof Scenario>;
