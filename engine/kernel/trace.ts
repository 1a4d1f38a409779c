/**
 * An optional event trace of one run, compact enough for the dashboard to animate a trust: parallel
 * typed arrays, grown by doubling, read back as plain records only at the engine's edge.
 */
export const TRACE_KINDS = ['entry', 'compromise', 'disrupt', 'detect', 'restore', 'blocked', 'isolate-zone', 'revoke-identities', 'halt-update', 'disconnect', 'intervention', 'action', 'alter'] as const;
export type TraceKind = (typeof TRACE_KINDS)[number];
export const T_ENTRY = 0;
export const T_COMPROMISE = 1;
export const T_DISRUPT = 2;
export const T_DETECT = 3;
export const T_RESTORE = 4;
export const T_BLOCKED = 5;
export const T_ISOLATE = 6;
export const T_REVOKE = 7;
export const T_HALT = 8;
export const T_DISCONNECT = 9;
export const T_INTERVENTION = 10;
/**
 * An operator's action completed. In the buffer: node = the host acted from, from = the target (-1 for an action
 * on the host alone), detail = the action code; the trace document (batch/trace.ts) shows the target as the
 * node, reached from the host.
 */
export const T_ACTION = 11;
/** The payload altered a device's therapy, settings or readings (integrity harm). */
export const T_ALTER = 12;

export class TraceBuffer {
  length = 0;
  time = new Float64Array(256);
  kind = new Uint8Array(256);
  node = new Int32Array(256);
  from = new Int32Array(256);
  /** Relation index, -1 when none; or the control code for `blocked`. */
  detail = new Int8Array(256);

  clear(): void {
    this.length = 0;
  }

  push(time: number, kind: number, node: number, from: number, detail: number): void {
    if (this.length === this.time.length) {
      const grow = <T extends Float64Array | Uint8Array | Int32Array | Int8Array>(old: T, next: T): T => (next.set(old), next);
      const capacity = this.length * 2;
      this.time = grow(this.time, new Float64Array(capacity));
      this.kind = grow(this.kind, new Uint8Array(capacity));
      this.node = grow(this.node, new Int32Array(capacity));
      this.from = grow(this.from, new Int32Array(capacity));
      this.detail = grow(this.detail, new Int8Array(capacity));
    }
    const i = this.length++;
    this.time[i] = time;
    this.kind[i] = kind;
    this.node[i] = node;
    this.from[i] = from;
    this.detail[i] = detail;
  }
}
