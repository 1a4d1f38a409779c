import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A full collection of this thread's heap, as jest's --logHeapUsage does it: the flag that exposes `gc` is
 * set at run time and the function taken from a new context (Node has no other way without a command-line
 * flag). For the moments a large allocation follows large garbage — a national twin built, then compiled —
 * which V8 would otherwise keep side by side: a model's arrays are shared buffers, not heap pressure.
 */
export function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}
