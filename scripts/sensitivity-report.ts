// Regenerates the results in docs/sensitivity.md (between its "results" markers) and docs/img/sensitivity-*.svg:
//   npx tsx scripts/sensitivity-report.ts
// One `strata sensitivity` command per seed scenario, on acute-trust, one worker; the doc prints each command
// line, so any one can be rerun by hand. Rerun after changes to the models and commit what it writes.
// `--trajectories N --runs N` override the budget (a quick check of the script: --trajectories 2 --runs 10).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { number, unitLabel } from '../cli/format.js';
import { revision } from '../bench/harness/revision.js';
import { outcomeLabel } from '../cli/sensitivity/outcomes.js';
import { outcomeUnit, rangeText, type AnalysisJson, type IndexJson } from '../cli/sensitivity/report.js';

const SCENARIOS = ['wannacry-down', 'medjack-up', 'crowdstrike-update', 'supplier-ransomware', 'vendor-cloud-down'];
const DOC = 'docs/sensitivity.md';
const BEGIN = '<!-- results: written by scripts/sensitivity-report.ts; edit the script, not this section -->';
const END = '<!-- end of results -->';
const TOP = 3;

const flag = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const budget = ['--trajectories', flag('--trajectories', '10'), '--runs', flag('--runs', '100')];

const short = (path: string) => path.replace(/^scenario\./, '');
type Outcome = AnalysisJson['outcomes'][number];
// An outcome's figures in its unit (outcomeUnit: the CLI's table and tornado say the same), its label saying it.
const inUnits = (o: Outcome, x: number | null) => {
  const unit = outcomeUnit(o);
  return x === null ? '—' : number(unit ? x / unit.divisor : x);
};
const labelOf = (o: Outcome) => unitLabel(outcomeLabel(o.metric), outcomeUnit(o));
const effect = (o: Outcome, i: IndexJson) => `\`${short(i.path)}\` ${inUnits(o, i.muStar)}${i.resolved ? '' : ' ~'}`;

function section(scenario: string, command: string, r: AnalysisJson, seconds: number): string[] {
  const ranked = r.outcomes.filter((o): o is Extract<AnalysisJson['outcomes'][number], { ranked: true }> => o.ranked);
  const unranked = r.outcomes.filter((o): o is Extract<AnalysisJson['outcomes'][number], { ranked: false }> => !o.ranked);
  const lines = [
    `### ${r.title}`,
    '',
    '```sh',
    command,
    '```',
    '',
    `Twin \`${r.twin}\`, regime \`${r.regime}\`, seed ${r.seed}: ${r.trajectories} trajectories (the most spread of ${r.candidates}) on ${r.levels} levels, ${r.points} design points × ${r.runs} runs, ${Math.round(seconds)} s on one worker (Strata ${r.version}).`,
    '',
    `**Top ${TOP} drivers per outcome** (μ* in the outcome's unit, a time's beside its name; ~: under 2 Monte Carlo standard errors):`,
    '',
    `| outcome | ${Array.from({ length: TOP }, (_, i) => `${i + 1}.`).join(' | ')} |`,
    `| --- | ${Array.from({ length: TOP }, () => '---').join(' | ')} |`,
    ...ranked.map((o) => {
      const moved = o.indices.filter((i) => i.muStar !== 0).slice(0, TOP);
      return `| ${labelOf(o)} | ${Array.from({ length: TOP }, (_, i) => (moved[i] ? effect(o, moved[i]) : '')).join(' | ')} |`;
    }),
    '',
    ...(unranked.length ? [`Not ranked: ${unranked.map((o) => `${labelOf(o)} (${o.reason})`).join('; ')}.`, ''] : []),
    `![Tornado chart: ${scenario}](img/sensitivity-${scenario}.svg)`,
    '',
    '<details><summary>Parameters, ranges and every index</summary>',
    '',
    '| parameter | as run | range | from |',
    '| --- | --- | --- | --- |',
    ...r.parameters.map((p) => `| \`${p.path}\` | ${number(p.baseline)} | ${rangeText(p)} | ${p.rangeFrom} |`),
    '',
    ...(r.fixed.length ? ['Left fixed:', '', ...r.fixed.map((f) => `- \`${f.path}\`: ${f.reason}`), ''] : []),
  ];
  for (const o of ranked) {
    const moved = o.indices.filter((i) => i.muStar !== 0);
    const none = o.indices.filter((i) => i.muStar === 0);
    lines.push(`**${labelOf(o)}**`, '', '| parameter | μ* | μ | σ | se |', '| --- | --- | --- | --- | --- |');
    lines.push(...moved.map((i) => `| \`${short(i.path)}\` | ${inUnits(o, i.muStar)}${i.resolved ? '' : ' ~'} | ${inUnits(o, i.mu)} | ${inUnits(o, i.sigma)} | ${inUnits(o, i.standardError)} |`));
    lines.push('', ...(none.length ? [`No effect in any run: ${none.map((i) => `\`${short(i.path)}\``).join(', ')}.`, ''] : []));
  }
  lines.push('</details>', '');
  return lines;
}

// The models the rankings belong to (a snapshot outside git names its commit in STRATA_BENCH_REVISION).
const models = revision();
const at = models ? `commit ${models.commit}${models.engineChanges.length ? ` with uncommitted changes to ${models.engineChanges.join(', ')}` : ''}` : 'an unknown revision';
const out: string[] = [BEGIN, '', `Generated at ${at}.`, ''];
for (const scenario of SCENARIOS) {
  const args = ['sensitivity', scenario, '--twin', 'acute-trust', ...budget, '--seed', '20170512', '--workers', '1', '--svg', `docs/img/sensitivity-${scenario}.svg`, '--json'];
  const command = `npx strata ${args.join(' ')}`;
  process.stderr.write(`${command}\n`);
  const started = performance.now();
  const run = spawnSync(process.execPath, ['cli/bin.mjs', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`${command} exited with ${run.status}`);
  out.push(...section(scenario, command, JSON.parse(run.stdout) as AnalysisJson, (performance.now() - started) / 1000));
}
out.push(END);
const doc = readFileSync(DOC, 'utf8');
const [head, rest] = [doc.slice(0, doc.indexOf(BEGIN)), doc.slice(doc.indexOf(END) + END.length)];
if (!doc.includes(BEGIN) || !doc.includes(END)) throw new Error(`${DOC}: expected the markers ${BEGIN} and ${END}`);
writeFileSync(DOC, `${head}${out.join('\n')}${rest}`);
process.stderr.write(`wrote ${DOC} and docs/img/sensitivity-*.svg\n`);
