import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { strataAsync, tempDir } from './cli.js';

/**
 * Ctrl-C at any moment says what happened (cli/interrupt.ts): no moment between start-up and exit falls to
 * Node's default, which exits 130 silently. Here, during preparation — nhs-england uncached takes seconds to
 * build, so a SIGINT at 0.8 s lands before any batch exists.
 */
describe('Ctrl-C before any run began', { timeout: 60_000 }, () => {
  it('exits 130 with one line saying nothing is stored', async () => {
    const db = join(tempDir(), 'early.duckdb');
    const child = strataAsync(['run', 'wannacry-down', '--twin', 'nhs-england', '--no-cache', '--runs', '10', '--db', db]);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    await new Promise((r) => setTimeout(r, 800));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toBe('strata: interrupted before any run began; nothing is stored\n');
  });
});
