import type { TwinBuilder } from './builder.js';
import { RECOVERY } from './catalogue.js';
import type { NationalRefs } from './national.js';
import { DEVICE_LINES, type DeviceLine } from './profiles.js';
import { shuffled, type Random } from './random.js';

/** The vendor-api node of manufacturer `owner`. */
export function vendorApiId(owner: string): string {
  return `vendor-api/${owner}`;
}

/**
 * `count` device manufacturers, each with its cloud (vendor-api): reached over the internet, it manages
 * its devices remotely and ships their firmware. Returns the manufacturers' owner ids.
 */
export function addManufacturers(b: TwinBuilder, national: NationalRefs, count: number): string[] {
  const owners: string[] = [];
  for (let i = 1; i <= count; i++) {
    const owner = b.owner({ id: `manufacturer-${String(i).padStart(2, '0')}`, kind: 'manufacturer', name: `Medical device manufacturer ${i}` });
    const api = b.node({
      id: vendorApiId(owner),
      name: `Manufacturer ${i} device cloud`,
      layer: 'cloud',
      kind: 'vendor-api',
      owner,
      recovery: RECOVERY['vendor-api'],
    });
    b.edge(national.internet, api, 'network', { bidirectional: true });
    owners.push(owner);
  }
  return owners;
}

/**
 * Deals device lines to manufacturers: lines in a seeded order, dealt round-robin, so every manufacturer
 * supplies at least one line whenever there are no more manufacturers than lines.
 */
export function dealLines(manufacturers: readonly string[], random: Random): (line: DeviceLine) => string {
  const order = shuffled(random, DEVICE_LINES);
  const maker = new Map(order.map((line, i) => [line, manufacturers[i % manufacturers.length]!]));
  return (line) => maker.get(line)!;
}
