import { z } from 'zod';
import { Delay, Id, Share, Text } from './common.js';
import { OWNER_KINDS } from './vocabulary.js';

/**
 * `strata.regime/v1`: a named set of controls. Controls change the compiled model, never the kernel
 * (DESIGN.md "Controls"). Every field is optional; an absent control is "as the twin is today".
 */

export const REGIME_SCHEMA_ID = 'strata.regime/v1';

const Multiplier = z.number().min(1).max(1000);

/** An access control everywhere (true), nowhere (false), or on the vendors' credentials only. */
const AccessScope = z.union([z.boolean(), z.literal('vendor')]);

export const StagedRollout = z.strictObject({
  waves: z
    .array(Share)
    .min(1)
    .superRefine((w, ctx) => {
      if (!(w.every((x, i) => i === 0 || x > w[i - 1]!) && w[w.length - 1] === 1)) {
        ctx.addIssue({ code: 'custom', message: `expected increasing cumulative shares ending at 1, got [${w.join(', ')}]` });
      }
    })
    .meta({ description: 'Cumulative share of endpoints offered the update by each wave, e.g. [0.01, 0.1, 1].' }),
  waveIntervalMinutes: z.number().positive().max(1e5),
  haltAfterFailures: z.number().int().min(1).max(1e6).meta({ description: 'Halt the rollout once this many endpoints have failed.' }),
  haltDelay: Delay.optional().meta({
    description:
      'From the failure that reaches haltAfterFailures to the halt taking effect (failures reaching the vendor, the decision, the pull); arrivals meanwhile still fail. Default: lognormal, median 20 min, sigma 0.8 (an assumption; engine/compile/rollout.ts).',
  }),
});

export const Controls = z.strictObject({
  patchCoverage: Share.optional().meta({ description: 'Share of vulnerable nodes patched (the vulnerability removed).' }),
  patchSupportedOnly: z.boolean().optional().meta({ description: 'Patches reach only nodes on supported software.' }),
  segmentation: Share.optional().meta({ description: 'Share of non-essential cross-zone network flows closed.' }),
  mfa: AccessScope.optional().meta({ description: "Multi-factor authentication on identity and management links (true), or on the vendors' only (vendor)." }),
  leastPrivilege: AccessScope.optional().meta({
    description: "Service accounts and vendor access reduced to what is needed (true), or only the vendors' credentials (vendor): their platforms' and gateways' management access.",
  }),
  gatewayAllowlist: z.boolean().optional().meta({
    description: "On-premises gateways forward only allow-listed commands and configurations to the devices they manage (as the twin's application-allowlist control on a node).",
  }),
  doseErrorReduction: z.boolean().optional().meta({ description: "Infusion pumps' dose-error reduction limits (smart-pump drug libraries) in use: a clinical mitigation (engine/model/harm.ts)." }),
  independentDoubleCheck: z.boolean().optional().meta({ description: 'A second clinician checks high-alert therapy settings independently: a clinical mitigation (engine/model/harm.ts).' }),
  closedLoopAlarms: z.boolean().optional().meta({ description: 'Alarms that close the loop on therapy (low-glucose suspend, capnography-linked pause, a second alarm path): a clinical mitigation (engine/model/harm.ts).' }),
  edrCoverage: Share.optional().meta({ description: 'Share of eligible nodes running endpoint detection and response.' }),
  edrDetectionSpeedup: Multiplier.optional(),
  stagedRollout: StagedRollout.optional(),
  backupRestoreSpeedup: Multiplier.optional().meta({ description: 'Hands-on recovery is this many times faster.' }),
  downtimeCapacity: Share.optional().meta({ description: 'Share of a service kept on paper downtime procedures.' }),
  extraStaff: z.number().int().min(0).max(1e5).optional(),
  mutualAidSpeedup: Multiplier.optional().meta({
    description: "Mutual-aid agreements in place: services' mutual-aid workarounds are set up and ramp this many times faster.",
  }),
}).superRefine((c, ctx) => {
  // It limits what patchCoverage patches: alone it changes nothing, in silence (a trial's regime ran as baseline).
  if (c.patchSupportedOnly === true && c.patchCoverage === undefined) {
    ctx.addIssue({ code: 'custom', path: ['patchSupportedOnly'], message: 'expected patchCoverage beside it (it limits patching to supported software: alone it changes nothing), got no patchCoverage' });
  }
});

export const Accountability = z.strictObject({
  patching: z.enum(OWNER_KINDS).optional(),
  accessControl: z.enum(OWNER_KINDS).optional(),
  monitoring: z.enum(OWNER_KINDS).optional(),
});

export const Regime = z.strictObject({
  schema: z.literal(REGIME_SCHEMA_ID),
  name: Id,
  title: Text,
  description: Text.optional(),
  controls: Controls,
  accountability: Accountability.optional().meta({ description: 'Who is accountable for each control family.' }),
});

export type Controls = z.infer<typeof Controls>;
export type Regime = z.infer<typeof Regime>;
export type RegimeInput = z.input<typeof Regime>;
