import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * The kernel, the compile step, the model and the statistics must run in a browser Web Worker (the dashboard
 * replays runs locally): bundling them for the browser must need nothing from Node.
 */
describe('browser-safe engine', () => {
  for (const entry of ['engine/kernel/kernel.ts', 'engine/kernel/reference.ts', 'engine/compile/compile.ts', 'engine/model/index.ts', 'engine/stats/index.ts']) {
    it(`${entry} bundles for the browser without Node built-ins`, async () => {
      const result = await build({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent', metafile: true });
      const inputs = Object.keys(result.metafile.inputs);
      expect(inputs.filter((f) => f.startsWith('node:') || /^(fs|path|os|crypto|worker_threads)$/.test(f))).toEqual([]);
      expect(result.errors).toEqual([]);
    });
  }
});
