import type { Intervention } from '../../engine/kernel/interventions.js';
import { NODE_KINDS } from '../../engine/model/vocabulary.js';
import type { TraceDoc } from './playback.js';
import type { WorkerRequest } from './replay-worker.js';

/**
 * The page's side of the replay worker: hand it the run's documents once, then ask for the run's trace with
 * interventions. "What if" interventions live in the URL as `what=isolate-zone:ZONE@MINUTES,disconnect-kinds:KIND@MINUTES`.
 */
export class Replayer {
  #worker = new Worker(new URL('./replay-worker.ts', import.meta.url), { type: 'module' });
  #next = 0;
  #waiting = new Map<number, { resolve: (t: { trace: TraceDoc; ms: number }) => void; reject: (e: Error) => void }>();
  #ready: Promise<void>;

  constructor(inputs: { twin: unknown; scenario: unknown; regime: unknown }) {
    this.#ready = new Promise((resolve, reject) => {
      this.#worker.onmessage = (event: MessageEvent<{ type: string; id?: number; trace?: TraceDoc; ms?: number; message?: string }>) => {
        const m = event.data;
        if (m.type === 'ready') resolve();
        else if (m.type === 'trace') {
          this.#waiting.get(m.id!)?.resolve({ trace: m.trace!, ms: m.ms! });
          this.#waiting.delete(m.id!);
        } else if (m.type === 'error') {
          reject(new Error(m.message));
          for (const w of this.#waiting.values()) w.reject(new Error(m.message));
          this.#waiting.clear();
        }
      };
    });
    this.#post({ type: 'inputs', ...inputs });
  }

  #post(message: WorkerRequest): void {
    this.#worker.postMessage(message);
  }

  async trace(seed: number, run: number, interventions: Intervention[]): Promise<{ trace: TraceDoc; ms: number }> {
    await this.#ready;
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.#post({ type: 'trace', id, seed, run, interventions });
    });
  }

  close(): void {
    this.#worker.terminate();
  }
}

export interface WhatIf {
  action: 'isolate-zone' | 'disconnect-kinds';
  target: string;
  atMinutes: number;
}

export function parseWhatIf(text: string | null): WhatIf[] {
  if (!text) return [];
  return text.split(',').flatMap((part) => {
    const match = /^(isolate-zone|disconnect-kinds):(.+)@(\d+(?:\.\d+)?)$/.exec(part);
    return match ? [{ action: match[1] as WhatIf['action'], target: match[2]!, atMinutes: Number(match[3]) }] : [];
  });
}

export function formatWhatIf(list: WhatIf[]): string {
  return list.map((w) => `${w.action}:${w.target}@${Math.round(w.atMinutes)}`).join(',');
}

/** The kernel's interventions for what-ifs, given the twin's zone ids (in order); unknown targets are dropped. */
export function interventions(list: WhatIf[], zones: string[]): Intervention[] {
  return list.flatMap((w): Intervention[] => {
    if (w.action === 'isolate-zone') {
      const zone = zones.indexOf(w.target);
      return zone < 0 ? [] : [{ atMinutes: w.atMinutes, action: 'isolate-zone', argument: zone }];
    }
    const kind = (NODE_KINDS as readonly string[]).indexOf(w.target);
    return kind < 0 ? [] : [{ atMinutes: w.atMinutes, action: 'disconnect-kinds', argument: 2 ** kind }];
  });
}
