export { SensitivityError, InvalidArgumentSensitivityError } from './errors.js';
export { morrisDesign, type MorrisDesign, type MorrisOptions } from './morris-design.js';
export { elementaryEffects, type MorrisIndices, type MorrisOutcome } from './elementary-effects.js';
export { checkRange, unitAt, valueAt, type ParameterRange } from './ranges.js';
export { defaultRange, type DefaultRange } from './default-range.js';
export { fieldSchema, numericField, type NumericField } from './field-schema.js';
export { delayLocation, markedFields, type MarkedField } from './discover.js';
