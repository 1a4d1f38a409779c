// Piscina loads this file in each worker thread. Strata runs its TypeScript sources through tsx, so the
// worker registers tsx before importing the real worker module.
import { register } from 'tsx/esm/api';

register();
const { default: work } = await import('./worker.ts');
export default work;
