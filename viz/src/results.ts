import * as d3 from 'd3';
import { api, type BatchInfo, type Catalog, type Fan, type GroupResult, type Summary } from './api.js';
import { splitSettings } from '../../engine/batch/decisions.js';
import { HEADLINE as LABELLED, isMinutes, timeUnit, unitLabel, type TimeUnit } from '../../engine/batch/headline.js';
import { batchRows } from './batches.js';
import { exports } from './exports.js';
import { formatWhatIf } from './replay.js';
import { provenance, readState, writeState } from './state.js';

/**
 * The results view: start a batch from the page (progress streamed, cancellable), the stored batches, a batch's
 * metric as a histogram and a CDF (click a bar to replay a run from it), and a compare group's paired
 * differences as a forest plot. Every chart says which inputs, seed and version made it, and exports as SVG,
 * PNG or CSV.
 */

const HEADLINE = ['compromised', 'disrupted', 'appointmentsCancelled', 'proceduresPostponed', 'testsNotDone', 'diversionHours', 'safetyEventsSerious', 'patientsExposedAltered', 'recordsExposed', 'timeToRecovery'];

/** The last batch form's choices, kept while the page lives: the form showed its defaults again after a start (a trial). */
let lastStart: Record<string, string> | undefined;

export async function showResults(root: HTMLElement, catalog: Catalog, signal: AbortSignal): Promise<void> {
  const state = readState();
  const option = (values: string[], selected?: string, blank?: string) =>
    (blank !== undefined ? `<option value="">${blank}</option>` : '') + values.map((v) => `<option${v === selected ? ' selected' : ''}>${v}</option>`).join('');
  const last = lastStart ?? { scenario: 'wannacry-down', twin: 'ward', regime: 'baseline', runs: '100', seed: '20170512' };
  root.innerHTML = `
    <form class="controls" id="start" aria-label="Run a batch">
      <label>Scenario <select name="scenario">${option(catalog.scenarios, last.scenario)}</select></label>
      <label>Twin <select name="twin">${option(catalog.twins, last.twin, "(the scenario's)")}</select></label>
      <label>Regime <select name="regime">${option(catalog.regimes, last.regime)}</select></label>
      <label>Runs <input name="runs" type="number" min="1" max="${catalog.limits.runs}" value="${escape(last.runs!)}" style="width:6em"></label>
      <label>Seed <input name="seed" type="number" min="0" value="${escape(last.seed!)}" style="width:8em"></label>
      <button type="submit">Run batch</button>
      <button type="button" id="cancel" hidden>Cancel</button>
      <progress id="progress" max="1" value="0" hidden></progress>
      <output id="job" role="status"></output>
    </form>
    <div id="detail"></div>
    <h2>Stored batches</h2>
    <div id="list">Loading…</div>`;
  const form = root.querySelector<HTMLFormElement>('#start')!;
  const progress = root.querySelector<HTMLProgressElement>('#progress')!;
  const jobOut = root.querySelector<HTMLOutputElement>('#job')!;
  const cancel = root.querySelector<HTMLButtonElement>('#cancel')!;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const twin = String(data.get('twin'));
    lastStart = Object.fromEntries(['scenario', 'twin', 'regime', 'runs', 'seed'].map((k) => [k, String(data.get(k))]));
    try {
      const started = await api.start({ scenario: String(data.get('scenario')), twin: twin || undefined, regime: String(data.get('regime')), runs: Number(data.get('runs')), seed: Number(data.get('seed')) });
      jobOut.textContent = `Batch ${started.batch}: starting…`;
      progress.hidden = false;
      cancel.hidden = false;
      cancel.onclick = () => void api.cancel(started.job);
      const source = api.events(started.job);
      // Leaving the view closes the stream: a batch finishing later does not pull the page back here.
      signal.addEventListener('abort', () => source.close());
      source.addEventListener('progress', (e) => {
        const p = JSON.parse((e as MessageEvent).data) as { completed: number; total: number };
        progress.value = p.completed / p.total;
        jobOut.textContent = `Batch ${started.batch}: ${p.completed.toLocaleString('en-GB')} of ${p.total.toLocaleString('en-GB')} runs`;
      });
      for (const end of ['done', 'cancelled', 'failed']) {
        source.addEventListener(end, (e) => {
          source.close();
          cancel.hidden = true;
          const d = JSON.parse((e as MessageEvent).data) as { message?: string };
          jobOut.textContent = `Batch ${started.batch}: ${end}${d.message ? ` — ${d.message}` : ''}`;
          if (end === 'done') writeState('results', { batch: started.batch, group: '' });
          // A cancelled or failed batch keeps what it stored: listed at once, not at the next reload (a trial).
          else void api.batches().then((list) => (root.querySelector('#list')!.innerHTML = batchTable(list)));
        });
      }
    } catch (error) {
      jobOut.textContent = (error as Error).message;
      jobOut.className = 'error';
    }
  });

  const batches = await api.batches();
  if (signal.aborted) return;
  root.querySelector('#list')!.innerHTML = batchTable(batches);
  const detail = root.querySelector<HTMLElement>('#detail')!;
  const group = state.get('group');
  const batch = state.get('batch');
  // A batch or group the URL names but the store lacks is said where its charts would be; the form and the
  // list stay (they were replaced by one red line).
  try {
    if (group) await showGroup(detail, group, state.get('metric') ?? 'compromised', batches);
    else if (batch) await showBatch(detail, batch, state.get('metric') ?? 'compromised');
  } catch (error) {
    if (signal.aborted) return;
    detail.innerHTML = `<p class="error" role="alert">${escape(`Could not show ${group ? `group ${group}` : `batch ${batch}`}: ${(error as Error).message}`)}</p>`;
  }
}

function batchTable(batches: BatchInfo[]): string {
  if (batches.length === 0) return '<p>No stored batches yet: run one above, or with <code>npx strata run</code>.</p>';
  const rows = batchRows(batches)
    .map((r) => `<tr><td><a href="${escape(r.link)}">${escape(r.id)}</a></td><td>${escape(r.kind)}</td><td>${escape(r.scenario)}</td><td>${escape(r.twin)}</td><td>${escape(r.regime)}</td><td>${escape(r.runs)}</td><td>${escape(r.status)}</td></tr>`)
    .join('');
  return `<table class="batches"><thead><tr><th>batch</th><th>kind</th><th>scenario</th><th>twin</th><th>regime</th><th>runs</th><th>status</th></tr></thead><tbody>${rows}</tbody></table>`;
}

async function showBatch(root: HTMLElement, id: string, metric: string): Promise<void> {
  const batch = await api.batch(id);
  const names = batch.metricNames ?? [];
  const shown = names.includes(metric) ? metric : 'compromised';
  const { values, runs } = await api.runs(id, shown);
  // A batch whose documents are not the built-ins as named (--set, a calibration, a sweep's value, a design
  // point): the fan chart and the cascade's replays compute from built-in documents, so they are not offered
  // for it; the command that traces one of its runs is, with its settings. A batch whose runs took the room's
  // decisions (--decide, kept as `decide=…` settings) on the built-ins opens its runs in the cascade view with
  // those decisions as what-ifs; its fan chart, computed without them, is not offered.
  const { set: sets, decided } = splitSettings(batch.settings);
  const changed = sets.length > 0 || batch.kind === 'sweep' || batch.kind === 'sensitivity';
  const how = sets.length > 0 ? `set: ${sets.join(', ')}` : `${batch.kind} point ${batch.label ?? ''}`;
  const decidedHow = `decided in every run: ${decided.join(', ')}`;
  const stored = batch.storedRuns ?? batch.runs;
  // An incomplete batch says so, and how to finish it (its summary comes then).
  const finish = batch.kind === 'run' || !batch.groupId ? `strata run --resume ${batch.id}` : `the strata ${batch.kind} that began it, with --resume ${batch.groupId}`;
  // A batch marked running may be this server's job, still under way (no resume then), or one whose process
  // stopped without saying so (the CLI's `results list` calls it interrupted).
  const incomplete =
    batch.status === 'complete'
      ? ''
      : batch.status === 'running'
        ? `This batch is running, or its process stopped: ${stored.toLocaleString('en-GB')} of ${batch.runs.toLocaleString('en-GB')} runs are stored so far, and the charts show those. If nothing is running it, finish it with ${finish}.`
        : `This batch is ${batch.status}: ${stored.toLocaleString('en-GB')} of ${batch.runs.toLocaleString('en-GB')} runs are stored, and the charts show those. Finish it with ${finish}.`;
  root.innerHTML = `<h2>Batch ${escape(batch.id)}: ${escape(batch.scenario)} on ${escape(batch.twin)}, ${escape(batch.regime)}${changed ? ` (${escape(how)})` : ''}${decided.length > 0 ? ` (${escape(decidedHow)})` : ''}</h2>
    ${incomplete ? `<p class="problems" id="incomplete">${escape(incomplete)}</p>` : ''}
    ${batch.summaries ? summaryTable(batch.summaries, batch.runs) : ''}
    ${changed ? '<p class="words" id="changed"></p>' : ''}
    <div class="controls"><label>Metric <select id="metric">${[...new Set([...HEADLINE.filter((m) => names.includes(m)), ...names])].map((m) => `<option${m === shown ? ' selected' : ''}>${m}</option>`).join('')}</select></label></div>
    <div class="chart" id="histogram"></div><div class="chart" id="cdf"></div><div class="chart" id="gauge"></div><div class="chart" id="fan"><p>Computing the fan chart…</p></div>`;
  root.querySelector('#metric')!.addEventListener('change', (e) => writeState('results', { metric: (e.target as HTMLSelectElement).value }));
  const label = provenance({ scenario: batch.scenario, twin: batch.twin, regime: batch.regime, seed: batch.seed, batch: batch.id, version: batch.version, hashes: batch.hashes });
  document.getElementById('provenance')!.textContent = label;
  // A sweep's label is its swept `path=value`: one more --set.
  const given = batch.kind === 'sweep' && batch.label ? [...sets, batch.label] : sets;
  const flags = [...given.map((s) => (s.startsWith('calibration=') ? `--calibration ${s.slice('calibration='.length)}` : `--set ${s}`)), ...decided.map((d) => `--decide ${d}`)].join(' ');
  const traceCommand = (run: number) => `strata trace ${batch.scenario} --twin ${batch.twin} --regime ${batch.regime} --seed ${batch.seed} --run ${run}${flags ? ` ${flags}` : ''}`;
  const note = root.querySelector<HTMLElement>('#changed');
  if (note) note.textContent = `Its documents are not the built-in ones as named (${how}): the fan chart and the cascade view, which compute from built-in documents, are not offered for it. Click a bar for the command that traces one of its runs.`;
  const open = changed
    ? (run: number) => void (note!.textContent = `Run ${run}: ${batch.kind === 'sensitivity' ? `${traceCommand(run)}, with the design point's values (${batch.label ?? ''})` : traceCommand(run)}`)
    : (run: number) => writeState('cascade', { scenario: batch.scenario, twin: batch.twin, regime: batch.regime, seed: String(batch.seed), run: String(run), t: '0', play: '1', what: decided.length > 0 ? formatWhatIf(decided) : '' });
  const pairs = values.map((v, i) => ({ run: runs[i]!, v })).filter((p): p is { run: number; v: number } => p.v !== null);
  histogram(root.querySelector('#histogram')!, pairs, shown, label, open);
  cdf(root.querySelector('#cdf')!, pairs, shown, label, open);
  if (batch.summaries) convergence(root.querySelector('#gauge')!, batch.summaries, batch.runs, label);
  const fanRoot = root.querySelector<HTMLElement>('#fan')!;
  if (stored < 2) {
    fanRoot.textContent = 'No fan chart for a single run: open it in the cascade view.';
    return;
  }
  if (changed) {
    fanRoot.textContent = `No fan chart: it would run the built-in documents, not this batch's (${how}).`;
    return;
  }
  if (decided.length > 0) {
    fanRoot.textContent = `No fan chart: it would run without this batch's decisions (${decidedHow}). Click a bar to replay one of its runs with them.`;
    return;
  }
  try {
    // Over the runs stored (an interrupted batch's fewer), at most 1,000: recomputed, series are not stored.
    const f = await api.fan({ scenario: batch.scenario, twin: batch.twin, regime: batch.regime, seed: batch.seed, runs: Math.min(stored, 1000) });
    fanRoot.innerHTML = '';
    fan(fanRoot, f, label);
  } catch (error) {
    fanRoot.textContent = `No fan chart: ${(error as Error).message}`;
  }
}

/**
 * The headline outcomes in numbers, as `strata run` prints them: each mean with its 95% interval and the 5th,
 * 50th and 95th percentiles of the runs, in plain words and units (times in hours). The charts below show one
 * metric's distribution; this says the uncertainty in figures, which the page never did (a trial).
 */
function summaryTable(summaries: Record<string, Summary | null>, runs: number): string {
  const f = (x: number | null | undefined, unit: TimeUnit | null) =>
    x === null || x === undefined || !Number.isFinite(x) ? '—' : (unit ? x / unit.divisor : x).toLocaleString('en-GB', { maximumSignificantDigits: 3 });
  const rows = LABELLED.flatMap(([metric, label]) => {
    if (!(metric in summaries)) return [];
    const m = summaries[metric];
    // A day-N capacity has no value only past the horizon (as the CLI says); anything else missing never happened.
    if (!m) return [`<tr><th scope="row">${escape(label)}</th><td colspan="5">${/\.day\d+$/.test(metric) ? 'past the horizon' : 'never happened'}</td><td></td></tr>`];
    // Hours, or minutes (seconds) where no value in the row reaches an hour (a minute), as the CLI shows them.
    const h = timeUnit(metric, [m.mean, m.ci95[0], m.ci95[1], m.p05, m.p50, m.p95]);
    return [
      `<tr><th scope="row">${escape(unitLabel(label, h))}</th><td>${f(m.mean, h)}</td><td>${f(m.ci95[0], h)} – ${f(m.ci95[1], h)}</td><td>${f(m.p05, h)}</td><td>${f(m.p50, h)}</td><td>${f(m.p95, h)}</td><td>${m.n < runs ? m.n.toLocaleString('en-GB') : ''}</td></tr>`,
    ];
  });
  return `<table class="summary" id="summary"><caption>Headline outcomes over ${runs.toLocaleString('en-GB')} runs: the mean with its 95% interval, and the runs' 5th, 50th and 95th percentiles (n: the runs where it happened, when not all)</caption>
    <thead><tr><th scope="col">outcome</th><th scope="col">mean</th><th scope="col">95% interval of the mean</th><th scope="col">p5</th><th scope="col">p50</th><th scope="col">p95</th><th scope="col">n</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Members compromised and disrupted now per layer over time: the median line and the 5–95% band over the runs. */
function fan(root: HTMLElement, f: Fan, label: string): void {
  const shown = f.series.filter((s) => s.what === 'disrupted' || s.median.some((x) => x > 0) || s.upper.some((x) => x > 0));
  const csv = () => `hours,${shown.flatMap((s) => [`${s.what}.${s.layer}.p05`, `${s.what}.${s.layer}.p50`, `${s.what}.${s.layer}.p95`]).join(',')}\n${f.hours.map((h, i) => [h, ...shown.flatMap((s) => [s.lower[i], s.median[i], s.upper[i]])].join(',')).join('\n')}\n`;
  const { svg, width, height, margin } = frame(root, `Members down now, per layer: median and 5–95% of ${f.runs} runs`, label, csv);
  const x = d3.scaleLinear().domain([0, f.hours[f.hours.length - 1]!]).range([margin.left, width - margin.right - 110]);
  const disrupted = f.series.filter((s) => s.what === 'disrupted');
  const y = d3.scaleLinear().domain([0, Math.max(1, ...disrupted.flatMap((s) => s.upper))]).nice().range([height - margin.bottom, margin.top]);
  svg.append('g').attr('transform', `translate(0,${height - margin.bottom})`).call(d3.axisBottom(x).ticks(8).tickFormat((h) => `${h}h`));
  svg.append('g').attr('transform', `translate(${margin.left},0)`).call(d3.axisLeft(y).ticks(5));
  const colours: Record<string, string> = { cloud: '#0072B2', network: '#009E73', physical: '#D55E00' };
  disrupted.forEach((s, j) => {
    const colour = colours[s.layer]!;
    svg.append('path').attr('class', 'band').datum(f.hours.map((h, i) => [h, s.lower[i]!, s.upper[i]!] as const)).attr('fill', colour).attr('fill-opacity', 0.18).attr('d', d3.area<readonly [number, number, number]>().x((d) => x(d[0])).y0((d) => y(d[1])).y1((d) => y(d[2])));
    svg.append('path').attr('class', 'median').datum(f.hours.map((h, i) => [h, s.median[i]!] as const)).attr('fill', 'none').attr('stroke', colour).attr('stroke-width', 2).attr('d', d3.line<readonly [number, number]>().x((d) => x(d[0])).y((d) => y(d[1])));
    svg.append('text').attr('x', width - margin.right - 104).attr('y', margin.top + 14 + j * 16).attr('fill', colour).attr('font-size', 12).text(`${s.layer} disrupted`);
  });
}

async function showGroup(root: HTMLElement, id: string, metric: string, batches: BatchInfo[]): Promise<void> {
  const result: GroupResult = await api.group(id);
  const first = batches.find((b) => b.id === result.batches[0]!.id);
  const metrics = Object.keys(result.differences[0]?.metrics ?? {});
  const shown = metrics.includes(metric) ? metric : 'compromised';
  const sweep = result.kind === 'sweep';
  const sensitivity = result.kind === 'sensitivity';
  root.innerHTML = `<h2>${sweep ? 'Sweep' : sensitivity ? 'Sensitivity analysis' : 'Comparison'} ${escape(id)}: ${escape(first?.scenario ?? '')} on ${escape(first?.twin ?? '')}${sweep ? `, over ${escape(result.batches[0]?.label?.split('=')[0] ?? '')}` : sensitivity ? `, ${result.batches.length} design points` : `, against ${escape(result.differences[0]?.against ?? '')}`}</h2>
    <div class="controls"><label>Metric <select id="metric">${[...new Set([...HEADLINE.filter((m) => metrics.includes(m)), ...metrics])].map((m) => `<option${m === shown ? ' selected' : ''}>${m}</option>`).join('')}</select></label></div>
    <div class="chart" id="forest"></div>`;
  root.querySelector('#metric')!.addEventListener('change', (e) => writeState('results', { metric: (e.target as HTMLSelectElement).value }));
  const label = first ? provenance({ scenario: first.scenario, twin: first.twin, regime: result.batches.map((b) => b.label ?? b.regime).join(' vs '), seed: first.seed, batch: id, version: first.version }) : id;
  document.getElementById('provenance')!.textContent = label;
  if (sweep) sweepLines(root.querySelector('#forest')!, result, shown, label);
  else if (sensitivity) tornado(root.querySelector('#forest')!, result, shown, label);
  else forest(root.querySelector('#forest')!, result, shown, label);
}

/**
 * A sensitivity analysis's tornado from its stored design points: along each trajectory a point moves one
 * parameter (its label says which), so the outcome's change from the point before — the mean of the run-by-run
 * changes over the runs with it at both, as `strata sensitivity` takes it (the server's `steps`) — is that
 * parameter's elementary effect, in the outcome's unit per design step; the bars are their mean absolute
 * values (Morris μ* up to the step, which `strata sensitivity` divides by; its report is the reference).
 */
function tornado(root: HTMLElement, result: GroupResult, metric: string, label: string): void {
  const effects = new Map<string, number[]>();
  result.batches.forEach((b, i) => {
    const moved = /: moved (.+)$/.exec(b.label ?? '')?.[1];
    const change = result.steps?.[i]?.[metric];
    if (moved === undefined || change === undefined || change === null) return;
    const list = effects.get(moved) ?? [];
    list.push(Math.abs(change));
    effects.set(moved, list);
  });
  const rows = [...effects].map(([path, e]) => ({ path: path.replace(/^scenario\./, ''), effect: e.reduce((a, x) => a + x, 0) / e.length })).sort((a, b) => b.effect - a.effect).slice(0, 15);
  const csv = () => `parameter,mean absolute change of ${metric} per step\n${rows.map((r) => `${r.path},${r.effect}`).join('\n')}\n`;
  const { svg, width, height, margin } = frame(root, `${metric}: what moves it (mean |change| per design step, top 15)`, label, csv);
  const x = d3.scaleLinear().domain([0, Math.max(1e-9, ...rows.map((r) => r.effect))]).nice().range([margin.left + 260, width - margin.right]);
  const y = d3.scaleBand().domain(rows.map((r) => r.path)).range([margin.top, height - margin.bottom]).padding(0.2);
  svg.append('g').attr('transform', `translate(0,${height - margin.bottom})`).call(d3.axisBottom(x).ticks(6));
  svg.append('g').selectAll('rect').data(rows).join('rect').attr('class', 'effect').attr('x', x(0)).attr('y', (r) => y(r.path)!).attr('height', y.bandwidth()).attr('width', (r) => x(r.effect) - x(0)).attr('fill', '#0072B2');
  svg.append('g').selectAll('text').data(rows).join('text').attr('x', margin.left + 254).attr('text-anchor', 'end').attr('y', (r) => y(r.path)! + y.bandwidth() / 2).attr('dy', '0.35em').attr('font-size', 10).text((r) => r.path);
}

/** A sweep: the metric's mean at each swept value with its 95% interval as a band (the same run seeds at every value). */
function sweepLines(root: HTMLElement, result: GroupResult, metric: string, label: string): void {
  const points = result.batches
    .map((b) => ({ value: Number((b.label ?? '').split('=').pop()), s: b.summaries?.[metric] ?? null }))
    .filter((p): p is { value: number; s: NonNullable<typeof p.s> } => Number.isFinite(p.value) && p.s !== null)
    .sort((a, b) => a.value - b.value);
  const path = result.batches[0]?.label?.split('=')[0] ?? 'value';
  const csv = () => `${path},${metric} mean,ci95 low,ci95 high\n${points.map((p) => `${p.value},${p.s.mean},${p.s.ci95[0]},${p.s.ci95[1]}`).join('\n')}\n`;
  const { svg, width, height, margin } = frame(root, `${metric} against ${path}: mean and 95% interval`, label, csv);
  const x = d3.scaleLinear().domain(d3.extent(points, (p) => p.value) as [number, number]).nice().range([margin.left, width - margin.right]);
  const y = d3.scaleLinear().domain([Math.min(0, ...points.map((p) => p.s.ci95[0])), Math.max(1e-9, ...points.map((p) => p.s.ci95[1]))]).nice().range([height - margin.bottom, margin.top]);
  svg.append('g').attr('transform', `translate(0,${height - margin.bottom})`).call(d3.axisBottom(x).ticks(8));
  svg.append('g').attr('transform', `translate(${margin.left},0)`).call(d3.axisLeft(y).ticks(5));
  svg.append('path').attr('class', 'band').datum(points).attr('fill', '#0072B2').attr('fill-opacity', 0.18).attr('d', d3.area<(typeof points)[number]>().x((p) => x(p.value)).y0((p) => y(p.s.ci95[0])).y1((p) => y(p.s.ci95[1])));
  svg.append('path').attr('class', 'median').datum(points).attr('fill', 'none').attr('stroke', '#0072B2').attr('stroke-width', 2).attr('d', d3.line<(typeof points)[number]>().x((p) => x(p.value)).y((p) => y(p.s.mean)));
  svg.append('g').selectAll('circle').data(points).join('circle').attr('cx', (p) => x(p.value)).attr('cy', (p) => y(p.s.mean)).attr('r', 3.5).attr('fill', '#0072B2').append('title').text((p) => `${path}=${p.value}: ${p.s.mean} [${p.s.ci95[0]}, ${p.s.ci95[1]}]`);
}

/**
 * How far each headline mean is known: the 95% interval's half-width relative to the mean, against the 5% that
 * `strata run --until-precision 0.05` stops at (bars past the line need more runs).
 */
function convergence(root: HTMLElement, summaries: Record<string, { mean: number; ci95: [number, number] } | null>, runs: number, label: string): void {
  const rows = HEADLINE.flatMap((m) => {
    const s = summaries[m];
    if (!s || s.mean === 0 || !Number.isFinite(s.ci95[0])) return [];
    return [{ metric: m, relative: Math.abs((s.ci95[1] - s.ci95[0]) / 2 / s.mean) }];
  });
  const csv = () => `metric,relative half-width\n${rows.map((r) => `${r.metric},${r.relative}`).join('\n')}\n`;
  const { svg, width, height, margin } = frame(root, `Convergence after ${runs} runs: each mean's 95% half-width relative to it (line: ±5%)`, label, csv);
  const x = d3.scaleLinear().domain([0, Math.max(0.1, ...rows.map((r) => r.relative))]).nice().range([margin.left + 170, width - margin.right]);
  const y = d3.scaleBand().domain(rows.map((r) => r.metric)).range([margin.top, height - margin.bottom]).padding(0.25);
  svg.append('g').attr('transform', `translate(0,${height - margin.bottom})`).call(d3.axisBottom(x).ticks(6).tickFormat(d3.format('.0%')));
  svg.append('g').selectAll('rect').data(rows).join('rect').attr('class', 'gauge').attr('x', x(0)).attr('y', (r) => y(r.metric)!).attr('height', y.bandwidth()).attr('width', (r) => x(r.relative) - x(0)).attr('fill', (r) => (r.relative <= 0.05 ? '#009E73' : '#E69F00'));
  svg.append('g').selectAll('text').data(rows).join('text').attr('x', margin.left + 164).attr('text-anchor', 'end').attr('y', (r) => y(r.metric)! + y.bandwidth() / 2).attr('dy', '0.35em').attr('font-size', 11).text((r) => r.metric);
  svg.append('line').attr('x1', x(0.05)).attr('x2', x(0.05)).attr('y1', margin.top).attr('y2', height - margin.bottom).attr('stroke', '#000').attr('stroke-dasharray', '4 3');
}

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

type Open = (run: number) => void;

/** The unit a metric is stored in, where it is not a count (docs/metrics.md): times are minutes. */
function unit(metric: string): string {
  return isMinutes(metric) ? ' (minutes):' : ':';
}

function frame(root: HTMLElement, title: string, label: string, csv: () => string) {
  const width = Math.min(900, root.clientWidth || 900);
  const height = 272;
  const margin = { top: 28, right: 20, bottom: 48, left: 60 };
  const svg = d3.select(root).append('svg').attr('viewBox', `0 0 ${width} ${height}`).attr('width', width).attr('role', 'img').attr('aria-label', title).attr('xmlns', 'http://www.w3.org/2000/svg');
  svg.append('text').attr('x', margin.left).attr('y', 14).attr('font-size', 13).attr('font-weight', 600).text(title);
  // The provenance in two lines, the inputs' hashes on the second: on one line it ran past the chart's edge (a trial).
  const cut = label.search(/ · twin [0-9a-f]{12}/);
  const caption = svg.append('text').attr('font-size', 10).attr('fill', '#666');
  caption.append('tspan').attr('x', margin.left).attr('y', height - 15).text(cut < 0 ? label : label.slice(0, cut));
  if (cut >= 0) caption.append('tspan').attr('x', margin.left).attr('y', height - 3).text(label.slice(cut + 3));
  exports(root, svg.node()!, title, csv);
  return { svg, width, height, margin };
}

function histogram(root: HTMLElement, pairs: { run: number; v: number }[], metric: string, label: string, open: Open): void {
  const csv = () => `run,${metric}\n${pairs.map((p) => `${p.run},${p.v}`).join('\n')}\n`;
  const { svg, width, height, margin } = frame(root, `${metric}${unit(metric)} distribution over ${pairs.length} runs (click a bar to replay one of its runs)`, label, csv);
  const extent = d3.extent(pairs, (p) => p.v) as [number, number];
  const x = d3.scaleLinear().domain(extent[0] === extent[1] ? [extent[0] - 1, extent[1] + 1] : extent).nice().range([margin.left, width - margin.right]);
  const bins = d3.bin<{ run: number; v: number }, number>().value((p) => p.v).domain(x.domain() as [number, number]).thresholds(30)(pairs);
  const y = d3.scaleLinear().domain([0, d3.max(bins, (b) => b.length) ?? 1]).nice().range([height - margin.bottom, margin.top]);
  svg.append('g').attr('transform', `translate(0,${height - margin.bottom})`).call(d3.axisBottom(x).ticks(8));
  svg.append('g').attr('transform', `translate(${margin.left},0)`).call(d3.axisLeft(y).ticks(5));
  svg
    .append('g')
    .selectAll('rect')
    .data(bins)
    .join('rect')
    .attr('x', (b) => x(b.x0!) + 1)
    .attr('width', (b) => Math.max(1, x(b.x1!) - x(b.x0!) - 1))
    .attr('y', (b) => y(b.length))
    .attr('height', (b) => y(0) - y(b.length))
    .attr('fill', '#0072B2')
    .attr('tabindex', 0)
    .attr('role', 'button')
    .attr('aria-label', (b) => `${b.length} runs between ${b.x0} and ${b.x1}: replay one`)
    .style('cursor', 'pointer')
    .on('click keydown', (event: Event, b) => {
      if (event instanceof KeyboardEvent && event.key !== 'Enter') return;
      if (b.length > 0) open(b[Math.floor(b.length / 2)]!.run);
    });
}

function cdf(root: HTMLElement, pairs: { run: number; v: number }[], metric: string, label: string, open: Open): void {
  const sorted = pairs.slice().sort((a, b) => a.v - b.v);
  const csv = () => `${metric},cumulative share\n${sorted.map((p, i) => `${p.v},${(i + 1) / sorted.length}`).join('\n')}\n`;
  const { svg, width, height, margin } = frame(root, `${metric}${unit(metric)} cumulative distribution (click a percentile to replay its run)`, label, csv);
  const extent = d3.extent(sorted, (p) => p.v) as [number, number];
  const x = d3.scaleLinear().domain(extent[0] === extent[1] ? [extent[0] - 1, extent[1] + 1] : extent).nice().range([margin.left, width - margin.right]);
  const y = d3.scaleLinear().domain([0, 1]).range([height - margin.bottom, margin.top]);
  svg.append('g').attr('transform', `translate(0,${height - margin.bottom})`).call(d3.axisBottom(x).ticks(8));
  svg.append('g').attr('transform', `translate(${margin.left},0)`).call(d3.axisLeft(y).ticks(5).tickFormat(d3.format('.0%')));
  svg.append('path').datum(sorted).attr('fill', 'none').attr('stroke', '#0072B2').attr('stroke-width', 2).attr('d', d3.line<{ v: number }>().curve(d3.curveStepAfter).x((p) => x(p.v)).y((_, i) => y((i + 1) / sorted.length)));
  for (const q of [0.05, 0.5, 0.95]) {
    const p = sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    if (!p) continue;
    svg
      .append('circle')
      .attr('cx', x(p.v))
      .attr('cy', y(q))
      .attr('r', 6)
      .attr('fill', '#D55E00')
      .attr('tabindex', 0)
      .attr('role', 'button')
      .attr('aria-label', `p${Math.round(q * 100)}: run ${p.run}, ${p.v}`)
      .style('cursor', 'pointer')
      .on('click', () => open(p.run))
      .append('title')
      .text(`p${Math.round(q * 100)} = ${p.v} (run ${p.run})`);
  }
}

/** Paired differences against the first regime with their 95% intervals: one row per compared regime. */
function forest(root: HTMLElement, result: GroupResult, metric: string, label: string): void {
  const rows = result.differences.map((d) => ({ label: `${d.label} − ${d.against}`, p: d.metrics[metric] ?? null }));
  const csv = () => `comparison,${metric} mean difference,ci95 low,ci95 high\n${rows.map((r) => `${r.label},${r.p?.meanDifference ?? ''},${r.p?.ci95[0] ?? ''},${r.p?.ci95[1] ?? ''}`).join('\n')}\n`;
  const { svg, width, height, margin } = frame(root, `${metric}: paired differences with 95% intervals`, label, csv);
  const values = rows.flatMap((r) => (r.p ? [r.p.ci95[0], r.p.ci95[1], 0] : [0]));
  const [lo, hi] = d3.extent(values) as [number, number];
  // The right 180 px hold each difference in figures.
  const x = d3.scaleLinear().domain(lo === hi ? [lo - 1, hi + 1] : [lo, hi]).nice().range([margin.left + 150, width - margin.right - 180]);
  const y = d3.scaleBand().domain(rows.map((r) => r.label)).range([margin.top, height - margin.bottom]).padding(0.4);
  svg.append('g').attr('transform', `translate(0,${height - margin.bottom})`).call(d3.axisBottom(x).ticks(8));
  svg.append('line').attr('class', 'zero').attr('x1', x(0)).attr('x2', x(0)).attr('y1', margin.top).attr('y2', height - margin.bottom).attr('stroke', '#999').attr('stroke-dasharray', '4 3');
  const g = svg.append('g').selectAll('g').data(rows).join('g').attr('transform', (r) => `translate(0,${y(r.label)! + y.bandwidth() / 2})`);
  g.append('text').attr('x', margin.left + 140).attr('text-anchor', 'end').attr('dy', '0.35em').attr('font-size', 12).text((r) => r.label);
  g.filter((r) => r.p !== null)
    .append('line')
    .attr('class', 'interval')
    .attr('x1', (r) => x(r.p!.ci95[0]))
    .attr('x2', (r) => x(r.p!.ci95[1]))
    .attr('stroke', '#0072B2')
    .attr('stroke-width', 2);
  g.filter((r) => r.p !== null)
    .append('rect')
    .attr('class', 'estimate')
    .attr('x', (r) => x(r.p!.meanDifference) - 4)
    .attr('y', -4)
    .attr('width', 8)
    .attr('height', 8)
    .attr('fill', '#D55E00')
    .append('title')
    .text((r) => `${r.p!.meanDifference} [${r.p!.ci95[0]}, ${r.p!.ci95[1]}]`);
  // Each difference in figures beside the bar (the plot alone gave none: a trial), times in hours.
  const h = isMinutes(metric);
  const figure = (x: number) => (h ? x / 60 : x).toLocaleString('en-GB', { maximumSignificantDigits: 3 });
  g.filter((r) => r.p !== null)
    .append('text')
    .attr('class', 'figure')
    .attr('x', width - margin.right - 172)
    .attr('dy', '0.35em')
    .attr('font-size', 11)
    .text((r) => `${figure(r.p!.meanDifference)} [${figure(r.p!.ci95[0])}, ${figure(r.p!.ci95[1])}]${h ? ' h' : ''}`);
}

