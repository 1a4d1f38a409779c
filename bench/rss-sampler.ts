import { Worker } from 'node:worker_threads';

/**
 * Samples the process's resident set size from a worker thread every few milliseconds, so the peak is
 * seen even while the main thread is busy in one long synchronous step (which a timer on the main thread
 * would not interrupt). The worker itself adds a few megabytes.
 */
const SAMPLER = `
const { parentPort } = require('node:worker_threads');
let peak = 0;
const sample = () => { peak = Math.max(peak, process.memoryUsage.rss()); };
const timer = setInterval(sample, ${5});
parentPort.on('message', () => { sample(); clearInterval(timer); parentPort.postMessage(peak); });
`;

export interface RssSampler {
  /** Stops sampling; resolves to the peak RSS in bytes. */
  stop(): Promise<number>;
}

export function startRssSampler(): RssSampler {
  const worker = new Worker(SAMPLER, { eval: true });
  return {
    stop: () =>
      new Promise<number>((resolve, reject) => {
        worker.once('message', (peak: number) => {
          void worker.terminate();
          resolve(Math.max(peak, process.memoryUsage.rss()));
        });
        worker.once('error', reject);
        worker.postMessage('stop');
      }),
  };
}
