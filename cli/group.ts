import type { BatchResult } from '../engine/batch/batch.js';
import { storedResult, summarizeBatch } from '../engine/batch/summarize.js';
import type { Compiled } from '../engine/compile/model.js';
import type { BatchKind, Store } from '../store/index.js';
import { UsageError } from './errors.js';
import type { Inputs } from './inputs.js';
import { Recorder } from './recorder.js';
import type { Session } from './session.js';

/**
 * The batches of a group (a comparison's regimes, a sweep's values) that survive a kill: run with
 * `--resume GROUP`, each member batch already stored is checked to hold the same inputs, seed and runs; a
 * complete one is read back, an interrupted one runs only what it lacks, and a member never begun is begun
 * in the group — so the group's exports are identical to an uninterrupted run's.
 */

/** A group's stored batches by label, each checked against the member the command would run under it. */
export async function storedMembers(
  store: Store,
  group: string,
  kind: BatchKind,
  members: readonly { label: string; hashes: Inputs['hashes'] }[],
  run: { seed: number; runs: number },
): Promise<Map<string, string>> {
  const where = `${kind} --resume ${group}`;
  const batches = await store.listBatches({ groupId: group });
  if (batches.length === 0) throw new UsageError(`${where}: expected the group id the interrupted ${kind} printed, got none in this database`);
  const byLabel = new Map<string, string>();
  for (const batch of batches) {
    if (batch.kind !== kind) throw new UsageError(`${where}: expected a ${kind}'s group, got a ${batch.kind}'s`);
    const member = members.find((m) => m.label === batch.label);
    if (!member) throw new UsageError(`${where}: the group holds ${batch.label ?? batch.regime}, which these options do not name`);
    const h = batch.hashes;
    const same = h.twinHash === member.hashes.twinHash && h.scenarioHash === member.hashes.scenarioHash && h.regimeHash === member.hashes.regimeHash;
    if (!same || batch.seed !== run.seed || batch.runs !== run.runs) {
      throw new UsageError(`${where}: ${member.label}: expected the stored batch's inputs, seed and runs (seed ${batch.seed}, ${batch.runs} runs), got different ones; give the options the ${kind} was started with`);
    }
    byLabel.set(member.label, batch.id);
  }
  return byLabel;
}

/** Runs (or finishes, or reads back) one member batch of a group; its results as the store holds them. */
export async function runMember(
  store: Store,
  session: Session,
  member: { compiled: Compiled; inputs: Inputs; kind: BatchKind; label: string; groupId: string | undefined; existing: string | undefined; seed: number; runs: number; progress: boolean },
): Promise<{ id: string; result: BatchResult; complete: boolean }> {
  const { compiled, existing, seed, runs, label } = member;
  const before = existing ? await store.getBatch(existing) : undefined;
  const recorder = before
    ? Recorder.resume(store, before.id, before.metricNames.length)
    : await Recorder.begin(store, compiled, member.inputs, { kind: member.kind, groupId: member.groupId, label, seed, runs });
  const missing = existing ? await store.missingRuns(existing) : [[0, runs] as const];
  let elapsedMs = before?.elapsedMs ?? 0;
  for (const [start, end] of missing) {
    const part = await session.batch(compiled, { runs: end - start, runStart: start, seed, label, progress: member.progress, onChunk: recorder.chunk });
    elapsedMs += part.elapsedMs;
    if (session.interrupted || !part.complete) break;
  }
  await recorder.flush();
  const result = storedResult(await store.readRuns(recorder.id));
  const complete = !session.interrupted && result.runs === runs;
  // A member stored complete before is left as it is; any other is finished now — one interrupted after its
  // last chunk was stored (all runs present, status not yet complete) included.
  if (before?.status !== 'complete') await recorder.finish(complete ? summarizeBatch(result) : undefined, complete, elapsedMs);
  return { id: recorder.id, result, complete };
}
