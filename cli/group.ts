import type { BatchResult } from '../engine/batch/batch.js';
import { storedResult, summarizeBatch } from '../engine/batch/summarize.js';
import type { Compiled } from '../engine/compile/model.js';
import type { Intervention } from '../engine/kernel/interventions.js';
import type { BatchInfo, BatchKind, Store } from '../store/index.js';
import { storeFile } from '../store/file.js';
import { dbFlag, decisionsOf } from './args.js';
import { sameDecisions } from '../engine/batch/decisions.js';
import { UsageError } from './errors.js';
import type { Inputs } from './inputs.js';
import type { PreparedInputs } from './model-cache.js';
import { LARGE_DOCUMENT, Recorder } from './recorder.js';
import type { Session } from './session.js';
import { engineVersion } from './version.js';

/**
 * The batches of a group (a comparison's regimes, a sweep's values) that survive a kill: run with
 * `--resume GROUP`, each member batch already stored is checked to hold the same inputs, seed and runs; a
 * complete one is read back, an interrupted one runs only what it lacks, and a member never begun is begun
 * in the group — so the group's exports are identical to an uninterrupted run's.
 */

/** The `--db` flag that names this store in a command to copy ("" for the default one). */
function storeFlag(store: Store): string {
  return dbFlag(store.file === storeFile() ? undefined : store.file);
}

/**
 * A group's stored batches by member position, each checked to be the one the command names there: members
 * run in order, so those stored are the first of the command's, in its order (a comparison may name a regime
 * twice, the reference against itself: by label, a resume mixed the two up). Whether each holds the member's
 * inputs, seed and runs is checked by `runMember` when the member's turn comes, so a member's inputs are
 * built only then (a sweep over a twin parameter builds one twin at a time). A group whose stored members are
 * all complete, resumed with more named, gains those members: said, as it cannot be told from a group
 * interrupted between members (the store keeps what ran, not what was planned).
 */
export async function storedMembers(store: Store, group: string, kind: BatchKind, labels: readonly string[]): Promise<(BatchInfo | undefined)[]> {
  const where = `${kind} --resume ${group}`;
  const batches = await store.listBatches({ groupId: group });
  if (batches.length === 0) throw new UsageError(`${where}: expected the group id the interrupted ${kind} printed, got none in this database`);
  // Every member stored and complete: nothing is left to run, whatever engine ran it (said, if it was another).
  const whole = batches.length === labels.length && batches.every((b) => b.status === 'complete');
  const db = storeFlag(store);
  const name = (b: BatchInfo) => b.label ?? b.regime;
  for (const [i, batch] of batches.entries()) {
    if (batch.kind !== kind) throw new UsageError(`${where}: expected a ${kind}'s group, got a ${batch.kind}'s`);
    checkEngine(batch, where, { group: { id: group, kind, whole }, db });
    if (!labels.includes(name(batch))) throw new UsageError(`${where}: the group holds ${name(batch)}, which these options do not name`);
    if (labels[i] !== name(batch)) {
      throw new UsageError(`${where}: expected its members in the order the ${kind} began them (${batches.map(name).join(', ')}), got ${labels.slice(0, batches.length + 1).join(', ')}${labels.length > batches.length + 1 ? ', …' : ''}`);
    }
  }
  if (batches.length > labels.length) throw new UsageError(`${where}: the group holds ${batches.length} members (${batches.map(name).join(', ')}); these options name ${labels.length}`);
  if (batches.length < labels.length && batches.every((b) => b.status === 'complete')) {
    process.stderr.write(`note: group ${group}'s ${batches.length} stored ${batches.length === 1 ? 'member is' : 'members are'} complete; ${labels.slice(batches.length).join(', ')} ${labels.length - batches.length === 1 ? 'is' : 'are'} added to it (as after an interruption between members)\n`);
  }
  return labels.map((_, i) => batches[i]);
}

/**
 * Refuses to resume a batch begun by another Strata: one whose stored version names a different digest of
 * the model's sources (cli/version.ts engineVersion), so its remaining runs would come from another model. A
 * batch stored before versions carried the digest (`0.1.0`) cannot be told apart and is resumed as before.
 */
export function checkEngine(
  batch: Pick<BatchInfo, 'id' | 'version' | 'status'>,
  where: string,
  options: { group?: { id: string; kind: BatchKind; whole: boolean }; db?: string } = {},
): void {
  const current = engineVersion();
  if (!batch.version.includes('+') || batch.version === current) return;
  const db = options.db ?? '';
  const group = options.group;
  const read = group ? `strata results export ${group.id} --group${db} reads its runs` : `strata results show ${batch.id}${db} and strata results export ${batch.id}${db} read it`;
  // What a resume would mix: a batch's own remaining runs, or a group's members yet to run; a whole group has none.
  const [why, next] =
    group === undefined
      ? batch.status === 'complete'
        ? ['there is nothing to resume', read]
        : ['its remaining runs would come from another model', `start it again (its stored runs stay in the database: ${read})`]
      : group.whole
        ? ['every member is complete and nothing is left to run, but the table is printed only by the Strata that ran them', read]
        : ["the group's members yet to run would come from another model than those stored", `start the ${group.kind} again without --resume (${read})`];
  throw new UsageError(`${where}: batch ${batch.id} was begun by Strata ${batch.version} and this is ${current}: its engine has changed since, so ${why}; ${next}`);
}

/**
 * Refuses a stored member batch that does not hold the inputs, seed, runs and decisions the command would give
 * it. A decision changes no document, so it is told apart by the settings stored with the batch (a batch
 * stored before settings were recorded took none).
 */
async function checkMember(store: Store, batch: BatchInfo, member: { kind: BatchKind; label: string; seed: number; runs: number; settings?: readonly string[] }, m: Inputs['hashes']): Promise<void> {
  const h = batch.hashes;
  const same = h.twinHash === m.twinHash && h.scenarioHash === m.scenarioHash && h.regimeHash === m.regimeHash;
  const stored = decisionsOf(batch.settings);
  const given = decisionsOf(member.settings);
  const decided = sameDecisions(stored, given);
  if (!same || !decided || batch.seed !== member.seed || batch.runs !== member.runs) {
    const where = `${member.kind} --resume ${batch.groupId}`;
    // What differs, named: a resume hint copied without --twin read as a bad seed or run count.
    const differ = [
      ...(h.twinHash !== m.twinHash ? ['twin (--twin, or a --set or --calibration of it)'] : []),
      ...(h.scenarioHash !== m.scenarioHash ? ['scenario (or a --set or --calibration of it)'] : []),
      ...(h.regimeHash !== m.regimeHash ? ['regime (or a --set or --calibration of it)'] : []),
      ...(batch.seed !== member.seed ? [`seed (stored ${batch.seed}, given ${member.seed})`] : []),
      ...(batch.runs !== member.runs ? [`runs (stored ${batch.runs}, given ${member.runs})`] : []),
      ...(!decided ? [`decisions (stored: ${stored.length === 0 ? 'none' : `--decide ${stored.join(' --decide ')}`})`] : []),
    ];
    const changed = same ? '' : await changedDocumentAdvice(store, batch.groupId, member.kind);
    throw new UsageError(`${where}: ${member.label}: expected the stored batch's inputs, seed, runs and decisions, got different ones: ${differ.join('; ')}; give the options the ${member.kind} was started with${changed}`);
  }
}

/**
 * What can still be done when a document the group began with has changed since (a file edited): it cannot be
 * given again, so the group cannot be resumed with it. What it stored can be exported, and each unfinished
 * member finished from the documents stored with it (`run --resume` reads nothing else); a member never
 * begun, and the command's own table, need a new start.
 */
async function changedDocumentAdvice(store: Store, group: string, kind: BatchKind): Promise<string> {
  const members = await store.listBatches({ groupId: group });
  const db = storeFlag(store);
  const unfinished = members.filter((b) => b.status !== 'complete').map((b) => `strata run --resume ${b.id}${db}`);
  const finish = unfinished.length === 0 ? '' : `, each unfinished member finished from the documents stored with it (${unfinished.join('; ')})`;
  return `. If a document has changed since the ${kind} began (a file edited), it cannot be resumed with it: what it stored can be exported (strata results export ${group} --group${db})${finish}, and members not yet begun need a new ${kind}`;
}

/** Runs (or finishes, or reads back) one member batch of a group; its results as the store holds them. */
export async function runMember(
  store: Store,
  session: Session,
  member: {
    compile: () => Compiled | Promise<Compiled>;
    /** The documents, or how to get them when first needed (a group's compiled-model cache: model-cache.ts). */
    inputs: Inputs | PreparedInputs | (() => Promise<Inputs | PreparedInputs>);
    /** The inputs' hashes when known without the documents (a cache entry's header): a stored member is checked on them. */
    hashes?: Inputs['hashes'];
    kind: BatchKind;
    label: string;
    groupId: string | undefined;
    existing: BatchInfo | undefined;
    seed: number;
    runs: number;
    /** What the command set over the documents (cli/args.ts settingsOf), then its decisions, stored with the batch. */
    settings?: readonly string[];
    /** The room's decisions, taken in every run (the settings' `decide=` entries, parsed). */
    interventions?: readonly Intervention[];
    progress: boolean;
    onStored?: (runs: number) => void;
    /** What a Ctrl-C before this member began says (the caller's wording, naming the group to resume). */
    interrupted: () => Error;
  },
): Promise<{ id: string; result: BatchResult; complete: boolean }> {
  const { existing, seed, runs, label } = member;
  const given = member.inputs;
  const documents = typeof given === 'function' ? given : () => Promise.resolve(given);
  if (existing) await checkMember(store, existing, member, member.hashes ?? (await documents()).hashes);
  // Compiled only if there is something to run: a complete member is read back as stored.
  let compiled: Compiled | undefined;
  const model = async (): Promise<Compiled> => {
    if (!compiled) {
      // The last member's model is out of reach now: collected before this one is made (Session.reclaim).
      await session.reclaim();
      compiled = await member.compile();
    }
    return compiled;
  };
  let recorder: Recorder;
  if (existing) recorder = Recorder.resume(store, existing.id, existing.metricNames.length);
  else {
    // The documents go in first, their garbage collected, then the model is compiled: a group's first
    // member on nhs-england would otherwise make the twin's 42 MB of JSON beside a 319 MB model.
    // A cached member's documents bring its model with them: the last member's is collected first.
    if (typeof given === 'function') await session.reclaim();
    const inputs = await documents();
    const written = await Recorder.storeDocuments(store, inputs);
    await session.reclaim(written >= LARGE_DOCUMENT);
    // A Ctrl-C while the documents were stored or the model compiled (seconds on nhs-england): no empty batch.
    if (await session.stopped()) throw member.interrupted();
    const built = await model();
    if (await session.stopped()) throw member.interrupted();
    recorder = await Recorder.begin(store, built, inputs, { kind: member.kind, groupId: member.groupId, label, seed, runs, settings: member.settings });
  }
  const missing = existing ? await store.missingRuns(existing.id) : [[0, runs] as const];
  let elapsedMs = existing?.elapsedMs ?? 0;
  // A caller's own progress (a sensitivity analysis's bar over all its points) counts runs once committed.
  const onStored = member.onStored;
  const onChunk = onStored
    ? (runStart: number, rows: Float64Array) => {
        const stored = recorder.chunk(runStart, rows);
        void stored.then((ok) => ok && onStored(rows.length / recorder.width));
        return stored;
      }
    : recorder.chunk;
  for (const [start, end] of missing) {
    const part = await session.batch(await model(), { runs: end - start, runStart: start, seed, label, progress: member.progress, interventions: member.interventions, onChunk });
    elapsedMs += part.elapsedMs;
    if (session.interrupted || !part.complete) break;
  }
  // Let go of the model before the next member compiles its own (a sweep on nhs-england: 319 MB each).
  if (compiled) await session.release(compiled);
  await recorder.flush();
  const result = storedResult(await store.readRuns(recorder.id));
  const complete = !session.interrupted && result.runs === runs;
  // A member stored complete before is left as it is; any other is finished now — one interrupted after its
  // last chunk was stored (all runs present, status not yet complete) included.
  if (existing?.status !== 'complete') await recorder.finish(complete ? summarizeBatch(result) : undefined, complete, elapsedMs);
  return { id: recorder.id, result, complete };
}
