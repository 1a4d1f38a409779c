import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BatchRunner } from '../../engine/batch/batch.js';
import { canonicalJson, type Store } from '../../store/index.js';
import { serve, type Served } from './serve.js';
import type * as InputsModule from '../../cli/inputs.js';

/**
 * The server prepares no model on its event loop: loading and compiling the inputs of a batch, a fan chart,
 * the browser's documents or a trace takes seconds on the national twin (6.7 s of a blocked loop measured on
 * a batch's start, bench/dashboard/server-loop.ts), so it happens on the server's model thread (server/trace-worker.ts). Here this thread's
 * `loadInputs` and `compileInputs` refuse to run — the thread, a worker, loads its own — so any route that
 * still prepared a model here would fail.
 */
vi.mock('../../cli/inputs.js', async (importOriginal) => {
  const original = await importOriginal<typeof InputsModule>();
  const refuse = (): never => {
    throw new Error('a model was prepared on the event loop');
  };
  // The originals stay reachable for the test's own checks.
  return { ...original, loadInputs: refuse, compileInputs: refuse, originals: { loadInputs: original.loadInputs, compileInputs: original.compileInputs } };
});

const token = 'c'.repeat(48);
let served: Served;
let store: Store;
let base: string;

beforeAll(async () => {
  served = await serve(token, 1, 'strata-serve-loop-');
  ({ store, base } = served);
});

afterAll(() => served.close());

const headers = { 'content-type': 'application/json', 'x-strata-token': token };

describe('strata serve: models are prepared off the event loop', () => {
  it('starts a batch whose model and documents come from the model thread, stored as a batch of the CLI stores them', async () => {
    const { originals } = (await import('../../cli/inputs.js')) as unknown as { originals: Pick<typeof InputsModule, 'loadInputs' | 'compileInputs'> };
    const started = await fetch(`${base}/api/batches`, { method: 'POST', headers, body: JSON.stringify({ scenario: 'medjack-up', twin: 'ward', regime: 'segmented', runs: 1, seed: 5 }) });
    expect(started.status).toBe(202);
    const { job, batch } = await started.json();
    expect(await (await fetch(`${base}/api/jobs/${job}/events?token=${token}`)).text()).toMatch(/event: done/);
    const stored = await store.getBatch(batch);
    const inputs = originals.loadInputs('medjack-up', { twin: 'ward', regime: 'segmented' });
    expect(stored).toMatchObject({ status: 'complete', runs: 1, seed: 5, scenario: 'medjack-up', twin: 'ward', regime: 'segmented', hashes: inputs.hashes });
    expect(canonicalJson(stored.documents.twin)).toBe(canonicalJson(inputs.twin));
    // The same run as the CLI's: the one stored equals one run in this thread of the model compiled here.
    const runner = new BatchRunner({ workers: 0 });
    const here = await runner.run(originals.compileInputs(inputs), { runs: 1, seed: 5 });
    await runner.close();
    expect(Array.from((await store.readRuns(batch)).rows)).toEqual(Array.from(here.rows));
  });

  it('gives a fan chart, the browser\'s documents, a trace and a twin\'s layout, and refuses a twin the scenario cannot run on, from the thread', async () => {
    expect((await fetch(`${base}/api/fan?scenario=crowdstrike-update&twin=ward&runs=4&seed=3`, { headers })).status).toBe(200);
    const documents = await (await fetch(`${base}/api/inputs?scenario=wannacry-down&twin=ward`, { headers })).json();
    expect(documents).toMatchObject({ twin: { name: 'ward' }, scenario: { name: 'wannacry-down' }, inputs: { twinHash: expect.any(String) } });
    expect((await fetch(`${base}/api/trace?scenario=wannacry-down&twin=ward&run=1`)).status).toBe(200);
    // A twin's layout and a node's details: the twin is built on the thread too.
    expect(await (await fetch(`${base}/api/layout?twin=ward`)).json()).toMatchObject({ twin: 'ward', aggregate: false });
    expect(await (await fetch(`${base}/api/entry?twin=ward&id=insulin-pumps`)).json()).toMatchObject({ entry: 'insulin-pumps' });
    expect((await fetch(`${base}/api/entry?twin=ward&id=nothing`)).status).toBe(404);
    for (const path of ['/api/fan?scenario=supplier-ransomware&twin=ward&runs=4', '/api/inputs?scenario=supplier-ransomware&twin=ward']) {
      const refused = await fetch(`${base}${path}`, { headers });
      expect(refused.status).toBe(400);
      expect((await refused.json()).error).toMatch(/threat|recovery|select/);
    }
    const batch = await fetch(`${base}/api/batches`, { method: 'POST', headers, body: JSON.stringify({ scenario: 'supplier-ransomware', twin: 'ward', runs: 2 }) });
    expect(batch.status).toBe(400);
  });
});
