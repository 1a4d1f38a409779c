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
