import type { Command } from 'commander';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { packageRoot } from '../../engine/package-root.js';
import { documentBytes, tooLarge } from '../../engine/model/vocabulary.js';
import { stringify } from 'yaml';
import { layerCrossings, layerReachability, summarizeTwin, twinToGraph } from '../../engine/model/graph.js';
import { writeGexf, writeGraphML } from '../../engine/model/interchange.js';
import type { Twin } from '../../engine/model/twin.js';
import { inputFiles, outputPath, writeOutput } from '../args.js';
import { UsageError } from '../errors.js';
import { table } from '../format.js';
import { summary } from './index.js';

const FORMATS = ['yaml', 'json', 'graphml', 'gexf'] as const;

export function registerTwin(program: Command): void {
  const twin = program.command('twin').description(summary('twin'));

  twin
    .command('validate')
    .argument('<twin>', 'a twin file (YAML, JSON, GraphML, GEXF) or built-in name')
    .description('check a twin; prints every problem with its field path, exit 2 if any')
    .action(async (file: string) => {
      const t = await twinNamed(file);
      process.stdout.write(`${file}: valid strata.twin/v1 "${t.name}" — ${t.nodes.length.toLocaleString('en-GB')} entries, ${t.nodes.reduce((s, n) => s + n.count, 0).toLocaleString('en-GB')} nodes\n`);
    });

  twin
    .command('inspect')
    .argument('<twin>', 'a twin file or built-in name')
    .option('--json', 'print one JSON object')
    .description('counts per layer, kind, zone and owner; which layers reach which')
    .action(async (file: string, options: { json?: boolean }) => {
      const t = await twinNamed(file);
      const summary = summarizeTwin(t);
      const reach = layerReachability(twinToGraph(t));
      const crossings = layerCrossings(t);
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ name: t.name, ...summary, layerReachability: reach, layerCrossings: crossings })}\n`);
        return;
      }
      const counts = (title: string, record: Record<string, number>) =>
        `${table([title, 'nodes'], Object.entries(record).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, v.toLocaleString('en-GB')]))}\n`;
      process.stdout.write(`${t.name}: ${summary.entries.toLocaleString('en-GB')} entries, ${summary.nodes.toLocaleString('en-GB')} nodes, ${summary.edges.toLocaleString('en-GB')} edges once groups are expanded\n\n`);
      process.stdout.write(`${counts('layer', summary.byLayer)}\n${counts('kind', summary.byKind)}\n${counts('owner', summary.byOwner)}\n`);
      if (Object.keys(summary.byZone).length <= 60) process.stdout.write(`${counts('zone', summary.byZone)}\n`);
      else process.stdout.write(`${Object.keys(summary.byZone).length} zones (see --json)\n\n`);
      const hops = (x: number | null) => (x === null ? 'no path' : `${x} hop${x === 1 ? '' : 's'}`);
      const layers = ['physical', 'network', 'cloud'] as const;
      process.stdout.write(`${table(['from \\ to', ...layers], layers.map((a) => [a, ...layers.map((b) => (a === b ? '' : hops(reach[a][b])))]))}\n`);
      process.stdout.write(`\nexplicit edges crossing layers: ${crossings.up} up, ${crossings.down} down, ${crossings.within} within a layer\n`);
    });

  twin
    .command('convert')
    .argument('<twin>', 'a twin file or built-in name')
    .requiredOption('-o, --output <file>', 'the file to write (required); its extension picks the format (.yaml or .yml, .json, .graphml, .gexf)')
    .description('convert between YAML, JSON, GraphML and GEXF (Gephi, yEd, NetworkX)')
    .action(async (file: string, options: { output: string }) => {
      const format = options.output.split('.').pop()?.toLowerCase().replace('yml', 'yaml');
      if (!FORMATS.includes(format as (typeof FORMATS)[number])) throw new UsageError(`twin convert: -o: expected a file ending in .yaml, .yml, .json, .graphml or .gexf, got "${options.output}"`);
      outputPath(options.output, 'twin convert: -o', inputFiles(undefined, { twin: file }));
      const t = await twinNamed(file);
      const text = render(t, format as (typeof FORMATS)[number], options.output);
      // A file Strata could not read back is not written: the format's read limit is set by parsing's cost.
      const size = Buffer.byteLength(text);
      if (size > documentBytes(options.output).bytes) throw new UsageError(`twin convert: -o ${options.output}: ${tooLarge(options.output, size)}`);
      writeOutput(options.output, text, 'twin convert: -o');
      process.stderr.write(`wrote ${options.output}\n`);
    });
}

/** A twin file or built-in twin, loaded with its schemas and generators only when a subcommand runs (not for --help). */
async function twinNamed(file: string): Promise<Twin> {
  return (await import('../../scenarios/index.js')).resolveTwin(file);
}

function render(t: Twin, format: (typeof FORMATS)[number], file: string): string {
  if (format === 'json') return `${JSON.stringify(t, null, 2)}\n`;
  if (format === 'graphml') return writeGraphML(t, file);
  if (format === 'gexf') return writeGexf(t, file);
  // No anchors and aliases: a loaded twin holds equal lists once (shareNodeFields, to save memory), which the
  // writer would otherwise print as `software: &a1 []` and `vulns: *a1` — one list edited by hand changing others.
  // The editor's schema by a path from the file to this install's schemas/, as the shipped twins give theirs
  // (it named https://strata.invalid/…, which no editor can fetch: a trial).
  const schema = relative(dirname(resolve(file)), join(packageRoot(import.meta.url), 'schemas', 'twin.schema.json')).split(sep).join('/');
  return `# yaml-language-server: $schema=${schema}\n${stringify(t, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
