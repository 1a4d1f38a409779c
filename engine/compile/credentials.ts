import { NODE_KINDS, RELATIONS, type NodeKind } from '../model/vocabulary.js';

/** Credential class codes: indices into CREDENTIAL_CLASSES (scenario.ts). */
export const CREDENTIAL = { localAdmin: 0, domain: 1, service: 2, vendor: 3 } as const;

/** Where staff sign in: a harvested account there is a person's domain account, not a service's. */
const SIGN_IN_KINDS: readonly NodeKind[] = ['clinical-workstation', 'radiology-workstation', 'gp-workstation', 'vpn-gateway'];
const IDENTITY = RELATIONS.indexOf('identity');
const MANAGEMENT = RELATIONS.indexOf('management');
const VENDOR_API = NODE_KINDS.indexOf('vendor-api');
const GATEWAY = NODE_KINDS.indexOf('on-prem-gateway');

/**
 * The credential a move along an edge needs, -1 for an edge crossed by exploit. Identity: an account the
 * source holds on the target — a person's domain account where staff sign in, a service account elsewhere.
 * Management: the vendor's credentials on either side of a vendor platform and out of an on-premises gateway
 * (the manufacturer's fleet gateway pushing configuration to its devices), domain administration otherwise
 * (the directory administering its members, and their cached admin logons).
 */
export function credentialClass(relation: number, sourceKind: number, targetKind: number): number {
  if (relation === IDENTITY) return SIGN_IN_KINDS.includes(NODE_KINDS[sourceKind]!) ? CREDENTIAL.domain : CREDENTIAL.service;
  if (relation === MANAGEMENT) return sourceKind === VENDOR_API || targetKind === VENDOR_API || sourceKind === GATEWAY ? CREDENTIAL.vendor : CREDENTIAL.domain;
  return -1;
}
