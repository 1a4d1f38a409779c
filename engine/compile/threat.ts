import type { Threat } from '../model/scenario.js';
import { RELATIONS } from '../model/vocabulary.js';
import { delayMean, packDelay } from './delay.js';
import { PAYLOAD_ALTER, PAYLOAD_DISRUPT, PAYLOAD_NONE, THREAT_CODE, type CompiledModel } from './model.js';

export type ThreatScalars = Pick<
  CompiledModel,
  | 'threat'
  | 'relationMask'
  | 'scansZones'
  | 'spread'
  | 'spreadMeanMinutes'
  | 'routedSpreadMeanMinutes'
  | 'killSwitchBlindShare'
  | 'payloadEffect'
  | 'payloadDelay'
  | 'pushArrival'
  | 'killSwitchMinutes'
  | 'exfiltrationPerHour'
  | 'releaseMinutes'
  | 'liveMinutes'
  | 'arrival'
>;

/** Bit r set for each relation r (an index into RELATIONS) the threat travels along; an update only along `update`. */
export function relationMaskOf(threat: Threat): number {
  return threat.kind === 'faulty-update' ? 1 << RELATIONS.indexOf('update') : threat.relations.reduce((mask, r) => mask | (1 << RELATIONS.indexOf(r)), 0);
}

/**
 * The threat as numbers: its code, the relations it travels, whether it scans zones (a worm travelling the
 * network; an intrusion's operators discover instead, compile/operators.ts), a worm's spread and its mean, its payload
 * (a faulty update disrupts at once), the kill switch, exfiltration, and a faulty update's release,
 * pull and arrival. What a threat does not have is "never" (Infinity) or 0.
 */
export function compileThreat(threat: Threat): ThreatScalars {
  const spread = threat.kind === 'worm' ? threat.spread : undefined;
  return {
    threat: THREAT_CODE[threat.kind],
    relationMask: relationMaskOf(threat),
    scansZones: threat.kind === 'worm' && threat.relations.includes('network') ? 1 : 0,
    spread: packDelay(spread),
    spreadMeanMinutes: spread ? delayMean(spread) : Infinity,
    routedSpreadMeanMinutes: threat.kind === 'worm' ? delayMean(threat.routedSpread ?? threat.spread) : Infinity,
    killSwitchBlindShare: threat.kind === 'worm' ? threat.killSwitchBlindShare : 0,
    payloadEffect: threat.kind === 'faulty-update' || threat.payload.effect === 'disrupt' ? PAYLOAD_DISRUPT : threat.payload.effect === 'alter' ? PAYLOAD_ALTER : PAYLOAD_NONE,
    payloadDelay: packDelay(threat.kind === 'faulty-update' ? { dist: 'fixed', minutes: 0 } : threat.payload.delay),
    pushArrival: packDelay((threat.kind === 'intrusion' ? threat.payload.arrival : undefined) ?? { dist: 'fixed', minutes: 0 }),
    killSwitchMinutes: threat.kind === 'worm' && threat.killSwitchAtMinutes !== undefined ? threat.killSwitchAtMinutes : Infinity,
    exfiltrationPerHour: threat.kind === 'intrusion' ? (threat.exfiltration?.recordsPerHour ?? 0) : 0,
    releaseMinutes: threat.kind === 'faulty-update' ? threat.releaseAtMinutes : Infinity,
    liveMinutes: threat.kind === 'faulty-update' ? threat.liveMinutes : 0,
    arrival: packDelay(threat.kind === 'faulty-update' ? threat.arrival : undefined),
  };
}
