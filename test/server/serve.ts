import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildServer, type ServerOptions } from '../../server/app.js';
import { Store } from '../../store/index.js';

/** A `strata serve` for a test file: on a fresh store, listening on a free loopback port. */
export interface Served {
  app: FastifyInstance;
  store: Store;
  /** `127.0.0.1:PORT`, and the URL it makes. */
  host: string;
  base: string;
  close: () => Promise<void>;
}

export async function serve(token: string, workers: number, prefix: string, more: Partial<ServerOptions> = {}): Promise<Served> {
  const store = await Store.open(join(mkdtempSync(join(tmpdir(), prefix)), 'results.duckdb'));
  const app = await buildServer({ host: '127.0.0.1', port: 0, token, store, workers, ...more });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const host = `127.0.0.1:${(app.server.address() as { port: number }).port}`;
  return {
    app,
    store,
    host,
    base: `http://${host}`,
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}
