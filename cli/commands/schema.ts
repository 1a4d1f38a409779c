import type { Command } from 'commander';
import { DOCUMENTS, jsonSchema, type DocumentKind } from '../../engine/model/json-schema.js';
import { UsageError } from '../errors.js';
import { summary } from './index.js';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description(summary('schema'))
    .argument('<kind>', 'twin, scenario, regime, targets or calibration')
    .action((kind: string) => {
      if (!Object.hasOwn(DOCUMENTS, kind)) throw new UsageError(`schema: expected one of ${Object.keys(DOCUMENTS).join(', ')}, got "${kind}"`);
      process.stdout.write(`${JSON.stringify(jsonSchema(kind as DocumentKind), null, 2)}\n`);
    });
}
