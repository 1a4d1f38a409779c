import type { Intervention } from '../../engine/kernel/interventions.js';
import { parseDecisions, type DecisionContext } from '../../engine/batch/decisions.js';
import type { TraceDoc } from './playback.js';
import type { WorkerRequest } from './replay-worker.js';

/**
 * The page's side of the replay worker: hand it the run's documents once, then ask for the run's trace with
 * interventions. "What if" interventions live in the URL as `what=isolate-zone:ZONE@MINUTES,halt-update@MINUTES,…`.
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

/**
 * The what-ifs of the URL: the room's decisions as `strata trace --decide` takes them (engine/batch/decisions.ts),
 * comma-separated. A `+` typed into the address bar reads as a space (URLSearchParams), so in a kinds target
 * spaces join kinds too; anything else is kept as written (and said so if it is refused).
 */
export function parseWhatIf(text: string | null): string[] {
  if (!text) return [];
  return text
    .split(',')
    .map((part) => part.trim())
    .map((part) => (/^(dis|re)connect-kinds:/.test(part) ? part.replace(/ +/g, '+') : part))
    .filter((part) => part !== '');
}

export function formatWhatIf(list: readonly string[]): string {
  return list.join(',');
}

/**
 * The kernel's interventions for what-ifs, checked against the twin and scenario (engine/batch/decisions.ts), and
 * one line per what-if that cannot apply; past `limit` (the server's, so a twin of any size takes the same), the
 * rest are not applied either.
 */
export function interventions(list: readonly string[], context: DecisionContext, limit: number): { decisions: Intervention[]; problems: string[] } {
  const { decisions, problems } = parseDecisions(list.slice(0, limit), context, '');
  if (list.length > limit) problems.push(`${list.length - limit} after the first ${limit}: expected at most ${limit} what-ifs a run, got ${list.length}`);
  return { decisions, problems };
}
