import { forEachMemberEdge, type ExpandedTwin } from '../model/expand.js';
import type { Controls } from '../model/regime.js';
import type { Twin } from '../model/twin.js';
import { NODE_KINDS, RELATIONS, type Relation } from '../model/vocabulary.js';
import { CREDENTIAL, credentialClass } from './credentials.js';
import { edgeRepeats } from './edge-keys.js';
import { ALLOWLIST_PASS, LEAST_PRIVILEGE_EASE, MFA_EASE, RELATION_EASE } from './ease.js';
import { indexById } from './members.js';
import { CONTROL, needsExploit, type CompiledModel } from './model.js';
import { shared, sharedFrom } from './shared.js';

export type EdgeArrays = Pick<
  CompiledModel,
  'offsets' | 'targets' | 'edgeGroup' | 'edgeGroupCount' | 'edgeClass' | 'classRelation' | 'classEase' | 'classTag' | 'groupPass' | 'groupControl'
>;

/** A group's relation before any of its member edges is seen. */
const NONE = 255;

/** Identity and management edges carry a credential: no exploit needed, MFA and least privilege apply. */
export function carriesCredential(relation: Relation): boolean {
  return relation === 'identity' || relation === 'management';
}

/**
 * The explicit member edges in CSR form by source (in expansion order within a source), each with its
 * relation, ease and static controls. A credential edge moves with its relation's ease and gets through
 * with probability 0.2 under least privilege, 0.1 under MFA and 0.02 under both (the regime's — everywhere,
 * or on vendor credentials only when scoped `vendor` — or the target entry's own controls); a management
 * edge out of an on-premises gateway that allow-lists (the regime's `gatewayAllowlist`, or the gateway
 * entry's own `application-allowlist`) gets through with probability 0.1 more. The control named is the
 * last applied. Any other edge needs an exploitable
 * target, its ease the relation's times the target's exploit ease — except an update, which needs none.
 * `edgeGroup` is the edge entry and direction (entry × 2 + reverse) a member edge comes from; pass and control
 * are kept by group (`groupPass`, `groupControl`). Relation and ease are functions of the group too; an edge
 * holds its class (`edgeClass`: a byte into `classRelation`, `classEase`, `classTag`; two or four bytes in a
 * model of more classes), read in the propagation loop without a random access per edge.
 */
export function compileEdges(twin: Twin, expanded: ExpandedTwin, exploitEase: Float32Array, controls: Pick<Controls, 'mfa' | 'leastPrivilege' | 'gatewayAllowlist'>): EdgeArrays {
  const n = expanded.nodeCount;
  const m = expanded.edgeCount;
  const { entryOf } = expanded;
  const offsets = shared(Int32Array, n + 1);
  forEachMemberEdge(expanded, (source) => {
    offsets[source + 1]!++;
  });
  for (let i = 0; i < n; i++) offsets[i + 1]! += offsets[i]!;
  const cursor = offsets.slice(0, n);
  const targets = shared(Int32Array, m);
  const edgeGroup = shared(Int32Array, m);
  // Relation, ease, pass and control are functions of the group (the entries at either end, the relation,
  // the regime; a target's exploit ease is its entry's, compileVulnerabilities): every edge of a group
  // writes the same values.
  const groups = twin.edges.length * 2;
  const groupRelation = new Uint8Array(groups).fill(NONE);
  const groupEase = new Float32Array(groups);
  const groupPass = shared(Float32Array, groups).fill(1);
  const groupControl = shared(Int8Array, groups).fill(-1);
  const entryIndex = indexById(twin.nodes);
  const edgeFromEntry = twin.edges.map((e) => entryIndex.get(e.from)!);
  const nodeMfa = twin.nodes.map((node) => node.controls.includes('mfa'));
  const nodeLeastPrivilege = twin.nodes.map((node) => node.controls.includes('least-privilege'));
  const allowlists = twin.nodes.map((node) => node.kind === 'on-prem-gateway' && (controls.gatewayAllowlist === true || node.controls.includes('application-allowlist')));
  const kindOf = twin.nodes.map((node) => NODE_KINDS.indexOf(node.kind));
  const holds = (scope: boolean | 'vendor' | undefined, vendor: boolean): boolean => scope === true || (scope === 'vendor' && vendor);
  forEachMemberEdge(expanded, (source, target, r, entry) => {
    const slot = cursor[source]!++;
    const name = RELATIONS[r]!;
    targets[slot] = target;
    const group = entry * 2 + (entryOf[source] === edgeFromEntry[entry] ? 0 : 1);
    edgeGroup[slot] = group;
    const ease = Math.fround(RELATION_EASE[name] * (needsExploit(r) ? exploitEase[target]! : 1));
    if (groupRelation[group] === NONE) {
      groupRelation[group] = r;
      groupEase[group] = ease;
    } else if (groupEase[group] !== ease) throw new Error(`compileEdges: the targets of edge group ${group} differ in exploit ease`);
    if (carriesCredential(name)) {
      const e = entryOf[target]!;
      const from = entryOf[source]!;
      const vendor = credentialClass(r, kindOf[from]!, kindOf[e]!) === CREDENTIAL.vendor;
      // Rounded to single precision at each step, as the per-edge Float32Array held it before (same bits).
      let pass = 1;
      let control = -1;
      if (holds(controls.leastPrivilege, vendor) || nodeLeastPrivilege[e]) {
        pass = Math.fround(LEAST_PRIVILEGE_EASE);
        control = CONTROL.leastPrivilege;
      }
      if (holds(controls.mfa, vendor) || nodeMfa[e]) {
        pass = Math.fround(pass * MFA_EASE);
        control = CONTROL.mfa;
      }
      if (name === 'management' && allowlists[from]) {
        pass = Math.fround(pass * ALLOWLIST_PASS);
        control = CONTROL.gatewayAllowlist;
      }
      groupPass[group] = pass;
      groupControl[group] = control;
    }
  });
  const repeats = edgeRepeats(offsets, targets, edgeGroup, groupRelation);
  return { offsets, targets, edgeGroup, edgeGroupCount: groups, ...edgeClasses(edgeGroup, groupRelation, groupEase, repeats), groupPass, groupControl };
}

/**
 * The distinct (relation, ease, repeat) triples of the edges, numbered in group order (then in order of
 * the first repeat), and each edge's: a byte per edge where 256 classes suffice (every seed twin has fewer
 * than 20), else two, or four past 65,536 (a twin of that many repeated edges). An edge's repeat
 * (edge-keys.ts) is almost always 0, so its class is almost always its group's.
 */
function edgeClasses(edgeGroup: Int32Array, groupRelation: Uint8Array, groupEase: Float32Array, repeats: Map<number, number>): Pick<CompiledModel, 'edgeClass' | 'classRelation' | 'classEase' | 'classTag'> {
  const number = new Map<string, number>();
  const relations: number[] = [];
  const eases: number[] = [];
  const tags: number[] = [];
  const classFor = (relation: number, ease: number, repeat: number): number => {
    const key = `${relation} ${ease} ${repeat}`;
    let c = number.get(key);
    if (c === undefined) {
      number.set(key, (c = relations.length));
      relations.push(relation);
      eases.push(ease);
      tags.push(relation + 8 * repeat);
    }
    return c;
  };
  const classOf = Int32Array.from(groupRelation, (relation, g) => (relation === NONE ? -1 : classFor(relation, groupEase[g]!, 0)));
  const ofRepeat = new Map([...repeats].map(([k, repeat]) => [k, classFor(groupRelation[edgeGroup[k]!]!, groupEase[edgeGroup[k]!]!, repeat)]));
  const count = relations.length;
  const edgeClass = count <= 2 ** 8 ? shared(Uint8Array, edgeGroup.length) : count <= 2 ** 16 ? shared(Uint16Array, edgeGroup.length) : shared(Uint32Array, edgeGroup.length);
  for (let k = 0; k < edgeGroup.length; k++) edgeClass[k] = classOf[edgeGroup[k]!]!;
  for (const [k, c] of ofRepeat) edgeClass[k] = c;
  return { edgeClass, classRelation: sharedFrom(Uint8Array, relations), classEase: sharedFrom(Float32Array, eases), classTag: sharedFrom(Int32Array, tags) };
}
