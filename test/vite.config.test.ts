import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createLogger } from 'vite';
import { describe, expect, it } from 'vitest';

/** The dashboard's build (vite.config.ts), as `strata serve` runs it on first start: quiet unless something is wrong. */
describe('vite.config.ts', () => {
  it('builds the dashboard with no warnings (zod annotations Rollup drops are not shown, anything else is)', async () => {
    const { build } = await import('vite');
    const outDir = mkdtempSync(join(tmpdir(), 'strata-viz-'));
    const said: string[] = [];
    const logger = createLogger('warn');
    logger.warn = (message) => void said.push(message);
    logger.warnOnce = logger.warn;
    logger.error = (message) => void said.push(message);
    try {
      await build({ configFile: resolve('vite.config.ts'), root: resolve('viz'), logLevel: 'warn', customLogger: logger, build: { outDir, emptyOutDir: true } });
      expect(said).toEqual([]);
      expect(readdirSync(outDir)).toContain('index.html');
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  }, 120_000);
});
