import type { CompiledModel } from '../compile/model.js';
import { HARM_EFFECTS, SERIOUS, SEVERITIES } from '../model/harm.js';
import { Blocks } from './blocks.js';
import { harmColumn, M, ownerHarmColumn } from './metrics.js';

/**
 * The patients' ledger (docs/metrics.md "Patient harm"): patient-minutes of each harm effect per cell — an
 * (owner, harm kind) pair — integrated exactly between events, and turned into expected harm events by
 * severity at the end of the run (rate × patient-hours; the rates are the compiled, mitigated ones).
 *
 * - *availability*: a member with attached patients is out of use — disrupted (by the payload or the update,
 *   or withdrawn once found altered) until restored; both kernels say when (`down`). Taking a device off the
 *   network is not: a disconnected pump infuses and a disconnected monitor alarms at the bedside (the
 *   services still count it down: its data does not flow);
 * - *integrity*: a member the payload altered runs on, compromised, until it is withdrawn or restored; the
 *   kernel says when (`setIntegrity`).
 *
 * Harm events are expected values, not draws: a run's figure varies with its exposure (which devices, how
 * long), and a paired comparison is not blurred by Poisson noise on top.
 */
export class HarmBook {
  /** Harm kinds (compile/harm.ts HARM_KINDS); a cell is harm owner (CompiledModel.harmOwnerColumn) × kinds + harm kind. */
  readonly kinds: number;
  /** Patients exposed now, and patient-minutes so far, per cell: effect 0 availability, 1 integrity. */
  readonly now: Float64Array;
  readonly minutes: Float64Array;
  readonly last: Float64Array;
  /** Patients ever exposed to altered therapy or readings, per cell. */
  readonly exposed: Float64Array;
  /** Per member: its integrity exposure is running; it was altered (until restored); it ever was. */
  readonly active: Uint8Array;
  readonly altered: Uint8Array;
  readonly everAltered: Uint8Array;

  constructor(readonly m: CompiledModel, blocks = new Blocks()) {
    this.kinds = m.harmRates.length / (HARM_EFFECTS.length * SEVERITIES.length);
    const cells = m.harmOwnerCount * this.kinds;
    this.now = blocks.array(Float64Array, cells * 2);
    this.minutes = blocks.array(Float64Array, cells * 2);
    this.last = blocks.array(Float64Array, cells);
    this.exposed = blocks.array(Float64Array, cells);
    this.active = blocks.array(Uint8Array, m.nodeCount);
    this.altered = blocks.array(Uint8Array, m.nodeCount);
    this.everAltered = blocks.array(Uint8Array, m.nodeCount);
  }

  reset(): void {
    this.now.fill(0);
    this.minutes.fill(0);
    this.last.fill(0);
    this.exposed.fill(0);
    this.active.fill(0);
    this.altered.fill(0);
    this.everAltered.fill(0);
  }

  /** The member's cell, -1 when it harms no one (no patients attached, or a kind without a harm profile). */
  cell(node: number): number {
    const m = this.m;
    const h = m.harmKindOf[m.kind[node]!]!;
    return h < 0 || m.patients[node]! === 0 ? -1 : m.harmOwnerColumn[m.owner[node]!]! * this.kinds + h;
  }

  private touch(cell: number, t: number): void {
    const dt = t - this.last[cell]!;
    if (dt > 0) {
      this.minutes[cell * 2]! += this.now[cell * 2]! * dt;
      this.minutes[cell * 2 + 1]! += this.now[cell * 2 + 1]! * dt;
    }
    this.last[cell] = t;
  }

  /** The member goes out of use (+1) or is back (−1): availability exposure. */
  down(node: number, delta: number, t: number): void {
    const cell = this.cell(node);
    if (cell < 0) return;
    this.touch(cell, t);
    this.now[cell * 2]! += delta * this.m.patients[node]!;
  }

  /** The payload alters the member (its therapy, settings or readings); `setIntegrity` starts the exposure. */
  alter(node: number): void {
    this.altered[node] = 1;
    if (this.everAltered[node] === 0) {
      this.everAltered[node] = 1;
      const cell = this.cell(node);
      if (cell >= 0) this.exposed[cell]! += this.m.patients[node]!;
    }
  }

  /** Starts or stops the member's integrity exposure (a no-op when it is already so). */
  setIntegrity(node: number, on: boolean, t: number): void {
    if ((this.active[node] === 1) === on) return;
    this.active[node] = on ? 1 : 0;
    const cell = this.cell(node);
    if (cell < 0) return;
    this.touch(cell, t);
    this.now[cell * 2 + 1]! += (on ? 1 : -1) * this.m.patients[node]!;
  }

  /** Integrates every cell to the horizon. */
  close(horizon: number): void {
    for (let cell = 0; cell < this.last.length; cell++) this.touch(cell, horizon);
  }

  /**
   * Writes the run's harm figures: events by severity (rate × patient-hours), serious or worse, patients
   * exposed to altered therapy, patient-hours of each effect — in all, per harm kind and per owner.
   */
  write(out: Float64Array): void {
    const m = this.m;
    const rates = m.harmRates;
    const severities = SEVERITIES.length;
    for (let cell = 0; cell < this.last.length; cell++) {
      const owner = Math.floor(cell / this.kinds);
      const h = cell - owner * this.kinds;
      const byKind = harmColumn(m, h, 0);
      const byOwner = ownerHarmColumn(m, owner, 0);
      let events = 0;
      let serious = 0;
      for (let effect = 0; effect < HARM_EFFECTS.length; effect++) {
        const hours = this.minutes[cell * 2 + effect]! / 60;
        if (hours === 0) continue;
        for (let v = 0; v < severities; v++) {
          const e = hours * rates[(h * HARM_EFFECTS.length + effect) * severities + v]!;
          out[M['safety.negligible'] + v]! += e;
          events += e;
          if (v >= SERIOUS) serious += e;
        }
      }
      const down = this.minutes[cell * 2]! / 60;
      const altered = this.minutes[cell * 2 + 1]! / 60;
      // In HARM_FIGURES order: events, serious, exposed, hoursDown, hoursAltered.
      for (const base of [byKind, byOwner]) {
        out[base]! += events;
        out[base + 1]! += serious;
        out[base + 2]! += this.exposed[cell]!;
        out[base + 3]! += down;
        out[base + 4]! += altered;
      }
      out[M.safetyEvents]! += events;
      out[M.safetyEventsSerious]! += serious;
      out[M.patientsExposedAltered]! += this.exposed[cell]!;
      out[M.patientHoursAltered]! += altered;
      out[m.harmTherapy[h] === 1 ? M.patientHoursTherapyInterrupted : M.patientHoursUnmonitored]! += down;
    }
  }
}
