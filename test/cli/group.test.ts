import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InterruptedError } from '../../cli/errors.js';
import { runMember } from '../../cli/group.js';
import { compileInputs, loadInputs } from '../../cli/inputs.js';
import { Session } from '../../cli/session.js';
import { Store } from '../../store/index.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A fresh store and an in-thread session for one test, closed after it. */
async function withSession(test: (store: Store, session: Session) => Promise<void>): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), 'strata-group-'));
  const store = await Store.open(join(dir, 'g.duckdb'));
  const session = new Session(0);
  try {
    await test(store, session);
  } finally {
    await session.close();
    await store.close();
  }
}

/** One member of a group (cli/group.ts), as compare, sweep and sensitivity run it. */
describe('runMember', () => {
  const inputs = loadInputs('wannacry-down', { twin: 'ward' });
  const member = (session: Session, compiled: { count: number }, duringCompile = () => {}) => ({
    compile: () => (compiled.count++, duringCompile(), compileInputs(inputs)),
    inputs,
    kind: 'sweep' as const,
    label: 'controls.patchCoverage=0.5',
    groupId: undefined,
    existing: undefined,
    seed: 7,
    runs: 20,
    progress: false,
    interrupted: () => new InterruptedError(session.interrupted ? 'interrupted before any value ran; nothing is stored' : 'not interrupted'),
  });

  it('runs a new member: its documents stored first, its batch complete, its model compiled once', () =>
    withSession(async (store, session) => {
      const compiled = { count: 0 };
      const { id, result, complete } = await runMember(store, session, member(session, compiled));
      expect(complete).toBe(true);
      expect(result.runs).toBe(20);
      expect(compiled.count).toBe(1);
      expect((await store.getBatch(id)).documents.twin).toMatchObject({ name: 'ward' });
    }));

  it('begins no batch after a Ctrl-C that came while the member was prepared, and says what the caller says', () =>
    withSession(async (store, session) => {
      const compiled = { count: 0 };
      // The interrupt lands during the (here instant) preparation: the session has already aborted.
      session.controller.abort();
      await expect(runMember(store, session, member(session, compiled))).rejects.toThrow('interrupted before any value ran; nothing is stored');
      expect(await store.listBatches()).toEqual([]);
      expect(compiled.count).toBe(0);
    }));

  it('begins no batch after a Ctrl-C handled only once the synchronous compile is over (as a real signal is)', () =>
    withSession(async (store, session) => {
      const compiled = { count: 0 };
      // A SIGINT arriving during the compile is handled on a later turn of the event loop, not at once.
      const signal = () => void setImmediate(() => session.controller.abort());
      await expect(runMember(store, session, member(session, compiled, signal))).rejects.toThrow('interrupted before any value ran; nothing is stored');
      expect(compiled.count).toBe(1);
      expect(await store.listBatches()).toEqual([]);
    }));
});
