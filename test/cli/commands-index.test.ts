import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../cli/commands/index.js';

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
