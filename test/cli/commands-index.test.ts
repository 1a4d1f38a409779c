import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../cli/commands/index.js';
import { BIN, tempDir } from './cli.js';

/** `strata --help` lists the commands from their entries without loading them: the entries must say what the commands do. */
describe('the command index', () => {
  it.each(COMMANDS.map((c) => [c.name, c] as const))('%s: the listing matches the command as registered', async (_name, entry) => {
    const program = new Command('strata');
    (await entry.load())(program);
    const command = program.commands.find((c) => c.name() === entry.name)!;
    expect(command.description()).toBe(entry.description);
    const args = command.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}]`)).join(' ');
    expect(args).toBe(entry.args);
    expect(command.options.length > 0).toBe(entry.options);
  });
});

/**
 * A command's own `--help` loads what registering it needs, not what running it needs: no DuckDB, no
 * dashboard server (issue 15: `serve --help` took 0.9 s loading both, `compare --help` 0.85 s).
 */
describe("each command's --help", () => {
  const dir = tempDir();
  // CommonJS modules loaded by the process, as it exits: DuckDB's native bindings and fastify are CommonJS.
  const probe = join(dir, 'probe.cjs');
  writeFileSync(probe, "process.on('exit', () => process.stderr.write(`loaded: ${Object.keys(require.cache).filter((f) => /duckdb|fastify/.test(f)).length}\\n`));\n");

  it.each(COMMANDS.map((c) => [c.name] as const))('%s --help loads neither DuckDB nor the server', (name) => {
    const result = spawnSync(process.execPath, ['--require', probe, BIN, name, '--help'], { encoding: 'utf8', timeout: 60_000 });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Usage: strata ${name}`);
    expect(result.stderr).toContain('loaded: 0\n');
  });

  it('(the probe sees them when a command does load them)', () => {
    const result = spawnSync(process.execPath, ['--require', probe, BIN, 'results', 'list', '--db', join(dir, 'none.duckdb')], { encoding: 'utf8', timeout: 60_000 });
    expect(result.stderr).toMatch(/loaded: [1-9]/);
  });
});
