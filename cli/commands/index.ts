import type { Command } from 'commander';

/**
 * The commands, each loaded only when it is the one run: `strata --help` and `strata run …` do not load
 * DuckDB, the dashboard server or Vite unless they need them. The descriptions live here, once; each
 * command's module takes its own from `summary(name)`.
 */
export interface CommandEntry {
  name: string;
  /** The arguments as the top-level help lists them. */
  args: string;
  description: string;
  /** Whether the command takes options (shown as `[options]` in the listing). */
  options: boolean;
  load: () => Promise<(program: Command) => void>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'run', args: '[scenario]', options: true, description: 'run a seeded batch, print headline outcomes with 95% intervals and quantiles, and store it', load: async () => (await import('./run.js')).registerRun },
  { name: 'compare', args: '<scenario>', options: true, description: 'the same runs under several regimes (common random numbers): paired differences against the first', load: async () => (await import('./compare.js')).registerCompare },
  { name: 'sweep', args: '<scenario>', options: true, description: 'a batch per value of one parameter (same seeds at every value): a table, stored and exportable', load: async () => (await import('./sweep.js')).registerSweep },
  { name: 'trace', args: '<scenario>', options: true, description: "one run's event trace as JSON (what the dashboard animates)", load: async () => (await import('./trace.js')).registerTrace },
  { name: 'twin', args: '', options: false, description: 'validate, inspect or convert a twin (a file or a built-in name)', load: async () => (await import('./twin.js')).registerTwin },
  { name: 'results', args: '', options: false, description: 'list, show and export stored batches', load: async () => (await import('./results.js')).registerResults },
  { name: 'schema', args: '<kind>', options: false, description: 'print the JSON Schema of a document kind (for editors and validators)', load: async () => (await import('./schema.js')).registerSchema },
  {
    name: 'calibrate',
    args: '<scenario>',
    options: true,
    description: 'fit uncertain parameters to figures from the public record (ABC rejection or population Monte Carlo); writes a calibration file',
    load: async () => (await import('./calibrate.js')).registerCalibrate,
  },
  { name: 'sensitivity', args: '<scenario>', options: true, description: "rank the scenario's uncertain parameters by their effect on each headline outcome (Morris elementary effects, coupled runs)", load: async () => (await import('./sensitivity.js')).registerSensitivity },
  {
    name: 'harm',
    args: '<cve>',
    options: true,
    description: 'a CVE in its clinical context: CVSS score(s), the score in context, the harm it can lead to, per kind of node carrying it',
    load: async () => (await import('./harm.js')).registerHarm,
  },
  { name: 'serve', args: '', options: true, description: 'serve the dashboard on this machine: the cascade animated across the three layers, and stored results', load: async () => (await import('./serve.js')).registerServe },
];

export function summary(name: string): string {
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) throw new Error(`no command ${name}`);
  return entry.description;
}
