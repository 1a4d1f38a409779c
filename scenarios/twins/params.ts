import { StrataInputError } from '../../engine/model/errors.js';

/**
 * Parameter checks shared by the generators. A bad parameter is the caller's mistake, so it raises a
 * StrataInputError (the CLI prints it on one line and exits 2): `acute-trust: params.beds: expected ...`.
 */
export class GeneratorParameterError extends StrataInputError {
  override name = 'GeneratorParameterError';

  /** `path` is `params.beds`, `seed` or empty for the parameters as a whole. */
  constructor(generator: string, path: string, message: string) {
    super([{ file: generator, path, message }]);
  }
}

/** Fills `params` over `defaults`, refusing names the generator does not know. */
export function withDefaults<P extends object>(generator: string, defaults: P, params: Partial<P>): P {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    throw new GeneratorParameterError(generator, 'params', 'expected a mapping of parameters');
  }
  for (const key of Object.keys(params)) {
    if (!Object.hasOwn(defaults, key)) {
      throw new GeneratorParameterError(generator, `params.${key}`, `expected one of the ${generator} generator's parameters (${Object.keys(defaults).join(', ')}), got ${JSON.stringify(key)}`);
    }
  }
  const filled = { ...defaults };
  for (const [key, value] of Object.entries(params)) if (value !== undefined) (filled as Record<string, unknown>)[key] = value;
  return filled;
}

/** A checker bound to one generator's name. */
export function checker(generator: string) {
  const fail = (name: string, expected: string, value: unknown): never => {
    throw new GeneratorParameterError(generator, `params.${name}`, `expected ${expected}, got ${describe(value)}`);
  };
  return {
    positiveInteger(name: string, value: unknown, max = Number.MAX_SAFE_INTEGER): void {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
        fail(name, max === Number.MAX_SAFE_INTEGER ? 'a positive integer' : `an integer from 1 to ${max}`, value);
      }
    },
    integer(name: string, value: unknown, min: number, max: number): void {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) fail(name, `an integer from ${min} to ${max}`, value);
    },
    positive(name: string, value: unknown, max = Number.MAX_VALUE): void {
      if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > max) {
        fail(name, `a positive number${max === Number.MAX_VALUE ? '' : ` of at most ${max}`}`, value);
      }
    },
    boolean(name: string, value: unknown): void {
      if (typeof value !== 'boolean') fail(name, 'true or false', value);
    },
    share(name: string, value: unknown): void {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) fail(name, 'a share in [0, 1]', value);
    },
    seed(value: unknown): void {
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
        throw new GeneratorParameterError(generator, 'seed', `expected an integer seed, got ${describe(value)}`);
      }
    },
  };
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'a mapping';
  return String(value);
}
