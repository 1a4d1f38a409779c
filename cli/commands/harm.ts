import type { Command } from 'commander';
import { cveInContext } from '../../engine/model/cve-context.js';
import { CveId } from '../../engine/model/common.js';
import { SEVERITIES } from '../../engine/model/harm.js';
import { UsageError } from '../errors.js';
import { table } from '../format.js';
import { summary } from './index.js';

/** A rate to two significant figures, the same way in every cell (0.0012, 0.00030, 0.050). */
const rate = (x: number): string => (x === 0 ? '0' : x.toPrecision(2));

/**
 * `strata harm CVE-ID`: the "same score, different unit of harm" table — for each kind of node in the twin
 * that carries the flaw, its CVSS score(s) with their sources, the score in its clinical context, and the
 * harm it can lead to at the rates the simulation runs (after the regime's clinical mitigations).
 */
export function registerHarm(program: Command): void {
  program
    .command('harm')
    .argument('<cve>', 'a CVE id, e.g. CVE-2019-10964')
    .option('--twin <twin>', 'a twin file or built-in name', 'acute-trust')
    .option('--regime <regime>', 'a regime file or built-in name: its clinical mitigations apply', 'baseline')
    .option('--json', 'print one JSON object')
    .description(summary('harm'))
    .action(async (id: string, options: { twin: string; regime: string; json?: boolean }) => {
      const cve = id.toUpperCase();
      if (!CveId.safeParse(cve).success) throw new UsageError(`harm: expected a CVE id like CVE-2019-10964, got ${JSON.stringify(id)}`);
      // The twins and their schemas, loaded only to run (not for --help).
      const { resolveRegime, resolveTwin } = await import('../../scenarios/index.js');
      const twin = resolveTwin(options.twin);
      const regime = resolveRegime(options.regime);
      const kinds = cveInContext(twin, cve, regime.controls);
      if (kinds.length === 0) throw new UsageError(`harm: no node of twin "${twin.name}" carries ${cve} (vulns[].cve)`);
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ cve, twin: twin.name, regime: regime.name, kinds })}\n`);
        return;
      }
      process.stdout.write(`${cve} on ${twin.name} (regime ${regime.name}): the same score, a different unit of harm\n\n`);
      const figure = (x: number) => x.toLocaleString('en-GB', { maximumFractionDigits: 1 });
      const ratings = kinds.flatMap((k) =>
        k.ratings.map((r, i) => [i === 0 ? k.kind : '', i === 0 ? figure(k.members) : '', i === 0 ? figure(k.carrying) : '', i === 0 ? figure(k.patients) : '', `${r.baseScore.toFixed(1)} (v${r.version})`, r.contextScore.toFixed(1), r.source]),
      );
      process.stdout.write(`${table(['kind', 'members', 'carrying', 'patients', 'CVSS', 'in context', 'source'], ratings)}\n`);
      // A trial read "900.9 carrying" as a count and asked where the tenth came from.
      process.stdout.write(
        "carrying: the members expected to carry the flaw in a run, the kind's members times the twin's share of them that carry it\n" +
          '(vulns[].share); each member carries it or not, drawn anew each run (docs/engine.md "The run\'s estate"), so the expectation\n' +
          'need not be whole. patients: attached to those members (expected).\n\n',
      );
      const harm = kinds.flatMap((k) =>
        k.harm.length === 0
          ? [[k.kind, '—', k.context, ...SEVERITIES.map(() => ''), '']]
          : k.harm.map((h, i) => [i === 0 ? k.kind : '', h.effect, h.what, ...SEVERITIES.map((s) => rate(h.perPatientHour[s])), rate(h.seriousOrWorse)]),
      );
      process.stdout.write(`${table(['kind', 'effect', 'what happens', ...SEVERITIES, 'serious+'], harm)}\n`);
      process.stdout.write('\nRates: expected harm events per attached patient-hour of the effect, as the simulation runs them (engine/model/harm.ts, assumptions with their sources; docs/metrics.md "Patient harm").\n');
      process.stdout.write('In context: environmental metrics for a device attached to a patient (MITRE medical-device rubric; CVSS v4.0 MSI:S/MSA:S, S:P), scored by ae-cvss-calculator.\n');
      const mitigations = [...new Set(kinds.flatMap((k) => k.harm.flatMap((h) => h.mitigations)))];
      if (mitigations.length > 0) process.stdout.write(`Mitigations held by ${regime.name}: ${mitigations.join(', ')}.\n`);
    });
}
