import { seededRandom, shuffled, type Random } from './random.js';

/**
 * Where the endpoint-security vendor's sensor runs (CrowdStrike Falcon, 19 July 2024): the faulty content
 * update broke only "Windows hosts running sensor version 7.11 and above" that were online while it was live
 * (CrowdStrike, Preliminary Post Incident Review, 24 July 2024), so a host breaks only where its organisation
 * bought that vendor's sensor and put it on the host. Every organisation decides for itself: a trust, a GP
 * practice's desktops, a supplier's hosted platform. The twins mark those hosts `sensor-affected`.
 *
 * Which organisations deploy is drawn from named streams of their own (random.ts), never from a stream other
 * parts of a twin consume, so a deployment share changes `sensor-affected` tags and nothing else.
 */

/** How a deploying trust puts the sensor on its hosts; `undefined` where the trust does not deploy it. */
export interface SensorDeployment {
  /** Share of the trust's desktop groups (one a VLAN) on the affected sensor version. */
  hostShare: number;
  /** The trust's own stream: which desktop groups they are. */
  draws: Random;
}

/**
 * Shares used by the nhs-england generator (acute-trust deploys by its own parameter). All three are
 * assumptions: no public source says which NHS organisations ran Falcon in July 2024.
 */
export const SENSOR_DEFAULTS = Object.freeze({
  /**
   * Share of trusts that run the vendor's sensor. Assumption, low confidence, for sensitivity runs (0.02–0.2).
   * Upper bound: CrowdStrike had 17.8% of the worldwide modern endpoint-security market by revenue in 2022
   * (IDC, as reported by ChannelNews, 2023), and the NHS had less reason than the market to buy it: from 2018
   * DHSC offered every NHS organisation Windows Defender ATP free with its central Windows 10 agreement
   * (NHS Digital, "Microsoft deal - background information", April 2018). Lower bound: five NHS trusts
   * declared critical incidents over the outage (PA, as reported by The Independent, 22 July 2024). 0.1 is
   * 24 of the twin's 236 trusts.
   */
  trustShare: 0.1,
  /**
   * Share of a deploying trust's desktop groups on an affected version (its servers all are). Assumption, no
   * public figure: an agent rarely covers every desktop, and hosts pinned below 7.11 escaped; few were, as
   * 7.11 shipped on 28 February 2024 and sensor update policies offer the latest release or the two before
   * it (CrowdStrike PIR). Hosts that were off in the 78 live minutes are the scenario's `arrival` tail.
   */
  hostShare: 0.9,
  /**
   * Share of GP practices whose own desktops run it: 0 by the record. In England the GP impact came through
   * one supplier's hosted platform (EMIS Web; NHS England, 19 July 2024) while TPP SystmOne practices worked
   * as normal (TPP, 19 July 2024): desktops on Falcon would have failed at SystmOne practices too.
   */
  practiceShare: 0,
});

/**
 * Exactly round(share × n) of `ids`, chosen by a seeded shuffle of the stream `stream`: the same seed and
 * share always give the same set, and a higher share a superset of a lower one's.
 */
export function deployingIds(seed: number, stream: string, ids: readonly string[], share: number): Set<string> {
  return new Set(shuffled(seededRandom(seed, stream), ids).slice(0, Math.round(share * ids.length)));
}
