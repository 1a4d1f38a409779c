import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import type * as WorkerModule from '../../server/trace-worker.js';

/**
 * The server's model thread's tasks, called in this thread: its models come through the CLI's compiled-model
 * cache, and its traces and layouts are the bytes the server sends.
 */
type Worker = typeof WorkerModule;

/** The module afresh (its own kept models empty), with the compiled-model cache on in a directory of its own. */
async function freshWorker(directory: string): Promise<Worker> {
  onTestFinished(() => rmSync(directory, { recursive: true, force: true }));
  vi.resetModules();
  const saved = { STRATA_CACHE: process.env.STRATA_CACHE, STRATA_CACHE_DIR: process.env.STRATA_CACHE_DIR, STRATA_CACHE_MIN_MS: process.env.STRATA_CACHE_MIN_MS };
  // The suite runs with the cache off (vitest.config.ts); a ward compiles in milliseconds, so every model is kept.
  Object.assign(process.env, { STRATA_CACHE: 'on', STRATA_CACHE_DIR: directory, STRATA_CACHE_MIN_MS: '0' });
  onTestFinished(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  return import('../../server/trace-worker.js');
}

describe('the model thread (server/trace-worker.ts)', () => {
  it('prepares models through the compiled-model cache: written the first time, read the next', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'strata-thread-cache-'));
    const task = { scenario: 'wannacry-down', twin: 'ward', regime: 'baseline', withTwin: true };
    const first = await (await freshWorker(directory)).model(task);
    if ('inputError' in first) throw new Error(first.inputError);
    expect(first.cache).toBe('stored');
    expect(readdirSync(directory).some((f) => f.endsWith('.arrays'))).toBe(true);
    // Another server (a fresh module): the same model, read.
    const second = await (await freshWorker(directory)).model(task);
    if ('inputError' in second) throw new Error(second.inputError);
    expect(second.cache).toBe('hit');
    expect(second.hashes).toEqual(first.hashes);
    expect(second.twinJson).toBe(first.twinJson);
    expect(second.compiled.model.nodeCount).toBe(first.compiled.model.nodeCount);
    expect(Array.from(second.compiled.model.targets)).toEqual(Array.from(first.compiled.model.targets));
    // A problem in the inputs is said, not thrown.
    expect(await (await freshWorker(directory)).model({ ...task, twin: 'no-such-twin' })).toMatchObject({ inputError: expect.stringMatching(/no-such-twin/) });
  });

  it('keeps a trace as the bytes sent: its JSON, and that gzipped when asked', async () => {
    const worker = await freshWorker(mkdtempSync(join(tmpdir(), 'strata-thread-cache-')));
    const task = { scenario: 'wannacry-down', twin: 'ward', regime: 'baseline', seed: 1, run: 2, version: 'v-test', gzip: false };
    const plain = await worker.default(task);
    const zipped = await worker.default({ ...task, gzip: true });
    if ('inputError' in plain || 'inputError' in zipped) throw new Error('an input problem');
    expect([plain.gzip, zipped.gzip]).toEqual([false, true]);
    expect(Buffer.from(gunzipSync(zipped.body))).toEqual(Buffer.from(plain.body));
    expect(JSON.parse(Buffer.from(plain.body).toString('utf8'))).toMatchObject({ schema: 'strata.trace/v1', seed: 1, run: 2, version: 'v-test', inputs: expect.any(Object) });
    // Asked again: the same bytes, not traced again.
    expect((await worker.default(task) as { body: Uint8Array }).body).toBe(plain.body);
    expect(await worker.default({ ...task, decide: ['isolate-zone:nowhere@10'] })).toMatchObject({ inputError: expect.stringMatching(/^decide /) });
  });
});
