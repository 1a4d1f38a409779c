import { z } from 'zod';
import { Targets } from '../calibrate/targets.js';
import { CalibrationFile } from './calibration.js';
import { Regime } from './regime.js';
import { Scenario } from './scenario.js';
import { Twin } from './twin.js';

/** The JSON Schemas of the documents, generated from the zod schemas (the one source of truth). */
export const DOCUMENTS = { twin: Twin, scenario: Scenario, regime: Regime, targets: Targets, calibration: CalibrationFile } as const;
export type DocumentKind = keyof typeof DOCUMENTS;

export function jsonSchema(kind: DocumentKind): Record<string, unknown> {
  // io: 'input' describes what a user writes (fields with defaults are optional); refinements such as
  // CVSS scoring cannot be expressed and are checked by the loader.
  const schema = z.toJSONSchema(DOCUMENTS[kind], { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, $id: `https://strata.invalid/schemas/${kind}.schema.json`, title: `strata.${kind}/v1` };
}
