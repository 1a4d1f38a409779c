import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../store/index.js';
import { batchInfo } from '../store/fixtures/batch.js';
import { strata, tempDir } from './cli.js';

describe('results: a batch whose writer died', () => {
  it('is shown as interrupted, not running, since no other process can hold the database it opened', async () => {
    const db = join(tempDir(), 'r.duckdb');
    const store = await Store.open(db);
    // A batch begun and never finished: what a killed `strata run` leaves behind.
    const id = await store.beginBatch(batchInfo(10, 2));
    expect((await store.getBatch(id)).status).toBe('running');
    await store.close();

    const list = strata(['results', 'list', '--json', '--db', db]);
    expect(list.code, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as { id: string; status: string }[]).find((b) => b.id === id)?.status).toBe('interrupted');
    const table = strata(['results', 'list', '--db', db]);
    expect(table.stdout).toMatch(new RegExp(`${id}.*interrupted`));
    const show = strata(['results', 'show', id, '--db', db]);
    expect(show.stdout).toMatch(new RegExp(`batch ${id} · run .*· interrupted\\n`));
    expect(show.stdout).toMatch(/no summary: the batch is interrupted; finish it with strata run --resume/);
  });
});

describe('results list: filters', () => {
  it('keeps the batches that match every filter given, and says what the store holds when none does', async () => {
    const db = join(tempDir(), 'r.duckdb');
    const store = await Store.open(db);
    const solo = await store.beginBatch(batchInfo(10, 2, { scenario: 'wannacry-down' }));
    const first = await store.beginBatch(batchInfo(10, 2, { kind: 'compare', scenario: 'crowdstrike-update', label: 'baseline' }));
    const second = await store.beginBatch(batchInfo(10, 2, { kind: 'compare', scenario: 'crowdstrike-update', regime: 'charter', label: 'charter', groupId: first }));
    await store.close();
    const ids = (...args: string[]) => (JSON.parse(strata(['results', 'list', '--json', '--db', db, ...args]).stdout) as { id: string }[]).map((b) => b.id);
    expect(ids()).toEqual([solo, first, second]);
    expect(ids('--scenario', 'crowdstrike-update')).toEqual([first, second]);
    expect(ids('--scenario', 'crowdstrike-update', '--regime', 'charter')).toEqual([second]);
    expect(ids('--group', first)).toEqual([first, second]);
    expect(ids('--kind', 'run')).toEqual([solo]);
    expect(ids('--status', 'interrupted', '--last', '2')).toEqual([first, second]);
    expect(ids('--twin', 'acute-trust', '--last', '1')).toEqual([second]);
    const none = strata(['results', 'list', '--db', db, '--scenario', 'wanacry-down', '--kind', 'run']);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('No stored batch matches all of the filters (3 stored).\n  --scenario wanacry-down: the store holds wannacry-down, crowdstrike-update\n  --kind run: the store holds run, compare\n');
    const bad = strata(['results', 'list', '--db', db, '--kind', 'sweeps', '--status', 'done']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('strata: results list: --kind expected run, compare, sweep, sensitivity, got "sweeps"\nstrata: results list: --status expected complete, incomplete, interrupted, running, got "done"\n');
  });
});
