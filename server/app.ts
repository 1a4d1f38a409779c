import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { BatchRunner } from '../engine/batch/batch.js';
import { compareBatches, pairedValues, storedResult } from '../engine/batch/summarize.js';
import { bands } from '../engine/stats/bands.js';
import { formatPath, StrataInputError } from '../engine/model/errors.js';
import { fromZodIssues, oncePerProblem } from '../engine/model/issues.js';
import { loadScenarioFile } from '../engine/model/load-file.js';
import { builtinRegimes, builtinScenarios, BUILTIN_TWINS, scenarioPath } from '../scenarios/index.js';
import { DamagedStoreError, StoreError, type Store } from '../store/index.js';
import { MAX_RUNS } from '../cli/args.js';
import { engineVersion } from '../cli/version.js';
import { jsonDifferences } from '../cli/format.js';
import { Piscina } from 'piscina';
import { Jobs } from './jobs.js';
import { afterAction, DEFAULT_REPORT_RUNS, ReportBatches, reportKey, SessionEnded, Sessions, type Session, type SessionUpdate } from './sessions.js';
import { newestBatches } from './listing.js';
import type { Bytes, default as traceTask, documents as documentsTask, entry as entryTask, InputError, InputsTask, layout as layoutTask, Model, model as modelTask, TraceBytesTask } from './trace-worker.js';
import type { PreparedInputs } from '../cli/model-cache.js';
import { AGGREGATE_MEMBERS } from './layout.js';
import { allowedHosts, presentedToken, refuse, tokenMatches } from './security.js';

export interface ServerOptions {
  host: string;
  port: number;
  token: string;
  store: Store;
  /** The built front end (viz/dist); absent: the API only. */
  staticDir?: string;
  /** Worker threads for batches started from the page. */
  workers: number;
  /**
   * How long after the room's last change of decisions a session's after-action report starts computing ahead
   * (Session.prepare); default 5 s.
   */
  prepareReportAfterMs?: number;
}

/** Bounds on what a request may ask for: a typo or a hostile page cannot exhaust the machine. */
export const LIMITS = { runs: 10_000, bodyBytes: 16 * 1024, fanRuns: 1_000, runningJobs: 2, decisions: 32 } as const;

/**
 * What the page may load: its own scripts, styles (D3 sets style attributes), workers and data, and images
 * from data: and blob: URLs (the favicon, PNG exports). Nothing inline runs, nothing is fetched elsewhere.
 */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** Points on the time grid of a fan chart (both ends included). */
const FAN_POINTS = 97;

const BatchRequest = z.strictObject({
  scenario: z.string().refine((s) => builtinScenarios().includes(s), { message: 'expected a built-in scenario' }),
  twin: z.string().refine((t) => Object.hasOwn(BUILTIN_TWINS, t), { message: 'expected a built-in twin' }).optional(),
  regime: z.string().refine((r) => builtinRegimes().includes(r), { message: 'expected a built-in regime' }).default('baseline'),
  runs: z.number().int().min(1).max(LIMITS.runs),
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(20170512),
});

/**
 * A whole number from the query string, as the CLI's `integer()` takes one: digits only (`z.coerce` took
 * `run=` as 0 and `0x10` as 16, and said "got NaN" of `x`), then the bounds.
 */
const queryInteger = (min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d{1,16}$/, { error: (issue) => `expected a whole number, got ${JSON.stringify(issue.input)}` })
    .transform(Number)
    .pipe(z.number().min(min).max(max))
    .default(fallback);

const TraceQuery = z.strictObject({
  scenario: BatchRequest.shape.scenario,
  twin: BatchRequest.shape.twin,
  regime: BatchRequest.shape.regime,
  seed: queryInteger(0, Number.MAX_SAFE_INTEGER, 20170512),
  // The run indexes a batch can hold, as `strata trace --run` takes them.
  run: queryInteger(0, MAX_RUNS - 1, 0),
  // The room's decisions, as `strata trace --decide` takes them (engine/batch/decisions.ts), one per `decide`.
  decide: z
    .preprocess(
      (d) => (typeof d === 'string' ? [d] : d),
      z.array(z.string().max(300, { error: 'expected a decision of at most 300 characters' })).max(LIMITS.decisions, { error: (issue) => `expected at most ${LIMITS.decisions} decisions a run, got ${(issue.input as unknown[]).length}` }),
    )
    .optional(),
  token: z.string().optional(),
});

const FanQuery = z.strictObject({
  scenario: BatchRequest.shape.scenario,
  twin: BatchRequest.shape.twin,
  regime: BatchRequest.shape.regime,
  seed: TraceQuery.shape.seed,
  runs: queryInteger(2, LIMITS.fanRuns, 200),
  token: z.string().optional(),
});

const SessionStart = z.strictObject({
  scenario: BatchRequest.shape.scenario,
  twin: BatchRequest.shape.twin,
  regime: BatchRequest.shape.regime,
  seed: BatchRequest.shape.seed,
  run: z.number().int().min(0).max(MAX_RUNS - 1).default(0),
});

/** What a facilitator sets: the room's decisions in force, the clock, play and speed (each optional). */
const SessionChange = z.strictObject({
  what: z.array(z.string().max(300, { error: 'expected a decision of at most 300 characters' })).max(LIMITS.decisions, { error: (issue) => `expected at most ${LIMITS.decisions} decisions a run, got ${(issue.input as unknown[]).length}` }).optional(),
  t: z.number().min(0).optional(),
  playing: z.boolean().optional(),
  // The dashboard's seven speeds (viz/src/cascade.ts SPEEDS), by index.
  speed: z.number().int().min(0).max(6).optional(),
});

const ReportRequest = z.strictObject({ runs: z.number().int().min(2).max(LIMITS.fanRuns).default(DEFAULT_REPORT_RUNS) });

const TwinQuery = z.strictObject({ twin: z.string().refine((t) => Object.hasOwn(BUILTIN_TWINS, t), { message: 'expected a built-in twin' }), id: z.string().max(300).optional(), token: z.string().optional() });

/**
 * One line per problem, as the CLI says it: `path: expected …, got …`. zod's own wording ("Invalid input:
 * expected number, received NaN", "Too big: …") is put as the CLI puts it (engine/model/issues.ts); this
 * file's own messages are kept as written.
 */
function problems(error: z.ZodError, where: '(body)' | '(query)' = '(body)'): string {
  return oncePerProblem(error.issues)
    .flatMap((issue) => {
      const own = !/^(Invalid|Too (big|small)|Unrecognized)/.test(issue.message);
      // zod's own wording put as the CLI puts it, every line of it (each unknown field is one).
      const lines = own ? [{ path: formatPath(issue.path), message: issue.message }] : fromZodIssues([issue], '');
      return lines.map((line) => `${line.path || where}: ${line.message}`);
    })
    // One clause per problem: zod may say one twice (an unsafe integer is both not an integer and past the maximum).
    .filter((line, i, lines) => lines.indexOf(line) === i)
    .join('; ');
}

/** Turns a reply into a stream of server-sent events: `send` writes one, `end` closes the stream. */
function eventStream(reply: FastifyReply): { send: (event: string, data: unknown) => void; end: () => void } {
  reply.hijack();
  reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  return { send: (event, data) => void reply.raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`), end: () => void reply.raw.end() };
}

/** Whether an Accept-Encoding header takes gzip (a `q=0` refuses it; `*` takes it). */
export function acceptsGzip(header: string | undefined): boolean {
  let gzip: boolean | undefined;
  let any = false;
  for (const part of (header ?? '').split(',')) {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q\s*=\s*([\d.]+)\s*$/.exec(p)).find((m) => m !== null);
    const takes = q ? Number(q[1]) > 0 : true;
    if (coding === 'gzip' || coding === 'x-gzip') gzip = takes;
    else if (coding === '*') any = takes;
  }
  return gzip ?? any;
}

/** The model thread's JSON as it made it (server/trace-worker.ts): nothing is parsed or serialised on this thread. */
function sendBytes(reply: FastifyReply, bytes: Bytes): FastifyReply {
  reply.header('content-type', 'application/json; charset=utf-8').header('vary', 'accept-encoding');
  if (bytes.gzip) reply.header('content-encoding', 'gzip');
  return reply.send(Buffer.from(bytes.body.buffer, bytes.body.byteOffset, bytes.body.byteLength));
}

/**
 * `strata serve`: the dashboard's JSON API and its built front end (docs/dashboard.md). Read-only routes
 * (the catalogue, a twin's layout, a run's trace, stored batches) need no token; starting or cancelling work
 * does. Every request's Host header must name this server.
 */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({ bodyLimit: LIMITS.bodyBytes, logger: false });
  // The names this server answers to, once it knows the port it bound (it may have asked for any free one).
  let hosts: Set<string> | undefined;
  const answersTo = (): Set<string> => {
    const address = app.server.address();
    return (hosts ??= allowedHosts(options.host, typeof address === 'object' && address ? address.port : options.port));
  };
  const jobs = new Jobs(options.store, options.workers);
  const sessions = new Sessions();
  const fanRunner = new BatchRunner({ workers: options.workers, offThread: true });
  const reportBatches = new ReportBatches(fanRunner);
  // Reports computed ahead (Session.prepare) run on a worker of their own, so that a fan chart asked meanwhile
  // shares the cores with one instead of waiting behind its ~400 queued runs; none without workers (they would run
  // on this thread, the event loop's).
  const aheadRunner = options.workers > 0 ? new BatchRunner({ workers: 1, offThread: true }) : undefined;
  // Traces, and the models of batches and fan charts, are computed on a thread of their own (trace-worker.ts):
  // compiling the national twin takes seconds, and the event loop stays free meanwhile.
  const pool = new Piscina({ filename: new URL('./trace-worker-entry.mjs', import.meta.url).href, minThreads: 1, maxThreads: 1, idleTimeout: 600_000 });
  /** Tasks on the thread not yet answered: a report is prepared ahead only while there are none (Session.prepare). */
  let onThread = 0;
  const thread = {
    run: (task: unknown, runOptions?: { name: string }): Promise<unknown> => {
      onThread++;
      return pool.run(task, runOptions).finally(() => onThread--);
    },
    destroy: () => pool.destroy(),
  };
  // The page opens on WannaCry on the ward: start the thread and trace that run now, so the first visit waits on neither.
  void thread.run({ scenario: 'wannacry-down', twin: 'ward', regime: 'baseline', seed: 20170512, run: 0, version: engineVersion(), gzip: true } satisfies TraceBytesTask).catch(() => {});
  /** Batches started whose models are still being prepared. */
  let starting = 0;
  /**
   * A model from the thread, or the inputs' problem in words. Those without the twin's JSON (fan charts, a
   * session's decisions and report) are kept here too, the last two: the same object again, so the workers keep
   * the state they built for it (a national model's is ~135 MB a worker) instead of building it per request.
   */
  const models = new Map<string, Promise<Model | InputError>>();
  const modelOf = async (task: InputsTask, withTwin: boolean): Promise<(Model & { twinJson?: string }) | InputError> => {
    if (withTwin) return (await thread.run({ ...task, withTwin }, { name: 'model' })) as Awaited<ReturnType<typeof modelTask>>;
    const key = `${task.scenario}|${task.twin ?? ''}|${task.regime}`;
    let model = models.get(key);
    if (!model) {
      model = thread.run({ ...task, withTwin }, { name: 'model' }) as Promise<Model | InputError>;
      if (models.size >= 2) models.delete(models.keys().next().value!);
      models.set(key, model);
      // A problem is not kept: the documents may be fixed, and the thread says it again cheaply.
      void model.then((m) => 'inputError' in m && models.delete(key), () => models.delete(key));
    }
    return model;
  };

  app.addHook('onRequest', async (request, reply) => {
    if (!answersTo().has(request.headers.host ?? '')) return refuse(reply, 421, `unexpected Host header ${JSON.stringify(request.headers.host ?? '')}: this server answers to ${[...answersTo()].join(', ')}`);
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('content-security-policy', CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    return payload;
  });
  // Before the server waits for its open requests: a session's followers hold event streams open.
  app.addHook('preClose', async () => sessions.close());
  app.addHook('onClose', async () => {
    await jobs.close();
    await fanRunner.close();
    await aheadRunner?.close();
    await thread.destroy();
  });
  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof StrataInputError) return refuse(reply, 400, error.message);
    // A database changed or damaged is the server's trouble, not a missing thing.
    if (error instanceof DamagedStoreError) return refuse(reply, 500, error.message);
    // Said without the store's function name (`store.getBatch: `), as the CLI says it.
    if (error instanceof StoreError) return refuse(reply, 404, error.message.replace(/^store\.\w+: /, ''));
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) return refuse(reply, status, (error as Error).message);
    return refuse(reply, 500, `internal error: ${(error as Error).message}`);
  });

  const needsToken = (request: FastifyRequest, reply: FastifyReply): boolean => {
    if (tokenMatches(presentedToken(request), options.token)) return true;
    refuse(reply, 403, 'this request needs the token printed by `strata serve` (header x-strata-token)');
    return false;
  };
  const documents = builtinScenarios().map((name) => [name, loadScenarioFile(scenarioPath(name))] as const);
  const defaultTwins = Object.fromEntries(documents.map(([name, scenario]) => [name, scenario.twin]));
  // What the page checks a what-if against before it asks for a run (engine/batch/decisions.ts), and the title it
  // shows a room.
  const scenarioFacts = Object.fromEntries(documents.map(([name, scenario]) => [name, { horizonMinutes: scenario.horizonHours * 60, threat: scenario.threat.kind, title: scenario.title ?? name }]));
  app.get('/api/catalog', async () => ({
    version: engineVersion(),
    twins: Object.keys(BUILTIN_TWINS),
    scenarios: builtinScenarios(),
    regimes: builtinRegimes(),
    defaultTwins,
    scenarioFacts,
    limits: { runs: LIMITS.runs, decisions: LIMITS.decisions },
  }));

  app.get('/api/layout', async (request, reply) => {
    const query = TwinQuery.safeParse(request.query, { reportInput: true });
    if (!query.success) return refuse(reply, 400, problems(query.error, '(query)'));
    return sendBytes(reply, (await thread.run({ twin: query.data.twin, gzip: acceptsGzip(request.headers['accept-encoding']) }, { name: 'layout' })) as ReturnType<typeof layoutTask>);
  });

  app.get('/api/entry', async (request, reply) => {
    const query = TwinQuery.safeParse(request.query, { reportInput: true });
    if (!query.success || query.data.id === undefined) return refuse(reply, 400, query.success ? 'id: expected a node entry id' : problems(query.error, '(query)'));
    const detail = (await thread.run({ twin: query.data.twin, id: query.data.id }, { name: 'entry' })) as ReturnType<typeof entryTask>;
    if (!detail) return refuse(reply, 404, `id: no entry ${JSON.stringify(query.data.id)} in twin ${query.data.twin}`);
    return detail;
  });

  app.get('/api/trace', async (request, reply) => {
    const query = TraceQuery.safeParse(request.query, { reportInput: true });
    if (!query.success) return refuse(reply, 400, problems(query.error, '(query)'));
    const { scenario, twin, regime, seed, run, decide } = query.data;
    const task: TraceBytesTask = { scenario, twin, regime, seed, run, decide, version: engineVersion(), gzip: acceptsGzip(request.headers['accept-encoding']) };
    const result = (await thread.run(task)) as Awaited<ReturnType<typeof traceTask>>;
    if ('inputError' in result) return refuse(reply, 400, result.inputError);
    return sendBytes(reply, result);
  });

  // Fan charts: members compromised and disrupted now, per layer, over time — median and 5–95% band over the
  // runs (the same seeds as a stored batch of that seed; the series are computed, not stored).
  app.get('/api/fan', async (request, reply) => {
    // Up to a thousand runs on the server's cores: work, so it needs the token like a batch.
    if (!needsToken(request, reply)) return reply;
    const query = FanQuery.safeParse(request.query, { reportInput: true });
    if (!query.success) return refuse(reply, 400, problems(query.error, '(query)'));
    const { scenario, twin, regime, seed, runs } = query.data;
    const model = await modelOf({ scenario, twin, regime }, false);
    if ('inputError' in model) return refuse(reply, 400, model.inputError);
    const { compiled, hashes } = model;
    const result = await fanRunner.run(compiled, { runs, seed, seriesPoints: FAN_POINTS });
    const series = ['compromised', 'disrupted'].flatMap((what, w) =>
      ['physical', 'network', 'cloud'].map((layer, l) => {
        const matrix = new Float64Array(runs * FAN_POINTS);
        for (let r = 0; r < runs; r++) for (let p = 0; p < FAN_POINTS; p++) matrix[r * FAN_POINTS + p] = result.series[(r * FAN_POINTS + p) * 6 + w * 3 + l]!;
        const b = bands(matrix, { timepoints: FAN_POINTS });
        return { what, layer, median: Array.from(b.median), lower: Array.from(b.lower), upper: Array.from(b.upper) };
      }),
    );
    const hours = Array.from({ length: FAN_POINTS }, (_, i) => (i * compiled.model.horizonMinutes) / 60 / (FAN_POINTS - 1));
    return { scenario, twin: compiled.meta.twin, regime, seed, runs, version: engineVersion(), inputs: hashes, hours, series };
  });

  // The validated documents of a run, for the browser's own kernel (viz/src/replay-worker.ts); refused for a
  // twin drawn aggregated (its document runs to tens of megabytes: the server traces those).
  app.get('/api/inputs', async (request, reply) => {
    if (!needsToken(request, reply)) return reply;
    const query = FanQuery.omit({ runs: true, seed: true }).safeParse(request.query, { reportInput: true });
    if (!query.success) return refuse(reply, 400, problems(query.error, '(query)'));
    const { scenario, twin, regime } = query.data;
    const result = (await thread.run({ scenario, twin, regime } satisfies InputsTask, { name: 'documents' })) as ReturnType<typeof documentsTask>;
    if ('inputError' in result) return refuse(reply, 400, result.inputError);
    if ('members' in result) return refuse(reply, 413, `twin: ${result.name} has ${result.members} members; the browser replays twins of at most ${AGGREGATE_MEMBERS}`);
    return result;
  });

  app.post('/api/batches', async (request, reply) => {
    if (!needsToken(request, reply)) return reply;
    const body = BatchRequest.safeParse(request.body, { reportInput: true });
    if (!body.success) return refuse(reply, 400, problems(body.error));
    const { scenario, twin, regime, runs, seed } = body.data;
    // Batches whose models are being prepared count against the limit, so two requests at once cannot both pass it.
    const busy = jobs.running() + starting;
    if (busy >= LIMITS.runningJobs) return refuse(reply, 429, `${busy} batches are running already: wait for one to finish or cancel it`);
    starting++;
    let job: Awaited<ReturnType<typeof jobs.start>>;
    try {
      const prepared = await modelOf({ scenario, twin, regime }, true);
      if ('inputError' in prepared) return refuse(reply, 400, prepared.inputError);
      const { twinJson, ...model } = prepared;
      const inputs: PreparedInputs = { ...model, twinJson: () => twinJson!, cache: 'off', prepareMs: 0 };
      job = await jobs.start(inputs, model.compiled, { runs, seed });
    } finally {
      starting--;
    }
    return reply.code(202).send({ job: job.id, batch: job.batch });
  });

  app.delete('/api/jobs/:id', async (request, reply) => {
    if (!needsToken(request, reply)) return reply;
    const job = jobs.get((request.params as { id: string }).id);
    if (!job) return refuse(reply, 404, 'no such job');
    if (job.finished) return refuse(reply, 409, `job ${job.id} has finished already`);
    job.cancel();
    return { job: job.id, status: 'cancelling' };
  });

  // Progress as server-sent events: `progress` with runs done, then `done` (or `failed`, `cancelled`).
  app.get('/api/jobs/:id/events', async (request, reply) => {
    if (!needsToken(request, reply)) return reply;
    const job = jobs.get((request.params as { id: string }).id);
    if (!job) return refuse(reply, 404, 'no such job');
    const { send, end } = eventStream(reply);
    const stop = job.subscribe(send, end);
    request.raw.on('close', stop);
  });

  // Tabletop sessions (server/sessions.ts): started and driven with the token, followed without it.
  app.post('/api/sessions', async (request, reply) => {
    if (!needsToken(request, reply)) return reply;
    const body = SessionStart.safeParse(request.body ?? {}, { reportInput: true });
    if (!body.success) return refuse(reply, 400, problems(body.error));
    const { scenario, twin, regime, seed, run } = body.data;
    // The documents checked (and the model made, for the decisions to come) before a session is opened on them.
    const model = await modelOf({ scenario, twin, regime }, false);
    if ('inputError' in model) return refuse(reply, 400, model.inputError);
    const session = sessions.start({ scenario, ...(twin ? { twin } : {}), regime, seed, run }, model.compiled.model.horizonMinutes);
    return reply.code(201).send(session.state);
  });

  /** The session's report for its decisions now, computed ahead of the facilitator's asking (Session.prepare). */
  const prepareReport = (session: Session, model: Model): void => {
    if (!aheadRunner || sessions.get(session.state.id) !== session) return;
    session.prepare((signal) => afterAction(reportBatches, model, session.state, session.reportRuns, { signal, runner: aheadRunner }), options.prepareReportAfterMs ?? 5000, () => onThread === 0);
  };

  const sessionOf = (request: FastifyRequest, reply: FastifyReply) => {
    const session = sessions.get((request.params as { id: string }).id);
    if (!session) refuse(reply, 404, 'no such session (sessions last as long as the server, 16 at most)');
    return session;
  };

  // The facilitator (with the token) gets the whole state; a participant the state as it may see it so far (Session.followerView).
  const leads = (request: FastifyRequest) => tokenMatches(presentedToken(request), options.token);
  app.get('/api/sessions/:id', async (request, reply) => {
    const session = sessionOf(request, reply);
    if (!session) return reply;
    return leads(request) ? session.state : session.followerView();
  });

  app.patch('/api/sessions/:id', async (request, reply) => {
    if (!needsToken(request, reply)) return reply;
    const session = sessionOf(request, reply);
    if (!session) return reply;
    const body = SessionChange.safeParse(request.body ?? {}, { reportInput: true });
    if (!body.success) return refuse(reply, 400, problems(body.error));
    const horizon = session.horizonMinutes;
    if (body.data.t !== undefined && body.data.t > horizon) return refuse(reply, 400, `t: expected a minute within the run (0 to ${horizon}), got ${body.data.t}`);
    // The model only for decisions, to check them (the clock, sent every two seconds while playing, needs none).
    let model: Model | undefined;
    if (body.data.what !== undefined) {
      const { scenario, twin, regime } = session.state;
      const made = await modelOf({ scenario, twin, regime }, false);
      if ('inputError' in made) return refuse(reply, 400, made.inputError);
      model = made;
    }
    const refused = session.update(body.data satisfies SessionUpdate, model?.compiled);
    if (refused.length > 0) return refuse(reply, 400, refused.join('; '));
    if (model) prepareReport(session, model);
    return session.state;
  });

  // The facilitator ends the session: its participants hear so, their streams close.
  app.delete('/api/sessions/:id', async (request, reply) => {
    if (!needsToken(request, reply)) return reply;
    const session = sessionOf(request, reply);
    if (!session) return reply;
    sessions.end(session, 'the facilitator ended it');
    return { session: session.state.id, status: 'ended' };
  });

  // A session's changes as server-sent events: `state` (the whole state, first on connecting; a participant's
  // view without the token), `ended`. The facilitator's page passes the token in the query (EventSource sends no headers).
  app.get('/api/sessions/:id/events', async (request, reply) => {
    const session = sessionOf(request, reply);
    if (!session) return reply;
    const { send, end } = eventStream(reply);
    const lead = leads(request);
    const stop = session.subscribe((event, data) => {
      send(event, event === 'ended' || lead ? data : session.followerView());
      if (event === 'ended') end();
    });
    request.raw.on('close', stop);
  });

  // The after-action report: the session's run and `runs` runs of its scenario, without the room's decisions and with them, paired.
  app.post('/api/sessions/:id/report', async (request, reply) => {
    if (!needsToken(request, reply)) return reply;
    const session = sessionOf(request, reply);
    if (!session) return reply;
    const body = ReportRequest.safeParse(request.body ?? {}, { reportInput: true });
    if (!body.success) return refuse(reply, 400, problems(body.error));
    // Without a decision there is nothing to compare: the two arms would be the same runs.
    if (session.state.what.length === 0) return refuse(reply, 400, "what: expected at least one of the room's decisions to report on, got none");
    const { scenario, twin, regime } = session.state;
    const model = await modelOf({ scenario, twin, regime }, false);
    if ('inputError' in model) return refuse(reply, 400, model.inputError);
    // Ended meanwhile (the facilitator, the seventeenth session, the server stopping): nothing to compute for.
    const ended = () => refuse(reply, 404, 'no such session (it ended while its report was asked for)');
    if (sessions.get(session.state.id) !== session) return ended();
    let answer;
    try {
      answer = await session.report(body.data.runs, async () => (await afterAction(reportBatches, model, session.state, body.data.runs))!);
    } catch (error) {
      if (error instanceof SessionEnded) return ended();
      throw error;
    }
    const { report, how } = answer;
    // The session's report only while it is of the decisions in force: they may have changed while it computed
    // (the facilitator is answered it all the same, and it names its decisions).
    if (reportKey(report.decisions, 0) === reportKey(session.state.what, 0)) {
      session.state.report = report;
      session.publish('state');
    }
    // Done before it was asked for (prepared ahead, or asked before), waited for while being prepared, or computed now.
    reply.header('x-strata-report', how);
    return report;
  });

  app.get('/api/batches', async () => newestBatches(await options.store.listBatches()));

  app.get('/api/batches/:id', async (request) => {
    const batch = await options.store.getBatch((request.params as { id: string }).id);
    const { documents: _documents, ...rest } = batch;
    return rest;
  });

  // One metric's value in every stored run of a batch (histograms, CDFs, picking a run to replay).
  app.get('/api/batches/:id/runs', async (request, reply) => {
    const metric = (request.query as { metric?: unknown }).metric;
    if (typeof metric !== 'string') return refuse(reply, 400, 'metric: expected a metric name');
    const stored = await options.store.readRuns((request.params as { id: string }).id);
    const j = stored.metricNames.indexOf(metric);
    if (j < 0) return refuse(reply, 404, `metric: no metric ${JSON.stringify(metric)} in this batch`);
    const width = stored.metricNames.length;
    return { metric, runs: stored.runs, values: stored.runs.map((_, r) => finiteOrNull(stored.rows[r * width + j]!)) };
  });

  // A compare or sweep group: each batch against the first, paired run by run (the forest plot), and each
  // batch's stored summaries (a sweep's lines with their intervals).
  app.get('/api/groups/:id', async (request, reply) => {
    const id = (request.params as { id: string }).id;
    const all = (await options.store.listBatches()).filter((b) => b.groupId === id);
    if (all.length === 0) return refuse(reply, 404, `no group ${JSON.stringify(id)} in the results database`);
    const members = all.filter((b) => b.status === 'complete');
    if (members.length === 0) return refuse(reply, 404, `no complete batches in group ${JSON.stringify(id)}`);
    const results = await Promise.all(members.map(async (b) => ({ info: b, result: storedResult(await options.store.readRuns(b.id)), summaries: (await options.store.getBatch(b.id)).summaries })));
    const [first, ...rest] = results;
    return {
      group: id,
      kind: first!.info.kind,
      batches: results.map((r) => ({ id: r.info.id, label: r.info.label, regime: r.info.regime, runs: r.info.runs, summaries: r.summaries })),
      // As `strata compare --json` writes them: the paired mean difference, its 95% interval, what pairing bought.
      differences: rest.map((r) => ({
        label: r.info.label ?? r.info.regime,
        against: first!.info.label ?? first!.info.regime,
        metrics: jsonDifferences(compareBatches(first!.result, r.result), first!.result, r.result),
      })),
      // A sensitivity design's steps: each point against the one before it, the mean of the run-by-run changes
      // over the runs with the metric at both (as `strata sensitivity` takes a step's change); null at a
      // trajectory's start, or where no run has it at both.
      ...(first!.info.kind === 'sensitivity' ? { steps: results.map((r, i) => (i > 0 && stepOf(results[i - 1]!.info.label, r.info.label) ? stepChanges(results[i - 1]!.result, r.result) : null)) } : {}),
    };
  });

  if (options.staticDir && existsSync(options.staticDir)) {
    await app.register(fastifyStatic, { root: options.staticDir, index: ['index.html'] });
  } else {
    app.get('/', async (_request, reply) => reply.type('text/plain').send('strata serve: the front end is not built (npx vite build)\n'));
  }
  return app;
}

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** Per metric, the mean of b − a run by run over the runs with a finite value in both (null: none). */
function stepChanges(a: ReturnType<typeof storedResult>, b: ReturnType<typeof storedResult>): Record<string, number | null> {
  return Object.fromEntries(
    a.metricNames.map((name) => {
      const [xs, ys] = pairedValues(a, b, name);
      return [name, xs.length === 0 ? null : xs.reduce((sum, x, r) => sum + (ys[r]! - x), 0) / xs.length];
    }),
  );
}

/** Whether design point `label` follows `before` on its trajectory ("trajectory 2, point 3: moved X" after "trajectory 2, point 2: …" or its start). */
function stepOf(before: string | null, label: string | null): boolean {
  const at = /^trajectory (\d+), point (\d+): moved /.exec(label ?? '');
  const prior = /^trajectory (\d+), (?:start|point (\d+): moved .*)$/.exec(before ?? '');
  return at !== null && prior !== null && at[1] === prior[1] && Number(at[2]) === Number(prior[2] ?? 0) + 1;
}
